"""Attribute tables read across: one row per thing an option names, a short value per attribute column; the stem's
words vote per column for the rows whose values it describes (studyassist/solve/attributes.py). The tables are the
team's own, written for these tests."""
from __future__ import annotations

import pytest
from test_documents import assistant_without_pack, build

from studyassist.solve.attributes import AttributeTables

FORMATS = """# Lake files

## Window kinds

| Kind | Gapless? | Overlapping? | Length | Starts |
| -- | -- | -- | -- | -- |
| Fixed-step | Yes | No | Fixed | On the clock |
| Sliding-step | No | Yes | Fixed | On the clock |
| Event-led | No | Yes | Fixed? | When an event arrives |
| Burst | No | No overlap | Variable | When the first event arrives |

## File kinds

| Format | Binary | Layout | Carries schema |
|---|---|---|---|
| Colfile | Yes | Columnar | Yes |
| Rowpack | Yes | Row | Yes |
| Flatrow | No | Row | No |
| Treetext | No | Row | No |
"""


@pytest.mark.parametrize("stem, options, picked", [
    # yes/no column by its header's words, a kind by its value ("row"): the others of its kind lose
    ("The ingest team needs a binary, row-oriented format that carries its own schema. Which format?",
     ["Colfile", "Rowpack", "Flatrow", "Treetext"], 1),
    # "column-oriented" names the Columnar kind; the Row kinds lose
    ("Analysts read 3 of 80 columns: they want a column-oriented format. Which format?",
     ["Flatrow", "Treetext", "Colfile", "Rowpack"], 2),
    # overlap wanted, a fixed length, and starts "not when an event arrives" (a negated value votes against its rows)
    ("A chart sums the last 10 minutes every 2 minutes, so results overlap; windows have a fixed length and start on "
     "the clock, not when an event arrives. Which window kind?", ["Fixed-step", "Burst", "Sliding-step", "Event-led"], 2),
    # one word alone is no lead: left to the solver
    ("Which kind is binary?", ["Colfile", "Flatrow", "Treetext", "Rowpack"], None),
])
def test_the_stem_votes_for_the_row_whose_values_it_describes(stem, options, picked):
    kb, _ = build(FORMATS, "lake.md")
    found = AttributeTables(kb).pick(stem, options)
    assert (found[0] if found else None) == picked, found
    if found:
        assert found[1].choice == options[picked] or found[1].cells.get("Kind") == options[picked] or \
            found[1].cells.get("Format") == options[picked]


def test_descriptions_that_do_not_repeat_vote_only_for_the_row_that_uses_the_word():
    """A column of descriptions ("Virtual servers", "Simple VPS") is no set of kinds: a stem word it shares with one
    row is +1 for that row and nothing against the others, so one word alone decides nothing."""
    text = """# Compute

| Service | Use case | Pros |
|---|---|---|
| Bigbox | Virtual servers | Full control |
| Tinybox | Simple hosted server | Fixed monthly price |
| Fnrun | Event-driven functions | No servers to manage |
"""
    kb, _ = build(text, "compute.md")
    stem = "A bakery wants a basic website on a virtual server with a quick setup. Which service?"
    assert AttributeTables(kb).pick(stem, ["Bigbox", "Tinybox", "Fnrun"]) is None


def test_the_solver_answers_from_an_attribute_table(tmp_path):
    assistant = assistant_without_pack(tmp_path, {"lake.md": FORMATS})
    stem = "The ingest team needs a binary, row-oriented format that carries its own schema. Which format?"
    solved = assistant.solve(stem + "\nA) Colfile\nB) Flatrow\nC) Rowpack\nD) Treetext")
    assert solved.best == "C", solved.scores
    assistant.solver.votes.attributes.tables.clear()  # without the table read across, the rules alone are weaker
    assert assistant.solve(stem + "\nA) Colfile\nB) Flatrow\nC) Rowpack\nD) Treetext").scores["C"] < solved.scores["C"]
