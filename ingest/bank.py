"""Practice-question banks: numbered questions, each with its options and a key ("Answer: 2", "<details><summary>
Answer:</summary>2</details>", "**Answer:** B"), read as a "Question | Answer" table whose answer is the keyed option.
Read as notes, every option — wrong on purpose — would have been a rule of its own, and the key a stray "Answer: 2"
(an ISTQB practice set, stop 64's learner trial: 40 questions became 215 rules)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from studyassist.knowledge.model import Rule

# "1) Where may …?", "Q3. What is …?", "**Question 12:** Which …"
# (each run of spaces is matched once: a lazy stem before "\s*$", or spaces split among three runs before a key, took
# seconds to minutes on one line of a few thousand spaces; parser.py keeps its patterns linear the same way)
_QUESTION = re.compile(r"^\s{0,3}(?:\*\*)?(?:Q(?:uestion)?\s*+)?\d{1,3}\s*+[).:](?:\*\*)?\s+(?:\*\*)?(\S.*)$", re.I)
# "1. At all test levels" (markdown numbers every option "1."), "B) Beta testing", "- c. Regression"
_OPTION = re.compile(r"^\s{0,3}(?:[-*]\s+)?(?:\(?([A-Ea-e])[).]|(\d)[.)])\s+(\S.*)$")
# "- (A) Regression testing is run ONLY once": a statement the options combine ("B, C.")
_STATEMENT = re.compile(r"^\s*+[-*]?\s*+\(([A-Ea-e])\)\s+(\S.*)$")
_KEY = re.compile(r"\b(?:correct\s+)?answer\b\s*+(?:is\b)?[\s:*]*+(?:</summary>[\s:*]*+)?\(?([A-Ea-e]|\d)\b(?![.,]\d)",
                  re.I)
_COMBINATION = re.compile(r"^(?:[A-E](?:\s*(?:,|and|&)\s*)?)+\.?$")
# an option that names others by letter ("Both B & C", "A and D")
_LETTERED = re.compile(r"\b[A-E]\s*(?:&|and|,|or)\s*[A-E]\b")
# a question that asks for the odd one out: its keyed option is not a fact of the notes
_ODD_ONE = re.compile(r"\b(NOT|EXCEPT|FALSE|INCORRECT|LEAST)\b|\bnot (true|correct|valid)\b")
QUESTION_HEADER = "Question"  # the situation column of the table a bank is read as (the quiz leaves such tables out)
BANK_QUESTIONS = 3  # keyed questions in a row that make a bank (a numbered list of steps has no key)
LETTERS = "abcde"
OFFERED = 4  # options a quiz item has (quiz/types.OPTION_LETTERS)


@dataclass
class _Question:
    stem: str
    start: int
    options: list[str] = field(default_factory=list)
    statements: dict[str, str] = field(default_factory=dict)
    key: str | None = None
    end: int = 0

    def answer(self) -> str | None:
        """The keyed option's text (the statements a combination names, spelled out), else None."""
        if self.key is None or len(self.options) < 2:
            return None
        index = int(self.key) - 1 if self.key.isdigit() else LETTERS.find(self.key.lower())
        if not 0 <= index < len(self.options):
            return None
        text = self.options[index].strip()
        if self.statements and _COMBINATION.match(text):
            said = [self.statements[x.lower()] for x in re.findall(r"[A-E]", text) if x.lower() in self.statements]
            text = "; ".join(said) or text
        return f"Not so: {text}" if _ODD_ONE.search(self.stem) else text


def banked(text: str) -> str:
    """``text`` with each run of keyed practice questions as a "Question | Answer" table (padded with blank lines, so
    that what follows keeps its line numbers); ``text`` itself when it holds no bank."""
    lines = text.split("\n")
    runs = _runs(lines)
    for run in reversed(runs):
        start, end = run[0][0].start, run[-1][0].end
        table = [f"| {QUESTION_HEADER} | Answer |", "| --- | --- |"] + [
            f"| {_cell(q.stem)} | {_cell(answer)} |" for q, answer in run]
        lines[start:end + 1] = table + [""] * max(0, end - start + 1 - len(table))
    return "\n".join(lines) if runs else text


def offered(text: str) -> dict[str, tuple[tuple[str, ...], int]]:
    """The options and key index of each bank question the quiz can ask as its author wrote it, by ``stem_key`` of
    its stem: four options (a fifth wrong one left out), none that combines statements ("A, B.")."""
    out = {}
    for q, _ in (x for run in _runs(text.split("\n")) for x in run):
        key = int(q.key) - 1 if q.key.isdigit() else LETTERS.find(q.key.lower())
        options = [_cell(o) for o in q.options]
        if q.statements or len(options) < OFFERED or any(_COMBINATION.match(o) for o in options):
            continue
        kept = sorted({key} | set([i for i in range(len(options)) if i != key][:OFFERED - 1]))
        if kept != list(range(len(options))) and any(_LETTERED.search(o) for o in options):
            continue  # ("Both B & C" beside a fifth option left out: the letters would name others)
        out[stem_key(_cell(q.stem))] = (tuple(options[i] for i in kept), kept.index(key))
    return out


def stem_key(stem: str) -> str:
    """A question's stem as its table cell and the rule read from it both give it (letters and digits only)."""
    return " ".join(re.findall(r"[a-z0-9]+", stem.lower()))


def with_offers(rules: list[Rule], offers: dict[tuple[str, str], tuple[tuple[str, ...], int]]) -> list[Rule]:
    """``rules`` with each bank question's offered options (``offers`` by document and ``stem_key``) on its row."""
    return [r.model_copy(update=dict(zip(("offered", "offered_key"), found))) if r.table and (
        found := offers.get((r.source_file, stem_key(r.situation)))) else r for r in rules]


def _runs(lines: list[str]) -> list[list[tuple[_Question, str]]]:
    """Runs of keyed questions with nothing but blank lines between them, each question with its keyed answer; only
    runs of at least ``BANK_QUESTIONS``."""
    runs: list[list[tuple[_Question, str]]] = []
    for q in _questions(lines):
        if (answer := q.answer()) is None:
            continue
        if runs and not "".join(lines[runs[-1][-1][0].end + 1:q.start]).strip():
            runs[-1].append((q, answer))
        else:
            runs.append([(q, answer)])
    return [run for run in runs if len(run) >= BANK_QUESTIONS]


def _questions(lines: list[str]) -> list[_Question]:
    out: list[_Question] = []
    current: _Question | None = None
    for n, line in enumerate(lines):
        if (m := _QUESTION.match(line)) and not (current and _OPTION.match(line)):  # (an open question's "1." is
            if current:  # an option: "1) Where …?" over options each written "1.")
                out.append(current)
            current = _Question(_stem(m.group(1)), n, end=n)
            continue
        if current is None:
            continue
        if (k := _KEY.search(line)) and current.options:
            current.key, current.end = k.group(1), n
            out.append(current)
            current = None
        elif (s := _STATEMENT.match(line)) and not current.options:
            current.statements[s.group(1).lower()], current.end = s.group(2).strip(), n
        elif o := _OPTION.match(line):
            current.options.append(o.group(3))
            current.end = n
        elif line.strip() and not current.options:
            current.stem, current.end = f"{current.stem} {line.strip()}", n
        elif line.strip():
            out.append(current)
            current = None
        else:
            current.end = n if not current.options else current.end
    return out + ([current] if current else [])


def _stem(said: str) -> str:
    """A question line's text without the spaces that end it and then the "**" that closes its bold, if more is left."""
    said = said.rstrip()
    return said[:-2] if said.endswith("**") and len(said) > 2 else said


def _cell(text: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", text).replace("|", "\\|").split())
