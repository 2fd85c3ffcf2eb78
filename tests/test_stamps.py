"""A file's hash or parsed content is reused only while the file is unchanged (studyassist/stamps.py): what the
app checks on every click (is the index still up to date?) without reading every corpus and pack file each time."""
from __future__ import annotations

import os
import time

from studyassist.stamps import RACY_SECONDS, per_version


def _counting():
    calls = []

    def compute(path):
        calls.append(path)
        return path.read_text()
    return calls, compute


def _settle(path, seconds_ago: float) -> None:
    then = time.time() - seconds_ago
    os.utime(path, (then, then))


def test_a_still_file_is_read_once_until_it_changes(tmp_path):
    path = tmp_path / "review.md"
    path.write_text("first")
    _settle(path, 60)
    calls, compute = _counting()
    assert [per_version(path, "text", compute) for _ in range(3)] == ["first"] * 3
    assert len(calls) == 1
    path.write_text("second, longer")
    _settle(path, 30)
    assert per_version(path, "text", compute) == "second, longer" and len(calls) == 2
    path.write_text("third, same size")  # same length as before: the modification time tells it apart
    _settle(path, 20)
    assert per_version(path, "text", compute) == "third, same size" and len(calls) == 3


def test_a_file_changed_moments_ago_is_read_every_time(tmp_path):
    path = tmp_path / "review.md"
    path.write_text("aaaa")
    calls, compute = _counting()
    per_version(path, "text", compute)
    path.write_text("bbbb")  # same size, possibly the same clock tick: not trusted
    assert per_version(path, "text", compute) == "bbbb" and len(calls) == 2
    assert time.time() - path.stat().st_mtime < RACY_SECONDS


def test_results_of_different_kinds_for_one_file_are_kept_apart(tmp_path):
    path = tmp_path / "pack.toml"
    path.write_text("documents = []")
    _settle(path, 60)
    assert per_version(path, "size", lambda p: p.stat().st_size) == 14
    assert per_version(path, "text", lambda p: p.read_text()) == "documents = []"
