"""Superlatives over graded columns (studyassist/knowledge/grades.py): a learner's trial of AZ-400 notes asked "Which
strategy has the fastest rollback of all?" and got "Rolling — Rollback Speed: Medium"; "the highest risk" got database
rows. The row holding the extreme grade of the column the superlative names answers, when only one row holds it."""
from __future__ import annotations

import pytest

from studyassist.knowledge.grades import extreme, grade, graded

HEADERS = ["Strategy", "Downtime", "Risk", "Rollback Speed", "Complexity"]
ROWS = [dict(zip(HEADERS, r)) for r in (
    ("Recreate", "Yes", "High", "Slow (redeploy)", "Low"), ("Rolling", "No", "Medium", "Medium", "Medium"),
    ("Blue-Green", "No", "Low", "Very fast (swap)", "Medium-High"), ("Canary", "No", "Low", "Fast", "High"),
    ("Ring", "No", "Very low", "Fast", "High"), ("Feature Flags", "No", "Very low", "Instant", "Medium"))]


def test_cells_that_grade_a_row_are_read_on_their_scale():
    assert grade("Very fast (swap)") == ("speed", 5) and grade("Instant") == ("speed", 6)
    assert grade("Medium-High") == ("level", 3.5) and grade("Dev/Test only") is None
    assert graded([r["Rollback Speed"] for r in ROWS]) == "speed" and graded([r["Risk"] for r in ROWS]) == "level"
    assert graded([r["Strategy"] for r in ROWS]) is None and graded([r["Downtime"] for r in ROWS]) is None


@pytest.mark.parametrize("question, row", [
    ("Which strategy has the fastest rollback of all?", "Feature Flags"),
    ("Which deployment approach carries the highest risk and has downtime?", "Recreate"),
    ("Which strategy has the slowest rollback?", "Recreate"),
    ("Which strategy is the least complex?", "Recreate"),
    ("Which strategy has the lowest risk?", None),  # Ring and Feature Flags: no one row
    ("Which strategy is the most complex?", None),  # three rows are High
    ("Which strategy suits critical apps?", None),  # no superlative
    ("Which strategy has the fastest deployment?", None),  # no graded column says deployment
])
def test_the_row_of_the_extreme_grade_answers_a_superlative(question, row):
    found = extreme(question, HEADERS, ROWS)
    assert (ROWS[found]["Strategy"] if found is not None else None) == row


@pytest.mark.slow
def test_asked_and_pasted_superlatives_over_a_notes_table(tmp_path_factory):
    from conftest import assistant_without_pack

    table = "| " + " | ".join(HEADERS) + " |\n|" + "---|" * len(HEADERS) + "\n" + "".join(
        "| " + " | ".join(r.values()) + " |\n" for r in ROWS)
    notes = f"# Deployments\n\n## Strategy comparison\n\n{table}"
    assistant = assistant_without_pack(tmp_path_factory.mktemp("grades"), {"az400.md": notes})
    assert assistant.ask("Which strategy has the fastest rollback of all?").decision == "Feature Flags"
    solved = assistant.solve("Which deployment strategy offers the fastest rollback?\nA) Rolling\nB) Feature Flags\n"
                             "C) Recreate\nD) Canary")
    assert solved.best == "B", solved.scores


@pytest.mark.slow
def test_two_one_word_strategies_compared_are_both_sides_and_say_the_cell_asked(tmp_path_factory):
    """"How does canary compare to rolling in terms of risk?" of AZ-400 notes (a learner's trial) answered with the
    Rolling row alone, "likely": "canary", written lower case in the notes' prose, is no name the matcher finds, and
    "X compares to Y" named no sides. Both rows now, each by the cell asked for, under its own label once."""
    from conftest import assistant_without_pack

    table = "| " + " | ".join(HEADERS) + " |\n|" + "---|" * len(HEADERS) + "\n" + "".join(
        "| " + " | ".join(r.values()) + " |\n" for r in ROWS)
    notes = (f"# Deployments\n\n## Strategy comparison\n\n{table}\n## Canary\n\nA canary release sends a small share "
             "of traffic to the new version first; the canary is watched before the rest moves.\n")
    assistant = assistant_without_pack(tmp_path_factory.mktemp("versus"), {"az400.md": notes})
    answer = assistant.ask("How does canary compare to rolling in terms of risk?")
    assert {c.id for c in answer.citations} >= {"strategy-comparison#2", "strategy-comparison#4"}, answer.citations
    assert "Risk: Low" in answer.answer and "Risk: Medium" in answer.answer, answer.answer
    assert "**Canary**: **Canary**" not in answer.answer and "**Rolling**: **Rolling**" not in answer.answer
