"""The other exams' question sets (evals/other_exams): every item parses, has four options and a key among them,
and names a document whose source the folder's README pins by repository, path and commit."""
from __future__ import annotations

import json
import re

from conftest import PROJECT_ROOT

FOLDER = PROJECT_ROOT / "evals" / "other_exams"


def test_every_question_names_a_pinned_document_and_has_one_key():
    readme = (FOLDER / "README.md").read_text(encoding="utf-8")
    pinned = {(m.group(1), m.group(2)) for m in re.finditer(r"^\| (\w+) \| ([\w-]+) \| [^|]+ \| [^|]+ \| [0-9a-f]{40} \|$",
                                                              readme, re.M)}
    files = sorted(FOLDER.glob("*.jsonl"))
    assert [f.stem for f in files] == ["dev", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8", "locked"]
    for path in files:
        items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        assert len(items) == 45 and len({i["id"] for i in items}) == 45, path.name
        for item in items:
            assert (path.stem, item["doc"]) in pinned, (path.name, item["id"])
            assert len(item["options"]) == 4 and item["answer"] in "ABCD" and item["evidence"].strip(), item["id"]
