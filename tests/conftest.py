"""Shared fixtures: every test gets its own STUDYASSIST_HOME; one real index is built per session."""
from __future__ import annotations

import json
import os
import re
import shutil
import sys
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


ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.")


def one_sentence(message: str, *echoed: str) -> bool:
    """Ends with a full stop, one line, no sentence break inside (user text echoed back is ignored)."""
    for text in echoed:
        message = message.replace(text, "")
    for abbr in ABBREVIATIONS:
        message = message.replace(abbr + " ", abbr.rstrip(".") + " ")
    return message.endswith(".") and "\n" not in message and ". " not in message


def always(level: str):
    """A confidence model that puts every answer at ``level`` ("confident" or "unsure"): for tests of what each
    level says and does, independent of the pack's fitted calibration."""
    from studyassist.pack import LogisticModel

    return LogisticModel(features=("lead",), weights=(0.0,), means=(0.0,), scales=(1.0,),
                         bias=40.0 if level == "confident" else -40.0, confident_at=0.9, likely_at=0.5)


@pytest.fixture
def packs_at(tmp_path, monkeypatch):
    """``packs_at(level)``: STUDYASSIST_PACKS pointed at a copy of the packs whose AI-300 calibration puts every
    answer at ``level`` (the index stays ready: the calibration is not part of it), for end-to-end tests of what
    an answer at that level says and does."""
    def point(level: str) -> Path:
        folder = tmp_path / f"{level}-packs" / "ai300"
        shutil.copytree(PACK, folder, ignore=shutil.ignore_patterns("gold"))
        model = always(level).model_dump()
        lines = []
        for kind in ("ask", "solve"):
            lines.append(f"[{kind}]")
            lines += [f"{k} = {json.dumps(list(v) if isinstance(v, tuple) else v)}" for k, v in model.items()]
        (folder / "calibration.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        monkeypatch.setenv("STUDYASSIST_PACKS", str(folder.parent))
        get_settings.cache_clear()
        return folder.parent

    return point


@pytest.fixture
def confident_packs(packs_at) -> Path:
    """The packs with every answer confident (see ``packs_at``)."""
    return packs_at("confident")


def ai300_pack():
    """The AI-300 exam pack, loaded and validated."""
    from studyassist.pack import load_pack

    return load_pack(PACK)


def ai300_clues():
    """The AI-300 pack's clue expansion (what the engine uses for the review)."""
    from studyassist.knowledge.clues import Clues

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
    monkeypatch.delenv("STUDYASSIST_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    main = sys.modules.get("__main__")
    try:
        yield home
    finally:
        get_settings.cache_clear()
        # AppTest leaves app.py as __main__; a process a later test spawns would run the whole app before its
        # target (building an index in an empty home: four such writers took over 120 s)
        sys.modules["__main__"] = main


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory):
    """A real PostgreSQL server for the session, on a Unix socket (`.ci/run` installs Debian's postgresql)."""
    from studyassist.bench.servers import Postgres

    server = Postgres(Path(tempfile.mkdtemp(prefix="studyassist-pg-"))).start()
    yield server
    server.stop()
    shutil.rmtree(server.root, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def new_store(request, tmp_path):
    """``new_store(name)``: an empty progress store, on SQLite and (a second run of the test) on PostgreSQL."""
    from studyassist.study.progress import ProgressStore

    made = []

    def make(name: str = "progress"):
        if request.param == "sqlite":
            return ProgressStore(tmp_path / f"{name}.sqlite3")
        store = ProgressStore(url=request.getfixturevalue("postgres_server").url())
        made.append(store)
        return store

    yield make
    for store in made:
        store.db.dispose()


@pytest.fixture(scope="session")
def built_home(tmp_path_factory) -> Path:
    """A real index (packaged MiniLM + Chroma on disk) of the provided review, built once."""
    from ingest.indexer import ingest
    from studyassist.settings import Settings

    home = tmp_path_factory.mktemp("built") / "home"
    ingest(Settings(home=home, corpus=CORPUS))
    return home


@pytest.fixture(scope="module")
def assistant(built_home):
    """An assistant over the session's index, one per test module (a module may define its own instead)."""
    from studyassist.assistant import Assistant
    from studyassist.settings import Settings

    return Assistant(Settings(home=built_home))


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


# A small review written here (not AI-300), for unit tests of the answering parts on their own.
TINY_REVIEW = """# Storage quick review

## Store selection

| Requirement | Better fit | Why |
|---|---|---|
| Many small reads of the same records | Read cache | Serves repeated reads from memory |
| Cold records kept for seven years | Archive tier | Cheapest per gigabyte stored |
| Writes must never be lost | Replicated database | Every write is copied to a second zone |

## Store options

| Store option | Best fit | Watch for |
|---|---|---|
| Read cache | Repeated reads of hot records | Stale entries after writes |
| Archive tier | Rarely read records | Slow and costly retrieval |
| Replicated database | Durable transactional writes | Higher write latency |

## Symptoms

| Symptom | Likely area to investigate |
|---|---|
| Reads became slow | Cache hit rate, index size |
| The storage bill rises | Tiering rules, retention periods |

## Self-test

- Which store keeps cold records cheapest?

## Common mistakes

- Caching writes: a cache loses unsaved writes when it restarts.
- Treating the archive tier as a backup: restores are slow and partial.
"""


@pytest.fixture(scope="session")
def tiny_settings(tmp_path_factory):
    """Settings of a real index (packaged model, Chroma on disk, no exam pack) of TINY_REVIEW, built once."""
    from ingest.indexer import ingest
    from studyassist.settings import Settings

    root = tmp_path_factory.mktemp("tiny")
    (root / "corpus").mkdir()
    (root / "corpus" / "storage-review.md").write_text(TINY_REVIEW, encoding="utf-8")
    settings = Settings(home=root / "home", corpus=root / "corpus", packs=root / "no-packs")
    ingest(settings)
    return settings


def corpus_without_pack(root: Path, documents: dict[str, str]):
    """Settings for a fresh index (no exam pack) of ``documents`` (file name -> text), written to ``root/corpus``."""
    from studyassist.settings import Settings

    corpus = root / "corpus"
    corpus.mkdir(parents=True)
    for name, text in documents.items():
        (corpus / name).write_text(text, encoding="utf-8")
    return Settings(home=root / "home", corpus=corpus, packs=root / "no-packs")


def assistant_without_pack(root: Path, documents: dict[str, str]):
    """An assistant over a fresh index (no exam pack) of ``documents`` (file name -> text), built by ingest."""
    from ingest.indexer import ingest
    from studyassist.assistant import Assistant

    settings = corpus_without_pack(root, documents)
    ingest(settings)
    return Assistant(settings)


def storage_pack(root: Path) -> Path:
    """A corpus of TINY_REVIEW under ``root/corpus`` and an empty exam pack for it, ``root/packs/storage`` (returned)."""
    (root / "corpus").mkdir()
    (root / "corpus" / "storage-review.md").write_text(TINY_REVIEW, encoding="utf-8")
    folder = root / "packs" / "storage"
    folder.mkdir(parents=True)
    (folder / "pack.toml").write_text('name = "storage"\ntitle = "Storage review"\nshort_title = "ST"\n'
                                      'documents = ["storage-review.md"]\n')
    return folder


def review_runs(n: int = 6) -> set[tuple[str, ...]]:
    """Every run of ``n`` words of the AI-300 review (lower case), to check that pack data does not copy it."""
    words = re.findall(r"[a-z0-9]+", REVIEW.read_text(encoding="utf-8").lower())
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def repeats(text: str, runs: set[tuple[str, ...]], n: int = 6) -> bool:
    """Whether ``text`` holds one of ``runs`` (``review_runs(n)``)."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    return any(tuple(words[i:i + n]) in runs for i in range(len(words) - n + 1))


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
