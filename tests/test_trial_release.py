"""From a tenth learner's trial (stop 64), on a DevOps exam's deployment notes no pack serves: numbered headings
("### 🔹 2. Types of …") over "Type | Description | Tool Examples" and "Target | Tools" tables, a ✅ note after a
table and interview questions answered in blockquotes. "How many deployment types do the notes list?" was told no
number (the table has seven rows), and a question for a number the notes lack was told "The review's figure:" of a
row whose only digit was in a task's name ("AzureWebApp@1"); "plain Azure virtual machines" missed the "Azure VMs"
row; "when is a canary worth it?" got "Use **Canary Deployment** when deploy to small % of traffic first" (a
description read as a condition) and not the interview answer that says when; "which of the two would you pick?"
after a comparison answered about rows of neither; the quiz asked which numbered heading a ✅ note "describes"."""
from __future__ import annotations

import pytest

from studyassist.answer.quantity import NO_NUMBER
from studyassist.answer.resolve import Conversation
from studyassist.quiz.definitions import Definitions

NOTES = """# 🚀 Release notes

## 🧱 What to master

### 🔹 2. Kinds of Rollout You Must Know

| Type | Description | Tool Examples |
|---|---|---|
| **Big-bang Rollout** | Switch every user over at once | Any pipeline |
| **Ring Rollout** | Release to one group of users after another | Deployment rings |
| **Dark Launch** | Ship the code with the feature hidden behind a flag | Flag services |
| **Trickle Rollout** | Send a small share of requests to the new build first | Gateways with weighted routes |

✅ Pick the rollout by how costly a bad release would be.

### 🔹 3. Where to Ship

| Target | Tools |
|---|---|
| Web apps | `WebShip@2` task, slot swaps |
| Azure VMs | Deployment agents, remote shell |
| Function apps | Zip push from the pipeline |
| Container clusters | Manifests applied by a controller |

✅ Treat every target's credentials like secrets in code.

### 🔹 4. Protecting Production

| Practice | Purpose |
|---|---|
| Approval before release | Stop releases nobody meant to ship |
| Health checks after release | Catch a bad build before users do |

✅ Keep a record of who released what, and when.

### 🔹 5. Keeping Infrastructure as Code

| Tool | Description |
|---|---|
| **Stackform** | Vendor-neutral declarative templates |
| **Cloudscript** | Templates for one cloud only |

✅ Review template changes like any other code.

### 🔹 6. Watching Releases

| Signal | Source |
|---|---|
| Error rate | Request logs |

✅ Alert on what users feel, not on what servers report.

### 🔹 7. Pipeline Files

✅ Know how to:

- Use `stage:` to group jobs that run together
- Use `environment:` for approvals and gates
- Promote artifacts from build to release stages

## 💬 Interview Questions

### 💬 Q1. What is a trickle rollout? When would you pick it?

**Answer:**

> A trickle rollout sends a small share of requests to the new build while the rest stay on the old one. I'd pick
> it for busy public services where a bad release is costly.
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    from conftest import assistant_without_pack

    return assistant_without_pack(tmp_path_factory.mktemp("release"), {"release.md": NOTES})


def test_how_many_things_a_table_lists_is_its_rows_counted_and_named(assistant):
    answer = assistant.ask("How many kinds of rollout do the notes say I need to know?")
    first = answer.claims[0]
    assert first.text.startswith("The review lists 4 under “Kinds of Rollout You Must Know”: Big-bang Rollout, "
                                 "Ring Rollout, Dark Launch, Trickle Rollout"), first.text
    assert len(first.rule_ids) == 4 and all(assistant.kb.rule(r).table for r in first.rule_ids)


def test_a_digit_in_a_name_or_a_headings_number_is_no_figure(assistant):
    """No row says how many slots a web app has: the row naming `WebShip@2` is no figure for it."""
    answer = assistant.ask("How many deployment slots can one of the web apps have?")
    assert answer.claims[0].text == NO_NUMBER, [c.text for c in answer.claims]


def test_a_two_letter_acronym_the_notes_write_in_the_plural_is_found_spelled_out(assistant):
    assert "vms" in assistant.retriever.query_terms("How does a pipeline reach plain Azure virtual machines?")
    answer = assistant.ask("How does a pipeline reach plain Azure virtual machines?")
    first = next(c for c in answer.claims if c.rule_ids)
    assert "Azure VMs" in assistant.kb.rule(first.rule_ids[0]).text, [c.text for c in answer.claims]


def test_when_to_use_a_row_that_only_describes_it_quotes_the_description_and_the_answer_that_says_when(assistant):
    answer = assistant.ask("When is a trickle rollout worth doing?")
    texts = [c.text for c in answer.claims]
    assert texts[0].startswith("**Trickle Rollout** — send a small share of requests"), texts
    assert not any(t.startswith("Use **Trickle Rollout** when") for t in texts), texts
    assert any("busy public services" in t for t in texts), texts


def test_which_of_the_two_after_a_comparison_weighs_the_two_compared(assistant):
    conversation = Conversation()
    assistant.ask("Stackform or Cloudscript — what's the difference between them?", conversation)
    answer = assistant.ask("and if we also run on a second cloud, which of the two would you pick?", conversation)
    cited = {assistant.kb.rule(r).choice for c in answer.claims for r in c.rule_ids}
    assert {"Stackform", "Cloudscript"} <= cited, [c.text for c in answer.claims]


def test_a_numbered_heading_over_a_note_is_no_term_to_quiz(assistant):
    definitions = Definitions(assistant.kb, set(), assistant.retriever.embeddings)
    terms = {r.choice for rules in definitions.groups.values() for r in rules}
    assert not any(t[:1].isdigit() for t in terms), terms


def test_an_adjective_finds_the_noun_the_notes_write(assistant):
    """"how can I check that it is actually healthy?" was refused: "healthy" never met the notes' "Health checks"."""
    from studyassist.answer.retrieval import word_forms

    assert "health" in word_forms("healthy")
    answer = assistant.ask("After a release goes out, how can I check that it is actually healthy?")
    assert answer.decision == "Health checks after release", [c.text for c in answer.claims]


def test_one_word_of_a_name_set_beside_another_names_each_side_of_a_difference(assistant):
    """"Blue/green versus rolling: how do they differ?" got a summary bullet naming both: each word is the one word
    only its own name has, of names that share "Deployment" ("Trickle Rollout", "Ring Rollout" here)."""
    answer = assistant.ask("Ring versus trickle: how do they differ?")
    cited = {assistant.kb.rule(r).choice for c in answer.claims for r in c.rule_ids}
    assert {"Ring Rollout", "Trickle Rollout"} <= cited, [c.text for c in answer.claims]


def test_a_column_of_the_named_things_own_row_is_asked_for_not_the_table_that_noun_names(assistant):
    """"Which tools go with a canary deployment?" listed the table of IaC tools (its column "Tool"), not the canary
    row's "Tool Examples"."""
    answer = assistant.ask("Which tools go with a trickle rollout?")
    assert answer.decision == "Gateways with weighted routes", [c.text for c in answer.claims]
    assert any("Tool Examples: Gateways with weighted routes" in c.text for c in answer.claims)


def test_the_runner_up_beside_an_unsure_pick_is_not_given_the_picks_rule(assistant):
    """A pasted question on the trial's pipeline keys showed "**C) azureSubscription:** — the review's rule: 'for
    approvals and gates' → Use environment": the rule that explains the closest option (B), given to the next one,
    which is not its choice. Beside the closest option such a runner-up matches no rule closely."""
    from studyassist.solve.mcq import parse_pasted
    from studyassist.solve.types import OptionFit

    solver = assistant.solver
    q = parse_pasted("In a pipeline file, which key on a deployment job lets you attach approvals and gates?\n"
                     "A) strategy: runOnce\nB) environment:\nC) azureSubscription:\nD) package:")
    assert solver.solve(q).best == "B"
    rule = next(f for f in solver.facets if "approvals and gates" in f.situation)
    best, runner_up = OptionFit(2.0, rule, rule, None), OptionFit(1.0, rule, None, None)
    alone = solver.explainer.why_best(q, 2, runner_up, False)
    beside = solver.explainer.why_best(q, 2, runner_up, False, best)
    assert "approvals and gates" in alone[0].text and alone[0].rule_ids
    assert beside[0].text == "**C) azureSubscription:** matches no rule closely; check the review yourself."
    # the closest option itself keeps its rule, and so does one whose own choice that rule is
    assert "approvals and gates" in solver.explainer.why_best(q, 1, best, False, best)[0].text
    assert "approvals and gates" in solver.explainer.why_best(q, 1, OptionFit(1.5, rule, rule, None), False, best)[0].text


def test_a_follow_up_that_asks_how_to_do_that_asks_about_the_thing_just_answered(assistant):
    """After "when is a canary worth it?", "ok, and which Azure tools would I use to actually do that?" listed the
    IaC tools (the table its noun names): "do that" is the canary release, whose row names its tools."""
    conversation = Conversation()
    assistant.ask("When is a trickle rollout worth doing?", conversation)
    answer = assistant.ask("ok, and which tools would I use to actually do that?", conversation)
    assert answer.decision == "Gateways with weighted routes", [c.text for c in answer.claims]
