"""The paraphrase bank: the AI-300 pack's is complete and original, a bad line is left out in one sentence naming
the file and the line (the rest still indexed), and a paraphrase found by a search counts for its rule's row."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from ingest.indexer import ingest
from studyassist.answer.retrieval import HybridRetriever
from studyassist.knowledge.paraphrases import ParaphraseIndex
from studyassist.pack import PRACTICE_VOICE, load_pack
from studyassist.settings import Settings

from conftest import PACK, ai300_pack, one_sentence, repeats, review_runs, storage_pack
from parts import build_parts


def test_the_ai300_bank_covers_every_rule_in_many_voices_without_copying_the_review(shared_index):
    from ingest.indexer import load_knowledge

    pack, kb = ai300_pack(), load_knowledge()
    assert pack.paraphrase_problems == ()
    asking = [p for p in pack.paraphrases if not p.option_wording]  # (option wordings: test_option_wordings.py)
    per_rule = Counter(p.rule for p in asking)
    rules = [r for r in kb.rules if not r.overview]
    assert all(per_rule[r.id] >= 13 for r in rules), [r.id for r in rules if per_rule[r.id] < 13]
    assert len(asking) >= 15 * len(rules)  # 13 of its own and the near-misses written for it, on average
    voices = {r.id: set() for r in rules}
    for p in asking:
        voices[p.rule].add(p.voice)
    assert all({"learner", "exam", "negated"} <= v for v in voices.values())
    assert all(kb.has_rule(p.near_miss_of) for p in pack.paraphrases if p.near_miss_of)
    runs = review_runs(6)
    assert [p.id for p in pack.paraphrases if repeats(p.text, runs)] == []


@pytest.fixture
def tiny_pack(tmp_path) -> Path:
    """A corpus of the storage review written here and a pack for it with three paraphrases and two bad lines."""
    folder = storage_pack(tmp_path)
    lines = [json.dumps({"id": "s1", "rule": "store-selection#1",
                         "text": "the same product page gets loaded thousands of times a minute"}),
             "{not json",
             json.dumps({"id": "s2", "rule": "store-selection#3", "text": "a crash must not drop a confirmed order"}),
             json.dumps({"id": "s2", "rule": "store-selection#2", "text": "a second line with the id of the first"}),
             json.dumps({"id": "s3", "rule": "store-selection#9", "text": "a rule this review does not have"}),
             json.dumps({"id": "s4", "rule": "store-selection#2"})]
    (folder / "paraphrases.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def test_a_bad_line_is_left_out_in_one_sentence_naming_the_file_and_line(tiny_pack):
    pack = load_pack(tiny_pack / "packs" / "storage")
    assert [p.id for p in pack.paraphrases] == ["s1", "s2", "s3"]
    assert pack.paraphrase_problems == (
        "Exam pack file storage/paraphrases.jsonl line 2 is left out (not valid JSON).",
        "Exam pack file storage/paraphrases.jsonl line 4 is left out (id 's2' is used twice).",
        "Exam pack file storage/paraphrases.jsonl line 6 is left out (text: Field required).",
    )
    assert all(one_sentence(p) for p in pack.paraphrase_problems)
    settings = Settings(home=tiny_pack / "home", corpus=tiny_pack / "corpus", packs=tiny_pack / "packs")
    result = ingest(settings)
    assert result.rules == 11  # the rest is built
    assert "Exam pack file storage/paraphrases.jsonl line 5 is left out (rule 'store-selection#9' is not in the " \
           "review)." in result.warnings
    assert all(w in result.warnings for w in pack.paraphrase_problems)

    parts = build_parts(settings)
    assert sorted(parts.retriever.paraphrases.ids) == ["s1", "s2"]
    question = "The product page is requested again and again every minute by shoppers. What helps?"
    vector = parts.vector(question)
    found = parts.retriever.search(question, k=3, vector=vector)
    plain = HybridRetriever(parts.kb, parts.retriever.collection, parts.retriever.embeddings)
    assert found[0].rule.id == "store-selection#1" and found[0].paraphrase > 0.5  # through the paraphrase
    assert plain.search(question, k=3, vector=vector)[0].rule.id != "store-selection#1"  # not without it
    assert all(not h.chunk_id.startswith("s") for h in found)  # a hit is always a row, never the paraphrase


def test_an_option_wording_for_a_side_its_row_does_not_have_is_left_out_in_one_sentence(tiny_pack):
    """Option wordings are embedded beside the index for the solver, never searched; one naming a side of a row
    that compares nothing is left out, naming the file and line, and the rest is built."""
    bank = tiny_pack / "packs" / "storage" / "paraphrases.jsonl"
    extra = [{"id": "w1", "rule": "store-selection#1", "text": "Keep hot records in memory", "voice": "answer"},
             {"id": "w2", "rule": "store-selection#2", "text": "Move old rows to cold storage", "voice": "answer",
              "side": 1},
             {"id": "w3", "rule": "store-selection#3", "text": "Write to one zone only", "voice": "mistake"}]
    with bank.open("a", encoding="utf-8") as out:
        out.write("".join(json.dumps(e) + "\n" for e in extra))
    settings = Settings(home=tiny_pack / "home", corpus=tiny_pack / "corpus", packs=tiny_pack / "packs")
    warning = "Exam pack file storage/paraphrases.jsonl line 8 is left out (rule 'store-selection#2' has no side 1)."
    result = ingest(settings)
    assert warning in result.warnings and one_sentence(warning) and result.rules == 11
    options = ParaphraseIndex.load(settings.index_dir, ParaphraseIndex.OPTION_FILE)
    assert options.ids == ["w1", "w3"]
    assert sorted(ParaphraseIndex.load(settings.index_dir).ids) == ["s1", "s2"]  # never searched


def test_the_pack_bank_is_part_of_the_index_fingerprint():
    from studyassist.pack import pack_fingerprint

    assert (PACK / "paraphrases.jsonl").is_file()
    assert pack_fingerprint(PACK) == ai300_pack().fingerprint


def test_practice_stems_are_asked_in_quizzes_embedded_at_ingest_and_never_searched(assistant, built_home):
    """And every quiz scenario is embedded at ingest as the verifier and the solver search it (with its clue terms):
    making a question embeds nothing it could have known."""
    practice = [p for p in ai300_pack().paraphrases if p.voice == PRACTICE_VOICE]
    assert len(practice) >= 250
    index = built_home / "index"
    searched = ParaphraseIndex.load(index)
    stems = ParaphraseIndex.load(index, ParaphraseIndex.PRACTICE_FILE)
    assert not {p.id for p in practice} & set(searched.ids)  # more of them made the search worse
    # (and the wrong answers the pack writes for a need, which a quiz offers and its solver checks)
    assert {i for i in stems.ids if not i.endswith("+clues") and not i.startswith("wrong-")} == {p.id for p in practice}
    assert sum(i.startswith("wrong-") for i in stems.ids) == len(ai300_pack().wrong_actions)
    assert {" ".join(p.text.split()) for p in practice} <= assistant.quiz.scenario_stems
    vector = assistant.embeddings.query_vector(practice[0].text)  # made at ingest, not embedded again
    assert vector is assistant.embeddings._known[practice[0].text]
    assert float(vector @ assistant.embeddings.encode([practice[0].text])[0]) > 0.9999
    searched_as = [assistant.clues.expand(t) for t in assistant.quiz.scenario_stems]
    assert sum(s not in assistant.quiz.scenario_stems for s in searched_as) >= 400  # their clues add the review's terms
    assert all(s in assistant.embeddings._known for s in searched_as)
    some = searched_as[0]
    assert float(assistant.embeddings._known[some] @ assistant.embeddings.encode([some])[0]) > 0.9999
