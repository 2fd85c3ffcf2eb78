"""`studyassist health`: whether this installation can serve a learner, one check per part it depends on (the
progress database, the built index and its knowledge base, the Chroma collection, embedded or on a server, and
whether the corpus changed since the build). For a deployment's readiness probe as much as for a learner whose app
will not start: each check says in one sentence what is wrong and what to do.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

from ingest.indexer import changed_files, index_status, read_manifest
from studyassist.errors import StudyAssistError
from studyassist.knowledge.model import KnowledgeBase
from studyassist.knowledge.store import open_collection
from studyassist.settings import Settings, get_settings
from studyassist.study.progress import SCHEMA_VERSION, ProgressStore
from studyassist.text import listed


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str

    def contract(self) -> dict:
        return asdict(self)


def checks(settings: Settings | None = None) -> list[Check]:
    """Every check, in the order a learner's request needs them; none raises. The index's status (which hashes the
    corpus) is worked out once for the three checks that need it."""
    s = settings or get_settings()
    status = _run("index status", lambda: index_status(s))
    return [_run("progress database", lambda: _progress(s)), _run("knowledge base", lambda: _knowledge(s, status)),
            _run("vector index", lambda: _collection(s, status)), _run("corpus", lambda: _corpus(s, status))]


def _run(name: str, check: Callable[[], str]) -> Check:
    try:
        return Check(name, True, check())
    except StudyAssistError as exc:
        return Check(name, False, str(exc))
    except Exception as exc:  # a health check reports what it finds, whatever that is
        return Check(name, False, f"{type(exc).__name__}: {exc}")


def _progress(s: Settings) -> str:
    # opening it runs its migrations: a database it cannot use, or cannot reach, raises here
    store = ProgressStore(url=s.database_url) if s.database_url else ProgressStore(s.progress_db)
    return f"{store.where} ({len(store.profiles())} profiles, schema {SCHEMA_VERSION})"


def _built(s: Settings, status: Check) -> str:
    """The index's status (``index_status``), or the reason there is none to check."""
    if not status.ok:
        raise StudyAssistError(status.detail)
    if status.detail == "missing":
        raise StudyAssistError(f"No index at {s.index_dir}; run `studyassist ingest` to build it.")
    return status.detail


def _knowledge(s: Settings, status: Check) -> str:
    _built(s, status)
    kb = KnowledgeBase.load(s.kb_path)
    n = len(kb.documents)
    return f"{n} document{'s' if n != 1 else ''}, {len(kb.rules)} rules, {len(kb.tables)} tables"


def _collection(s: Settings, status: Check) -> str:
    _built(s, status)
    manifest = read_manifest(s) or {}
    collection = open_collection(s, create=False)
    count, expected = collection.count(), manifest.get("chunks")
    where = f"the Chroma server at {s.chroma_host}:{s.chroma_port}" if s.chroma_host else str(s.index_dir)
    if expected is not None and count != expected:
        raise StudyAssistError(f"The collection '{s.collection}' in {where} holds {count} chunks, not the {expected} "
                               "the index was built with; run `studyassist ingest --rebuild`.")
    return f"'{s.collection}' in {where}: {count} chunks"


def _corpus(s: Settings, status: Check) -> str:
    if _built(s, status) == "ready":
        return f"{s.corpus}: the index is up to date"
    changed = changed_files(s)
    raise StudyAssistError(f"The index is out of date{f' ({listed(changed, 5)} changed)' if changed else ''}; run "
                           "`studyassist ingest` (the app rebuilds it on start).")
