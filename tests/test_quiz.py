"""Generated questions: reproducible, verified keys, explanations, drills and the mistake log."""
from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from studyassist.answer.citations import verify
from studyassist.errors import InputError
from studyassist.study.practice import (
    drill_plan,
    explain_item,
    follow_up,
    item_conversation,
    mock_exam,
    next_items,
    record_answer,
    score_exam,
)
from studyassist.study.progress import ProgressStore
from studyassist.text import normalize


@pytest.fixture(scope="module")
def items(assistant):
    return assistant.quiz.generate(60, seed=3)


def test_same_seed_same_quiz(assistant, items):
    again = assistant.quiz.generate(60, seed=3)
    assert [i.contract() for i in again] == [i.contract() for i in items]
    assert [i.id for i in assistant.quiz.generate(5, seed=4)] != [i.id for i in items[:5]]


def test_what_the_caches_hold_changes_no_item(assistant, items):
    """Stems embedded at ingest, searches and texts cached while a quiz is made: a fresh generator with empty
    caches makes the same items."""
    fresh = assistant.new_quiz_generator()
    assistant.embeddings.clear_cache()
    assistant.retriever.clear_cache()
    assert [i.contract() for i in fresh.generate(60, seed=3)] == [i.contract() for i in items]


def test_items_are_sound(assistant, items):
    gen = assistant.quiz
    assert len(items) == 60
    assert all(gen.verifier.check(i) is None for i in items)
    assert len({i.stem for i in items}) >= 57
    spread = Counter(i.answer for i in items)
    assert all(abs(spread[k] / 60 - 0.25) <= 0.10 for k in range(4)), spread
    for i in items:
        key = i.options[i.answer]
        assert key.lower() not in i.stem.lower()
        assert i.citations[0].id == i.rule_id


ACTION_KINDS = {"best first thinking step", "likely area to investigate", "monitoring category"}


def test_no_two_options_say_the_same_thing_and_stems_read_whole(assistant):
    gen = assistant.quiz
    many = gen.generate(200, seed=17)
    for item in many:
        written = set(gen.wrong.for_rule.get(item.rule_id, ()))  # wrong answers to the need: their words count
        sigs = [gen.verifier.signature(o)._replace(concepts=frozenset()) if o in written
                else gen.verifier.signature(o) for o in item.options]
        pairs = [(a, b) for i, a in enumerate(item.options) for j, b in enumerate(item.options)
                 if i < j and sigs[i].alike(sigs[j])]
        assert not pairs, (item.id, pairs)  # e.g. "Blue/green" beside "Blue/green deployment"
        assert "…" not in item.stem, item.stem  # a key blanked out of its own situation
        if gen.kinds.column(item.rule_id) in ACTION_KINDS:  # "What should the team do first?" is not answered by "Endpoint"
            kinds = {gen.kinds.column(r) for r, o in zip(item.option_rules, item.options) if o not in written}
            assert kinds == {gen.kinds.column(item.rule_id)}, (item.stem, item.options)
    # a comparison row still gets its other side as a distractor (its choice concepts are both sides')
    assert any(i.rule_id.startswith("ci-cd-versus-azure-ml-pipeline#") for i in many)


def test_the_situation_of_a_row_that_names_its_key_is_reworded_not_blanked():
    from studyassist.quiz.options import unnamed

    assert unnamed("Metrics", "It records: training, test, and business metrics. Which item is this?") == \
        "It records: training, test, and business ones. Which item is this?"
    assert unnamed("Data", "It keeps: versioned data asset, path, schema.") == "It keeps: versioned asset, path, schema."
    # the key inside a longer word cannot be taken out without leaving a broken one ("Auto-for Azure resources")
    assert unnamed("Managed Identity", "Description: auto-managed identity for Azure resources. Which is it?") == ""
    assert unnamed("Data", "It keeps: big-data assets. Which is it?") == ""


def test_the_kind_a_question_names_is_read_from_its_question_sentence():
    from studyassist.quiz.options import asked_kind, word_stems

    assert asked_kind("A retailer scores sales weekly. Which endpoint type is appropriate?") in word_stems("Batch endpoint")
    assert asked_kind("Which type of endpoint should they use?") == asked_kind("Which endpoint kind fits?") != ""
    assert asked_kind("The team needs GPUs. Which compute option fits?") in word_stems("Compute cluster")
    # a kind named in the scenario, not in its question, and a question naming none
    assert asked_kind("Which endpoint type was used last year is unknown. What should you do?") == ""
    assert asked_kind("Which of the following should you use?") == ""


def test_verifier_rejects_broken_items(assistant, items):
    gen = assistant.quiz
    item = items[0]
    swapped = item.model_copy(update={"answer": (item.answer + 1) % 4})
    assert "key" in gen.verifier.check(swapped)
    dup = item.model_copy(update={"options": [item.options[0]] * 4})
    assert "distinct" in gen.verifier.check(dup)
    leaked = item.model_copy(update={"stem": item.stem + " Hint: " + item.options[item.answer]})
    assert "verbatim" in gen.verifier.check(leaked)
    twice = [o if i == item.answer else f"{item.options[item.answer]} option {i}" for i, o in enumerate(item.options)]
    assert "say the same thing" in gen.verifier.check(item.model_copy(update={"options": twice}))


def test_verifier_rejects_a_distractor_that_also_fits(assistant):
    gen = assistant.quiz
    from studyassist.quiz.types import QuizItem

    item = QuizItem(id="t", stem="A retailer must score many stored records on a schedule, every night. Which fits?",
                    options=["Batch endpoint", "Compute instance", "Periodic batch scoring with a Batch endpoint"
                             if False else "Sweep job", "Canary"],
                    answer=0, explanation="", citations=[], rule_id="online-endpoint-versus-batch-endpoint#2",
                    area="deployment")
    assert gen.verifier.check(item) is None
    bad = item.model_copy(update={"rule_id": "online-endpoint-versus-batch-endpoint#6"})
    assert gen.verifier.check(bad) is None  # same choice, same key: still sound
    wrong_key = item.model_copy(update={"options": ["Online endpoint", "Compute instance", "Sweep job", "Batch endpoint"],
                                        "answer": 0, "rule_id": "online-endpoint-versus-batch-endpoint#1"})
    problem = gen.verifier.check(wrong_key)
    assert problem and ("retrieves" in problem or "solver" in problem)


def test_area_filter_and_bad_requests(assistant):
    assert {i.area for i in assistant.quiz.generate(8, seed=1, area="security")} == {"security"}
    for kwargs, msg in [({"count": 0}, "between 1 and"), ({"count": 10_000}, "between 1 and"),
                        ({"count": 2, "area": "cooking"}, "Unknown area")]:
        with pytest.raises(InputError, match=msg):
            assistant.quiz.generate(seed=1, **kwargs)


def test_explanation_cites_the_chosen_options_rule_and_the_keys_rule(assistant, items):
    item = next(i for i in items if sum(r is not None for r in i.option_rules) == 4)
    wrong = (item.answer + 1) % 4
    exp = explain_item(assistant, item, wrong)
    ids = {c.id for c in exp.citations}
    assert not exp.correct and item.rule_id in ids and item.option_rules[wrong] in ids
    # one sentence of contrast from both rows, cited to both, naming the pick and the key
    line = next(x for x in exp.markdown.splitlines() if x.startswith("- Why not your answer:"))
    assert item.options[wrong] in line and item.options[item.answer] in line and line.count("[") == 2
    assert " for \"" in line and "The clue" not in exp.markdown


def test_every_wrong_pick_is_answered_even_a_distractor_the_item_gave_no_row(assistant):
    """CI once drew a comparison item whose wrong option ("Command job") had no rule of its own and no written
    reason: the explanation said only where the clue points, nothing about the learner's pick."""
    items = [i for seed in range(1, 16) for i in assistant.quiz.generate(10, seed=seed)]
    ruleless = [(i, k) for i in items for k, r in enumerate(i.option_rules)
                if k != i.answer and r is None
                and normalize(i.review_choices[k]) not in assistant.quiz.wrong.why(i.rule_id)]
    ruleless.append((items[0].model_copy(update={"option_rules": [None] * len(items[0].options)}),
                     (items[0].answer + 1) % len(items[0].options)))  # and one stripped of every option's row
    for item, wrong in ruleless:
        exp = explain_item(assistant, item, wrong)
        line = next((x for x in exp.markdown.splitlines() if x.startswith("- Why not your answer:")), "")
        assert item.options[wrong] in line, (item.stem, item.options[wrong], exp.markdown)


def test_the_contrast_quotes_the_words_only_the_answers_row_shares(assistant):
    canary = next(f for f in assistant.facets if f.label == "Canary")
    blue_green = next(f for f in assistant.facets if f.label.startswith("Blue/green"))
    stem = "The team wants only a small percentage of traffic on the new model at first, then more. Which fits?"
    claim = assistant.solver.explainer.contrast(stem, "B) Blue/green", blue_green, "A) Canary", canary)
    assert claim.rule_ids == [blue_green.rule_id, canary.rule_id]
    assert claim.labels == [blue_green.label, canary.label]
    said = claim.text.split(" — ")[1]
    assert "small percentage" in said and "model" not in said  # a clue phrase, not a word every row uses
    checked, warnings = verify([claim], assistant.kb, assistant.matcher)
    assert checked[0].rule_ids == claim.rule_ids and not warnings  # each row supports its own side


def test_follow_up_chat_and_another_like_this(assistant, items):
    item = items[0]
    chat = item_conversation(assistant, item)
    more = follow_up(assistant, item, "give me another one like this", chat, seed=5)
    assert more.item is not None and more.item.id != item.id
    assert assistant.kb.rule(more.item.rule_id).table == assistant.kb.rule(item.rule_id).table
    other = next(o for k, o in enumerate(item.options) if k != item.answer)
    reply = follow_up(assistant, item, f"why not {other}?", chat)
    assert reply.answer is not None and reply.answer.citations


def test_a_miss_is_logged_per_rule_and_scheduled(assistant, items, tmp_path):
    store = ProgressStore(tmp_path / "p.sqlite3")
    item = items[1]
    assert record_answer(store, "ana", item, (item.answer + 1) % 4) is False
    with pytest.raises(InputError, match="already answered"):
        record_answer(store, "ana", item, item.answer)
    assert len(store.attempts("ana")) == 1
    soon = datetime.now(UTC) + timedelta(days=1)
    assert item.rule_id in store.due_rules("ana", now=soon)
    assert store.mistakes_by_rule("ana")[0].rule_id == item.rule_id


def test_drill_picks_the_weakest_area_then_no_repeats(assistant, items, tmp_path):
    store = ProgressStore(tmp_path / "p.sqlite3")
    by_area = {}
    for i in items:
        by_area.setdefault(i.area, []).append(i)
    weak, strong = sorted(by_area, key=lambda a: -len(by_area[a]))[:2]
    for i in by_area[weak][:3]:
        record_answer(store, "ben", i, (i.answer + 1) % 4)
    for i in by_area[strong][:3]:
        record_answer(store, "ben", i, i.answer)
    plan = drill_plan(store, "ben", [a.id for a in assistant.kb.areas])
    assert plan.stage == "topic drills" and plan.areas[0] == weak
    # studying another document, whose areas these are not: its plan knows nothing of them (it once drilled the
    # weak area here, which the other document's quiz then refused as an unknown area)
    elsewhere = drill_plan(store, "ben", [a.id for a in assistant.kb.areas if a.id not in (weak, strong)])
    assert elsewhere.stage == "mixed practice" and not {weak, strong} & set(elsewhere.areas), elsewhere
    fresh = next_items(assistant, store, "ben", 4, seed=9)
    answered = {i.id for i in items[:0]} | {a.item_id for a in store.attempts("ben")}
    assert not {i.id for i in fresh} & answered
    assert any(i.area == weak or i.rule_id in plan.due_rules for i in fresh)


def test_mock_exam_spreads_areas_and_scores_per_area(assistant):
    exam = mock_exam(assistant, 16, seed=2)
    areas = Counter(i.area for i in exam)
    assert len(exam) == 16 and len(areas) >= 6
    report = score_exam(exam, {i.id: i.answer for i in exam[:8]})
    assert sum(t for _, t in report.values()) == 16 and sum(c for c, _ in report.values()) == 8


@pytest.mark.parametrize("seed", [4, 8])  # the seeds that asked one rule twice in a ten-question exam
def test_a_mock_exam_asks_each_rule_once(assistant, seed):
    exam = mock_exam(assistant, 10, seed=seed)
    assert len(exam) == 10 and len({i.rule_id for i in exam}) == 10, Counter(i.rule_id for i in exam)


def test_a_learner_sees_no_question_twice_within_50(assistant, tmp_path):
    store = ProgressStore(tmp_path / "p.sqlite3")
    shown = []
    for round_no in range(14):  # 70 questions, five at a time, half of them missed
        batch = next_items(assistant, store, "dana", 5, seed=round_no)
        assert len(batch) == 5
        for n, item in enumerate(batch):
            record_answer(store, "dana", item, item.answer if n % 2 else (item.answer + 1) % 4)
            shown.append(item)
    for i, item in enumerate(shown):
        window = shown[max(0, i - 49):i]
        assert item.id not in {w.id for w in window}
        assert item.stem not in {w.stem for w in window}


def test_stems_keep_product_names_and_promote_models_not_processes(assistant):
    stems = assistant.quiz.stems
    reword, MODELS = stems.reword, stems.models
    assert reword("Azure Machine Learning jobs, components, pipelines") == "Azure Machine Learning jobs, components, pipelines"
    assert reword("GitHub Actions, Azure DevOps") == "GitHub Actions, Azure DevOps"
    assert reword("Large files scored nightly") == "large files scored nightly"
    framed = [i for i in assistant.quiz.generate(120, seed=23, area="cicd")
              if i.stem not in assistant.quiz.scenario_stems]  # (the pack's scenarios name their own companies)
    gates = [i for i in framed if "promoting" in i.stem]
    assert gates and all(any(f"promoting {m}," in i.stem for m in MODELS) for i in gates), [i.stem for i in gates]


def test_why_not_the_other_one_after_a_wrong_pick_is_about_the_pick(assistant, items):
    item = next(i for i in items if sum(r is not None for r in i.option_rules) == 4)
    wrong = (item.answer + 1) % 4
    chat = item_conversation(assistant, item, wrong)
    picked = [c for c in assistant.kb.rule(item.option_rules[wrong]).choice_concepts
              if c not in assistant.composer.generic]
    assert picked and chat.last.alternatives[: len(picked)] == picked


def test_a_distractor_the_solver_ranks_beside_the_key_when_unsure_is_named_for_another_try(assistant, items):
    """The generator redraws an item without the distractor the solver is unsure of against the key (a second
    defensible key as often as not); a solution that is sure of the key names none."""
    verifier = assistant.quiz.verifier
    item = items[0]
    assert verifier.check(item) is None
    _, solution = verifier._last
    distractors = [i for i in range(4) if i != item.answer]
    near = distractors[1]
    scores = {letter: 0.1 for letter in "ABCD"} | {"ABCD"[item.answer]: 1.0, "ABCD"[near]: 0.9}
    verifier._last = (item.id, solution.model_copy(update={"confidence": "unsure", "scores": scores}))
    assert verifier.runner_up(item) == item.options[near]
    verifier._last = (item.id, solution.model_copy(update={"confidence": "likely", "scores": scores}))
    assert verifier.runner_up(item) is None
    verifier._last = ("another item", solution.model_copy(update={"confidence": "unsure", "scores": scores}))
    assert verifier.runner_up(item) is None


def test_values_are_compared_by_their_size_in_powers_of_ten():
    from studyassist.quiz.options import magnitude_gap

    assert magnitude_gap("600", "1,000") < magnitude_gap("5", "1,000") < magnitude_gap("5", "100,000")
    assert magnitude_gap("99.9%", "99.99%") < 0.01
    assert magnitude_gap("Premium", "5") == float("inf")
    # an address or a version is no number to parse whole: "10.0.1.5" had crashed the quiz (AZ-700 notes, dev6)
    assert magnitude_gap("10.0.1.5", "10.1.0.4") < 0.01 and magnitude_gap("v1.2.3", "12") == pytest.approx(1, abs=0.1)


def test_a_choice_header_that_is_no_noun_is_called_an_option():
    from studyassist.quiz.scenarios import StemMaterial

    stems = StemMaterial()  # no pack: neutral frames
    assert stems.noun_for("Service") == "service" and stems.noun_for("Tool") == "tool"
    assert stems.noun_for("Better fit") == stems.noun_for("Prefer…") == stems.noun_for("") == "option"
    assert stems.noun_for("Fix") == "fix" and stems.noun_for("Debug") == "option"  # ("Which debug should …?")


def test_a_choice_header_is_one_of_them_and_keeps_the_names_the_document_writes():
    """A sixth blind review (stop 58, DP-900 notes): "Which azure tools is it?"."""
    from studyassist.quiz.scenarios import StemMaterial

    stems = StemMaterial(texts=["Azure Backup, Geo-Replication", "Failover Groups on Azure", "models and tools"])
    assert stems.noun_for("Azure Tools") == "Azure tool"
    assert stems.noun_for("Models") == "model" and stems.noun_for("Services") == "service"
    assert stems.noun_for("Access") == "access" and stems.noun_for("Status") == "status"
    assert StemMaterial().noun_for("Azure Tools") == "azure tool"  # (no text says Azure is a name)


def test_options_are_shown_in_the_packs_wording_and_still_mean_the_rules_choices(assistant, items):
    from studyassist.solve.mcq import from_parts
    from studyassist.text import normalize

    from conftest import ai300_pack

    wording = {normalize(w.choice): w.text for w in ai300_pack().wordings}
    worded = [i for i in items if i.choices]
    assert len(worded) >= 0.4 * len(items)
    for item in items:
        choices = item.choices or item.options
        assert [wording.get(normalize(c), c) for c in choices] == item.options
        assert normalize(choices[item.answer]) in assistant.quiz.verifier.key_of(assistant.kb.rule(item.rule_id))
        assert f"**{item.options[item.answer]}**" in item.explanation  # the explanation shows what the learner saw
    for item in worded[:12]:  # the solver reads an option in the pack's words as the choice it words
        assert assistant.solver.solve(from_parts(item.stem, item.options)).best == "ABCD"[item.answer], item.stem
    item = worded[0]
    wrong = next(i for i in range(4) if i != item.answer)
    explained = explain_item(assistant, item, wrong)
    assert item.options[wrong] in explained.markdown and explained.citations
    assert explained.key_rule == item.rule_id and explained.chosen_rule == item.option_rules[wrong]


def test_a_saved_worded_item_keeps_its_choices(assistant, items, tmp_path):
    from studyassist.study.items import load_item, save_items

    item = next(i for i in items if i.choices)
    store = ProgressStore(tmp_path / "p.sqlite3")
    save_items(store, [item])
    back = load_item(store, item.id)
    assert back.options == item.options and back.choices == item.choices and back.option_rules == item.option_rules


def test_a_comparison_row_is_asked_in_a_quiz_stem_written_for_the_side_it_keys(assistant):
    """A blind review rejected a framed comparison stem ("one part has this as its typical triggers: …"); the pack
    writes exam stems per side of a comparison row, and an item asks its key's side in one of them."""
    gen, kb = assistant.quiz, assistant.kb
    items = gen.generate(8, seed=5, rules=["ci-cd-versus-azure-ml-pipeline#1", "ci-cd-versus-azure-ml-pipeline#3"])
    assert len(items) >= 4
    for item in items:
        sides = [s.label for s in kb.rule(item.rule_id).sides]
        side = sides.index(item.review_choices[item.answer])
        assert item.stem in gen._scenarios[(item.rule_id, side)], (item.stem, sides[side])
