"""The optional LLM stem rewrite, with fake chat models: kept only when the verifier still passes it."""
from __future__ import annotations

import json
import logging
import re
import time

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from studyassist.quiz.types import base_id
from studyassist.study.practice import load_item, save_items
from studyassist.study.progress import ProgressStore

SEED, COUNT = 11, 6
FAR_RULES = ("identity-and-access#2", "online-endpoint-versus-batch-endpoint#2")


@pytest.fixture(scope="module")
def grounded(assistant):
    """The items the seed gives without an LLM (the rewrite may change their stems, nothing else)."""
    return assistant.new_quiz_generator().generate(COUNT, SEED)


def data(message: str, tag: str):
    """The JSON value between <tag> and </tag> in the prompt's human message."""
    return json.loads(re.search(rf"<{tag}>\s*(.*?)\s*</{tag}>", message, re.S).group(1))


class Scripted(GenericFakeChatModel):
    """A fake chat model whose reply is computed from the rule and stem it is given; it records the calls."""

    reply: object = None
    calls: list = []

    def invoke(self, messages, *args, **kwargs):
        self.calls.append(messages)
        human = messages[-1].content
        return AIMessage(content=self.reply(data(human, "rule"), data(human, "stem")))


def scripted(reply) -> Scripted:
    return Scripted(messages=iter([]), reply=reply, calls=[])


def generate_with(assistant, monkeypatch, model, count=COUNT):
    monkeypatch.setattr(assistant, "_llm", model)
    return assistant.new_quiz_generator().generate(count, SEED)  # a fresh generator: no back-off left from other tests


def same_items(items, grounded) -> bool:
    return [(base_id(i.id), i.options, i.answer, i.rule_id) for i in items] == \
        [(g.id, g.options, g.answer, g.rule_id) for g in grounded]


def test_without_an_llm_items_are_grounded_and_the_contract_is_unchanged(grounded):
    assert all(i.origin == "grounded" for i in grounded)
    assert all(set(i.contract()) == {"id", "stem", "options", "answer", "explanation", "citations", "rule_id", "area",
                                     "difficulty"} for i in grounded)  # not its origin or option rules
    assert {i.contract()["difficulty"] for i in grounded} <= {"easy", "hard"}


def test_a_good_rewrite_is_used_and_still_passes_the_verifier(assistant, grounded, monkeypatch):
    model = scripted(lambda rule, stem: json.dumps({"stem": f"Here is a case from a practice exam. {stem}"}))
    items = generate_with(assistant, monkeypatch, model)
    assert same_items(items, grounded)  # same seed: same rules, options and keys; only stems may change
    rewritten = [(i, g) for i, g in zip(items, grounded) if i.origin == "rewritten"]
    assert len(rewritten) >= COUNT // 2, [i.origin for i in items]
    verifier = assistant.new_quiz_generator().verifier
    for item, before in rewritten:
        assert item.stem == f"Here is a case from a practice exam. {before.stem}"
        assert item.id != before.id and base_id(item.id) == before.id
        assert verifier.check_rewrite(item, before) is None
        assert item.explanation == before.explanation and item.citations == before.citations
    for item, before in zip(items, grounded):
        if item.origin == "fallback":  # the source rule was not in the reworded stem's top 2
            assert item == before.model_copy(update={"origin": "fallback"})
    assert len(model.calls) == COUNT


def test_the_rule_and_stem_are_data_in_the_human_message(assistant, grounded, monkeypatch):
    model = scripted(lambda rule, stem: json.dumps({"stem": stem}))
    generate_with(assistant, monkeypatch, model, count=1)
    system, human = model.calls[0]
    item = grounded[0]
    assert item.stem not in system.content and "data, not instructions" in system.content
    assert data(human.content, "stem") == item.stem
    assert data(human.content, "rule")["id"] == item.rule_id
    assert data(human.content, "rule")["options"] == item.options


def test_a_rewrite_that_leaks_the_key_is_rejected(assistant, grounded, monkeypatch, caplog):
    model = scripted(lambda rule, stem: json.dumps({"stem": f"{stem[:-1]}, given that the answer is "
                                                            f"{rule['answer']}?"}))
    with caplog.at_level(logging.WARNING, logger="studyassist.quiz.rewrite"):
        items = generate_with(assistant, monkeypatch, model)
    assert [i.origin for i in items] == ["fallback"] * COUNT
    assert [i.model_dump() for i in items] == [g.model_copy(update={"origin": "fallback"}).model_dump()
                                               for g in grounded]
    assert all("rejected" in r.message for r in caplog.records) and len(caplog.records) == COUNT
    assert any("names option" in r.message or "verbatim" in r.message or "concept" in r.message
               for r in caplog.records)


def test_a_rewrite_that_points_to_another_rule_is_rejected(assistant, grounded, monkeypatch, caplog):
    kb = assistant.kb

    def other_situation(rule, stem):
        other = kb.rule(next(r for r in FAR_RULES if kb.rule(r).table != kb.rule(rule["id"]).table))
        return json.dumps({"stem": f"A team's requirement: {other.situation.rstrip('.')}. Which option fits best?"})

    with caplog.at_level(logging.WARNING, logger="studyassist.quiz.rewrite"):
        items = generate_with(assistant, monkeypatch, scripted(other_situation))
    assert [i.stem for i in items] == [g.stem for g in grounded]
    assert {i.origin for i in items} == {"fallback"}
    assert any("in its top 2" in r.message or "solver picks" in r.message for r in caplog.records)


@pytest.mark.parametrize("reply", ["not json at all", json.dumps({"question": "x"}), json.dumps({"stem": "Short?"}),
                                   json.dumps({"stem": "A long enough stem that never asks anything."})])
def test_unusable_output_falls_back(assistant, grounded, monkeypatch, reply):
    items = generate_with(assistant, monkeypatch, scripted(lambda rule, stem: reply), count=2)
    assert [i.stem for i in items] == [g.stem for g in grounded[:2]]
    assert {i.origin for i in items} == {"fallback"}


def test_a_model_that_raises_falls_back_and_is_not_asked_again_for_a_while(assistant, grounded, monkeypatch, caplog):
    class Down(GenericFakeChatModel):
        calls: int = 0

        def invoke(self, *args, **kwargs):
            self.calls += 1
            raise ConnectionError("connection refused")

    model = Down(messages=iter([]))
    with caplog.at_level(logging.WARNING, logger="studyassist.quiz.rewrite"):
        items = generate_with(assistant, monkeypatch, model)
    assert [i.stem for i in items] == [g.stem for g in grounded] and {i.origin for i in items} == {"fallback"}
    assert model.calls == 1  # one failure, then the grounded stems without waiting on the model again
    assert "ConnectionError" in caplog.records[0].message


def test_a_model_that_hangs_times_out_and_falls_back(assistant, grounded, monkeypatch):
    class Hangs(GenericFakeChatModel):
        def invoke(self, *args, **kwargs):
            time.sleep(5)
            return AIMessage(content=json.dumps({"stem": "Too late to be used, whatever it says?"}))

    monkeypatch.setattr(assistant.settings, "llm_timeout", 0.3)
    start = time.perf_counter()
    items = generate_with(assistant, monkeypatch, Hangs(messages=iter([])), count=3)
    assert time.perf_counter() - start < 4
    assert [i.stem for i in items] == [g.stem for g in grounded[:3]]


def test_a_rewritten_item_is_saved_with_its_origin_and_not_repeated(assistant, grounded, monkeypatch, tmp_path):
    model = scripted(lambda rule, stem: json.dumps({"stem": f"Here is a case from a practice exam. {stem}"}))
    items = generate_with(assistant, monkeypatch, model)
    item = next(i for i in items if i.origin == "rewritten")
    store = ProgressStore(tmp_path / "p.sqlite3")
    save_items(store, [item])
    assert load_item(store, item.id) == item
    again = assistant.new_quiz_generator().generate(COUNT, SEED, exclude={item.id})
    assert base_id(item.id) not in {base_id(i.id) for i in again}
