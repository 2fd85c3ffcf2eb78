"""Attribute tables read across: one row per thing an option names, a short value per attribute column; the stem's
words vote per column for the rows whose values it describes (studyassist/knowledge/attributes.py). The tables are the
team's own, written for these tests."""
from __future__ import annotations

import pytest
from test_documents import assistant_without_pack, build

from studyassist.knowledge.attributes import AttributeTables

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


def _described(kb, question: str):
    def names_rows(rule):
        table = kb.table(rule.table)
        return table.columns[table.choice_column]
    found = AttributeTables(kb).described(question, names_rows)
    return found.choice if found else None


def test_a_free_question_names_the_row_whose_attributes_it_describes():
    """Asked without options (dev2 dp203-08, "a binary, row-oriented format that embeds its own schema"), the
    question's words vote over every row of a table whose header it uses; it must speak to two columns of marks or
    kinds, a yes/no column by all its header's words."""
    kb, _ = build(FORMATS, "lake.md")
    assert _described(kb, "Which format is binary and row-oriented and carries its own schema?") == "Rowpack"
    assert _described(kb, "We read 3 of 80 columns. Which columnar, binary format fits?") == "Colfile"
    assert _described(kb, "Which format is binary?") is None  # one attribute: Colfile and Rowpack both are
    assert _described(kb, "Which row-oriented binary reader should we buy?") is None  # asks for no format
    # "schema" alone is half of "Carries schema": no vote, so "binary" is left alone and no row leads
    assert _described(kb, "Which format keeps a schema and is binary?") is None


def test_a_free_question_is_answered_from_the_row_it_describes(tmp_path):
    """dev2's free questions answered "CSV — no." for a binary, row-oriented format: the row the attributes name,
    said with every attribute under its column."""
    assistant = assistant_without_pack(tmp_path, {"lake.md": FORMATS})
    answer = assistant.ask("We need a binary, row-oriented file format that carries its own schema. Which format?")
    assert answer.decision == "Rowpack", answer.answer
    assert "Binary: Yes; Layout: Row; Carries schema: Yes" in answer.answer, answer.answer


LAYOUTS = """# Warehouse

## Layouts

- Copied: a full copy of the table is kept on every node.
- Keyed: a hash of one column decides the node of each row.
- Rotating: rows are spread evenly across all nodes.

## Layout by table kind

| Table kind | Recommended layout |
| -- | -- |
| Lookup | Use the copied layout for small tables so joins to big sharded tables move no rows between nodes |
| Event | Use the keyed layout with a column index to spread large event tables across the nodes |
| Landing | Use the rotating layout for landing tables to load them fast and spread rows evenly |
"""


def test_a_one_word_option_names_the_sentence_choice_that_uses_it():
    """"Copied" names "Use the copied layout for small tables …": far from the sentence by embedding, it is one of
    its words and no other choice of that length has it; a number or a word several choices use names none."""
    from types import SimpleNamespace

    from studyassist.solve.naming import INSIDE_SHARE, NamedInside

    labels = ["Use the copied layout for small tables so joins move no rows", "Use the keyed layout for large "
              "event tables", "Use the rotating layout for landing tables to load fast", "Copied", "Keep 24 nodes in a rack"]
    inside = NamedInside([SimpleNamespace(label=t) for t in labels])
    share = inside.share(["Copied", "Layout", "24", "Rotating heap", "Keyed layout"])
    assert list(share[0]) == [INSIDE_SHARE, 0, 0, 0, 0]  # (a short choice is named by its embedding, not here)
    assert not share[1].any()  # every sentence choice says "layout"
    assert not share[2].any()  # a number is no name
    assert not share[3].any()  # "heap" is in no choice
    assert list(share[4]) == [0, INSIDE_SHARE, 0, 0, 0]


def test_the_solver_picks_the_word_of_the_row_that_fits_over_a_definition_that_shares_words(tmp_path):
    """dev2's dp203-11 in the team's own words: the lookup row recommends the copied layout; the definition of
    "rotating" shares the stem's words "rows" and "nodes" but is no recommendation for this table."""
    assistant = assistant_without_pack(tmp_path, {"warehouse.md": LAYOUTS})
    stem = ("A product lookup table of 500 MB is joined to large sharded event tables whose rows are spread across "
            "all nodes, in nearly every query. Rows should not move between nodes at query time. Which layout?")
    solved = assistant.solve(stem + "\nA) Keyed on the product id\nB) Copied\nC) Rotating\nD) Keyed on the load date")
    assert solved.best == "B", solved.scores
