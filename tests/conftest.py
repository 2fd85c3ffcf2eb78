"""Shared fixtures: every test gets its own STUDYASSIST_HOME; one real index is built per session."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
# Every test gets its own STUDYASSIST_HOME, but the ONNX export of the model (made by the first ingest,
# ~5 s and 90 MB) is shared by the whole run and by the processes the tests start.
os.environ.setdefault("STUDYASSIST_CACHE_DIR", str(Path(tempfile.gettempdir()) / "studyassist-test-cache"))

from studyassist.settings import PROJECT_ROOT, get_settings  # noqa: E402

CORPUS = PROJECT_ROOT / "corpus"
REVIEW = CORPUS / "ai300-quick-review.txt"
PACK = PROJECT_ROOT / "packs" / "ai300"  # the AI-300 exam pack that serves the review
GOLD = PACK / "gold"


def ai300_pack():
    """The AI-300 exam pack, loaded and validated."""
    from studyassist.pack import load_pack

    return load_pack(PACK)


def ai300_clues():
    """The AI-300 pack's clue expansion (what the engine uses for the review)."""
    from studyassist.answer.clues import Clues

    return Clues(ai300_pack().clues)

# A pasted question in the shape learners bring from other banks (the app's tests and the mistake-log tests).
PASTED_BATCH = """A retail team scores ten million customer records every night and writes the results to storage.
Which deployment option should they use?
A) Managed online endpoint
B) Batch endpoint
C) Compute instance
D) Run the notebook on a schedule"""


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """Point all on-disk state at a temp dir (and forget cached settings)."""
    home = tmp_path / "home"
    monkeypatch.setenv("STUDYASSIST_HOME", str(home))
    monkeypatch.delenv("STUDYASSIST_LLM", raising=False)
    monkeypatch.delenv("STUDYASSIST_CHROMA_HOST", raising=False)
    get_settings.cache_clear()
    try:
        yield home
    finally:
        get_settings.cache_clear()


@pytest.fixture(scope="session")
def built_home(tmp_path_factory) -> Path:
    """A real index (packaged MiniLM + Chroma on disk) of the provided review, built once."""
    from ingest.indexer import ingest
    from studyassist.settings import Settings

    home = tmp_path_factory.mktemp("built") / "home"
    ingest(Settings(home=home, corpus=CORPUS))
    return home


@pytest.fixture
def index_home(built_home, tmp_path, monkeypatch) -> Path:
    """A private copy of the session index, so a test may change it."""
    home = tmp_path / "indexed"
    # the index only: tests on the shared session index may have written progress there
    shutil.copytree(built_home, home, ignore=shutil.ignore_patterns("progress.sqlite3*"))
    monkeypatch.setenv("STUDYASSIST_HOME", str(home))
    get_settings.cache_clear()
    return home


@pytest.fixture
def shared_index(built_home, monkeypatch) -> Path:
    """The session index itself, for read-only tests."""
    monkeypatch.setenv("STUDYASSIST_HOME", str(built_home))
    get_settings.cache_clear()
    return built_home


def point_index_at_corpus_copy(home: Path, tmp_path: Path, monkeypatch) -> Path:
    """Copy the corpus to ``tmp_path/corpus`` and make the index at ``home`` (and the settings) use the copy;
    same content, so the index stays ready until the test changes the copy."""
    import json

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    manifest_path = home / "index" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["corpus"] = str(corpus.resolve())
    manifest_path.write_text(json.dumps(manifest))
    monkeypatch.setenv("STUDYASSIST_CORPUS", str(corpus))
    get_settings.cache_clear()
    return corpus
