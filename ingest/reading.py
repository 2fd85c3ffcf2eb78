"""Read one corpus file as text, or say in one sentence why it cannot be used (empty, too large, binary, not UTF-8,
a broken UTF-16/UTF-32 export)."""
from __future__ import annotations

import codecs
from pathlib import Path

from ingest.build import Document

MAX_DOC_BYTES = 5_000_000
SNIFF_BYTES = 8192  # how much of a file decides its encoding
# A text saved as UTF-16 without a byte-order mark: in Latin-script text every other byte is NUL ('a' is 61 00 in
# little-endian), so NUL bytes fill one of the two byte positions and (nearly) never the other.
WIDE_NUL_SHARE = 0.3  # at least this share of the NUL-heavy position's bytes are NUL …
WIDE_OTHER_SHARE = 0.02  # … and at most this share of the other position's


def read_document(path: Path) -> tuple[Document | None, str | None]:
    """The document, or a one-sentence reason it cannot be used."""
    data = path.read_bytes()
    if not data.strip():
        return None, f"{path.name}: the file is empty; skipped."
    if len(data) > MAX_DOC_BYTES:
        return None, f"{path.name}: the file is larger than {MAX_DOC_BYTES // 1_000_000} MB; skipped."
    wide, bom = _wide_encoding(data), True
    if wide is None:
        wide, bom = _unmarked_utf16(data), False
    if wide:  # Windows' "Unicode" export: every character is two or four bytes, so NUL bytes are normal here
        return _read_wide(path.name, data, wide, bom)
    if b"\x00" in data[:SNIFF_BYTES]:
        return None, f"{path.name}: the file is binary, not text; skipped."
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, f"{path.name}: the file is not UTF-8 (bad byte at offset {exc.start}); save it as UTF-8."
    return Document(path.name, text), None


def _read_wide(name: str, data: bytes, wide: str, bom: bool) -> tuple[Document | None, str | None]:
    like = f"starts like {wide.upper()}" if bom else f"reads like {wide[:6].upper()} without a byte-order mark"
    try:
        text = data.decode(wide)
    except UnicodeDecodeError as exc:
        return None, (f"{name}: the file {like} but is not valid {wide[:6].upper()} (bad bytes at offset "
                      f"{exc.start}); save it as UTF-8.")
    if not text.strip():
        return None, f"{name}: the file is empty; skipped."
    if "\x00" in text[:SNIFF_BYTES]:
        return None, f"{name}: the file is binary, not text; skipped."
    if not any(ch.isspace() for ch in text.strip()[:SNIFF_BYTES]):  # other bytes behind the mark read as a run of
        # CJK characters ("\xff\xfe\x00garbage" is U+6700 U+7261 …); a review has words and lines
        return None, f"{name}: the file {like} but does not read as text in it; save it as UTF-8."
    return Document(name, text), None


def _wide_encoding(data: bytes) -> str | None:
    """``utf-32``/``utf-16`` when the bytes start with that encoding's byte-order mark (the decoder reads the mark
    for the byte order and drops it); None otherwise. UTF-32 first: its little-endian mark begins with UTF-16's."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def _unmarked_utf16(data: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` for text saved as UTF-16 without a byte-order mark (NUL bytes at nearly every odd,
    or every even, position and almost never at the other); None otherwise, also for text in a script whose
    characters have no NUL byte in UTF-16 (those stay "binary" or "not UTF-8")."""
    head = data[:SNIFF_BYTES]
    pairs = len(head) // 2
    if pairs < 2 or b"\x00" not in head:
        return None
    even, odd = head[0:2 * pairs:2].count(0), head[1:2 * pairs:2].count(0)
    if odd >= WIDE_NUL_SHARE * pairs and even <= WIDE_OTHER_SHARE * pairs:
        return "utf-16-le"
    if even >= WIDE_NUL_SHARE * pairs and odd <= WIDE_OTHER_SHARE * pairs:
        return "utf-16-be"
    return None
