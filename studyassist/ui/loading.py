"""The expensive things, built once per server process: the assistant, the solver, the progress store."""
from __future__ import annotations

import logging
import threading
from pathlib import Path

import streamlit as st

from studyassist.assistant import Assistant
from studyassist.errors import StudyAssistError
from studyassist.study.progress import ProgressStore
from studyassist.settings import Settings, get_settings
from studyassist.solve.solver import Solver

log = logging.getLogger(__name__)

# Two first visitors must not build the same embedded Chroma index at once (it allows one writer).
_BUILD_LOCK = threading.Lock()


def _fingerprint(s: Settings) -> tuple:
    """What decides which assistant a session gets; a rebuilt corpus gets a fresh one."""
    from ingest.indexer import read_manifest

    manifest = read_manifest(s) or {}
    return (str(s.home), str(s.corpus), s.llm, s.llm_base_url, s.chroma_host, s.chroma_port,
            str(s.embedding_model), s.collection, manifest.get("corpus_hash"))


def _ensure_index(s: Settings) -> None:
    """Build a missing or stale index with a progress bar (outside the cache, so the bar is not replayed)."""
    from ingest.indexer import index_status, ingest

    if index_status(s) == "ready":
        return
    with _BUILD_LOCK:
        status = index_status(s)
        if status == "ready":  # another session built it while we waited
            return
        what = "The corpus changed, so the index is being rebuilt" if status == "stale" else \
            "First start: building the index of the review material"
        bar = st.progress(0.0, text=f"{what}…")

        def progress(done: int, total: int) -> None:
            bar.progress(done / total if total else 1.0, text=f"{what}: embedded {done} of {total} chunks")

        ingest(s, progress=progress)
        bar.empty()


@st.cache_resource(show_spinner="Loading the embedding model and the index (once per server start)…")
def _assistant(fingerprint: tuple) -> Assistant:
    log.info("loading the assistant for %s", fingerprint[0])
    return Assistant(settings=get_settings())


def assistant() -> Assistant:
    """The process-wide assistant for the current settings (index built on first start)."""
    s = get_settings()
    _ensure_index(s)
    return _assistant(_fingerprint(s))


@st.cache_resource(show_spinner=False)
def _solver(fingerprint: tuple, _loaded: Assistant) -> Solver:
    return Solver(_loaded)


def solver() -> Solver:
    """The solver over the process-wide assistant."""
    a = assistant()
    return _solver(_fingerprint(a.settings), a)


@st.cache_resource(show_spinner=False)
def _store(path: str) -> ProgressStore:
    return ProgressStore(Path(path))


def store() -> ProgressStore:
    """The progress store under STUDYASSIST_HOME (safe to share: one connection per operation)."""
    return _store(str(get_settings().progress_db))


@st.cache_data(ttl=120, show_spinner="Checking whether the configured LLM answers…")
def _llm_status(spec: str, base_url: str | None, timeout: float) -> tuple[bool, str]:
    from studyassist.answer.llm import build_chat_model, ping

    try:
        model = build_chat_model(get_settings())
    except StudyAssistError as exc:
        return False, str(exc)
    return ping(model, timeout=min(timeout, 10.0))


def llm_status() -> tuple[bool, str] | None:
    """(reachable, message) for the configured LLM, checked at most every two minutes; None without one."""
    s = get_settings()
    if not s.llm_enabled:
        return None
    return _llm_status(s.llm, s.llm_base_url, s.llm_timeout)


def recheck_llm() -> None:
    _llm_status.clear()
