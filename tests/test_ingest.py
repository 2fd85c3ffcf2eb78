"""Ingest end to end with the real packaged model and a real Chroma store in a temp dir."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from ingest.indexer import index_status, ingest
from studyassist.errors import CorpusError, IndexCorruptError
from studyassist.knowledge.model import KnowledgeBase
from studyassist.knowledge.store import open_collection
from studyassist.settings import Settings

from conftest import CORPUS, REVIEW


def test_session_index_has_every_chunk(built_home):
    s = Settings(home=built_home, corpus=CORPUS)
    kb = KnowledgeBase.load(s.kb_path)
    manifest = json.loads(s.manifest_path.read_text())
    assert open_collection(s, create=False).count() == manifest["chunks"]
    assert len(kb.table_rules) == 122
    assert index_status(s) == "ready"


def test_reingest_unchanged_corpus_embeds_nothing(index_home):
    result = ingest(Settings(home=index_home, corpus=CORPUS))
    assert result.embedded == 0 and result.deleted == 0
    assert result.tables == 17


def test_unchanged_reingest_skips_parsing_until_the_builder_or_the_store_changes(index_home, monkeypatch):
    import ingest.indexer as indexer

    s = Settings(home=index_home, corpus=CORPUS)
    built = []
    real_build = indexer.build_knowledge
    monkeypatch.setattr(indexer, "build_knowledge", lambda *a, **k: built.append(1) or real_build(*a, **k))
    fast = ingest(s)
    assert built == [] and (fast.tables, fast.rules, fast.embedded) == (17, 194, 0)

    # new parser code (or another exam pack, or another model) means the knowledge base is built again
    monkeypatch.setattr(indexer, "builder_fingerprint", lambda settings, pack: "another parser")
    again = ingest(s)
    assert built == [1] and again.embedded == 0 and again.rules == fast.rules
    assert ingest(s).embedded == 0 and built == [1]  # and then it is a no-op again

    # a chunk missing from the store is noticed and put back
    from studyassist.knowledge.store import open_collection
    collection = open_collection(s)
    collection.delete(ids=collection.get(limit=1, include=[])["ids"])
    assert ingest(s).embedded == 1 and built == [1, 1]


@pytest.mark.slow
def test_another_embedding_model_re_embeds_every_chunk(index_home, tmp_path):
    from studyassist.embedding.local import default_model_dir

    # the packaged model under another folder: the index cannot know the vectors would come out the same
    other = tmp_path / "other" / default_model_dir().name
    other.parent.mkdir()
    other.symlink_to(default_model_dir(), target_is_directory=True)
    s = Settings(home=index_home, corpus=CORPUS, embedding_model=other)
    assert index_status(s) == "stale"
    switched = ingest(s)
    assert switched.embedded == switched.chunks == 219 and switched.deleted == 0
    assert json.loads(s.manifest_path.read_text())["embedding_model"] == str(other)
    assert ingest(s).embedded == 0 and index_status(s) == "ready"
    back = ingest(Settings(home=index_home, corpus=CORPUS))  # and back to the packaged model: again all of them
    assert back.embedded == 219


def test_changed_file_reembeds_only_its_chunks(index_home, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(REVIEW, corpus / REVIEW.name)
    s = Settings(home=index_home, corpus=corpus)
    first = ingest(s)
    assert first.embedded == 0  # same content as the session index: ids are content hashes
    text = REVIEW.read_text(encoding="utf-8")
    # delete one row of the batch table, add a second document
    row = "| Periodic scoring of stored datasets | Batch endpoint |\n"
    assert row in text
    (corpus / REVIEW.name).write_text(text.replace(row, ""), encoding="utf-8")
    (corpus / "extra.md").write_text("# Extra\n\n## Caching\n\n| Requirement | Prefer |\n|---|---|\n"
                                     "| Repeated identical requests | Response cache |\n", encoding="utf-8")
    assert index_status(s) == "stale"
    second = ingest(s)
    assert second.deleted >= 1
    assert 1 <= second.embedded <= 3
    assert second.documents == 2 and second.tables == 18
    assert index_status(s) == "ready"
    kb = KnowledgeBase.load(s.kb_path)
    assert not kb.has_rule("online-endpoint-versus-batch-endpoint#6")


def test_bad_files_are_skipped_with_one_sentence_and_nothing_lost(index_home, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(REVIEW, corpus / REVIEW.name)
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00")
    (corpus / "latin.md").write_bytes("# Caf\xe9\n".encode("latin-1"))
    (corpus / "empty.md").write_text("  \n")
    result = ingest(Settings(home=index_home, corpus=corpus))
    assert result.documents == 1 and result.tables == 17
    assert len(result.skipped) == 3
    for msg in result.skipped:
        assert msg.count(". ") == 0 and msg.endswith((".", "UTF-8."))
    assert any("binary.txt" in m and "binary" in m for m in result.skipped)
    assert any("latin.md" in m and "UTF-8" in m for m in result.skipped)


def test_empty_corpus_is_an_error_and_leaves_nothing_of_the_deleted_documents(index_home, tmp_path):
    """Every document gone: the last build holds only deleted text, so it is removed, not served (issue 16)."""
    empty = tmp_path / "empty"
    empty.mkdir()
    s = Settings(home=index_home, corpus=empty)
    assert open_collection(s, create=False).count() and s.kb_path.exists()
    with pytest.raises(CorpusError, match="no readable"):
        ingest(s)
    assert not s.kb_path.exists()
    with pytest.raises(IndexCorruptError):
        open_collection(s, create=False)


def test_corrupted_file_keeps_its_last_good_version(index_home, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(REVIEW, corpus / REVIEW.name)
    s = Settings(home=index_home, corpus=corpus)
    ingest(s)
    (corpus / REVIEW.name).write_bytes(b"\xff\xfe\x00garbage")
    result = ingest(s)
    assert result.rules == len(KnowledgeBase.load(s.kb_path).rules) and result.tables == 17
    assert "last good version" in result.skipped[0]


def test_dense_query_finds_the_batch_row(shared_index):
    from studyassist.embedding.local import get_embeddings
    from studyassist.knowledge.store import langchain_store

    store = langchain_store(get_embeddings())
    docs = store.similarity_search("score millions of records every night from storage", k=3)
    hits = [d for d in docs if d.metadata["rule_id"].startswith("online-endpoint-versus-batch-endpoint#")]
    assert any(d.page_content.endswith("Better fit: Batch endpoint") for d in hits), [d.page_content for d in docs]


def test_cli_ingest_json_contract(index_home):
    out = subprocess.run([sys.executable, "-m", "studyassist", "ingest", "--json"], capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert {"documents", "tables", "rules", "chunks", "skipped", "seconds"} <= data.keys()
    assert data["embedded"] == 0 and data["tables"] == 17
