"""Parsing a multiple-choice question pasted from any practice bank."""
from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass

import numpy as np

from studyassist.errors import InputError
from studyassist.text import question_sentence, sentences

LETTERS = "ABCDEFGH"
# A) …  A. …  (A) …  A - …  A: …  at the start of a line
_OPTION_LINE = re.compile(r"^\s*(?:\(([A-Ha-h])\)|([A-Ha-h])\s*[\).:]|([A-Ha-h])\s+[-–—])\s*(.*\S)?\s*$")
# the same markers inline, after the stem on one line: "… ? A) x B) y C) z"
_INLINE = re.compile(r"(?:(?<=\s)|^)(?:\(([A-H])\)|([A-H])[\).:])\s+")
_LABELS = re.compile(r"^\s*(answer|correct answer|explanation)\s*[:\-]", re.I)
# 1. …  1) …  (1) …  at the start of a line: options numbered instead of lettered (runs of spaces possessive, so a
# line of thousands of spaces is scanned once)
_NUMBERED_LINE = re.compile(r"^\s*+(?:\(([1-8])\)|([1-8])[.)])\s++(.*\S)\s*$")
# Any option marker, lettered or numbered past the supported eight ("I)", "(J)", "9.", "10)"), to count options
# that go on past H or 8 instead of folding them into the eighth.
_ANY_MARKER = re.compile(r"^\s*+(?:\(([A-Za-z]|\d{1,6})\)|([A-Za-z]|\d{1,6})\s*+[\).:]|([A-Za-z])\s++[-–—])")
_INLINE_ANY = re.compile(r"(?:(?<=\s)|^)(?:\(([A-Z])\)|([A-Z])[\).:])\s+")

# How a stem reads: a NOT/LEAST question, one asking which trap it shows, the words that decline a need,
# and a contrast ("rather than").
# ("with the LEAST administrative effort", "LEAST privilege": the best option by a cost to keep low, not a NOT question)
_LEAST_COST = (r"(?![ -](amount of |possible )?(administrative |development |operational |management |implementation "
               r"|engineering |ongoing |additional |maintenance )?(effort|overhead|cost|work|maintenance|privileges?|"
               r"downtime|latency|code|changes?|configuration|complexity|disruption|data movement|expensive|costly)\b)")
NEGATED = re.compile(rf"\b(NOT|EXCEPT|(?<!costs the )(?<!cost the )LEAST{_LEAST_COST}|WORST|INCORRECT|FALSE)\b|"
                     r"\b(worst (fit|choice|option|use|match)|"
                     r"least (appropriate|likely|suitable|useful|effective)|"
                     r"which (of these )?(is|would be|does) not|would not|should not|isn'?t|doesn'?t belong)\b")
# "Which trap is this?": the options are mistakes, and the answer is the one the scenario commits
NAMES_MISTAKE = re.compile(r"\b(which|what) (common |known |security )?(trap|mistake|anti-?pattern|pitfall|"
                           r"misconception)s?\b", re.I)
# the words that decline a need, which point to no row themselves
DECLINING = re.compile(r"\b(no|need|needs|requirements?|for|to|refus\w*|rather than|instead of|do|does|did|will|"
                       r"would|should|n'?t|not|wants?|care about|have|has|nobody|no[- ]one|never)\b", re.I)
CONTRAST = re.compile(r"\b(rather than|instead of|as opposed to)\b", re.I)
# "What should be created?" beside "through the same endpoint": what the stem has already (the same, existing or
# current X) is not what to create
CREATES = re.compile(r"\b(create[ds]?|add(ed)?|set up|provision(ed)?)\b", re.I)
GIVEN = re.compile(r"\b(?:the|its|their|our|an?) (?:same|existing|current) ((?:[\w/-]+ ){0,2}[\w/-]+)", re.I)


# "Convert the cluster to a compute instance", "Replace X with Y", "Switch from X to Y": what the option chooses is
# what it turns to, not what it leaves (as "Y rather than X" chooses Y)
_TURNS = re.compile(r"^\s*(?:convert|change|switch|move|migrate|replace|swap|downgrade|upgrade)\b(?:\s+from)?\s+"
                    r"(?P<left>.+?)\s+(?:to|into|with)\s+(?P<chosen>.+)$", re.I)


def chosen_part(option: str) -> str:
    """The part of an option that says what it chooses: before "rather than", after "convert … to"."""
    turned = _TURNS.match(option)
    return turned.group("chosen") if turned else CONTRAST.split(option, maxsplit=1)[0]


def turned_to(options: tuple[str, ...]) -> tuple[str, ...]:
    """The options, each that turns one thing into another as what it turns to ("a compute instance")."""
    return tuple(m.group("chosen") if (m := _TURNS.match(o)) else o for o in options)


def chosen_vectors(options: tuple[str, ...], chosen: tuple[str, ...], vectors: np.ndarray, encode) -> np.ndarray:
    """``vectors`` of the options, each that turns one thing into another by the vector of what it turns to
    (``chosen``: ``turned_to(options)``)."""
    turned = [i for i, (o, c) in enumerate(zip(options, chosen)) if o != c]
    if not turned:
        return vectors
    out = vectors.copy()
    out[turned] = encode(tuple(chosen[i] for i in turned))
    return out


def given_things(stem: str, asking: str) -> str:
    """The words after "the same / existing / current" in a stem whose question asks what to create ("Both must be
    reachable through the same endpoint. What should be created?" → "endpoint …"), else ""."""
    return " ".join(GIVEN.findall(stem)) if CREATES.search(asking) else ""

@dataclass(frozen=True)
class PastedQuestion:
    stem: str
    options: tuple[str, ...]
    numbered: bool = False  # the options were pasted as 1., 2., …: a pick may name the number too

    @property
    def letters(self) -> str:
        return LETTERS[: len(self.options)]

    def index_of(self, letter: str) -> int:
        """Option index of a letter (or, for numbered options, a number); a one-sentence error otherwise."""
        given = " ".join(str(letter if letter is not None else "").split())  # JSON may give a number or bool
        want = given.strip("()").rstrip(").:").upper()
        if self.numbered and want.isdecimal() and 1 <= int(want) <= len(self.options):
            return int(want) - 1
        if len(want) != 1 or want not in self.letters:
            numbers = f"1-{len(self.options)} or " if self.numbered else ""
            raise InputError(f"'{given[:12]}' is not one of this question's options "
                             f"({numbers}{', '.join(self.letters)}).")
        return self.letters.index(want)

    def label(self, index: int) -> str:
        """How an option is shown: ``B) text``, plus its number when the question numbered its options."""
        number = f" (option {index + 1})" if self.numbered else ""
        return f"{self.letters[index]}) {self.options[index]}{number}"


def from_parts(question: str, options: list[str]) -> PastedQuestion:
    """A question given as a stem and a list of option texts."""
    if options is not None and not isinstance(options, list | tuple):
        raise InputError("The options must be a list of option texts, like [\"the first option\", \"the second\"].")
    stem = " ".join(str(question or "").split())
    opts = [" ".join(str(o).split()) for o in options or []]
    numbers = [_NUMBERED_LINE.match(o) for o in opts]
    if len(opts) >= 2 and all(numbers) and [_number(m) for m in numbers] == list(range(1, len(opts) + 1)):
        return _checked(stem, [m.group(3) for m in numbers], numbered=True, pasted=False)
    return _checked(stem, [_strip_marker(o) for o in opts], pasted=False)


def _strip_marker(text: str) -> str:
    m = _OPTION_LINE.match(text)
    return (m.group(4) or "").strip() if m else text.strip()


def parse_pasted(text: str) -> PastedQuestion:
    """Stem and options from pasted text (options as ``A)``, ``A.``, ``(A)``, ``A -``, ``A:``, numbered ``1.``,
    ``1)``, ``(1)``, or one per line)."""
    if text is None or not text.strip():
        raise InputError("The pasted question is empty; paste the question text followed by its options.")
    lines = [l.rstrip() for l in text.replace("\r", "\n").split("\n")]
    lines = [l for l in lines if l.strip() and not _LABELS.match(l)]
    stem_lines: list[str] = []
    options: list[tuple[str, str]] = []
    for i, line in enumerate(lines):
        m = _OPTION_LINE.match(line)
        if m:
            letter = (m.group(1) or m.group(2) or m.group(3)).upper()
            options.append((letter, (m.group(4) or "").strip()))
        elif len(options) == len(LETTERS) and (extra := _past_limit(lines, i, LETTERS[-1])):
            raise _too_many(len(options) + extra, "A to H")
        elif options:
            letter, body = options[-1]
            options[-1] = (letter, f"{body} {line.strip()}".strip())  # option wrapped onto a second line
        else:
            stem_lines.append(line.strip())
    if not options and stem_lines:
        inline = _split_inline(" ".join(stem_lines))
        if inline:
            return inline
        numbered = _numbered(stem_lines)
        if numbered:
            return _checked(" ".join(numbered[0]), numbered[1], numbered=True)
        options = _one_per_line(stem_lines)
        if options:
            stem_lines = stem_lines[: len(stem_lines) - len(options)]
    letters = [l for l, _ in options]
    dupes = sorted({l for l in letters if letters.count(l) > 1})
    if dupes:
        raise InputError(f"Option letter {dupes[0]} appears more than once; give each option its own letter.")
    if options and letters != list(LETTERS[: len(letters)]):
        raise InputError(f"The option letters {', '.join(letters)} are not in order from A; relabel them A, B, C….")
    return _checked(" ".join(stem_lines), [b for _, b in options])


def _split_inline(text: str) -> PastedQuestion | None:
    marks = list(_INLINE.finditer(text))
    letters = [(m.group(1) or m.group(2)) for m in marks]
    start = next((i for i, l in enumerate(letters) if l == "A"), None)
    if start is None:
        return None
    marks = marks[start:]
    letters = letters[start:]
    if letters != list(LETTERS[: len(letters)]) or len(letters) < 2:
        return None
    if len(letters) == len(LETTERS):  # "… H) x I) y": the ninth option would fold into the eighth
        later = [m.group(1) or m.group(2) for m in _INLINE_ANY.finditer(text, marks[-1].end())]
        extra = next((n for n, letter in enumerate(later + [""]) if letter != chr(ord("I") + n)), 0)
        if extra:
            raise _too_many(len(LETTERS) + extra, "A to H")
    stem = text[: marks[0].start()].strip()
    bodies = [text[m.end(): (marks[i + 1].start() if i + 1 < len(marks) else len(text))].strip()
              for i, m in enumerate(marks)]
    return _checked(stem, bodies)


def _number(m: re.Match) -> int:
    return int(m.group(1) or m.group(2))


def _numbered(lines: list[str]) -> tuple[list[str], list[str]] | None:
    """Stem lines and options when the question ends with options numbered 1, 2, … (wrapped lines join the
    option above); None when it does not, e.g. a numbered list inside the stem, before the line that asks."""
    starts = [i for i, l in enumerate(lines) if (m := _NUMBERED_LINE.match(l)) and _number(m) == 1]
    if not starts:
        return None
    options: list[str] = []
    for i, line in enumerate(lines[starts[-1]:], start=starts[-1]):
        m = _NUMBERED_LINE.match(line)
        if m and _number(m) == len(options) + 1:
            options.append(m.group(3))
        elif m:
            raise InputError(f"Option {len(options)} is followed by option {_number(m)}; number the options "
                             "1, 2, 3… in order.")
        elif line.endswith("?"):
            return None
        elif len(options) == len(LETTERS) and (extra := _past_limit(lines, i, str(len(LETTERS)))):
            raise _too_many(len(options) + extra, f"1 to {len(LETTERS)}")
        else:
            options[-1] = f"{options[-1]} {line.strip()}"
    return (lines[: starts[-1]], options) if len(options) >= 2 else None


def _one_per_line(lines: list[str]) -> list[tuple[str, str]]:
    """Options written one per line with no letters: the lines after the line that asks the question."""
    ask = max((i for i, l in enumerate(lines) if l.endswith("?")), default=None)
    if ask is None or ask == len(lines) - 1:
        return []
    rest = lines[ask + 1:]
    if len(rest) > len(LETTERS):
        raise InputError(f"The pasted question has {len(rest):,} unlabelled lines after the question, more than the "
                         f"{len(LETTERS)} options supported; paste at most {len(LETTERS)} options, labelled A) to H).")
    if len(rest) < 2:
        return []
    return [(LETTERS[i], l) for i, l in enumerate(rest)]


def _past_limit(lines: list[str], start: int, last: str) -> int:
    """How many options ``lines[start:]`` add after option ``last`` (``H`` or ``8``): markers that go on from it in
    order, wrapped lines between them skipped; 0 when the first line is not the next marker."""
    n = 0
    for line in itertools.islice(lines, start, None):
        m = _ANY_MARKER.match(line)
        label = (m.group(1) or m.group(2) or m.group(3)).upper() if m else None
        expected = str(int(last) + n + 1) if last.isdecimal() else chr(ord(last) + n + 1)
        if label == expected:
            n += 1
        elif n == 0 or (label is not None and label.isdecimal() == last.isdecimal()):
            break  # not an option list that goes on, or it stops going on in order
    return n


def _too_many(count: int, labels: str) -> InputError:
    return InputError(f"The pasted question has {count:,} options; at most {len(LETTERS)} are supported "
                      f"({labels}), so paste at most {len(LETTERS)} of them.")


def _printable(text: str) -> str:
    # Control characters and lone surrogates (undecodable stdin bytes) would reach the tokenizer and crash it.
    return " ".join("".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text).split())


def _checked(stem: str, options: list[str], numbered: bool = False, pasted: bool = True) -> PastedQuestion:
    """``pasted``: the question came as text (else as a stem and a list of options), which the errors say how to fix."""
    stem, options = _printable(stem), [_printable(o) for o in options]
    if not stem:
        raise InputError("The pasted question has no question text before its options; paste the stem too." if pasted
                         else "The question text is empty; give the stem as \"question\".")
    if len(options) < 2:
        raise InputError("The pasted question has fewer than two options; put each option on its own line, "
                         "like 'A) …'." if pasted else "The question has fewer than two options; give at least "
                         "two option texts in \"options\".")
    if any(not o for o in options):
        raise InputError("One of the options is empty; give every option some text.")
    if len(options) > len(LETTERS):
        raise InputError(f"The question has {len(options):,} options; at most {len(LETTERS)} are supported.")
    lowered = [o.lower() for o in options]
    if len(set(lowered)) != len(lowered):
        raise InputError("Two options have the same text; each option must be different.")
    return PastedQuestion(stem, tuple(options), numbered)


_WANTS = re.compile(r"\b(?:select|choose|pick|identify)\s+(two|three|2|3)\b|\bwhich\s+(two|three)\b", re.I)


def answers_wanted(stem: str) -> int:
    """How many options the question asks for: 2 or 3 for "Select two." / "Which TWO …", else 1."""
    m = _WANTS.search(stem)
    if not m:
        return 1
    return {"two": 2, "2": 2, "three": 3, "3": 3}[(m.group(1) or m.group(2)).lower()]


# A sentence that states what is wanted: "The risk team wants an early warning when …", "… must stay the same".
_NEED = re.compile(r"\b(?:wants?|wanted|needs?|needed|must|should|requires?|required|has to|have to|goal|asks?|"
                   r"expects?|would like|plans? to|decides? to)\b", re.I)


def need_part(stem: str) -> str | None:
    """The sentences of ``stem`` that state its need or ask its question, without the ones that only set the scene;
    None when every sentence does (or none does)."""
    parts = sentences(stem)
    asking = question_sentence(stem)
    kept = [p for p in parts if p == asking or _NEED.search(p)]
    return " ".join(kept) if kept and len(kept) < len(parts) and any(p != asking for p in kept) else None

