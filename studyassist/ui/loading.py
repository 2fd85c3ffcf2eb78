"""The expensive things, built once per server process: the assistant, the progress store, the exam pack."""
from __future__ import annotations

import logging
import threading
from pathlib import Path

import streamlit as st

from ingest import indexer
from studyassist.answer.llm import build_chat_model, ping
from studyassist.assistant import Assistant
from studyassist.errors import CorpusError, InputError, StudyAssistError
from studyassist.pack import CALIBRATION, ExamPack, pack_state, select_pack
from studyassist.settings import Settings, get_settings
from studyassist.study.progress import ProgressStore

log = logging.getLogger(__name__)

# Two first visitors must not build the same embedded Chroma index at once (it allows one writer).
_BUILD_LOCK = threading.Lock()


def _fingerprint(s: Settings) -> tuple:
    """What decides which assistant a session gets; a rebuilt corpus gets a fresh one."""
    manifest = indexer.read_manifest(s) or {}
    pack = (manifest.get("pack") or {}).get("name")
    calibration = s.packs / pack / CALIBRATION if pack else None
    # a recalibrated pack (`studyassist calibrate`) changes no index, but the assistant must read it again
    calibrated = calibration.stat().st_mtime_ns if calibration is not None and calibration.exists() else None
    return (str(s.home), str(s.corpus), s.llm, s.llm_base_url, s.chroma_host, s.chroma_port,
            str(s.embedding_model), s.collection, manifest.get("corpus_hash"), str(s.packs), pack, calibrated)


def _ensure_index(s: Settings) -> None:
    """Build a missing or stale index with a progress bar (outside the cache, so the bar is not replayed)."""
    if indexer.index_status(s) == "ready":
        return
    with _BUILD_LOCK:
        status = indexer.index_status(s)
        if status == "ready":  # another session built it while we waited
            return
        what = "The corpus changed, so the index is being rebuilt" if status == "stale" else \
            "First start: building the index of the review material"
        bar = st.progress(0.0, text=f"{what}…")

        def progress(done: int, total: int) -> None:
            bar.progress(done / total if total else 1.0, text=f"{what}: embedded {done} of {total} chunks")

        indexer.ingest(s, progress=progress)
        bar.empty()


@st.cache_resource(show_spinner="Loading the embedding model and the index (once per server start)…")
def _assistant(fingerprint: tuple) -> Assistant:
    log.info("loading the assistant for %s", fingerprint[0])
    return Assistant(settings=get_settings())


def assistant() -> Assistant:
    """The process-wide assistant for the current settings (index built on first start), seen through the document
    this session studies (the sidebar's picker; all documents until one is picked)."""
    s = get_settings()
    _ensure_index(s)
    whole = _assistant(_fingerprint(s))
    try:
        return whole.scoped(st.session_state.get("document"))
    except InputError:  # the document left the corpus since it was picked
        st.session_state.pop("document", None)
        return whole


def documents() -> list[str]:
    """The corpus documents' file names, read without loading the index (for the sidebar's picker)."""
    try:
        return [p.name for p in indexer.corpus_files(get_settings().corpus)]
    except CorpusError:
        return []


@st.cache_resource(show_spinner=False)
def _pack(documents: tuple[str, ...], packs: str, choice: str, name: str | None, files: str) -> ExamPack:
    return select_pack(list(documents), get_settings())[0]


def pack() -> ExamPack:
    """The exam pack of the corpus (for titles and examples before the assistant has loaded); read again when its
    files change."""
    s = get_settings()
    try:
        documents = [p.name for p in indexer.corpus_files(s.corpus)]
    except CorpusError:
        documents = []
    state = pack_state(documents, s)
    return _pack(tuple(documents), str(s.packs), s.pack, state["name"], state["fingerprint"])


@st.cache_resource(show_spinner=False)
def _store(path: str) -> ProgressStore:
    return ProgressStore(Path(path))


def store() -> ProgressStore:
    """The progress store under STUDYASSIST_HOME (safe to share: one connection per operation)."""
    return _store(str(get_settings().progress_db))


@st.cache_data(ttl=120, show_spinner="Checking whether the configured LLM answers…")
def _llm_status(spec: str, base_url: str | None, timeout: float) -> tuple[bool, str]:
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
