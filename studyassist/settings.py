"""One typed settings object for the whole project (env prefix ``STUDYASSIST_``)."""
from __future__ import annotations

import logging
import os
import re
import stat
from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Nothing may reach a model hub at run time; set before any HF library is imported.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


# What the app writes (progress with pasted questions, the knowledge base, source copies, exports) is the
# learner's own: readable by them only, whatever umask the shell or the service manager set.
PRIVATE_UMASK = 0o077
PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def keep_private() -> None:
    """Make files and folders this process creates from now on owner-only (0600/0700), whatever the umask.

    Called by the entry points (the CLI, the app), before anything is written."""
    os.umask(os.umask(PRIVATE_UMASK) | PRIVATE_UMASK)


def private_dir(path: Path) -> Path:
    """``path`` as a folder only its owner can open (0700), created (with its parents) when missing."""
    path = Path(path)
    path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    make_private(path)
    return path


def make_private(path: Path) -> None:
    """Take the group's and others' permissions off ``path`` (a file or folder of ours: 0644 → 0600, 0755 → 0700).

    Only ever tightens: an owner who made a file read-only keeps it so. A folder with the sticky bit (/tmp, a team's
    drop folder) is shared by design and left alone: pointing STUDYASSIST_HOME at one must not lock others out."""
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode) or info.st_mode & stat.S_ISVTX or info.st_uid != os.getuid():
            return
        if info.st_mode & PRIVATE_UMASK:
            os.chmod(path, stat.S_IMODE(info.st_mode) & ~PRIVATE_UMASK)
    except OSError:  # gone meanwhile, or a file system without modes: nothing to tighten
        pass


def make_tree_private(folder: Path) -> None:
    """``folder`` and everything in it owner-only (the index: knowledge base, source copies, Chroma's files)."""
    make_private(folder)
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            make_private(Path(root) / name)


def _default_home() -> Path:
    return Path.home() / ".studyassist"


class Settings(BaseSettings):
    """Where state lives and which optional services to use."""

    model_config = SettingsConfigDict(env_prefix="STUDYASSIST_", extra="ignore")

    home: Path = Field(default_factory=_default_home)
    corpus: Path = PROJECT_ROOT / "corpus"
    prompts: Path = PROJECT_ROOT / "prompts"
    packs: Path = PROJECT_ROOT / "packs"
    pack: str = "auto"  # a pack's folder name, "auto" (the pack serving the corpus) or "none"
    llm: str = "none"
    llm_base_url: str | None = None
    llm_timeout: float = 30.0
    # progress in a PostgreSQL database several app replicas share (postgresql+psycopg://…); unset: the SQLite file
    database_url: str | None = None
    # with sign-in set up, the identities (e-mail or subject, comma-separated) who also see the cohort's numbers
    trainers: str = ""
    # ... and the groups or app roles (a token's "groups" or "roles" claim, comma-separated) whose members do too
    trainer_groups: str = ""
    chroma_host: str | None = None
    chroma_port: int = 8000
    embedding_model: Path | None = None
    collection: str = "rules"
    adapter: bool = True  # use the query adapter fitted at ingest (embedding/adapter.py); false to compare without
    cache_dir: Path | None = Field(default=None, validation_alias=AliasChoices("STUDYASSIST_CACHE_DIR", "cache_dir"))
    embedding_threads: int = Field(default=1, ge=1, le=64, validation_alias=AliasChoices(
        "STUDYASSIST_EMBEDDING_THREADS", "STUDYASSIST_TORCH_THREADS", "embedding_threads"))

    @property
    def cache_path(self) -> Path:
        """Derived files worth keeping between runs (the ONNX export of the model); default HOME/cache."""
        return self.cache_dir or self.home / "cache"

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    @property
    def chroma_dir(self) -> Path:
        return self.index_dir / "chroma"

    @property
    def kb_path(self) -> Path:
        return self.index_dir / "knowledge.json"

    @property
    def manifest_path(self) -> Path:
        return self.index_dir / "manifest.json"

    @property
    def tmp_dir(self) -> Path:
        """Where temporary files go (an export's scratch database): HOME/tmp, never the shared system temp folder."""
        return self.home / "tmp"

    @property
    def progress_db(self) -> Path:
        return self.home / "progress.sqlite3"

    @property
    def llm_enabled(self) -> bool:
        return self.llm.strip().lower() not in ("", "none", "off")


# Secrets that ride in a URL: the user:password@ of its authority, and a query parameter that names a key
# (https://host/v1?api-key=…, ?token=…, &sig=…). Whatever is logged or shown of a setting goes through mask_secrets.
_URL_CREDENTIALS = re.compile(r"(?P<scheme>\b[a-z][a-z0-9+.-]{0,31}://)(?P<user>[^/\s@?#]{1,512})@", re.I)
_SECRET_PARAMETER = re.compile(r"(?P<name>[?&;](?:[\w.-]{0,40}?(?:key|token|secret|password|passwd|pwd|sig|signature|"
                               r"auth|credential)[\w.-]{0,40}?))=(?P<value>[^&#\s]+)", re.I)
MASK = "***"


def mask_secrets(text: str) -> str:
    """``text`` with the credentials of every URL in it masked: ``https://user:pw@host/?key=k`` →
    ``https://***@host/?key=***`` (for settings shown in the app, printed by the CLI or logged)."""
    text = _URL_CREDENTIALS.sub(lambda m: f"{m['scheme']}{MASK}@", str(text))
    return _SECRET_PARAMETER.sub(lambda m: f"{m['name']}={MASK}", text)


def mask_log_records() -> None:
    """Mask URL credentials in every log record this process makes from now on, its traceback included, whichever
    handler prints it (the entry points call this once; calling it again changes nothing)."""
    make = logging.getLogRecordFactory()
    if getattr(make, "masks_secrets", False):
        return

    def masked(*args, **kwargs) -> logging.LogRecord:
        record = make(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: logging reports it itself, when the record is handled
            return record
        if mask_secrets(message) != message:
            record.msg, record.args = mask_secrets(message), None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = mask_secrets(logging.Formatter().formatException(record.exc_info))
        return record

    masked.masks_secrets = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(masked)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings read from the environment (cached; tests clear the cache)."""
    return Settings()
