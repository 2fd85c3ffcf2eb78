"""The expensive things, built once per server process: the assistant, the progress store, the exam pack.

The index is built in one thread per process (the embedded Chroma allows one writer). When the corpus changes
under a loaded assistant, that assistant goes on answering while the index is rebuilt in the background: ingest
upserts the new chunks and deletes the old ones in place, and a loaded assistant searches only the chunks it
loaded (``HybridRetriever.dense``), so a question asked meanwhile is answered from the previous index (tested in
tests/test_background_rebuild.py with a real rebuild and questions asked in another thread). A server started on a
stale index loads it as it is and rebuilds it the same way; only a first start (no index) or a changed embedding
model (vectors that no longer fit) waits on a progress bar."""
from __future__ import annotations

import atexit
import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st

from ingest import indexer
from studyassist.answer.llm import build_chat_model, ping
from studyassist.assistant import Assistant
from studyassist.errors import CorpusError, InputError, StudyAssistError
from studyassist.pack import CALIBRATION, ExamPack, pack_state, select_pack
from studyassist.settings import Settings, get_settings
from studyassist.study.names import shown
from studyassist.study.progress import ProgressStore
from studyassist.ui.markup import md_escape

log = logging.getLogger(__name__)

NAMED_FILES = 3  # a notice names this many changed files, then counts the rest
STOP_WAIT_S = 5.0  # how long a stopping server waits for the build to reach its next batch


class _Stopped(Exception):
    """Raised from ingest's progress callback to end a build between two batches (the server is stopping)."""


@dataclass
class _Build:
    """One run of ingest in the build thread, and what the pages say about it."""

    settings: Settings
    corpus: str | None  # the corpus it was started on: a build that failed is not tried again on the same one
    files: tuple[str, ...]  # the files added, changed or removed since the last build
    done: int = 0
    total: int = 0
    failure: StudyAssistError | None = None  # why it failed, in one sentence
    thread: threading.Thread | None = field(default=None, repr=False)
    stop: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def running(self) -> bool:
        return self.thread is not None and self.thread.is_alive()

    def progress(self, done: int, total: int) -> None:
        if self.stop.is_set():  # the manifest is written last, so the next start finds the index stale again
            raise _Stopped
        self.done, self.total = done, total


@dataclass(frozen=True)
class Rebuilding:
    """What the page says while the index behind the assistant it answers from is rebuilt, or why that failed."""

    files: tuple[str, ...]
    done: int
    total: int
    error: str | None

    @property
    def names(self) -> str:
        """The changed files for a sentence ("a.md, b.md and 2 more"), escaped for markdown."""
        return _file_names(self.files)


def _file_names(files: tuple[str, ...] | list[str]) -> str:
    """File names for a sentence, escaped for markdown: the first few, then how many more; "the corpus" for none."""
    names = [md_escape(shown(f, 80)) for f in files[:NAMED_FILES]]
    if len(files) > NAMED_FILES:
        names.append(f"{len(files) - NAMED_FILES} more")
    if not names:
        return "the corpus"
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


class _Builder:
    """The process's index builds (one at a time) and, per settings, the assistant loaded last: it answers every
    session, also while its index is rebuilt, until the assistant of the rebuilt index replaces it."""

    def __init__(self) -> None:
        self.writing = threading.Lock()  # held while ingest writes the index or an assistant is loaded from it
        self.loading = threading.Lock()
        self._starting = threading.Lock()
        self.build: _Build | None = None  # the running build, or the last one
        self.loaded: dict[tuple, tuple[tuple, Assistant]] = {}  # settings → (index fingerprint, assistant)

    def start(self, s: Settings, again: bool = False) -> _Build | None:
        """The running build of ``s``'s index, or a new one, except that a build that failed on this very corpus is
        not tried again (unless ``again``) before a file changes; None while another home's build runs (tests)."""
        with self._starting:  # check and start at once: two runs never start two builds, nor retry a failed one
            build, corpus = self.build, _corpus_state(s)
            same = build is not None and _setup(build.settings) == _setup(s)
            if build is not None and build.running:
                return build if same else None
            if same and not again and build.failure is not None and build.corpus == corpus:
                return build
            self.build = build = _Build(s, corpus, tuple(indexer.changed_files(s)))
            build.thread = threading.Thread(target=self._run, args=(build,), name="studyassist-index-build",
                                            daemon=True)  # never keeps a stopping server alive
            build.thread.start()
            return build

    def _run(self, build: _Build) -> None:
        log.info("building the index of %s (%s)", build.settings.corpus, ", ".join(build.files) or "all files")
        try:
            with self.writing:
                indexer.ingest(build.settings, progress=build.progress)
        except _Stopped:  # a warning: the index is left stale (content-hash ids: nothing embedded so far is lost)
            log.warning("the index build stopped with the server; the next start builds it again")
        except StudyAssistError as exc:
            log.warning("the index could not be rebuilt: %s", exc)
            build.failure = exc
        except Exception as exc:  # a page shows the sentence, the log the traceback
            log.exception("the index build failed")
            build.failure = StudyAssistError(f"The index could not be rebuilt ({type(exc).__name__}); the details "
                                             "are in the server log.")

    def stop(self, timeout: float) -> None:
        build = self.build
        if build is not None and build.running:
            build.stop.set()
            build.thread.join(timeout)


_BUILDER = _Builder()


def stop_rebuild(timeout: float = STOP_WAIT_S) -> None:
    """End the running index build at its next batch, waiting at most ``timeout`` seconds (called at exit: the build
    thread is a daemon, which would otherwise stop wherever it is when the interpreter goes)."""
    _BUILDER.stop(timeout)


atexit.register(stop_rebuild)


def _corpus_state(s: Settings) -> str | None:
    try:
        return indexer.corpus_hash(indexer.corpus_files(s.corpus))[0]
    except CorpusError:
        return None


def _setup(s: Settings) -> tuple:
    """The settings an assistant is built for; under the same settings the last assistant answers during a rebuild."""
    return (str(s.home), str(s.corpus), s.llm, s.llm_base_url, s.chroma_host, s.chroma_port,
            str(s.embedding_model), s.collection, str(s.packs))


def _fingerprint(s: Settings) -> tuple:
    """What decides which assistant a session gets; a rebuilt corpus gets a fresh one."""
    manifest = indexer.read_manifest(s) or {}
    pack = (manifest.get("pack") or {}).get("name")
    calibration = s.packs / pack / CALIBRATION if pack else None
    # a recalibrated pack (`studyassist calibrate`) changes no index, but the assistant must read it again
    calibrated = calibration.stat().st_mtime_ns if calibration is not None and calibration.exists() else None
    return (*_setup(s), manifest.get("corpus_hash"), pack, calibrated)


def begin_run() -> None:
    """Start a run of the page: what the last run worked out about the index and the pack is asked again (once)."""
    st.session_state["_this_run"] = {}


def _once(key: str, compute):
    """``compute()``, worked out once per run of the page: the sidebar, the notice and the page all ask whether the
    index is up to date, and each answer read the corpus and pack files (~10 ms a click)."""
    memo = st.session_state.get("_this_run")
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def _status(s: Settings) -> str:
    return _once(f"status:{s.home}", lambda: indexer.index_status(s))


def _build_in_view(s: Settings, status: str) -> None:
    """Build a missing index, or a stale one that cannot answer meanwhile (its embedding model changed), with a
    progress bar.
    The build runs in the build thread: this run only watches it, and each redraw of the bar lets Streamlit end the
    run (a rerun, a stopping server) without waiting for it."""
    bar = st.progress(0.0, text="Building the index…")
    while (build := _BUILDER.start(s, again=True)) is None:  # another home's build: one writer at a time
        bar.progress(0.0, text="Waiting for another index build to finish…")
        time.sleep(0.25)
    what = "First start: building the index of the review material" if status != "stale" else \
        f"The corpus changed ({_file_names(build.files)}), so the index is being rebuilt" if build.files else \
        "The exam pack or the embedding model changed, so the index is being rebuilt"
    while build.running:
        bar.progress(build.done / build.total if build.total else 0.0,
                     text=f"{what}: embedded {build.done} of {build.total} chunks" if build.total else f"{what}…")
        time.sleep(0.25)
    bar.empty()
    st.session_state.get("_this_run", {}).clear()  # the index this run asked about is built now
    # A corpus with nothing readable left removes the index of its deleted documents: say why, answer from none
    if build.failure is not None and (indexer.index_status(s) == "missing" or
                                      not (status == "stale" and isinstance(build.failure, CorpusError))):
        raise StudyAssistError(str(build.failure))


def _in_background(s: Settings) -> Rebuilding | None:
    """Rebuild the stale index behind the assistant answering now (unless that is running, or failed on this very
    corpus); what the page says about it."""
    build = _BUILDER.start(s)
    if build is None:
        return None
    failure = None if build.running or build.failure is None else str(build.failure)
    return Rebuilding(build.files, build.done, build.total, failure)


def _served(s: Settings) -> Assistant | None:
    loaded = _BUILDER.loaded.get(_setup(s))
    return loaded[1] if loaded is not None else None


def rebuilding() -> Rebuilding | None:
    """The background rebuild of the index behind the assistant answering now (started here when the corpus
    changed under it, or under a server started on that index), or None when the index is up to date or there is
    nothing to answer from meanwhile."""
    s = get_settings()
    if _status(s) != "stale" or (_served(s) is None and not _load_previous(s)):
        return None
    return _in_background(s)


def _load_previous(s: Settings) -> bool:
    """Load the assistant of a stale index as it is, when its vectors fit the embedding model, so that a server
    started after the corpus changed answers at once while the index is rebuilt in the background."""
    if not indexer.serves_while_stale(s):
        return False
    _load(s)
    return True


def _load(s: Settings) -> Assistant:
    """The assistant for the index as built now: the one loaded already, or a new one that replaces it."""
    fingerprint, setup = _fingerprint(s), _setup(s)
    with _BUILDER.loading:  # two first visitors load it once
        loaded = _BUILDER.loaded.get(setup)
        if loaded is not None and loaded[0] == fingerprint:
            return loaded[1]
        log.info("loading the assistant for %s", s.home)
        with st.spinner("Loading the embedding model and the index…"):
            with _BUILDER.writing:  # not while the build thread writes the index
                whole = Assistant(settings=s, rebuild_stale=False)  # a stale one is rebuilt in the background
            # kept before the spinner ends: a rerun can end this run there, and the next run must find it loaded
            _BUILDER.loaded[setup] = (fingerprint, whole)
    return whole


def _whole(s: Settings) -> Assistant:
    """The assistant over the whole index: the one loaded last while its index is rebuilt in the background, else
    the one for the index as built (built first, with a progress bar, when there is none to answer from)."""
    status = _status(s)
    if status == "stale" and (_served(s) is not None or _load_previous(s)):
        _in_background(s)
        return _served(s)
    if status != "ready":
        _build_in_view(s, status)
    return _load(s)


def assistant() -> Assistant:
    """The process-wide assistant for the current settings (index built on first start), seen through the document
    this session studies (the sidebar's picker; all documents until one is picked)."""
    whole = _whole(get_settings())
    try:
        return whole.scoped(st.session_state.get("document"))
    except InputError:  # the document left the corpus since it was picked
        st.session_state.pop("document", None)
        return whole


def documents() -> list[str]:
    """The corpus documents' file names, read without loading the index (the sidebar's picker, the pack's title)."""
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
    def read() -> ExamPack:
        s, names = get_settings(), documents()
        state = pack_state(names, s)
        return _pack(tuple(names), str(s.packs), s.pack, state["name"], state["fingerprint"])
    return _once("pack", read)


@st.cache_resource(show_spinner=False)
def _store(url: str, path: str) -> ProgressStore:
    return ProgressStore(url=url) if url else ProgressStore(Path(path))


def store() -> ProgressStore:
    """The progress store: the PostgreSQL database of STUDYASSIST_DATABASE_URL, else the SQLite file under
    STUDYASSIST_HOME (safe to share: SQLAlchemy's pool, or one SQLite connection per operation). One that cannot
    be reached is not kept: the next page view tries again."""
    s = get_settings()
    return _store(s.database_url or "", str(s.progress_db))


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
