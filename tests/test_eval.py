"""The eval suite: every metric on hand-made inputs with known values, the full gate on the real index,
and a deliberate regression (a retriever that finds nothing) that must fail the gate."""
from __future__ import annotations

import json
import re

import pytest

from evals import metrics as m
from evals.runner import SPECS, EvalReport, MetricRow, load_thresholds, run_eval, write_report

from conftest import GOLD, REVIEW


# ---- retrieval ----------------------------------------------------------------------------------
def test_hit_at_k_mrr_and_recall_on_a_known_ranking():
    ranked = ["r9", "r2", "r9", "r5", "r1"]  # the duplicate r9 does not take a rank
    relevant = {"r1", "r2"}
    assert m.hit_at_k(ranked, relevant, 1) == 0.0
    assert m.hit_at_k(ranked, relevant, 2) == 1.0
    assert m.reciprocal_rank(ranked, relevant) == pytest.approx(1 / 2)
    assert m.recall_at_k(ranked, relevant, 3) == pytest.approx(1 / 2)  # r9, r2, r5
    assert m.recall_at_k(ranked, relevant, 4) == 1.0
    assert m.reciprocal_rank(["x", "y"], relevant) == 0.0


def test_retrieval_metrics_are_undefined_without_relevant_ids_and_mean_skips_them():
    assert m.hit_at_k(["a"], set(), 1) is None
    assert m.reciprocal_rank(["a"], []) is None
    assert m.mean([1.0, None, 0.0, True]) == pytest.approx(2 / 3)
    assert m.mean([None]) is None


def test_cited_rows_on_topic_is_the_share_of_distinct_cited_rows_the_gold_item_lists():
    assert m.on_topic(["r1", "r7", "r1", "r2"], {"r1", "r2", "r3"}) == pytest.approx(2 / 3)  # r1 counted once
    assert m.on_topic(["r7"], {"r1"}) == 0.0
    assert m.on_topic([], {"r1"}) is None and m.on_topic(["r1"], set()) is None


# ---- labels and decisions -----------------------------------------------------------------------
def test_normalize_label_drops_case_punctuation_articles_and_plurals():
    assert m.normalize_label("The Blue/green Deployments.") == "blue green deployment"
    assert m.normalize_label("“Managed identities”") == "managed identity"
    assert m.normalize_label("Access") == "access" and m.normalize_label("Status") == "status"


def test_token_f1_known_values():
    assert m.token_f1("compute cluster", "compute instance") == pytest.approx(0.5)
    assert m.token_f1("red green blue", "red green gold") == pytest.approx(2 / 3)
    assert m.token_f1("", "x") == 0.0


@pytest.mark.parametrize("predicted, gold, expected", [
    ("Batch endpoint", "batch endpoints", True),  # plural and case
    ("Scoring script", "Scoring script and environment", True),  # containment
    ("Blue-green deployment", "Blue/green deployment", True),
    ("Pin asset versions explicitly", "Pin explicit asset versions", True),  # F1 = 0.75 after folding
    ("Compute cluster", "Compute instance", False),  # F1 = 0.5
    ("Endpoint", "Endpoints", True),
    ("Rollback", "Canary", False),
    (None, "Canary", False),
    ("", "", False),
])
def test_labels_match(predicted, gold, expected):
    assert m.labels_match(predicted, gold) is expected


def test_decision_correct_is_undefined_without_a_gold_decision():
    assert m.decision_correct("Canary", None) is None
    assert m.decision_correct("canary rollout", "Canary") is True


def test_asserted_labels_are_the_bold_spans_without_option_letters():
    md = "**C) Batch endpoint** — scored nightly [1].\n- Why: **Managed identity**: no keys. **batch endpoint**"
    assert m.asserted_labels(md) == ["Batch endpoint", "Managed identity"]
    assert m.asserted_labels("no emphasis here") == []


def test_answer_correctness_is_three_quarters_label_f1_plus_a_quarter_similarity():
    # two asserted, one matches the single reference: P = 1/2, R = 1, F1 = 2/3
    assert m.label_f1(["Canary", "Rollback"], ["Canary"]) == pytest.approx(2 / 3)
    assert m.answer_correctness(["Canary", "Rollback"], ["Canary"], 0.8) == pytest.approx(0.75 * 2 / 3 + 0.25 * 0.8)
    assert m.answer_correctness([], ["Canary"], -0.3) == 0.0  # negative cosine counts as 0
    assert m.answer_correctness(["Canary"], ["Canary"], 1.0) == pytest.approx(1.0)


def test_idea_recall_is_the_share_of_the_expected_answers_content_words_said():
    expected = "Pin the model version in the deployment; the latest label can move."
    # content words: pin, model, version, deployment, latest, label, move (7); the answer says all but the last two
    assert m.idea_recall("Pin explicit model versions: latest is risky for a deployment.", expected) == 5 / 7
    assert m.idea_recall("", expected) == 0.0
    assert m.idea_recall("anything", "") is None and m.idea_recall("anything", "the and of") is None


def test_faithfulness_counts_labels_found_in_the_cited_rows():
    rows = "Requirement: scoring on a schedule | Better fit: Batch endpoint"
    assert m.faithfulness(["Batch endpoint", "Canary"], rows) == pytest.approx(0.5)
    aliases = {"Canary": ["canary rollout"]}
    assert m.faithfulness(["Canary"], "prefer a canary rollout", lambda label: aliases.get(label, [])) == 1.0
    assert m.faithfulness([], rows) is None


# ---- citations (ALCE with a deterministic supports test) ----------------------------------------
def test_citation_recall_and_precision_on_known_statements():
    good = {("s1", "r1"), ("s2", "r3")}
    sup = lambda statement, rid: (statement, rid) in good  # noqa: E731
    statements = [("s1", ["r1", "r2"]), ("s2", ["r3"]), ("s3", [])]
    # s1 and s2 supported, s3 cites nothing → recall 2/3; citations r1 ✓ r2 ✗ r3 ✓ → precision 2/3
    assert m.citation_recall(statements, sup) == pytest.approx(2 / 3)
    assert m.citation_precision(statements, sup) == pytest.approx(2 / 3)
    assert m.citation_precision([("s3", [])], sup) == 0.0
    assert m.citation_recall([], sup) is None


def test_citation_metrics_with_the_projects_supports_test():
    from studyassist.answer.citations import supports
    from studyassist.answer.types import Claim
    from studyassist.knowledge.model import Rule

    rule = Rule(id="t#1", kind="table_row", section="S", table="t", row=1,
                cells={"Requirement": "Nightly scoring of many records", "Better fit": "Batch endpoint"},
                situation="Nightly scoring of many records", choice="Batch endpoint", area="deployment",
                source_file="x.md")
    rules = {"t#1": rule}
    sup = lambda claim, rid: supports(claim, rules[rid])  # noqa: E731
    yes = Claim(text="Use a **Batch endpoint**.", rule_ids=["t#1"], label="Batch endpoint")
    no = Claim(text="Rotate the Key Vault secrets weekly.", rule_ids=["t#1"])
    statements = [(yes, yes.rule_ids), (no, no.rule_ids)]
    assert m.citation_recall(statements, sup) == 0.5
    assert m.citation_precision(statements, sup) == 0.5


# ---- multiple choice, explanations, not covered --------------------------------------------------
def test_multiple_choice_accuracy():
    assert m.multiple_choice_accuracy(["A", "b", None, "D"], ["A", "B", "C", "C"]) == 0.5
    assert m.multiple_choice_accuracy([], []) is None


def test_mention_coverage_and_rules_cited():
    feedback = "A Batch endpoint runs on a schedule; real-time latency needs an online endpoint."
    assert m.mention_coverage(feedback, ["batch endpoint", "schedules", "Real time", "canary"]) == 0.75
    assert m.mention_coverage(None, ["x"]) == 0.0
    assert m.mention_coverage("anything", []) is None
    assert m.rules_cited(["a#1", "b#2"], "a#1", "b#2") is True
    assert m.rules_cited(["a#1"], "a#1", "b#2") is False
    assert m.rules_cited([], None, None) is False


def test_not_covered_accuracy_is_balanced():
    expected = [True, False, False, False]
    assert m.not_covered_accuracy([False, False, False, False], expected) == 0.5  # never abstains
    assert m.not_covered_accuracy([True, False, False, True], expected) == pytest.approx((1 + 2 / 3) / 2)
    assert m.not_covered_accuracy([True, False, False, False], expected) == 1.0


# ---- quiz validity on hand-made items -----------------------------------------------------------
def _item(stem, options, answer, rule_id):
    return {"stem": stem, "options": options, "answer": answer, "rule_id": rule_id}


QUIZ = [
    _item("Nightly scoring of 40M rows?", ["Batch endpoint", "Online endpoint", "Canary", "Compute instance"], 0, "r1"),
    _item("Sub-second fraud score?", ["Batch endpoint", "Online endpoint", "Shadow testing", "Sweep job"], 1, "r2"),
    _item("Try a new model on 5% of traffic?", ["Rollback", "Pipeline job", "Canary", "Canary release"], 2, "r3"),
    _item("nightly scoring of 40M rows?", ["Batch endpoint", "Batch endpoint", "Canary", "Datastore"], 0, "r1"),
]


def test_quiz_single_key_and_distractor_validity():
    assert m.quiz_single_key(QUIZ) == 0.75  # the last item repeats an option
    # item 3: "Canary release" restates the key "Canary" → 1 bad of 3; item 4 malformed → 3 bad
    assert m.quiz_distractor_validity(QUIZ) == pytest.approx((3 + 3 + 2 + 0) / 12)
    assert m.quiz_single_key([_item("s", ["a", "b", "c", "d"], 4, "r")]) == 0.0
    assert m.quiz_single_key([_item("s", ["a", "b", "c", "d"], True, "r")]) == 0.0


def test_quiz_answerability_uses_the_solver_and_counts_crashes_as_unanswerable():
    def solver(stem, options):
        if "5%" in stem:
            raise ValueError("cannot parse")
        return options.index("Batch endpoint") if "ightly" in stem else 1
    assert m.quiz_answerability(QUIZ, solver) == 0.75


def test_quiz_key_spread_stems_and_rule_coverage():
    # keys at 0, 1, 2, 0 → shares .5 .25 .25 0 → max deviation .25
    assert m.key_position_deviation(QUIZ) == pytest.approx(0.25)
    assert m.key_position_deviation([_item("s", [], p, "r") for p in range(4)]) == 0.0
    assert m.distinct_stems_share(QUIZ) == 0.75  # the last stem differs only by case
    assert m.rule_coverage(QUIZ) == 0.75
    assert m.rule_coverage(QUIZ, eligible=2) == 1.0
    assert m.quiz_single_key([]) is None and m.rule_coverage([]) is None


# ---- configuration and report -------------------------------------------------------------------
def test_thresholds_file_names_only_known_metrics_in_the_right_direction(tmp_path):
    limits = load_thresholds(GOLD / "thresholds.toml")
    known = {s.name for s in SPECS}
    assert limits and set(limits) <= known
    bad = tmp_path / "t.toml"
    bad.write_text("[min]\nhit_at_one = 0.5\n")
    with pytest.raises(ValueError, match="unknown metric 'hit_at_one'"):
        load_thresholds(bad)
    bad.write_text("[min]\nquiz_key_position_deviation = 0.1\n")
    with pytest.raises(ValueError, match=r"belongs under \[max\]"):
        load_thresholds(bad)


def test_report_table_and_failures():
    rows = [MetricRow("hit_at_1", "retrieval hit@1", 0.5, 0.1, 0.6, False, False),
            MetricRow("quiz_key_position_deviation", "quiz: key-position deviation", 0.05, None, 0.1, True, True),
            MetricRow("mrr", "retrieval MRR", None, None, 0.5, False, None)]
    report = EvalReport(rows, "grounded", {"ask": 3}, 1.0)
    assert report.failures() == ["retrieval hit@1: 0.500 is below the threshold 0.600"]
    table = report.table().splitlines()
    assert table[0] == "| metric | this project | baseline | threshold | pass |"
    assert table[2] == "| retrieval hit@1 | 0.500 | 0.100 | ≥ 0.60 | FAIL |"
    assert table[3] == "| quiz: key-position deviation | 0.050 | n/a | ≤ 0.10 | pass |"
    assert json.loads(report.to_json())["failures"] == report.failures()


# ---- the real thing -----------------------------------------------------------------------------
@pytest.mark.eval
def test_full_eval_on_the_real_index_passes_every_threshold(shared_index, tmp_path):
    report = run_eval(baseline=True, baseline_dir=tmp_path / "baseline")
    assert report.failures() == [], report.table()
    assert not report.errors, report.errors
    limits = load_thresholds(GOLD / "thresholds.toml")
    rows = {r.name: r for r in report.rows}
    for name in limits:
        if rows[name].project is not None:
            assert rows[name].passed is True
    assert rows["hit_at_1"].baseline is not None and rows["mcq_accuracy"].baseline is not None
    assert rows["mcq_heldout_accuracy"].project is not None and rows["mcq_heldout_accuracy"].baseline is not None
    assert report.counts == {"ask": 146, "solve": 72, "solve_dev": 40, "solve_heldout": 41, "wrong_answers": 32,
                             "ext_mcq_dev": 238, "ext_mcq_locked": 274, "learner_dev": 458, "learner_locked": 157,
                             "followup_dev": 60, "followup_locked": 30, "ask_rewordings": 146, "offtopic_dev": 40}
    out = write_report(report, tmp_path / "report.md")
    text = out.read_text()
    assert report.table() in text and "Gate: pass" in text


@pytest.fixture
def fresh_assistant(shared_index):
    from studyassist.assistant import Assistant

    return Assistant()


@pytest.mark.eval
def test_the_held_out_set_is_its_own_metric_and_only_runs_what_is_asked(fresh_assistant):
    report = run_eval(fresh_assistant, baseline=False, sets=("solve_heldout",))
    assert report.counts == {"solve_heldout": 41}
    assert {r.name for r in report.rows} == {"completed", "mcq_heldout_accuracy", "mcq_heldout_accuracy_confident_share",
                                             "mcq_heldout_accuracy_confident_accuracy", "solve_ece"}
    assert report.row("mcq_heldout_accuracy").threshold is not None


def test_row_accuracy_also_counts_another_cell_of_the_gold_decisions_row(fresh_assistant):
    """"Rollback" leads with the row whose other cell is the gold decision; a cell of another listed row does not
    count, nor does a decision from elsewhere."""
    from evals.outcomes import AskOutcome
    from evals.scoring import Scorer

    item = {"id": "x", "decision": "Shift traffic back to a previous known-good deployment", "covered": True,
            "rules": ["endpoint-versus-deployment#4", "endpoint-versus-deployment#1"]}
    scorer = Scorer(fresh_assistant)
    assert scorer.same_row("Rollback", item)
    assert not scorer.same_row("Endpoint", item)  # a cell of the other listed row
    assert not scorer.same_row("Canary", item) and not scorer.same_row(None, item)
    outs = [AskOutcome(answer="…", decision=d) for d in ("Rollback", "Canary")]
    scores, items = scorer.learner([item, {**item, "id": "y"}], outs, "learner_dev")
    assert scores["learner_dev_decision_accuracy"] == 0.0 and scores["learner_dev_row_accuracy"] == 0.5
    assert [i["row_correct"] for i in items] == [True, False]


def test_every_gold_rule_id_exists_and_an_unknown_one_is_an_error(shared_index):
    from evals.runner import GOLD_SETS, check_rule_ids, load_gold
    from studyassist.knowledge.model import KnowledgeBase
    from studyassist.settings import get_settings

    kb = KnowledgeBase.load(get_settings().kb_path)
    gold = {name: load_gold(GOLD / f"{name}.jsonl") for name in GOLD_SETS}
    check_rule_ids(gold, kb)
    with pytest.raises(ValueError, match=r"solve\.jsonl item x-1: unknown rule id 'no-such-table#9' in 'rules'"):
        check_rule_ids({"solve": [{"id": "x-1", "rules": ["compute-selection#1", "no-such-table#9"]}]}, kb)


def test_the_held_out_set_is_well_formed_and_apart_from_the_team_set():
    from evals.runner import load_gold

    held, team = load_gold(GOLD / "solve_heldout.jsonl"), load_gold(GOLD / "solve.jsonl")
    assert len(held) >= 30 and len({r["id"] for r in held}) == len(held)
    assert not {r["id"] for r in held} & {r["id"] for r in team}
    assert not {r["question"] for r in held} & {r["question"] for r in team}
    for r in held:
        assert r["rules"] and "ABCDEFGH".index(r["answer"]) < len(r["options"]) and len(set(r["options"])) == len(r["options"])


def test_the_external_sets_are_sourced_split_and_not_written_against_the_review():
    """Written from Microsoft Learn pages and public issue threads by people who never saw the review: each item
    names its source, dev and locked are disjoint, tags are consistent, and no item repeats 6 words of the review."""
    from evals.runner import load_gold

    review = re.findall(r"[a-z0-9]+", REVIEW.read_text(encoding="utf-8").lower())
    runs = {tuple(review[i:i + 6]) for i in range(len(review) - 5)}
    for kind in ("ext_mcq", "learner", "followup"):
        dev, locked = load_gold(GOLD / f"{kind}_dev.jsonl"), load_gold(GOLD / f"{kind}_locked.jsonl")
        assert len(dev) >= 40 and len(locked) >= 20
        assert not {r["id"] for r in dev} & {r["id"] for r in locked}
        for r in dev + locked:
            assert r["source"].startswith("https://"), r["id"]
            text = re.findall(r"[a-z0-9]+", " ".join([r.get("first", ""), r["question"], *r.get("options", [])]
                                                     ).lower())
            assert not any(tuple(text[i:i + 6]) in runs for i in range(len(text) - 5)), r["id"]
            if kind == "ext_mcq":
                assert "ABCD".index(r["answer"]) < 4 and len(set(r["options"])) == 4
                assert bool(r["rules"]) == r["answerable"], r["id"]
            else:
                assert bool(r["rules"]) == r["covered"] and (r["decision"] is None or r["covered"]), r["id"]
    mcqs = load_gold(GOLD / "ext_mcq_dev.jsonl") + load_gold(GOLD / "ext_mcq_locked.jsonl")
    learners = load_gold(GOLD / "learner_dev.jsonl") + load_gold(GOLD / "learner_locked.jsonl")
    assert len(mcqs) >= 120 and len(learners) >= 80
    for r in load_gold(GOLD / "followup_dev.jsonl") + load_gold(GOLD / "followup_locked.jsonl"):
        assert r["first"] and r["first"] != r["question"], r["id"]  # a follow-up has the turn it follows


def test_a_follow_up_is_asked_after_its_first_turn_in_one_conversation(fresh_assistant):
    """The eval asks a follow-up set's first turn, then the follow-up in the same conversation: "how is that
    different from a canary then?" compares the canary with the shadow testing of the turn before."""
    from evals.runner import _Project

    first = ("I want a new deployment to receive copies of real production requests, but its answers must never be "
             "returned to customers. Which pattern is that?")
    follow = "How is that different from a canary then?"
    project = _Project(fresh_assistant)
    alone, after = project.ask(follow), project.ask(follow, before=first)
    assert "shadow" in after.answer.lower() and "canary" in after.answer.lower(), after.answer
    assert "shadow" not in alone.answer.lower(), alone.answer  # the first turn is what brings shadow testing in
    assert after.ranked and after.ranked == after.citations  # ranked by what the answer cites


def test_eval_only_names_an_unknown_set_in_one_sentence(capsys):
    from studyassist.cli.main import main

    assert main(["eval", "--only", "solve", "nope"]) == 2
    assert "Unknown gold set(s) ['nope']" in capsys.readouterr().err


@pytest.mark.eval
def test_a_retriever_that_finds_nothing_fails_the_gate(fresh_assistant):
    fresh_assistant.retriever.search = lambda *a, **k: []
    report = run_eval(fresh_assistant, baseline=False, sets=("ask",))
    failing = report.failures()
    assert failing, report.table()
    assert any(f.startswith("retrieval hit@1") for f in failing)


@pytest.mark.eval
def test_the_suite_runs_through_the_llm_path(fresh_assistant, monkeypatch):
    """With a chat model configured, ask goes through it; a fake model that restates the first row."""
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage

    class FirstRow(GenericFakeChatModel):
        def invoke(self, messages, *a, **k):
            rows = re.search(r"<rows>(.*)</rows>", messages[-1].content, re.S)
            data = json.loads(rows.group(1)) if rows else []
            if not data:
                return AIMessage(content='{"decision": null, "sentences": []}')
            sentence = {"text": data[0]["text"], "citations": [data[0]["id"]]}
            return AIMessage(content=json.dumps({"decision": None, "sentences": [sentence]}))

    monkeypatch.setattr(fresh_assistant, "_llm", FirstRow(messages=iter([])))
    report = run_eval(fresh_assistant, baseline=False, sets=("ask",))
    assert report.mode.startswith("llm")
    rows = {r.name: r for r in report.rows}
    assert rows["completed"].project == 1.0
    # the fake restates the row it cites, so its citations survive verification…
    assert rows["citation_precision"].project >= 0.95
    # …but it never names a decision: answers really came from the model, not the grounded composer
    assert rows["decision_accuracy"].project < 0.2


def test_quiz_metrics_are_worst_when_the_generator_crashes():
    import types

    from evals import runner

    def crash(count, seed):
        raise RuntimeError("no rules")

    notes, errors = [], []
    broken = types.SimpleNamespace(quiz=types.SimpleNamespace(generate=crash, dropped=[]))
    scores = runner._quiz_scores(broken, None, 4, 1, notes, errors)
    assert scores["quiz_single_key"] == 0.0 and scores["quiz_key_position_deviation"] == 1.0
    assert "RuntimeError: no rules" in errors[0]


def test_without_gold_sets_the_eval_says_why_a_pack_did_not_load():
    from types import SimpleNamespace

    broken = ("Exam pack file ai300/clues.toml is not valid TOML (Expected newline at line 116, column 27); fix it, "
              "or move the pack folder out of packs/ to run without it.")
    no_pack = SimpleNamespace(pack=SimpleNamespace(gold_dir=None), warnings=["Something else.", broken])
    with pytest.raises(ValueError) as err:
        run_eval(no_pack, baseline=False)
    assert str(err.value) == broken
    with pytest.raises(ValueError, match="no exam pack with gold sets"):
        run_eval(SimpleNamespace(pack=SimpleNamespace(gold_dir=None), warnings=[]), baseline=False)
