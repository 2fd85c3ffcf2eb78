"""The Chroma vector store: embedded on disk by default, or a `chroma run` server."""
from __future__ import annotations

import logging

from .errors import IndexCorruptError, StudyAssistError
from .settings import Settings, get_settings

log = logging.getLogger(__name__)

COLLECTION_METADATA = {"hnsw:space": "cosine"}


def chroma_client(settings: Settings | None = None):
    """A Chroma client for the configured store (embedded PersistentClient or HttpClient)."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    s = settings or get_settings()
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if s.chroma_host:
        try:
            return chromadb.HttpClient(host=s.chroma_host, port=s.chroma_port, settings=chroma_settings)
        except Exception as exc:  # connection refused, wrong port, …
            raise StudyAssistError(f"Cannot reach the Chroma server at {s.chroma_host}:{s.chroma_port} ({exc}); "
                                   "start it with `chroma run` or unset STUDYASSIST_CHROMA_HOST.") from exc
    s.chroma_dir.mkdir(parents=True, exist_ok=True)
    try:
        return chromadb.PersistentClient(path=str(s.chroma_dir), settings=chroma_settings)
    except Exception as exc:
        raise IndexCorruptError(f"The Chroma index at {s.chroma_dir} cannot be opened ({type(exc).__name__}); "
                                "run `studyassist ingest --rebuild` to recreate it.") from exc


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


def langchain_store(embeddings, settings: Settings | None = None, client=None):
    """The same collection as a LangChain ``Chroma`` vector store (embeddings passed explicitly)."""
    from langchain_chroma import Chroma

    s = settings or get_settings()
    return Chroma(collection_name=s.collection, embedding_function=embeddings,
                  client=client or chroma_client(s), collection_metadata=COLLECTION_METADATA)
