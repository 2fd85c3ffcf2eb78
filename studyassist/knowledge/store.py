"""The Chroma vector store: embedded on disk by default, or a `chroma run` server."""
from __future__ import annotations

import logging
import sqlite3
import time
from contextlib import closing
from pathlib import Path

from studyassist.errors import IndexCorruptError, StudyAssistError
from studyassist.settings import Settings, get_settings

log = logging.getLogger(__name__)

COLLECTION_METADATA = {"hnsw:space": "cosine"}


def chroma_client(settings: Settings | None = None):
    """A Chroma client for the configured store (embedded PersistentClient or HttpClient)."""
    # 0.7 s to import: commands that never open the index (help, review, export) skip it
    import chromadb  # noqa: PLC0415
    from chromadb.config import Settings as ChromaSettings  # noqa: PLC0415

    s = settings or get_settings()
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if s.chroma_host:
        try:
            return chromadb.HttpClient(host=s.chroma_host, port=s.chroma_port, settings=chroma_settings)
        except Exception as exc:  # connection refused, wrong port, …
            raise StudyAssistError(f"Cannot reach the Chroma server at {s.chroma_host}:{s.chroma_port} "
                                   f"({type(exc).__name__}); "
                                   "start it with `chroma run` or unset STUDYASSIST_CHROMA_HOST.") from exc
    s.chroma_dir.mkdir(parents=True, exist_ok=True)
    try:
        return chromadb.PersistentClient(path=str(s.chroma_dir), settings=chroma_settings)
    except Exception as exc:
        _forget_system(s.chroma_dir)
        raise IndexCorruptError(f"The Chroma index at {s.chroma_dir} cannot be opened ({type(exc).__name__}); "
                                "run `studyassist ingest --rebuild` to recreate it.") from exc


def _forget_system(path: Path) -> None:
    # chromadb caches a half-started system per path; left there, every later open in this process fails too.
    from chromadb.api.shared_system_client import SharedSystemClient  # noqa: PLC0415 -- as in chroma_client

    SharedSystemClient._identifier_to_system.pop(str(path), None)
    SharedSystemClient._identifier_to_refcount.pop(str(path), None)


def is_damaged(settings: Settings) -> bool:
    """Whether the embedded store's SQLite file is damaged (not merely busy or missing)."""
    path = settings.chroma_dir / "chroma.sqlite3"
    if settings.chroma_host or not path.exists():
        return False
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)) as conn:
            return conn.execute("PRAGMA quick_check").fetchone()[0] != "ok"
    except sqlite3.OperationalError:  # locked, busy or unreadable: not evidence of damage
        return False
    except sqlite3.DatabaseError:  # "file is not a database", "database disk image is malformed"
        return True


def move_aside(settings: Settings) -> Path:
    """Rename a damaged embedded store out of the way (kept, not deleted) so a new one can be built."""
    aside = settings.chroma_dir.with_name(f"{settings.chroma_dir.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    settings.chroma_dir.rename(aside)
    _forget_system(settings.chroma_dir)
    log.warning("the Chroma index at %s was damaged; moved it to %s", settings.chroma_dir, aside)
    return aside


def open_collection(settings: Settings | None = None, client=None, create: bool = True):
    """The rules collection (cosine space)."""
    s = settings or get_settings()
    client = client or chroma_client(s)
    try:
        if create:
            return client.get_or_create_collection(s.collection, metadata=COLLECTION_METADATA)
        return client.get_collection(s.collection)
    except StudyAssistError:
        raise
    except Exception as exc:
        raise IndexCorruptError(f"The Chroma collection '{s.collection}' cannot be read ({type(exc).__name__}: "
                                f"{exc}); run `studyassist ingest --rebuild` to recreate it.") from exc


def delete_collection(settings: Settings | None = None, client=None) -> None:
    """Delete the rules collection and every chunk in it; nothing to do when there is none."""
    s = settings or get_settings()
    client = client or chroma_client(s)
    try:
        client.delete_collection(s.collection)
    except Exception as exc:  # chromadb raises its NotFoundError (a ValueError in older versions) when it is not there
        log.debug("no collection %s to delete (%s)", s.collection, type(exc).__name__)


def langchain_store(embeddings, settings: Settings | None = None, client=None):
    """The same collection as a LangChain ``Chroma`` vector store (embeddings passed explicitly)."""
    from langchain_chroma import Chroma  # noqa: PLC0415 -- imports chromadb: as in chroma_client

    s = settings or get_settings()
    return Chroma(collection_name=s.collection, embedding_function=embeddings,
                  client=client or chroma_client(s), collection_metadata=COLLECTION_METADATA)
