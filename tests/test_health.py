"""`studyassist health` against a real index copy: every part working, then each part broken in turn."""
from __future__ import annotations

import io
import json
import sys

from studyassist.health import checks
from studyassist.settings import get_settings

from conftest import one_sentence


def run(monkeypatch, capsys, *args: str) -> tuple[int, str]:
    from studyassist.cli.main import main

    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code = main(["health", *args])
    return code, capsys.readouterr().out


def by_name() -> dict:
    return {c.name: c for c in checks()}


def test_a_built_index_is_healthy_and_each_broken_part_is_named(index_home, monkeypatch, capsys):
    code, out = run(monkeypatch, capsys, "--json")
    report = json.loads(out)
    assert code == 0 and report["ok"] is True, out
    assert [c["name"] for c in report["checks"]] == ["progress database", "knowledge base", "vector index", "corpus"]
    assert "219 chunks" in report["checks"][2]["detail"] and "up to date" in report["checks"][3]["detail"]

    # a file of the corpus changed since the build: the corpus check names it, the others still pass
    manifest_path = get_settings().manifest_path
    manifest = json.loads(manifest_path.read_text())
    name = next(iter(manifest["files"]))
    manifest["files"][name] = "0" * 32
    manifest["corpus_hash"] = "0" * 32
    manifest_path.write_text(json.dumps(manifest))
    found = by_name()
    assert not found["corpus"].ok and f"({name} changed)" in found["corpus"].detail
    assert one_sentence(found["corpus"].detail, name) and found["vector index"].ok

    # a chunk gone from the collection: the index no longer holds what it was built with
    from studyassist.knowledge.store import open_collection

    collection = open_collection(get_settings(), create=False)
    collection.delete(ids=collection.get(limit=1)["ids"])
    found = by_name()
    assert not found["vector index"].ok and "holds 218 chunks, not the 219" in found["vector index"].detail

    # a progress file that is not a database
    get_settings().progress_db.write_bytes(b"not a database" * 100)
    code, out = run(monkeypatch, capsys)
    assert code == 1 and out.splitlines()[0].startswith("FAILED progress database: The progress database ")


def test_no_index_says_how_to_build_one(isolated_home, monkeypatch, capsys):
    code, out = run(monkeypatch, capsys)
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("ok     progress database: ")
    assert lines[1] == f"FAILED knowledge base: No index at {get_settings().index_dir}; run `studyassist ingest` " \
                       "to build it."
