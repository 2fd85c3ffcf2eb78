"""Sizes and durations a stem states against the bounds a row sets (knowledge/bounds.py)."""
from __future__ import annotations

import pytest
from test_documents import assistant_without_pack

from studyassist.knowledge.bounds import bounds, past, stated

TB, HOUR = 1e12, 3600.0


@pytest.mark.parametrize("text, expected", [
    ("Relational, < 10 TB", [("size", "below", 10 * TB)]),
    ("Relational, > 10 TB, global", [("size", "above", 10 * TB)]),
    ("Short, stateless workloads; 15min limit", [("time", "below", 900.0)]),
    ("Event-driven, under 15 minutes", [("time", "below", 900.0)]),
    ("Volumes up to 64 TB", [("size", "below", 64 * TB)]),
    ("Jobs of at least 1 hour", [("time", "above", HOUR)]),
    ("Archive, 1–15 hrs retrieval", []),  # a range a row states is no bound
    ("Frequently accessed data", []),
])
def test_a_rows_bounds(text, expected):
    assert bounds(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("The data set will grow to tens of terabytes", [("size", 20 * TB)]),
    ("each job runs for about two hours", [("time", 2 * HOUR)]),
    ("it stores 60 TB now and 90 TB next year", [("size", 60 * TB), ("size", 90 * TB)]),
    ("a wait of several hours is acceptable", [("time", 3 * HOUR)]),
    ("it will stay under 200 GB", [("size", 200e9)]),
    ("ten staging environments", []),  # a count, not a size or a duration
    ("tens of thousands of users", []),
])
def test_what_a_stem_states(text, expected):
    assert stated(text) == expected


def test_a_quantity_past_a_bound_and_one_within_it():
    grows = stated("grows to tens of terabytes")
    assert past(bounds("Relational, < 10 TB"), grows) and not past(bounds("Relational, > 10 TB, global"), grows)
    assert not past(bounds("Relational, < 10 TB"), stated("about 200 GB of orders"))
    assert not past(bounds("< 10 TB"), stated("runs for two hours"))  # another dimension says nothing


@pytest.mark.slow
def test_a_size_past_a_rows_bound_rules_that_row_out(tmp_path):
    """"Relational, < 10 TB" and "Relational, > 10 TB, global" read alike to embeddings and BM25; the stated size
    decides, both ways."""
    assistant = assistant_without_pack(tmp_path, {"db.md": (
        "# Databases\n\n## Pick a database\n\n| Use Case | Service |\n|---|---|\n"
        "| Relational, < 10 TB | Cloud SQL |\n| Relational, > 10 TB, global | Cloud Spanner |\n"
        "| NoSQL, documents | Firestore |\n| Data warehouse | BigQuery |\n")})
    options = "\nA) Cloud SQL\nB) Cloud Spanner\nC) Firestore\nD) BigQuery"
    big = assistant.solve("A ledger needs a relational database with SQL transactions, and it will grow to "
                          "tens of terabytes. Which database should you use?" + options)
    small = assistant.solve("A ledger needs a relational database with SQL transactions, and it will stay "
                            "under 200 GB. Which database should you use?" + options)
    assert (big.best, small.best) == ("B", "A"), (big.scores, small.scores)
    # and a free question leads with the row whose bound the size is within
    asked = {size: assistant.ask(f"Which database for a relational app with about {size} of data?")
             for size in ("2 TB", "40 TB")}
    assert asked["2 TB"].citations[0].text.endswith("Cloud SQL"), asked["2 TB"].answer
    assert asked["40 TB"].citations[0].text.endswith("Cloud Spanner"), asked["40 TB"].answer
