"""The exam pack's notes (``notes.jsonl``): facts from the exam's documentation that the review does not state,
and how the solver weighs a question beyond the review against them (solve/notes.py)."""
from __future__ import annotations

import json

import numpy as np
import pytest

from ingest.indexer import ingest
from studyassist.assistant import Assistant
from studyassist.knowledge.notes import NoteIndex
from studyassist.pack import NOTES, load_pack
from studyassist.settings import Settings
from studyassist.solve.mcq import parse_pasted

from conftest import ai300_pack, one_sentence, repeats, review_runs, storage_pack

# Beyond the review: it has no row about Log Analytics tables; the pack's notes have one for failed cluster jobs.
FAILED_JOBS = ("Your team streams Azure Machine Learning resource logs to a Log Analytics workspace. You need to list "
               "the training jobs that failed on your compute clusters over the past week. Which table do you query?\n"
               "A. AmlOnlineEndpointConsoleLog\nB. AmlComputeJobEvent\nC. AmlOnlineEndpointTrafficLog\n"
               "D. AmlComputeClusterEvent")
MIRRORED = ("You are shadow testing a green deployment by mirroring live requests to it. What is the largest share of "
            "traffic you can mirror?\nA. 10%\nB. 25%\nC. 50%\nD. 100%")
# In the review's own words: its rows judge it, and the notes add nothing.
REVIEW_WORDS = ("A fraud model must score each card payment while the customer waits at checkout. Which serving "
                "option fits?\nA. Batch endpoint\nB. Managed online endpoint\nC. Compute instance\nD. Pipeline job")


@pytest.fixture(scope="module")
def solver(assistant):
    return assistant.solver


def test_every_note_names_its_page_and_repeats_no_words_of_the_review():
    notes = ai300_pack().notes
    assert len(notes) >= 600
    assert len({n.id for n in notes}) == len(notes)
    assert all(n.source.startswith("https://learn.microsoft.com/") for n in notes)
    assert all(len(n.text.split()) <= 60 for n in notes)
    runs = review_runs(6)
    assert [n.id for n in notes if repeats(n.text, runs)] == []


def test_notes_are_embedded_at_ingest_beside_the_index(assistant):
    index = NoteIndex.load(assistant.settings.index_dir)
    assert index.ids == [n.id for n in ai300_pack().notes]
    assert index.vectors.shape == (len(index), 384)
    assert np.allclose(np.linalg.norm(index.vectors, axis=1), 1, atol=1e-3)


def test_a_question_beyond_the_review_is_answered_from_the_notes_and_never_confidently(solver, monkeypatch):
    for text, key in ((FAILED_JOBS, "B"), (MIRRORED, "C")):
        solution = solver.solve(parse_pasted(text), chose="A")
        assert solution.best == key
        assert solution.confidence != "confident"  # the review does not say it
        assert "Beyond the review:" in solution.explanation and "(exam pack note, from https://learn.microsoft.com/" \
            in solution.explanation
        assert "well chosen" not in (solution.chosen_feedback or "").lower()
    monkeypatch.setattr(solver, "notes", None)  # the same engine without the notes
    for text, key in ((FAILED_JOBS, "B"), (MIRRORED, "C")):
        solution = solver.solve(parse_pasted(text))
        assert solution.best != key and "Beyond the review" not in solution.explanation


def test_a_question_in_the_reviews_words_is_judged_by_its_rows_alone(solver, monkeypatch):
    q = parse_pasted(REVIEW_WORDS)
    with_notes = solver.solve(q)
    unknown = solver.unknown_share(list(q.options))
    noted = solver.notes.support(q.stem, solver.score(q), list(q.options), unknown)
    assert unknown == 0 and not noted.support.any()
    monkeypatch.setattr(solver, "notes", None)
    without = solver.solve(q)
    assert with_notes.best == "B"
    assert (with_notes.scores, with_notes.confidence) == (without.scores, without.confidence)


# No note is about it (nearest cosine 0.28): the nearest of the unrelated notes once counted fully and picked D
LEAKED = ("A loan model looks nearly perfect in validation. One feature is recorded by the bank only after the loan has "
          "defaulted. What should you do?\nA. Keep the feature and raise the sweep job's trial count to confirm the "
          "score\nB. Drop the feature, because its value is only known after the outcome\nC. Keep the feature but scale "
          "it to the 0 to 1 range\nD. Keep the feature and add a fairness assessment")


def test_notes_far_from_the_stem_support_no_option(solver, monkeypatch):
    from studyassist.solve import notes
    q = parse_pasted(LEAKED)
    scored, unknown = solver.score(q), solver.unknown_share(list(q.options))
    assert float((solver.notes.index.vectors @ scored.stem_vector).max()) < notes.STEM_FLOOR
    assert not solver.notes.support(q.stem, scored, list(q.options), unknown).support.any()
    assert solver.solve(q).best == "B"  # the review's label-leakage row
    monkeypatch.setattr(notes, "STEM_FLOOR", -1.0)  # as before the floor: the nearest unrelated note counts fully
    assert solver.notes.support(q.stem, scored, list(q.options), unknown).support.any()
    assert solver.solve(q).best != "B"

def test_a_review_without_a_pack_has_no_notes(tiny_settings):
    assistant = Assistant(tiny_settings)
    assert assistant.solver.notes is None
    assert not (tiny_settings.index_dir / NoteIndex.FILE).exists()


def test_a_bad_notes_line_is_left_out_in_one_sentence_and_the_rest_is_built(tmp_path):
    folder = storage_pack(tmp_path)
    page = "https://learn.example.com/storage/tiers"
    lines = [json.dumps({"id": "n1", "text": "The archive tier takes hours to rehydrate a blob before reading it.",
                         "source": page}),
             "{not json",
             json.dumps({"id": "n1", "text": "A second line with the id of the first one.", "source": page}),
             json.dumps({"id": "n2", "text": "A note whose page is not an https address.", "source": "ftp://x"}),
             json.dumps({"id": "n3", "text": "The cool tier charges for reads and keeps data at least 30 days.",
                         "source": page})]
    (folder / NOTES).write_text("\n".join(lines) + "\n", encoding="utf-8")
    pack = load_pack(folder)
    assert [n.id for n in pack.notes] == ["n1", "n3"]
    assert pack.paraphrase_problems[:2] == (
        "Exam pack file storage/notes.jsonl line 2 is left out (not valid JSON).",
        "Exam pack file storage/notes.jsonl line 3 is left out (id 'n1' is used twice).")
    assert pack.paraphrase_problems[2].startswith("Exam pack file storage/notes.jsonl line 4 is left out (source:")
    assert all(one_sentence(p) for p in pack.paraphrase_problems)
    settings = Settings(home=tmp_path / "home", corpus=tmp_path / "corpus", packs=tmp_path / "packs")
    result = ingest(settings)
    assert result.rules == 11 and all(p in result.warnings for p in pack.paraphrase_problems)
    built = NoteIndex.load(settings.index_dir)
    assert built.ids == ["n1", "n3"] and built.sources == [page, page]


class Counting:
    """The real embeddings, counting the texts they embed."""

    def __init__(self, embeddings):
        self.embeddings, self.dimension, self.texts = embeddings, embeddings.dimension, 0

    def encode(self, texts):
        self.texts += len(texts)
        return self.embeddings.encode(texts)


def test_a_rebuild_embeds_only_the_notes_that_changed(assistant, tmp_path):
    notes = ai300_pack().notes[:5]
    counting = Counting(assistant.embeddings)
    first = NoteIndex.build(notes, counting)
    first.save(tmp_path)
    changed = (notes[0].model_copy(update={"text": notes[0].text + " (changed)"}),) + notes[1:]
    again = NoteIndex.build(changed, counting, NoteIndex.load(tmp_path))
    assert counting.texts == 5 + 1
    assert np.allclose(again.vectors[1:], first.vectors[1:]) and not np.allclose(again.vectors[0], first.vectors[0])
