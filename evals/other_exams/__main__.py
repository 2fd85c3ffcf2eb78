"""Solve other exams' scenario questions (see README.md here): ``python -m evals.other_exams FILE [--items] [--ask]``,
with ``STUDYASSIST_CORPUS`` holding the documents the file's ``doc`` names and ``STUDYASSIST_HOME`` their index.
``--ask`` asks each stem as a free question instead (no options; a stem that asks for the one that does NOT fit is
left out) and scores the answer's decision against the key's text, per confidence level."""
from __future__ import annotations

import json
import sys
from collections import Counter

from evals.metrics import labels_match
from studyassist.assistant import Assistant
from studyassist.solve.mcq import LETTERS, NEGATED, PastedQuestion, question_sentence


def main(argv: list[str]) -> int:
    path, items = argv[0], "--items" in argv
    if items and "locked" in path:
        print("The locked set is read only for its total.", file=sys.stderr)
        return 2
    assistant = Assistant()
    if "--ask" in argv:
        return asked(assistant, path, items)
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


def asked(assistant, path: str, items: bool) -> int:
    """Each stem as a free question: right when the answer's decision names the key's option."""
    right, total, levels, unasked, not_covered = Counter(), Counter(), Counter(), 0, 0
    for line in open(path, encoding="utf-8"):
        item = json.loads(line)
        if NEGATED.search(question_sentence(item["stem"])):
            unasked += 1
            continue
        answer = assistant.scoped(item["doc"]).ask(item["stem"])
        key = item["options"][LETTERS.index(item["answer"])]
        ok = labels_match(answer.decision, key)
        right[item["doc"]] += ok
        total[item["doc"]] += 1
        levels[(answer.confidence, ok)] += 1
        not_covered += answer.decision is None
        if items and not ok:
            print(f"miss {item['id']}: {answer.decision!r}, key {key!r} [{answer.confidence}]")
    by_level = " ".join(f"{lv} {levels[(lv, True)]}/{levels[(lv, True)] + levels[(lv, False)]}"
                        for lv in ("confident", "likely", "unsure"))
    print(" ".join(f"{d} {right[d]}/{total[d]}" for d in total),
          f"— total {sum(right.values())}/{sum(total.values())} ({unasked} NOT questions left out); no decision:",
          not_covered, "; right by level:", by_level)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
