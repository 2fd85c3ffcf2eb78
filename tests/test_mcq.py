"""Parsing pasted multiple-choice questions in the formats practice banks use."""
from __future__ import annotations

import pytest

from studyassist.errors import InputError
from studyassist.solve.mcq import from_parts, parse_pasted

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


@pytest.mark.parametrize("fmt", ["{n}. {o}", "{n}) {o}", "({n}) {o}"])
def test_numbered_options_are_labels_and_a_pick_may_name_the_number(fmt):
    text = STEM + "\n" + "\n".join(fmt.format(n=n, o=o) for n, o in enumerate(OPTIONS, 1))
    q = parse_pasted(text)
    assert q.stem == STEM and list(q.options) == OPTIONS and q.numbered
    assert q.index_of("1") == 0 and q.index_of("(4)") == 3 and q.index_of("b") == 1
    assert q.label(1) == "B) Batch endpoint (option 2)"
    with pytest.raises(InputError, match=r"'5' is not one of this question's options \(1-4 or A, B, C, D\)\."):
        q.index_of("5")


def test_numbers_are_not_picks_for_lettered_options():
    q = parse_pasted(STEM + "\n" + "\n".join(f"{l}) {o}" for l, o in zip("ABCD", OPTIONS)))
    assert not q.numbered and q.label(1) == "B) Batch endpoint"
    with pytest.raises(InputError, match="not one of this question's options"):
        q.index_of("1")


def test_a_numbered_stem_or_list_inside_the_stem_is_not_taken_for_options():
    q = parse_pasted("1. A retailer scores its catalogue once a week. Which option fits?\n"
                     "1) Online endpoint\n2) Batch\nendpoint")
    assert q.stem.startswith("1. A retailer") and q.options == ("Online endpoint", "Batch endpoint")
    q = parse_pasted("The team needs:\n1. nightly scoring\n2. no servers\nWhich option fits?\nOnline endpoint\n"
                     "Batch endpoint")
    assert q.options == ("Online endpoint", "Batch endpoint") and not q.numbered
    with pytest.raises(InputError, match=r"Option 2 is followed by option 4; number the options 1, 2, 3… in order\."):
        parse_pasted(STEM + "\n1. x\n2. y\n4. z")


def test_json_options_may_be_numbered_and_their_errors_speak_of_json():
    q = from_parts(STEM, [f"{n}. {o}" for n, o in enumerate(OPTIONS, 1)])
    assert list(q.options) == OPTIONS and q.index_of("3") == 2
    with pytest.raises(InputError, match='give at least two option texts in "options"'):
        from_parts(STEM, ["Batch endpoint"])
    with pytest.raises(InputError, match='give the stem as "question"'):
        from_parts("", OPTIONS)
