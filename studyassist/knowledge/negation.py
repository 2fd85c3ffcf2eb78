"""Negation scope, NegEx-style (Chapman et al. 2001): which words of a question sit under a "no", "not",
"without", "nobody", "isn't needed", so that they are not read as what the question asks for.

"There is no latency requirement" does not ask for low latency; "the endpoint returns no errors" reports no
errors. A trigger negates the words after it up to a clause boundary or five words (a post-trigger such as "is
not needed" negates up to four words before it); a pseudo-trigger ("not only", "no matter") negates nothing.
Only absence is a trigger here: "the job can't read the datastore" and "the container is not starting" report a
failure, which is what the question is about, so a failed capability ("can't", "is not working") negates nothing.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from studyassist.text import asking_spans, key_terms, singular

# A means declined: "without creating and managing a cluster" rules the cluster out as the answer, but its words are
# often what the answer achieves ("without copying code between workspaces": the registry that shares it).
_MEANS = r"without (?:me |us |you |them |anyone |having to |needing to )?(?=\w+ing\b)"
# A need declined, not a state reported: "does not want to manage clusters", "nobody on the team wants to patch
# nodes", "rather than a cluster" (or "as opposed to"), "there is no requirement for ordering or topics", "no need for
# them to upgrade a cluster", "wants no servers to look after", "must not be able to change IAM bindings" (a
# prohibition: least privilege), "refuses to sign a commitment", or a means declined. "No monitor is configured"
# reports what is missing (often the fix), so only these rule out what they name.
_DECLINING = (r"no (?:need|requirements?) (?:for (?:me|us|you|them|anyone|the team) to|for|to)|"
              r"(?:wants?|needs?|requires?) no|refus(?:e|es|ed|ing) to|rather than|instead of|as opposed to|"
              r"(?:must|may|should)(?: not|n't) be (?:able|allowed|permitted) to|(?:must|may)(?: not|n't)|"
              r"(?:do|does|did|will|would|should)(?:n'?t| not) (?:need|require|want|care about|have to)|"
              r"(?:nobody|no[- ]one)(?: \w+){0,3}? (?:wants?|should have|has|needs?) to|never (?:want|need|have) to|"
              rf"{_MEANS}")
# Words that negate what follows them: an absence ("no", "without", "nobody"), or a need declined (above).
_PRE = re.compile(rf"\b(?:{_DECLINING}|no|not|without|never|nobody|no[- ]one|none|nothing|neither|nor|zero|"
                  r"free of|absence of)\b", re.I)
# "not"/"no" before a failed capability or a missing thing reports a failure, not an absence of need.
_FAILURE = re.compile(r"\b(?:not|no)\s+(?:working|responding|starting|running|loading|found|available|reachable|"
                      r"accessible|able|authori[sz]ed|allowed|permitted|response|access|permissions?|output|logs?|"
                      r"longer)\b", re.I)
# Words that negate what comes just before them in the clause.
_POST = re.compile(r"\b(?:is|are|was|were)?\s*(?:not|n't|never)\s+(?:needed|required|necessary|acceptable|an option|"
                   r"a (?:concern|priority|requirement|factor|problem|issue))\b|\b(?:doesn'?t|does not|don'?t|do not) "
                   r"matter\b|\bis irrelevant\b|\bunnecessary\b|\bunacceptable\b", re.I)
# Negation words that do not negate here ("not only", "no matter", "whether or not", "no longer" reads as a change,
# "Zero Trust" names a security model).
_PSEUDO = re.compile(r"\b(?:not only|not just|no matter|no doubt|whether or not|if not|not necessarily|"
                     r"zero trust)\b", re.I)
# Where a scope ends: punctuation that closes a clause, brackets, and contrasting conjunctions.
_BOUNDARY = re.compile(r"[.;:!?()\[\]]|,|\b(?:and|but|however|although|though|yet|whereas|while|except|so that|so)\b",
                       re.I)
# A serial list of single words ("create, size, or patch") is one stretch of a scope, not three clauses; so is a
# pair sharing its last word ("one- or three-year"), and two words joined by "or" ("any VMs or clusters": no A or B
# is neither), and two verbs in -ing ("without creating and managing a cluster").
_SERIES = re.compile(r"\b\w+(?:, \w+)+,? (?:or|and|nor) \w+|\b\w+- (?:or|and|to) [\w-]+|\b\w+ (?:or|nor) \w+|"
                     r"\b\w+ing (?:and|or) \w+ing\b", re.I)
_DECLINED = re.compile(rf"\b(?:{_DECLINING})\b", re.I)
_CONTRAST = re.compile(r"rather than|instead of|as opposed to", re.I)
_MEANS_AT = re.compile(_MEANS, re.I)
_WORD = re.compile(r"[A-Za-z0-9][\w'/-]*")
SCOPE_WORDS, BACK_WORDS = 5, 4


def contrasts(text: str) -> bool:
    """Whether ``text`` sets one thing against another ("X rather than Y", "X instead of Y")."""
    return bool(_CONTRAST.search(text))


@lru_cache(maxsize=4096)
def _scopes(text: str) -> tuple[tuple[int, int, int, int], ...]:
    """(scope start, scope end, trigger start, trigger end) of every negation in ``text``; a scope includes its
    trigger."""
    out: list[tuple[int, int, int, int]] = []
    pseudo = [m.span() for m in _PSEUDO.finditer(text)]
    series = [m.span() for m in _SERIES.finditer(text)]
    boundaries = [m.start() for m in _BOUNDARY.finditer(text) if not any(s < m.start() < e for s, e in series)]
    # the words of a series count as one towards a scope's length
    words = [w for w in (m.span() for m in _WORD.finditer(text))
             if not any(s <= w[0] and w[1] < e for s, e in series)]
    failures = [m.start() for m in _FAILURE.finditer(text)]
    for m in _PRE.finditer(text):
        if any(s <= m.start() < e for s, e in pseudo) or m.start() in failures:
            continue
        stop = next((b for b in boundaries if b >= m.end()), len(text))
        after = [w for w in words if m.end() <= w[0] < stop][:SCOPE_WORDS]
        out.append((m.start(), after[-1][1] if after else m.end(), *m.span()))
    for m in _POST.finditer(text):
        start = max((b + 1 for b in boundaries if b < m.start()), default=0)
        before = [w for w in words if start <= w[0] and w[1] <= m.start()][-BACK_WORDS:]
        out.append((before[0][0] if before else m.start(), m.end(), *m.span()))
    return tuple(sorted(out))


def negated_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Character spans of ``text`` under a negation (the trigger itself included), in order."""
    return tuple(_merged([(s, e) for s, e, _, _ in _scopes(text)]))


_TRIGGERS = frozenset("no not never without nobody none nothing neither nor zero".split())


def negated_words(text: str) -> set[str]:
    """The key terms ``text`` negates, the negations themselves left out."""
    spans = negated_spans(text)
    return set(key_terms(" ".join(text[s:e] for s, e in spans))) - _TRIGGERS if spans else set()


def denies(option: str, wanted: set[str], refused: frozenset[str] = frozenset(), at_least: int = 2) -> bool:
    """Whether ``option`` negates at least ``at_least`` of the words ``wanted`` (a stem's words with its clues): "a
    sweep that has no early termination policy" where the stem asks to stop trials that fall behind; or says as many
    of the words the stem ``refused`` (``refused_words``): "Import with an hourly scheduled refresh" where waiting for
    a scheduled refresh is not acceptable."""
    return len(negated_words(option) & wanted) >= at_least or len(set(key_terms(option)) & refused) >= at_least


def refused_words(text: str) -> frozenset[str]:
    """The key terms ``text`` says only where it declines a need ("waiting for a scheduled refresh is not acceptable":
    scheduled, refresh; "does not want to patch clusters"), not where it reports an absence ("no metrics appear on the
    run": what the question is about) nor a means declined ("without putting keys in the script": what the answer
    achieves)."""
    scopes = _declined_scopes(text, means=False, after=True)
    if not scopes:
        return frozenset()
    said = set(key_terms(without_spans(text, tuple(_merged([(s, e) for s, e, _, _ in scopes])))))
    triggers = set(key_terms(" ".join(text[ts:te] for _, _, ts, te in scopes)))
    return frozenset(set(key_terms(" ".join(text[s:e] for s, e, _, _ in scopes))) - triggers - said)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def declined_spans(text: str, contrasts: bool = True, means: bool = True) -> tuple[tuple[int, int], ...]:
    """Spans of ``text`` under a declined need ("doesn't want to patch any clusters", "rather than a cluster"):
    what they name is ruled out as the answer. A reported absence ("no monitor is set up") is not; without
    ``contrasts``, neither is "rather than" / "instead of" (a learner's "when would I use X rather than Y?" asks
    about both); without ``means``, neither is "without doing X"."""
    return tuple(_merged([(s, e) for s, e, _, _ in _declined_scopes(text, contrasts, means)]))


def _declined_scopes(text: str, contrasts: bool = True, means: bool = True, after: bool = False
                     ) -> list[tuple[int, int, int, int]]:
    """The scopes (as ``_scopes``) of ``declined_spans``; with ``after``, also those of a trigger after what it
    declines ("… is not acceptable", "… is not needed")."""
    return [(s, e, ts, te) for s, e, ts, te in _scopes(text)
            if (_declining(text, ts, te) or after and _POST.fullmatch(text, ts, te))
            and (contrasts or not _CONTRAST.fullmatch(text[ts:te])) and (means or not _MEANS_AT.match(text, ts))]


def _declining(text: str, start: int, end: int) -> bool:
    """Whether the trigger at ``start:end`` declines a need (read in place: "without" declines only before a verb
    in -ing, which lies after the trigger)."""
    m = _DECLINED.match(text, start)
    return m is not None and m.end() == end


def is_negated(text: str, start: int, end: int) -> bool:
    """Whether the span ``start:end`` of ``text`` lies under a negation whose trigger is not part of it (a clue
    phrase such as "no public access" carries its own "no")."""
    return any(s <= start and end <= e and not (ts < end and start < te) for s, e, ts, te in _scopes(text))


def affirmed(text: str) -> str:
    """``text`` without its negated spans: the words it asks for, not the ones it rules out."""
    spans = negated_spans(text)
    return " ".join(without_spans(text, spans).split()) if spans else text


def without_spans(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    """``text`` with the (ordered, non-overlapping) ``spans`` cut out."""
    out, pos = [], 0
    for s, e in spans:
        out.append(text[pos:s])
        pos = e
    out.append(text[pos:])
    return "".join(out)


def head_nouns(labels: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    """The head noun of each multi-word (concept id, label) → those concepts ("cluster" → Compute cluster,
    Kubernetes cluster), so that a declined "any clusters" declines every kind of cluster."""
    heads: dict[str, set[str]] = {}
    for cid, label in labels:
        words = label.lower().split()
        if len(words) > 1:
            heads.setdefault(singular(words[-1]), set()).add(cid)
    return heads


_SUBJECTS = frozenset("to i we you they it can could must should will would may might".split())  # before a verb


def declined_concepts(text: str, find: Callable[[str], Iterable[str]], heads: dict[str, set[str]],
                      contrasts: bool = True) -> tuple[set[str], str]:
    """The concepts a need ``text`` declines names ("the team does not want to create, size, or patch any clusters":
    every kind of cluster), unless ``text`` also asks for them elsewhere; and the words of the needs it declines
    (not of the means: what "without copying code between workspaces" names is often what the answer achieves)."""
    spans = declined_spans(text, contrasts)
    if not spans:
        return set(), ""
    declined = " ".join(text[s:e] for s, e in spans)
    words = [singular(w) for w in _WORD.findall(declined.lower())]
    terms = set(key_terms(declined))
    # a head noun stands for its kinds unless it modifies the next one ("compute" in "a compute cluster") or is a
    # verb ("no need for them to run or upgrade a cluster" declines no Cloud Run)
    kinds = {c for before, w, after in zip([""] + words, words, words[1:] + [""]) if w in terms and after not in heads
             and before not in _SUBJECTS for c in heads.get(w, ())}
    needs = " ".join(text[s:e] for s, e in declined_spans(text, contrasts, means=False))
    return (set(find(declined)) | kinds) - set(find(without_spans(text, spans))), needs


# A question that asks what to use "instead" ("… the job can't use my compute instance. What should it run on
# instead?") replaces what its other sentences name.
_INSTEAD = re.compile(r"\b(instead|else)\s*\?\s*$", re.I)


def replaced_concepts(text: str, find: Callable[[str], Iterable[str]]) -> set[str]:
    """The concepts a question asks to replace: those its other sentences name when a sentence that asks ends with
    "instead?" or "else?", unless that sentence names them too ("… or should I stay with X instead?")."""
    spans = asking_spans(text)
    asked = " ".join(text[s:e] for s, e in spans if _INSTEAD.search(text[s:e]))
    if not asked:
        return set()
    return set(find(without_spans(text, tuple(spans)))) - set(find(asked))


# A measure the question reports as normal ("latency is steady", "normal CPU usage", "memory looks fine") is not the
# problem: a question about what went wrong, or about which signal would NOT detect it, is about something else; and
# an option acting on it ("request more quota" where the quota is enough) is not the fix.
_MEASURE = (r"(?:latency|latencies|response times?|cpu(?: usage| use| utili[sz]ation)?|gpu(?: usage)?|memory"
            r"(?: usage| use)?|throughput|error rates?|errors|5xx(?: responses)?|uptime|availability|"
            r"infrastructure metrics|instance metrics|(?:core |vcpu |vm )?quotas?)")
_NORMAL = (r"(?:normal|steady|stable|fine|healthy|low|green|unchanged|flat|enough|sufficient|ample|plenty of|"
           r"within (?:its |the )?(?:limits?|slo|target)|"
           r"(?:under|below) \d[\d.,]* ?(?:%|percent|ms|milliseconds|seconds))")
_REPORTED_NORMAL = re.compile(
    rf"\b{_MEASURE}\s+(?:is|are|was|were|looks?|looked|stays?|stayed|remains?|remained|seems?|seemed)\s+"
    rf"(?:\w+\s+)?{_NORMAL}\b|\b(?:{_NORMAL}|few|no|zero|rare)\s+(?:\w+\s+)?{_MEASURE}\b"
    rf"|\b{_MEASURE}\s+{_NORMAL}\b", re.I)


# ... unless it denies it ("latency is not low", "lacks sufficient quota") or asks for it ("requires low latency")
_UNSAID = re.compile(r"\b(?:not|never|no longer|hardly|lacks?|lacking|without|needs?|needed|requir\w*|must|wants?|"
                     r"expects?|expected|demands?|with|within|for|keeps?|keeping|ensures?|guarantees?|target|goal)\b|n't\b",
                     re.I)
_BEFORE = re.compile(r"(?:\S+\s+){0,2}$")
# Faults reported absent ("has run without errors for a year", "error-free for months"), unless that is what is
# needed ("the job must run without errors")
_BEFORE_FAULTS = re.compile(r"(?:\S+\s+){0,3}$")
_WANTED = re.compile(r"\b(?:must|needs?|needed|requir\w*|should|has to|have to|wants?|expects?|expected|ensures?|"
                     r"guarantees?|target|goal|so that)\b", re.I)
_NO_FAULTS = re.compile(r"\b(?:without|free of)\s+(?:any\s+)?(?:errors|failures|timeouts|5xx(?: responses)?|outages|"
                        r"crashes|exceptions)\b|\b(?:error|failure|timeout|crash)-free\b", re.I)


def normal_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Character spans of ``text`` that report a measure as normal ("steady latency", "CPU below 40 percent",
    "enough quota", "without errors"), not one it denies ("latency is not low", "lacks sufficient quota")."""
    spans = [m.span() for m in _REPORTED_NORMAL.finditer(text)
             if not _UNSAID.search(text[m.start():m.end()] + " " + _BEFORE.search(text[:m.start()]).group())]
    spans += [m.span() for m in _NO_FAULTS.finditer(text)  # ("needs to finish without timeouts": wanted)
              if not _WANTED.search(_BEFORE_FAULTS.search(text[:m.start()]).group())]
    return tuple(sorted(spans))


def _measures(text: str) -> set[str]:
    return {m.group().lower().rstrip("s") for m in re.finditer(rf"\b{_MEASURE}\b", text, re.I)}


def normal_measures(text: str) -> frozenset[str]:
    """The measures ``text`` reports as normal ("enough quota, steady latency" → quota, latency)."""
    return frozenset(m for s, e in normal_spans(text) for m in _measures(text[s:e]))


def names_measure(option: str, measures: frozenset[str]) -> bool:
    """Whether ``option`` names one of ``measures`` ("Submit a quota increase request": quota)."""
    return bool(measures) and bool(_measures(option) & measures)


def reported_normal(text: str) -> str:
    """The measures ``text`` reports as normal ("steady latency, few errors, and normal CPU usage" → those words),
    joined; "" when it reports none."""
    return " ".join(text[s:e] for s, e in normal_spans(text))


def without_normal(text: str) -> str:
    """``text`` without the measures it reports as normal."""
    return without_spans(text, normal_spans(text))
