"""Quiet the noisy libraries in one place."""
from __future__ import annotations

import logging
import os
import warnings

_NOISY = ("chromadb", "httpx", "httpcore", "sentence_transformers", "transformers", "urllib3",
          "posthog", "bm25s", "streamlit.runtime.caching")


def quiet_libraries(level: int = logging.WARNING) -> None:
    """Turn down third-party loggers and progress bars."""
    os.environ.setdefault("TQDM_DISABLE", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    for name in _NOISY:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
    logging.getLogger("chromadb.telemetry").setLevel(logging.CRITICAL)
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", message=".*resume_download.*")
