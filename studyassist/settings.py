"""One typed settings object for the whole project (env prefix ``STUDYASSIST_``)."""
from __future__ import annotations

import os
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
    def progress_db(self) -> Path:
        return self.home / "progress.sqlite3"

    @property
    def llm_enabled(self) -> bool:
        return self.llm.strip().lower() not in ("", "none", "off")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings read from the environment (cached; tests clear the cache)."""
    return Settings()
