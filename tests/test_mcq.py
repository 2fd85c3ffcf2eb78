"""Parsing pasted multiple-choice questions in the formats practice banks use."""
from __future__ import annotations

import pytest

from studyassist.errors import InputError
from studyassist.mcq import from_parts, parse_pasted

STEM = "A retailer scores its catalogue once a week. Which option fits?"
OPTIONS = ["Online endpoint", "Batch endpoint", "Compute instance", "Sweep job"]


@pytest.mark.parametrize("fmt", ["{l}) {o}", "{l}. {o}", "({l}) {o}", "{l} - {o}", "{l}: {o}", "{ll}) {o}"])
def test_option_markers(fmt):
    text = STEM + "\n" + "\n".join(fmt.format(l=l, ll=l.lower(), o=o) for l, o in zip("ABCD", OPTIONS))
    q = parse_pasted(text)
    assert q.stem == STEM and list(q.options) == OPTIONS


def test_one_option_per_line_without_letters():
    q = parse_pasted(STEM + "\n" + "\n".join(OPTIONS))
    assert list(q.options) == OPTIONS


def test_inline_options_and_wrapped_lines():
    q = parse_pasted(STEM + " A) Online endpoint B) Batch endpoint C) Compute instance D) Sweep job")
    assert list(q.options) == OPTIONS
    q = parse_pasted(STEM + "\nA) Online\nendpoint\nB) Batch endpoint\nAnswer: B")
    assert q.options == ("Online endpoint", "Batch endpoint")


@pytest.mark.parametrize("text, message", [
    ("", "empty"),
    (STEM + "\nA) Online endpoint", "fewer than two options"),
    (STEM + "\nA) x\nA) y\nB) z", "appears more than once"),
    ("A) x\nB) y", "no question text"),
    (STEM + "\nA) same\nB) Same", "same text"),
])
def test_bad_pastes_are_one_sentence_errors(text, message):
    with pytest.raises(InputError, match=message) as err:
        parse_pasted(text)
    assert str(err.value).endswith(".") and str(err.value).count(". ") == 0


def test_chose_must_be_an_option():
    q = from_parts(STEM, OPTIONS)
    assert q.index_of("b") == 1 and q.index_of("(C)") == 2
    with pytest.raises(InputError, match="not one of this question's options"):
        q.index_of("E")
