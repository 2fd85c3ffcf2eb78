"""Data hygiene at ingest and paste (issue 16, items 4 and 10, and the warning flood): a deleted document never
comes back through its kept source copy, a UTF-16 export is read as text, too many pasted options are named as
such, and a hostile file's warnings are capped per kind. Real ingest (packaged model, Chroma on disk) on a small
corpus."""
from __future__ import annotations

import json

import pytest

from ingest.build import MAX_WARNINGS_OF_A_KIND, BuildReport, Document, build_knowledge
from ingest.indexer import index_status, ingest
from ingest.reading import read_document
from studyassist import Assistant
from studyassist.errors import CorpusError, IndexCorruptError, InputError
from studyassist.knowledge.model import KnowledgeBase
from studyassist.knowledge.store import open_collection
from studyassist.settings import Settings
from studyassist.solve.mcq import from_parts, parse_pasted

from conftest import TINY_REVIEW, one_sentence

# A word that appears nowhere else, so any trace of the deleted document is found by it.
NONCE = "Quokkafjord"
NOTES = f"""# Notes

## Shipping

| Requirement | Better fit |
|---|---|
| Parcels bound for {NONCE} every night | {NONCE} barge |
| Letters that must arrive the same day | Courier bike |
"""


@pytest.fixture
def small_corpus(tmp_path):
    """A two-document corpus and settings for a fresh index of it (no exam pack)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "storage-review.md").write_text(TINY_REVIEW, encoding="utf-8")
    (corpus / "notes.md").write_text(NOTES, encoding="utf-8")
    return corpus, Settings(home=tmp_path / "home", corpus=corpus, packs=tmp_path / "no-packs")


def nonce_in_index(settings: Settings) -> bool:
    kb = KnowledgeBase.load(settings.kb_path)
    return any(NONCE in r.situation or NONCE in r.choice for r in kb.rules) or \
        any((settings.index_dir / "sources").glob("notes.md"))


# ---- item 4: a deleted document comes back ------------------------------------------------------------------------
def test_a_deleted_document_does_not_come_back_under_an_unreadable_file_of_its_name(small_corpus):
    corpus, settings = small_corpus
    first = ingest(settings)
    assert first.documents == 2 and nonce_in_index(settings)

    (corpus / "notes.md").unlink()
    second = ingest(settings)
    assert second.documents == 1 and not nonce_in_index(settings)

    (corpus / "notes.md").write_bytes(b"\x00\x01binary\x00")
    third = ingest(settings)
    [skipped] = third.skipped
    assert skipped == "notes.md: the file is binary, not text; skipped."
    assert third.documents == 1 and not nonce_in_index(settings)
    answer = Assistant(settings).ask(f"What fits parcels bound for {NONCE} every night?")
    assert NONCE not in answer.answer and not [c for c in answer.citations if NONCE in c.text]


def test_a_file_that_turns_unreadable_still_keeps_its_last_good_version(small_corpus):
    corpus, settings = small_corpus
    ingest(settings)
    (corpus / "notes.md").write_bytes(b"\x00\x01binary\x00")
    result = ingest(settings)
    [skipped] = result.skipped
    assert one_sentence(skipped) and skipped.endswith("the last good version stays indexed.")
    assert result.documents == 2 and nonce_in_index(settings)


def test_an_index_built_before_pruning_drops_copies_of_documents_no_longer_in_the_corpus(small_corpus):
    """An older index kept the copy of a document deleted before its last build: the next build removes it."""
    corpus, settings = small_corpus
    ingest(settings)
    (corpus / "notes.md").unlink()
    ingest(settings)
    (settings.index_dir / "sources" / "notes.md").write_text(NOTES, encoding="utf-8")  # as the old code left it
    (corpus / "notes.md").write_bytes(b"\x00\x01binary\x00")
    result = ingest(settings)
    assert result.skipped == ["notes.md: the file is binary, not text; skipped."]
    assert not nonce_in_index(settings)


def test_copies_from_another_corpus_folder_are_not_served(small_corpus, tmp_path):
    corpus, settings = small_corpus
    ingest(settings)
    other = tmp_path / "other"
    other.mkdir()
    (other / "storage-review.md").write_text(TINY_REVIEW, encoding="utf-8")
    (other / "notes.md").write_bytes(b"\x00\x01binary\x00")
    result = ingest(settings.model_copy(update={"corpus": other}))
    assert result.skipped == ["notes.md: the file is binary, not text; skipped."]
    assert not nonce_in_index(settings)


def test_with_nothing_readable_left_an_index_of_deleted_documents_is_removed_not_served(small_corpus):
    """notes.md is the only readable document (storage-review.md never was); it is deleted, then comes back as an
    unreadable file. No build can succeed and the last one holds only the deleted text: it is removed, so asking
    says why in one sentence instead of answering from the deleted document."""
    corpus, settings = small_corpus
    (corpus / "storage-review.md").write_bytes(b"\x00\x01binary\x00")
    first = ingest(settings)
    assert first.documents == 1 and nonce_in_index(settings)

    (corpus / "notes.md").unlink()
    with pytest.raises(CorpusError):
        ingest(settings)
    (corpus / "notes.md").write_bytes(b"\x00\x01binary\x00")
    with pytest.raises(CorpusError) as err:
        ingest(settings)
    message = str(err.value)
    assert one_sentence(message) and "notes.md: the file is binary, not text; skipped." in message
    assert message.endswith("; add one, saved as UTF-8.")
    assert index_status(settings) == "missing" and not settings.kb_path.exists()
    assert not any((settings.index_dir / "sources").iterdir())
    with pytest.raises(IndexCorruptError):  # the collection, and every chunk of the deleted text in it, is gone
        open_collection(settings, create=False)
    with pytest.raises(CorpusError) as asked:
        Assistant(settings).ask(f"What fits parcels bound for {NONCE} every night?")
    assert str(asked.value) == message


# ---- item 10: a UTF-16 file is text --------------------------------------------------------------------------------
@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le"])
def test_a_file_saved_as_utf16_or_utf32_with_its_byte_order_mark_is_read_as_text(small_corpus, encoding):
    corpus, settings = small_corpus
    (corpus / "notes.md").write_bytes(("\ufeff" + NOTES.replace("\n", "\r\n")).encode(encoding))
    result = ingest(settings)
    assert result.skipped == [] and result.documents == 2
    kb = KnowledgeBase.load(settings.kb_path)
    assert [r.choice for r in kb.rules if r.source_file == "notes.md"] == [f"{NONCE} barge", "Courier bike"]


@pytest.mark.parametrize("data", [
    b"\xff\xfe" + "# Notes\n".encode("utf-16-le") + b"\x00\xdc",  # ends in a lone surrogate
    b"\xff\xfe\x00garbage",  # decodes, but to four CJK characters with no space or line between them
], ids=["invalid", "not text"])
def test_a_broken_utf16_file_says_so_and_how_to_fix_it(small_corpus, data):
    corpus, settings = small_corpus
    (corpus / "notes.md").write_bytes(data)
    result = ingest(settings)
    [skipped] = result.skipped
    assert one_sentence(skipped) and "UTF-16" in skipped and skipped.endswith("save it as UTF-8.")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_a_utf16_file_without_a_byte_order_mark_is_read_as_text(small_corpus, encoding):
    """Without the mark, NUL bytes at every other position give the encoding and its byte order away."""
    corpus, settings = small_corpus
    (corpus / "notes.md").write_bytes(NOTES.replace("barge", "barge ü日").encode(encoding))
    result = ingest(settings)
    assert result.skipped == [] and result.documents == 2
    kb = KnowledgeBase.load(settings.kb_path)
    assert [r.choice for r in kb.rules if r.source_file == "notes.md"] == [f"{NONCE} barge ü日",
                                                                           "Courier bike"]


def test_a_broken_utf16_file_without_a_byte_order_mark_says_so_in_one_sentence(small_corpus):
    corpus, settings = small_corpus
    (corpus / "notes.md").write_bytes(NOTES.encode("utf-16-le") + b"\x00\xdc")  # ends in a lone surrogate
    [skipped] = ingest(settings).skipped
    assert skipped == ("notes.md: the file reads like UTF-16 without a byte-order mark but is not valid UTF-16 (bad "
                       f"bytes at offset {len(NOTES) * 2}); save it as UTF-8.")
    assert one_sentence(skipped)


@pytest.mark.parametrize("data", [b"\x00\x01binary\x00" * 50, bytes(range(256)) * 8],
                         ids=["NULs at even and odd positions", "all bytes"])
def test_binary_files_with_nul_bytes_are_still_binary_not_utf16(tmp_path, data):
    path = tmp_path / "blob.md"
    path.write_bytes(data)
    assert read_document(path) == (None, "blob.md: the file is binary, not text; skipped.")


# ---- item 10: too many pasted options --------------------------------------------------------------------------------
STEM = "Which store keeps cold records cheapest?"


def test_10000_unlabelled_options_are_named_as_too_many_not_too_few():
    with pytest.raises(InputError) as err:
        parse_pasted(STEM + "\n" + "\n".join(f"Store number {i}" for i in range(10_000)))
    message = str(err.value)
    assert one_sentence(message) and "10,000" in message and "at most 8" in message
    assert "fewer" not in message


@pytest.mark.parametrize("options, labels", [
    ([f"{n}) Store number {n}" for n in range(1, 13)], "1 to 8"),
    ([f"({n}) Store number {n}\nwrapped onto a second line" for n in range(1, 10)], "1 to 8"),
    ([f"{c}. Store {c}" for c in "ABCDEFGHIJ"], "A to H"),
])
def test_options_past_the_eighth_are_refused_by_count_not_folded_into_the_eighth(options, labels):
    with pytest.raises(InputError) as err:
        parse_pasted(STEM + "\n" + "\n".join(options))
    count = len(options)
    assert str(err.value) == (f"The pasted question has {count} options; at most 8 are supported ({labels}), so "
                              "paste at most 8 of them.")


def test_nine_inline_options_are_refused_and_eight_still_parse():
    inline = " ".join(f"{c}) Store {c}" for c in "ABCDEFGHI")
    with pytest.raises(InputError, match="has 9 options; at most 8"):
        parse_pasted(f"{STEM} {inline}")
    assert len(parse_pasted(f"{STEM} {inline[:inline.index(' I)')]}").options) == 8


def test_eight_options_with_a_wrapped_last_line_still_parse():
    numbered = parse_pasted(STEM + "\n" + "\n".join(f"{n}. Store {n}" for n in range(1, 9)) + "\nI think it is cheap")
    assert len(numbered.options) == 8 and numbered.options[-1] == "Store 8 I think it is cheap"
    lettered = parse_pasted(STEM + "\n" + "\n".join(f"{c}) Store {c}" for c in "ABCDEFGH") + "\nin a second zone")
    assert len(lettered.options) == 8 and lettered.options[-1] == "Store H in a second zone"
    with pytest.raises(InputError, match="has 10,000 options"):
        from_parts(STEM, [f"Store {i}" for i in range(10_000)])


# ---- the warning flood ----------------------------------------------------------------------------------------
def test_a_hostile_file_gives_a_few_warnings_of_each_kind_then_one_line_counting_the_rest():
    tables = "".join(f"## S{i}\n\n| x | y |\n|---|---|\n| a | b | c |\n| d |\n\n" for i in range(300))
    report = BuildReport()
    kb = build_knowledge([Document("hostile.md", "# T\n\n" + tables), Document("ok.md", TINY_REVIEW)], report=report)
    assert len(kb.tables) == 303  # everything is still read; only the telling is capped
    mine = [w for w in report.warnings if w.startswith("hostile.md")]
    assert len(mine) == 2 * MAX_WARNINGS_OF_A_KIND + MAX_WARNINGS_OF_A_KIND + 2  # two row problems + one confidence
    assert mine[-2:] == [
        "hostile.md: and 295 more like these (tables whose rows or columns do not fit their header); only the first 5 "
        "are listed.",
        "hostile.md: and 295 more like these (tables read with less than high confidence); only the first 5 are "
        "listed."]
    assert all(one_sentence(w) for w in mine[-2:])
    assert json.dumps(report.warnings)  # still plain strings for the manifest and --json


def test_a_passage_of_prose_is_embedded_once_its_facet_reusing_its_chunks_vector(tmp_path):
    # A review of prose alone: every paragraph is a passage rule, its own choice and situation. Embedding it for
    # its facet as well as for its chunk doubled what a long file of prose costs to ingest (issue 16, item 2).
    import numpy as np

    from studyassist.knowledge.facets import FacetVectors

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    paragraphs = [f"Paragraph {i} explains why shipping crates by {w} is slower than it looks."
                  for i, w in enumerate(["barge", "rail", "truck"])]
    (corpus / "prose.md").write_text("# Prose\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    settings = Settings(home=tmp_path / "home", corpus=corpus, packs=tmp_path / "no-packs")
    ingest(settings)
    kb = KnowledgeBase.load(settings.kb_path)
    passages = [r for r in kb.rules if r.kind == "passage"]
    assert len(passages) == 3
    stored = open_collection(settings).get(include=["embeddings", "metadatas"])
    chunk_of = {m["rule_id"]: np.asarray(e) for m, e in zip(stored["metadatas"], stored["embeddings"])}
    vectors = FacetVectors.load(settings.index_dir)
    for r in passages:
        row = vectors.row[r.id]
        assert np.allclose(vectors.choice[row], chunk_of[r.id]) and np.allclose(vectors.situation[row], chunk_of[r.id])
