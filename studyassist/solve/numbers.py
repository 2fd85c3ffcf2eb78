"""Numbers an option states against the numbers the review gives: "the Standard tier allows up to 20 slots"
contradicts the row "App Service Standard slots | 5", whose words it uses; embeddings and BM25 cannot see that.

Only fact rows take part: table rows whose choice is a value ("5", "99.99%", "90 days"). An option is checked
against the fact row whose key words it uses most (at least two of them, and more than any other fact row); it
contradicts that row when it states numbers and none of them is the row's. An option that states no number may
fall short of a percentage the stem asks for: "a 99.99% SLA" is not met by "a single VM with Premium SSD" when
the row for that configuration gives 99.9% (shares, where more is more: a count in a stem is as often a limit as
a need). A duration is compared only when a rule calls its own a limit ("Lambda has time limits (15 minutes max)")
and the stem says how long the work runs ("the job runs for about 40 minutes"): what runs longer than the limit of
the thing an option names falls short of it. An amount in a unit ("needs roughly 25 watts") rules out an option
whose rule gives less of it ("802.3af | 15.4w"), and "the oldest (or lowest) that can" picks the least that is enough.

Options that are values ("30 days", "90 days", "180 days") are looked up: the rule whose words the stem uses most
(any rule, not only fact rows: "Cool | Medium | Medium | 30 days") and that states one of them gives it; when
it states several ("90 days standard, 365 days premium"), the one in the part of the cell the stem's words name.
"""
from __future__ import annotations

import re

from studyassist.knowledge.model import KnowledgeBase
from studyassist.text import key_terms, tokenize

_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*")
MIN_SHARED = 2  # key words an option must share with a fact row to be about it
_PART = re.compile(r"[|;,()]")  # where one part of a rule's text ends: a cell, a clause, a note in brackets
_DURATION = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)[\s-]*(seconds?|secs?|minutes?|mins?|hours?|hrs?|days?)\b", re.I)
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}  # by the unit's first letter
_LIMIT = re.compile(r"\b(?:max|maximum|limits?|limited to|at most|no more than|up to)\b", re.I)
# a stem's duration is how long the work runs only in a sentence that says so ("a job that runs for 40 minutes",
# not "every 30 minutes" or "within 5 minutes")
_RUNS = re.compile(r"\b(?:runs?|running|takes?|lasts?|executes?|execution|processing|needs?)\b(?:\s+\w+){0,4}?\s+"
                   r"(?:for\s+)?(?:about|around|roughly|up to|over|more than|nearly|at least)?\s*$", re.I)


# the unit word after a number, read where the number ends (not on a copy of the rest of the text per number)
_UNIT = re.compile(r"\s*([a-z%]+)", re.I)
_AMOUNT_UNIT = re.compile(r"\s*([a-z]+)(\+?)", re.I)  # … and a "+" after it ("10 TB+": at least)


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def numbers(text: str) -> set[str]:
    """The numbers in ``text``, written without thousands separators ("5,000" and "5000" are one number)."""
    return {n.replace(",", "") for n in _NUMBER.findall(text)}


def _values(text: str) -> set[tuple[str, str]]:
    """The numbers of ``text`` with the unit word after each ("30 days" → ("30", "day")), so a count of 30 is
    not 30 days."""
    out = set()
    for m in _NUMBER.finditer(text):
        unit = _UNIT.match(text, m.end())
        out.add((m.group(0).replace(",", ""), _singular(unit.group(1).lower() if unit else "")))
    return out


def durations(text: str) -> list[float]:
    """The durations ``text`` states, in seconds ("15 minutes" → 900.0)."""
    return [float(m.group(1)) * _SECONDS[m.group(2)[0].lower()] for m in _DURATION.finditer(text)]


def run_times(stem: str) -> list[float]:
    """The durations a stem gives as how long its work runs ("runs continuously for about 40 minutes")."""
    return [float(m.group(1)) * _SECONDS[m.group(2)[0].lower()] for m in _DURATION.finditer(stem)
            if _RUNS.search(stem[max(0, m.start() - 60):m.start()])]


def kinds(text: str) -> set[str]:
    """What the numbers of ``text`` measure, roughly: a share ("99.95%"), a fraction ("2.5") or a count ("20")."""
    out = set()
    for m in _NUMBER.finditer(text):
        n = m.group(0).replace(",", "")
        out.add("%" if text[m.end():m.end() + 1] == "%" else "." if "." in n else "#")
    return out


# numbers a stem spells out ("ten staging environments"; not "one", which is as often "one web app" as a count)
_WORD_NUMBERS = {w: str(i) for i, w in enumerate(
    "_ _ two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty".split()) if w != "_"} | {"thirty": "30", "forty": "40", "fifty": "50", "hundred": "100"}
_SPELLED = re.compile(rf"\b({'|'.join(_WORD_NUMBERS)})\b", re.I)


def numbers_said(text: str) -> set[str]:
    """The numbers of ``text``, those it spells out too ("ten staging environments" → {"10"})."""
    return numbers(_SPELLED.sub(_digits, text))


def _digits(spelled: re.Match) -> str:
    return _WORD_NUMBERS[spelled.group(1).lower()]


# "one" is a count after a bound ("only one restriction rule", "a single region")
_BOUNDED_ONE = re.compile(r"\b(only|just|exactly|at most|up to|maximum of|no more than) one\b|\b(?:a|one) single\b",
                          re.I)
COUNTED_WORDS = 3  # the words after a number that say what it counts ("two active restriction rules")
_NAMED = re.compile(r"\b[A-Z][\w-]+")  # a name: the edition, tier or region a count is said of
_ELIDED = re.compile(r"\s*+(?:in|for|on|at|per|with|under|of|each)\b", re.I)  # … unless it leaves that to the last


def _spelled(text: str) -> str:
    """``text`` with the counts it spells out as digits ("up to two rules" → "up to 2 rules", "only one" → "only 1")."""
    text = _BOUNDED_ONE.sub(lambda m: f"{m.group(1)} 1" if m.group(1) else "1", text)
    return _SPELLED.sub(_digits, text)


def _counts(text: str) -> list[tuple[str, frozenset[str], frozenset[str]]]:
    """Each count of ``text`` (digits): (the number, what it counts: the content words of the ``COUNTED_WORDS``
    words after it, the names its part gives, up to the next number: "in Enterprise and Developer editions")."""
    found = list(_NUMBER.finditer(text))
    out: list[tuple[str, frozenset[str], frozenset[str]]] = []
    for m, end in zip(found, [n.start() for n in found[1:]] + [len(text)]):
        after = text[m.end():end]
        counted = frozenset(key_terms(" ".join(after.split()[:COUNTED_WORDS])))
        if out and _ELIDED.match(after):  # "up to two rules in Standard and up to five in Premier": rules too
            counted = out[-1][1]
        out.append((m.group(0).replace(",", ""), counted, frozenset(w.lower() for w in _NAMED.findall(after))))
    return out


_LEAST = re.compile(r"\b(lowest|minimum|cheapest|smallest|least expensive)\b", re.I)
# the least of what is enough, said of standards and versions ("the oldest PoE standard that can power it")
_FIRST = re.compile(r"\b(oldest|earliest)\b", re.I)
# units a need is stated in, by their written forms ("25 watts" is the "25.5w" of a row); units of one quantity at
# another scale are other units (a need in kW is not compared with a row in W)
_UNITS = {"w": "watt", "watt": "watt", "kw": "kilowatt", "v": "volt", "volt": "volt", "gb": "gb", "tb": "tb",
          "mb": "mb", "gbp": "gbps", "mbp": "mbps", "gbps": "gbps", "mbps": "mbps", "ghz": "ghz", "mhz": "mhz",
          "vcpu": "vcpu", "core": "core", "cpu": "vcpu", "iops": "iops", "iop": "iops"}

_OVER = re.compile(r"(?:>|≥|\bover|\bmore than|\bat least|\babove|\bbeyond)\s*$", re.I)


def _amounts(text: str, held: bool = True) -> dict[str, list[float]]:
    """The amounts ``text`` states in a known unit, by unit ("POE+, 25.5w 600mA" → {"watt": [25.5]}); in what a rule
    ``held`` gives, one stated as a least ("> 10 TB", "10 TB+": what a choice is for, not what it holds) has no
    bound (infinity); in a stem's need it is the need ("over 5 GB")."""
    out: dict[str, list[float]] = {}
    for m in _NUMBER.finditer(text):
        unit = _AMOUNT_UNIT.match(text, m.end())
        word = _singular(unit.group(1).lower() if unit else "")
        if word in _UNITS:
            least = held and (bool(unit.group(2)) or bool(_OVER.search(text[max(0, m.start() - 12):m.start()])))
            out.setdefault(_UNITS[word], []).append(float("inf") if least else float(m.group(0).replace(",", "")))
    return out


def _holds(stated: set[tuple[str, str]], held: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """The values of ``stated`` that ``held`` has: the same number with the same unit, or any unit for a bare number
    ("6" is the "6 levels" of a row, when every option is a bare number)."""
    units = {}
    for n, unit in held:
        units.setdefault(n, set()).add(unit)
    return {(n, u) for n, u in stated if n in units and (u in units[n] or not u)}


def _sole_best(scored: list[tuple]) -> tuple | None:
    """The first of ``scored`` (sorted best first by shared words) when it shares at least ``MIN_SHARED`` words and
    nothing else shares as many: about two rows equally is about neither."""
    if not scored or scored[0][0] < MIN_SHARED or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return scored[0]


class FactRows:
    """The review's fact rows, each as (its id, its key words, the numbers of its value, what they measure)."""

    def __init__(self, kb: KnowledgeBase):
        self.rows: list[tuple[str, frozenset[str], frozenset[str], frozenset[str]]] = []
        for r in kb.table_rules:
            value = numbers(r.choice)
            if value and not r.sides and len(r.choice.split()) <= 4:
                self.rows.append((r.id, frozenset(key_terms(r.situation)), frozenset(value),
                                  frozenset(kinds(r.choice))))
        self._value = {rid: value for rid, _, value, _ in self.rows}
        # every rule that states a number: (id, its words without the numbers, its text); not a command, whose
        # numbers are an example's arguments ("--range=10.0.0.0/24" is no advice on a subnet's size)
        commands = {t.id for t in kb.tables if t.lists_commands}
        self._stating = [(r.id, frozenset(key_terms(_NUMBER.sub(" ", r.text))), r.text)
                         for r in kb.rules if _NUMBER.search(r.text) and r.table not in commands]
        # counts that prose and lists state, spelled out too: (id, their words without numbers, their counts)
        self._counted = [(r.id, frozenset(key_terms(_NUMBER.sub(" ", said))), found) for r in kb.rules
                         if not r.table and (found := _counts(said := _spelled(r.text)))]
        # rules that state amounts in a known unit: (id, their words, their amounts by unit)
        self._amounts = [(r.id, frozenset(tokenize(f"{r.choice} {r.text}")), amounts) for r in kb.rules
                         if r.table not in commands and (amounts := _amounts(r.text))]
        # rules that give a duration as a limit: (id, their words, the longest duration they allow)
        self._limits = [(rid, words, max(durations(text))) for rid, words, text in self._stating
                        if _LIMIT.search(text) and durations(text)]

    def looked_up(self, stem: str, options: list[str]) -> tuple[int, str] | None:
        """(option index, rule id) when at least three options are values and the rule the stem names states
        exactly one of them (or one in the part of its text the stem's words name), else None; None too when the
        option says more than its value that the rule does not ("*.cloud.microsoft on TCP 3390" is no "UDP port …
        (session host uses 3390)", whose value it holds: at least half its words the rule's)."""
        stated = [_values(o) for o in options]
        if sum(bool(v) for v in stated) < 3:
            return None
        want = frozenset(key_terms(_NUMBER.sub(" ", stem)))
        # a number the stem gives that no option states counts as a word shared ("failed on three occasions": "If
        # you fail 3 times, you must wait 14 days", not "retake after 24 hours" beside it) by a rule that shares
        # words enough without it (a team "of eight" is not the "8-12 weeks" of a study plan)
        given = numbers_said(stem) - set().union(*(numbers(o) for o in options))
        scored = sorted(((n + len(given & numbers(text)), rid, text) for rid, words, text in self._stating
                         if any(_holds(v, _values(text)) for v in stated)
                         and (n := len(want & words)) >= MIN_SHARED), reverse=True)
        if (best := _sole_best(scored)) is None:
            return None
        _, rid, text = best
        held = [i for i, v in enumerate(stated) if v and _holds(v, _values(text)) == v]
        if len(held) > 1:  # "90 days standard, 365 days premium": the part the stem's words name
            parts = {i: max(len(want & set(key_terms(_NUMBER.sub(" ", p)))) for p in _PART.split(text)
                            if _holds(stated[i], _values(p))) for i in held}
            top = max(parts.values())
            held = [i for i in held if parts[i] == top] if top else []
        if len(held) != 1:
            return None
        said, rule_words = set(key_terms(_NUMBER.sub(" ", options[held[0]]))), next(
            words for r, words, _ in self._stating if r == rid)
        return (held[0], rid) if len(said - rule_words) <= len(said) / 2 else None

    def enough(self, stem: str, options: list[str]) -> tuple[int, str] | None:
        """(option index, rule id) of the least option that is enough: by a count (``counted``) or an amount
        (``least_enough``)."""
        return self.counted(stem, options) or self.least_enough(stem, options)

    def counted(self, stem: str, options: list[str]) -> tuple[int, str] | None:
        """(option index, rule id) for "the lowest tier with enough slots for ten environments": of the options
        that name a count row (all of the option's words, and more of the stem's than any other count row), the one
        with the smallest count that is at least the stem's number; None unless two options name such rows, the stem
        asks for the least and states one number ("ten" or "10")."""
        wanted = numbers_said(stem)
        if len(wanted) != 1 or not _LEAST.search(stem) or any(numbers(o) for o in options):
            return None
        need, stem_terms = float(next(iter(wanted))), set(key_terms(stem))
        rows = []
        for i, option in enumerate(options):
            own = set(key_terms(option))
            scored = sorted(((len(words & stem_terms), rid) for rid, words, _, kind in self.rows
                             if kind == {"#"} and own and own <= words), reverse=True)
            if (best := _sole_best(scored)) is not None:
                rows.append((min(float(v) for v in self._value[best[1]]), i, best[1]))
        enough = sorted(r for r in rows if r[0] >= need)
        return (enough[0][1], enough[0][2]) if len(rows) >= 2 and enough else None

    def _amounts_of(self, option: str, units: set[str]) -> tuple[str, dict[str, list[float]]] | None:
        """(rule id, amounts) of the rule that states amounts in ``units`` and shares the most of the option's words
        (alone, and at least half of them): "802.3bt Type 3 (PoE++)" is the row "802.3bt (2018) | POE++, 51w …"."""
        own = set(tokenize(option))
        scored = sorted(((len(own & words), rid, amounts) for rid, words, amounts in self._amounts
                         if units & amounts.keys()), key=lambda x: x[0], reverse=True)
        if not scored or 2 * scored[0][0] < len(own) or len(scored) > 1 and scored[1][0] == scored[0][0]:
            return None
        return scored[0][1], scored[0][2]

    def short_of(self, option: str, stem: str) -> str | None:
        """The id of the rule for what ``option`` names when the stem needs an amount ("roughly 25 watts") and every
        amount that rule gives in its unit is less ("15.4w"); None otherwise."""
        need = _amounts(stem, held=False)
        found = self._amounts_of(option, set(need)) if need else None
        if found is None:
            return None
        rid, amounts = found
        short = [u for u in need if u in amounts and max(amounts[u]) < max(need[u])]
        return rid if short else None

    def least_enough(self, stem: str, options: list[str]) -> tuple[int, str] | None:
        """(option index, rule id) for "the oldest standard that can power 25 watts": of options whose rules all give
        amounts in the stem's one unit, the one whose amount is the smallest that meets the need (alone); None unless
        the stem asks for the least or the oldest."""
        need = _amounts(stem, held=False)
        if len(need) != 1 or not (_LEAST.search(stem) or _FIRST.search(stem)):
            return None
        (unit, wanted), = need.items()
        found = [self._amounts_of(o, {unit}) for o in options]
        if any(f is None for f in found):
            return None
        enough = sorted((max(f[1][unit]), i, f[0]) for i, f in enumerate(found) if f and max(f[1][unit]) >= max(wanted))
        if not enough or len(enough) > 1 and enough[1][0] == enough[0][0]:
            return None
        return enough[0][1], enough[0][2]

    def wrong(self, option: str, stem: str, options: tuple[str, ...] = ()) -> str | None:
        """The id of the rule whose numbers ``option`` contradicts or falls short of, or None."""
        return self.contradicted(option, stem) or self.falls_short(option, stem, options)

    def contradicted(self, option: str, stem: str = "") -> str | None:
        """The id of the fact row ``option`` is about and states other numbers than, or of the prose or list rule
        that counts what it counts with other numbers (``miscounted``), or None."""
        return self._against(option, numbers(option), kinds(option)) or self.miscounted(option, stem)

    def miscounted(self, option: str, stem: str) -> str | None:
        """The id of the rule outside tables that counts what ``option`` counts (two words of what its numbers count
        are what the rule's do) and whose words it uses most, when none of that rule's numbers for it is the
        option's ("Only one restriction rule per object" against "up to two active restriction rules per object in
        Enterprise … and up to five … in Unlimited editions"); when those numbers differ, the one whose part the
        ``stem`` names more of ("on Unlimited Edition": five; "the maximum is two" is wrong there)."""
        said = _counts(spelled := _spelled(option))
        if not said:
            return None
        stated, terms = {n for n, _, _ in said}, set(key_terms(_NUMBER.sub(" ", spelled)))
        scored = sorted(((len(terms & words), rid, same) for rid, words, found in self._counted
                         if (same := [c for c in found if any(len(c[1] & own) >= MIN_SHARED for _, own, _ in said)])),
                        key=lambda x: x[0], reverse=True)
        if (best := _sole_best(scored)) is None:
            return None
        rid, same = best[1], best[2]
        if not stated & {n for n, _, _ in same}:
            return rid
        asked = {w.lower() for w in tokenize(stem)}
        named = sorted(((len(asked & names), n) for n, _, names in same), reverse=True)
        distinct = len({n for n, _, _ in same}) > 1 and named[0][0] > (named[1][0] if len(named) > 1 else 0)
        return rid if distinct and named[0][1] not in stated else None

    def falls_short(self, option: str, stem: str, options: tuple[str, ...] = ()) -> str | None:
        """The id of the share-valued fact row an option without numbers is about, when the row's share is below
        every share the stem asks for ("99.99%" against a row of 99.9%), or of a rule that gives a time limit for what
        the option names (its words that no other of ``options`` has) when the stem's work runs longer than every
        such limit; None otherwise."""
        wanted = [float(m.group(0).replace(",", "")) for m in _NUMBER.finditer(stem)
                  if stem[m.end():m.end() + 1] == "%"]
        if short := self.short_of(option, stem):  # "802.3af" when the stem needs 25 watts and its row gives 15.4w
            return short
        if numbers(option):
            return None
        if not wanted:
            return self._over_limit(option, stem, options)
        rid = self._about(option, {"%"})
        value = self._value.get(rid, ())
        return rid if value and max(float(v) for v in value) < min(wanted) else None

    def _over_limit(self, option: str, stem: str, options: tuple[str, ...]) -> str | None:
        runs = run_times(stem) if self._limits else []
        others = {t for o in options if o != option for t in key_terms(o)}
        own = set(key_terms(option)) - others
        limits = [(rid, limit) for rid, words, limit in self._limits if own and own <= words] if runs else []
        return limits[0][0] if limits and max(runs) > max(limit for _, limit in limits) else None

    def _against(self, option: str, stated: set[str], measured: set[str]) -> str | None:
        if not stated:
            return None
        rid = self._about(option, measured)
        return rid if rid is not None and not stated & self._value[rid] else None

    def _about(self, option: str, measured: set[str]) -> str | None:
        """The fact row whose value measures what ``measured`` names and whose key words ``option`` uses most."""
        terms = set(key_terms(option))
        # rows whose value measures what the option's numbers do ("20 slots" is no SLA percentage)
        scored = sorted(((len(terms & words), rid) for rid, words, _, kind in self.rows if kind & measured),
                        reverse=True)
        best = _sole_best(scored)  # about no fact row, or about two equally: not this check's to judge
        return best[1] if best else None
