"""Solve other exams' scenario questions (see README.md here): ``python -m evals.other_exams FILE [--items]``, with
``STUDYASSIST_CORPUS`` holding the documents the file's ``doc`` names and ``STUDYASSIST_HOME`` their index."""
from __future__ import annotations

import json
import sys
from collections import Counter

from studyassist.assistant import Assistant
from studyassist.solve.mcq import LETTERS, PastedQuestion


def main(argv: list[str]) -> int:
    path, items = argv[0], "--items" in argv
    if items and "locked" in path:
        print("The locked set is read only for its total.", file=sys.stderr)
        return 2
    assistant = Assistant()
    right, total, sure = Counter(), Counter(), Counter()
    for line in open(path, encoding="utf-8"):
        item = json.loads(line)
        solved = assistant.scoped(item["doc"]).solver.solve(PastedQuestion(item["stem"], tuple(item["options"])))
        ok = solved.best == item["answer"]
        right[item["doc"]] += ok
        total[item["doc"]] += 1
        sure[(solved.confidence, ok)] += 1
        if items and not ok:
            got, want = (item["options"][LETTERS.index(x)][:40] for x in (solved.best, item["answer"]))
            print(f"miss {item['id']}: {solved.best} {got!r}, key {item['answer']} {want!r} [{solved.confidence}]")
    print(" ".join(f"{d} {right[d]}/{total[d]}" for d in total),
          f"— total {sum(right.values())}/{sum(total.values())}; wrong and confident:", sure[("confident", False)],
          "wrong and likely:", sure[("likely", False)])
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
