"""The query adapter (embedding/adapter.py): it learns a mapping that generalises to held-out queries, is the
same every time it is fitted, survives a round trip to disk, and is fitted at ingest only when the bank, the rows
or the recipe change; without a bank there is none, and answers work with it turned off."""
from __future__ import annotations

import json

import numpy as np
import pytest

from ingest.indexer import ingest
from studyassist.embedding.adapter import QueryAdapter
from studyassist.errors import IndexCorruptError
from studyassist.pack import OPTION_VOICES, PRACTICE_VOICE
from studyassist.settings import Settings

from conftest import one_sentence


def unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def shifted_problem(seed: int, per_class: int = 30, classes: int = 12, dim: int = 24):
    """Queries written "in other words": each class's queries sit around a point that a fixed linear distortion
    has moved away from the class's target, so the raw nearest target is often another class's."""
    rng = np.random.default_rng(seed)
    targets = unit(rng.normal(size=(classes, dim)))
    distortion = rng.normal(scale=0.9, size=(dim, dim))
    labels = np.repeat(np.arange(classes), per_class)
    centres = targets + targets @ distortion
    queries = unit(centres[labels] + rng.normal(scale=0.35, size=(len(labels), dim)))
    return queries.astype(np.float32), labels, targets.astype(np.float32)


def accuracy(queries: np.ndarray, labels: np.ndarray, targets: np.ndarray) -> float:
    return float(np.mean(np.argmax(queries @ targets.T, axis=1) == labels))


def test_the_adapter_learns_a_mapping_that_holds_for_queries_it_was_not_fitted_on():
    queries, labels, targets = shifted_problem(seed=1)
    held_out, held_labels, _ = shifted_problem(seed=1, per_class=10)  # same classes and distortion, new noise
    adapter = QueryAdapter.fit(queries, labels, targets, "toy")
    before, after = accuracy(held_out, held_labels, targets), accuracy(adapter.adapt(held_out), held_labels, targets)
    assert before < 0.6 and after > before + 0.25, (before, after)
    assert np.allclose(np.linalg.norm(adapter.adapt(held_out), axis=1), 1.0, atol=1e-5)


def test_fitting_twice_gives_the_same_adapter():
    queries, labels, targets = shifted_problem(seed=2)
    first = QueryAdapter.fit(queries, labels, targets, "toy")
    second = QueryAdapter.fit(queries, labels, targets, "toy")
    assert np.allclose(first.weights, second.weights, atol=1e-6)


def test_weight_decay_keeps_an_adapter_near_the_identity():
    queries, labels, targets = shifted_problem(seed=3)
    loose = QueryAdapter.fit(queries, labels, targets, weight_decay=1e-4)
    tight = QueryAdapter.fit(queries, labels, targets, weight_decay=1.0)
    assert np.linalg.norm(tight.weights) < 0.5 * np.linalg.norm(loose.weights)


def test_a_saved_adapter_loads_back_and_a_damaged_one_is_one_sentence(tmp_path):
    queries, labels, targets = shifted_problem(seed=4)
    adapter = QueryAdapter.fit(queries, labels, targets, "bank-hash", epochs=20)
    adapter.save(tmp_path)
    again = QueryAdapter.load(tmp_path)
    assert again.fitted_on == "bank-hash" and again.examples == len(queries)
    assert np.array_equal(again.weights, adapter.weights)
    (tmp_path / QueryAdapter.FILE).write_bytes(b"not a zip file")
    with pytest.raises(IndexCorruptError) as err:
        QueryAdapter.load(tmp_path)
    assert one_sentence(str(err.value), str(tmp_path / QueryAdapter.FILE))
    QueryAdapter.remove(tmp_path)
    assert QueryAdapter.load(tmp_path) is None


def test_ingest_fits_the_adapter_once_and_again_only_when_the_bank_changes(index_home, tmp_path, monkeypatch):
    import shutil

    from conftest import PACK

    settings = Settings(home=index_home)
    path = settings.index_dir / QueryAdapter.FILE
    built = QueryAdapter.load(settings.index_dir)
    assert built is not None and built.weights.shape == (384, 384) and built.examples > 2000
    stamp = path.stat().st_mtime_ns
    ingest(settings)  # nothing changed
    assert path.stat().st_mtime_ns == stamp
    packs = tmp_path / "packs"
    shutil.copytree(PACK, packs / "ai300", ignore=shutil.ignore_patterns("gold"))
    bank = packs / "ai300" / "paraphrases.jsonl"
    lines = bank.read_text(encoding="utf-8").splitlines()
    practice = [n for n, line in enumerate(lines) if json.loads(line)["voice"] == PRACTICE_VOICE]
    options = [n for n, line in enumerate(lines) if json.loads(line)["voice"] in OPTION_VOICES]
    bank.write_text("\n".join(line for n, line in enumerate(lines) if n not in practice[-10:] + options[-10:])
                    + "\n", encoding="utf-8")  # 10 fewer practice stems and option wordings: never searched
    ingest(Settings(home=index_home, packs=packs))
    assert QueryAdapter.load(settings.index_dir).fitted_on == built.fitted_on and path.stat().st_mtime_ns == stamp
    asked = [line for line in lines if json.loads(line)["voice"] not in (PRACTICE_VOICE, *OPTION_VOICES)]
    bank.write_text("\n".join(asked[:-40]) + "\n", encoding="utf-8")  # 40 fewer ways of asking
    ingest(Settings(home=index_home, packs=packs))
    refitted = QueryAdapter.load(settings.index_dir)
    assert refitted.fitted_on != built.fitted_on and refitted.examples == built.examples - 40


def test_another_documents_rows_do_not_refit_the_adapter(index_home, tmp_path, monkeypatch):
    """The bank is about the review's rows: a 2,000-row table beside it (minutes of refitting over all rows, in an
    audit) changes nothing the adapter is fitted on."""
    from conftest import point_index_at_corpus_copy

    corpus = point_index_at_corpus_copy(index_home, tmp_path, monkeypatch)
    settings = Settings(home=index_home, corpus=corpus)
    built = QueryAdapter.load(settings.index_dir)
    rows = "".join(f"| Scenario {n} needs gadget {n * 7} | Widget tool {n} |\n" for n in range(2000))
    (corpus / "widgets.md").write_text(f"# Widgets\n\n| Requirement | Better fit |\n|---|---|\n{rows}",
                                       encoding="utf-8")
    result = ingest(settings)
    assert result.rules > 2000
    assert QueryAdapter.load(settings.index_dir).fitted_on == built.fitted_on


def test_a_review_without_a_bank_has_no_adapter_and_answers_without_one(tiny_settings):
    from studyassist.assistant import Assistant

    assert not (tiny_settings.index_dir / QueryAdapter.FILE).exists()
    assistant = Assistant(tiny_settings)
    assert assistant.adapter is None and assistant.retriever.adapter is None
    assert assistant.ask("Which store for cold records kept for seven years?").decision == "Archive tier"


def test_the_adapter_adds_a_ranking_and_can_be_turned_off(shared_index):
    from studyassist.assistant import Assistant

    on, off = Assistant(Settings(home=shared_index)), Assistant(Settings(home=shared_index, adapter=False))
    assert on.retriever.adapter is not None and off.retriever.adapter is None
    question = "How do I compare hundreds of past training runs to find the one with the best score?"
    with_it, without = on.retriever.search(question, k=10), off.retriever.search(question, k=10)
    assert [h.chunk_id for h in with_it] != [h.chunk_id for h in without]  # the fused ranking moved
    same = {h.chunk_id: h.similarity for h in without}
    # a hit's similarity is the plain cosine either way (coverage and confidence read it)
    assert all(abs(h.similarity - same[h.chunk_id]) < 1e-6 for h in with_it if h.chunk_id in same)
