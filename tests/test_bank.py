"""Practice-question banks (an eleventh learner trial, stop 64: an ISTQB practice set whose 40 questions list their
options as "1." lines and hide the key in "<details><summary>Answer:</summary>2</details>"): each keyed question is a
row of a "Question | Answer" table whose answer is the keyed option, not 4-5 rules of which all but one are wrong on
purpose, with the key a stray "Answer: 2"."""
from __future__ import annotations

import pytest

from ingest.bank import banked
from ingest.build import BuildReport, Document, build_knowledge
from studyassist.solve.mcq import parse_pasted

BANK = """# Practice set

## Set 1

1) Where should a smoke test run?
1. Only on the build server
1. After every deployment to any environment
1. Only before a release
1. Never in production
    <details><summary>Answer:</summary>2</details></br>

2) Which of the following are true of soak testing?
    - (A) It runs for a long time
    - (B) It finds memory leaks
    - (C) It replaces unit tests
    - (D) It is run only once a year

1. A, B.
1. C.
1. A, C, D.
1. D.
    <details><summary>Answer:</summary>1</details></br>

3) Which of the following statements about pair testing is NOT true?
1. Two people test together
1. One person drives, one observes
1. Pair testing needs no tester at all
1. It can find defects early
    <details><summary>Answer:</summary>3</details></br>

Q4. What do we call a test that checks a fix removed the original failure?
A) Soak testing
B) Confirmation testing
C) Smoke testing
D) Load testing

**Answer:** B

## Steps to run the suite

1. Check out the code
1. Install the tools
1. Run the suite
"""


def test_keyed_questions_become_one_table_row_each_and_the_rest_of_the_text_keeps_its_lines():
    text = banked(BANK)
    assert len(text.split("\n")) == len(BANK.split("\n"))
    assert "| Where should a smoke test run? | After every deployment to any environment |" in text
    assert "| Which of the following are true of soak testing? | It runs for a long time; It finds memory leaks |" in text
    assert "| Which of the following statements about pair testing is NOT true? | Not so: Pair testing needs no " \
           "tester at all |" in text
    assert ("| What do we call a test that checks a fix removed the original failure? | Confirmation testing |"
            in text)
    assert "Only before a release" not in text and "<details>" not in text
    assert "1. Check out the code" in text  # (a numbered list without a key is no bank)
    assert banked("# Steps\n\n1. Check out\n1. Install\n1. Run\n") == "# Steps\n\n1. Check out\n1. Install\n1. Run\n"


def test_a_bank_is_read_as_its_keyed_answers():
    kb = build_knowledge([Document("bank.md", BANK)], report=BuildReport())
    rows = [(r.situation, r.choice) for r in kb.rules if r.kind == "table_row"]
    assert ("Where should a smoke test run?", "After every deployment to any environment") in rows
    assert not any("Only on the build server" in r.text for r in kb.rules)
    assert not any(r.choice.startswith("Answer") for r in kb.rules)


FIVE = """1) Which level tests the interfaces between parts?
A) Unit
B) Acceptance
C) System
D) Component
E) Integration
Answer: E

2) Which are kinds of static testing?
A) Reviews
B) Static analysis
C) Both A and B
D) Load tests
E) Soak tests
Answer: C

3) Who writes acceptance tests?
A) Users
B) Compilers
C) Linters
D) Routers
Answer: A
"""


def test_a_bank_keeps_each_question_s_options_for_the_quiz_and_nowhere_else():
    kb = build_knowledge([Document("bank.md", BANK), Document("five.md", FIVE)], report=BuildReport())
    asked = {r.situation: (r.offered, r.offered_key) for r in kb.rules if r.kind == "table_row"}
    assert asked["Where should a smoke test run?"] == (("Only on the build server",
                                                        "After every deployment to any environment",
                                                        "Only before a release", "Never in production"), 1)
    assert asked["Which of the following are true of soak testing?"] == ((), -1)  # (its options combine statements)
    # a fifth option is left out, never the key; nor when an option names others by letter
    assert asked["Which level tests the interfaces between parts?"] == (("Unit", "Acceptance", "System", "Integration"),
                                                                        3)
    assert asked["Which are kinds of static testing?"] == ((), -1)
    assert not any("Only on the build server" in r.text or "Never in production" in r.text for r in kb.rules)


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    from conftest import assistant_without_pack

    return assistant_without_pack(tmp_path_factory.mktemp("bank"), {"bank.md": BANK})


def test_a_question_of_the_bank_in_other_words_gets_its_keyed_answer(assistant):
    answer = assistant.ask("When do I run a smoke test?")
    assert "After every deployment to any environment" in answer.answer, answer.answer
    solved = assistant.solver.solve(parse_pasted(
        "A tester re-runs a test to make sure a fix really removed the failure. What is this called?\n"
        "A) Load testing\nB) Smoke testing\nC) Confirmation testing\nD) Soak testing"))
    assert solved.best == "C"


def test_the_quiz_asks_a_bank_s_own_questions_as_written_and_explains_a_wrong_pick_by_its_key(assistant):
    from studyassist.study.practice import explain_item

    items = assistant.quiz.generate(3, seed=1)
    by_stem = {i.stem: i for i in items}
    assert set(by_stem) == {"Where should a smoke test run?",
                            "Which of the following statements about pair testing is NOT true?",
                            "What do we call a test that checks a fix removed the original failure?"}
    smoke = by_stem["Where should a smoke test run?"]
    assert smoke.options == ["Only on the build server", "After every deployment to any environment",
                             "Only before a release", "Never in production"] and smoke.answer == 1
    odd = by_stem["Which of the following statements about pair testing is NOT true?"]
    assert odd.options[odd.answer] == "Pair testing needs no tester at all"
    explained = explain_item(assistant, smoke, 0).markdown
    assert "not the notes' key to this question" in explained and "After every deployment" in explained, explained
