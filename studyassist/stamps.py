"""What a file says, worked out again only when the file changed.

Every page view of the app asks whether the index is still up to date: it hashed every corpus and exam-pack file
and parsed each pack's manifest, four times a view (~20 ms of each click). A result is now kept with the file's
stamp (device, inode, size, modification time) and reused while the stamp is the same. A file modified in the last
RACY_SECONDS is read every time: two writes within one tick of the file system's clock keep the same stamp (git's
"racy clean" case), so only a file that has been still for a while is trusted to be what it was.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
RACY_SECONDS = 2.0
MAX_KEPT = 4096  # files whose results are kept at once; past it the oldest half goes

_kept: dict[tuple[str, str], tuple[tuple[int, int, int, int], object]] = {}
_lock = threading.Lock()


def per_version(path: Path, what: str, compute: Callable[[Path], T]) -> T:
    """``compute(path)`` (named ``what``), computed again only when the file at ``path`` changed."""
    st = path.stat()
    stamp = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
    key = (str(path), what)
    with _lock:
        hit = _kept.get(key)
    if hit is not None and hit[0] == stamp:
        return hit[1]  # type: ignore[return-value]
    value = compute(path)
    if time.time() - st.st_mtime > RACY_SECONDS:
        with _lock:
            if len(_kept) >= MAX_KEPT:
                for old in list(_kept)[: MAX_KEPT // 2]:
                    del _kept[old]
            _kept[key] = (stamp, value)
    return value
