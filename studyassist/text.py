"""Small text helpers shared by the ingest steps: slugs, normalisation, word matching."""
from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from collections.abc import Callable
from functools import lru_cache

_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "…": "...", "—": "-", "–": "-"})


def slugify(text: str) -> str:
    s = normalize(text)
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s[:60].rstrip("-") or "untitled"


@lru_cache(maxsize=16384)  # the same cells and options are compared again and again while a quiz is made
def normalize(text: str) -> str:
    """Lowercase, straight quotes, single spaces."""
    return re.sub(r"\s+", " ", text.translate(_QUOTES).lower()).strip()


def strip_quotes(text: str) -> str:
    """``text`` without the quotes around it; a quote that closes a value inside it stays ('-replace="<address>"')."""
    text = text.strip()
    while len(text) >= 2 and text[0] in '"“' and text[-1] in '"”':
        text = text[1:-1].strip()
    return text


def listed(items: list[str], most: int = 3) -> str:
    """'a.md, b.md and 2 more': the first ``most`` items, then how many others."""
    return ", ".join(items[:most]) + (f" and {len(items) - most} more" if len(items) > most else "")


def content_hash(*parts: str) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()[:32]


def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """A regex that finds ``phrase`` as whole words in normalised text (slash/hyphen/space interchangeable)."""
    body = r"[\s/\-]*+".join(re.escape(w) for w in phrase_words(phrase))  # a word never starts with a separator
    return re.compile(rf"(?<![a-z0-9]){body}(?:s|es)?(?![a-z0-9])")


_STOP = frozenset("""a an and are as at be by can do does for from has have how i if in into is it its me my of on
or our should so than that the their them then there these this to us was we what when where which while who why
will with you your would could must need needs want wants use using used best better more most not no any all each
other one same new way ways""".split())  # ("the suggested way to …": no word of what is asked)
_TOKEN = re.compile(r"[a-z0-9]+")


def tokenize(text: str) -> list[str]:
    """Lowercased word tokens split on punctuation (``ci/cd`` → ``ci``, ``cd``)."""
    return _TOKEN.findall(normalize(text))


def key_terms(text: str) -> list[str]:
    """Content words: tokens that are not stop words, crudely singularised."""
    return list(_key_terms(text))


@lru_cache(maxsize=16384)
def _key_terms(text: str) -> tuple[str, ...]:
    out = []
    for t in tokenize(text):
        if t in _STOP or len(t) < 2:
            continue
        out.append(_fold(t) if len(t) > 4 else t)
    return tuple(out)


# a plural that adds "es" after a hissing sound ("processes", "indexes", "hashes", "batches"; "caches" adds "s")
_ES_PLURAL = re.compile(r"(?:ss|x|sh|(?<!ca)ch)es$")


def _fold(word: str) -> str:
    """A plural's singular, crudely, so a word and its plural match ("policies" → "policy", "processes" → "process");
    a word ending in "ss", "is" or "us" ("process", "analysis", "status") is left whole."""
    if not word.endswith("s") or word.endswith(("ss", "is", "us")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    return word[:-2] if _ES_PLURAL.search(word) else word[:-1]


BRACKETED = re.compile(r"\([^()]*\)")  # a bracketed part: "(Web Apps / API Apps)", "(Identity and Access Management)"
# the weight an exam guide gives a domain in its heading: "Declarative Sharing (76%)", "Design Identity (20–25%)"
DOMAIN_WEIGHT = re.compile(r"\(\s*+\d{1,3}(?:\s*+[-–]\s*+\d{1,3})?\s*+%\s*+\)")


def without_brackets(text: str) -> str:
    """``text`` without its bracketed parts, spaces collapsed: "Azure App Service (Web Apps)" → "Azure App Service"."""
    return " ".join(BRACKETED.sub(" ", text).split())


def bare_title(title: str) -> str:
    """A heading without the symbols around its words ("AWS Shield ⭐" → "AWS Shield")."""
    return re.sub(r"^[^\w(]+|[^\w)]+$", "", title).strip()


def bracket_names(label: str) -> list[str]:
    """The other names a label gives itself: without its bracketed part, and as each bracket says ("IaaS
    (Infrastructure as a Service)" → "IaaS", "Infrastructure as a Service")."""
    return [without_brackets(label), *(b[1:-1] for b in BRACKETED.findall(label))]


_NAMED_BRACKET = re.compile(r"((?:[A-Z][\w-]*\s+){0,2}[A-Z][\w-]*)\s*\(([^()]{1,120})\)")


def bracket_readings(texts) -> set[str]:
    """A name followed by a bracket of its kinds, each read with the name ("App Engine (Standard for scale to zero,
    Flexible for custom runtimes)" → "App Engine Standard for", "App Engine Flexible for"): how notes write "App Engine
    Flexible" without those words in a row."""
    return {f"{m.group(1)} {' '.join(part.split()[:2])}" for text in texts for m in _NAMED_BRACKET.finditer(text)
            for part in m.group(2).split(",") if part.strip()[:1].isupper()}


_JOINING = frozenset("and of the for to in on".split())  # words an acronym skips ("Detection and Prevention": DP)
ACRONYM_LETTERS = re.compile(r"[A-Z]{2,6}s?")  # an acronym ``expansion`` can spell out ("RBAC", "VMs")


def expansion(acronym: str, text: str) -> str | None:
    """Where ``text`` spells out ``acronym`` ("role-based access control" for RBAC; "Intrusion Detection and
    Prevention System" for IDPS, past its joining words), else None."""
    if not ACRONYM_LETTERS.fullmatch(acronym):
        return None
    acronym = acronym.rstrip("s")
    every = list(re.finditer(r"[A-Za-z]+", text))
    for words in (every, [w for w in every if w.group().lower() not in _JOINING]):
        for i in range(len(words) - len(acronym) + 1):
            run = words[i:i + len(acronym)]
            if "".join(w.group()[0] for w in run).upper() == acronym:
                return text[run[0].start():run[-1].end()]
    return None


_SHOUTED = frozenset("never only always every none least also first before after".split())  # capitals for stress
NOT_ACRONYMS = _STOP | _SHOUTED  # words in capitals that are no acronym ("NOT", "NEVER")
STOP_WORDS = _STOP


def asking_spans(text: str) -> list[tuple[int, int]]:
    """The spans of the sentences that ask (end with a question mark); the whole text when none does."""
    spans = [m.span() for m in re.finditer(r"[^.?!]*(?:[.!](?=\S)[^.?!]*)*\?", text)]
    return spans or [(0, len(text))]


def asking_part(text: str) -> str:
    """The sentences of ``text`` that ask (the whole text when none does)."""
    return " ".join(text[s:e] for s, e in asking_spans(text))


def sentences(text: str) -> list[str]:
    return [p for p in re.split(r"(?<=[.?!])\s+", text.strip()) if p]


def question_sentence(stem: str) -> str:
    """The sentence that asks (the last one with a question mark, else the last sentence)."""
    parts = sentences(stem)
    asking = [p for p in parts if p.endswith("?")]
    return (asking or parts or [stem])[-1]


# "Which role does the CFO hold?": the question asks after one of the people or things its scene names
_ASKED_AFTER = re.compile(r"^(?:which|what) (?:\w+ ){0,3}(?:does|do|is|are|would) (?:the |a |an )?(?P<who>[\w-]+"
                          r"(?: [\w-]+)?) (?:hold|have|play|fill|take|represent|act as|serve as)\b", re.I)
_CLAUSES = re.compile(r"[,;]\s*(?:and |while |but |whereas )?|\.\s+|\s+(?:and|while|but|whereas)\s+(?=the\s)", re.I)


def asked_after(stem: str) -> str | None:
    """What the scene says of the one actor the question asks after, and the question, without the actor's name,
    which is the scene's, not the notes' ("… and the CFO approves the budget that pays for it. Which role does the
    CFO hold?" → "approves the budget that pays for it Which role does hold?"); None when it asks after no one, or
    the scene says nothing else."""
    asking = question_sentence(stem)
    m = _ASKED_AFTER.match(asking)
    if not m or asking not in stem:
        return None
    said = re.compile(rf"\b(?:the |a |an )?{re.escape(m.group('who'))}\b", re.I)
    clauses = [c.strip() for c in _CLAUSES.split(stem[:stem.rindex(asking)]) if c.strip()]
    about = [c for c in clauses if said.search(c)]
    if not about or len(about) == len(clauses):
        return None
    return " ".join(" ".join(said.sub(" ", text).split()) for text in [*about, asking])


def positive_part(choice: str) -> str:
    """The part of a choice cell that is recommended: ``A and B, not C`` → ``A and B``."""
    # "A, not C" / "A — not C" sets C aside; "X is NOT transitive" is one statement and stays whole
    return re.split(r"(?:,|;|\s[—–-])\s*\bnot\b\s+|\binstead of\b", choice, maxsplit=1, flags=re.I)[0].strip()


# Words that open a cell as ordinary English even when a name follows ("Use App Service", "The Azure portal").
_SENTENCE_OPENERS = frozenset("""a an the use using need needs avoid send check compare run keep store create deploy
grant set add enable disable assign prefer choose pick move shift put apply configure give make track log monitor
review require requires when if for with without no only all each every any some""".split())


def sentence_part(text: str) -> str:
    """A table cell ready to sit inside a sentence: no quotes or final period, first letter lower-cased
    unless it starts an acronym ("CI/CD", "RBAC") or a name ("VNet peering", "App Service slots")."""
    t = text.strip().rstrip(".")
    if t[:1] in '"“' and t[-1:] in '"”' and sum(t.count(q) for q in '"“”') == 2:  # a quoted cell, not one that
        t = t[1:-1].rstrip(".")  # opens with a quoted name ('"Pull Queue" (durable, retries)' keeps its quotes)
    words = t.split()
    if t[:2] == t[:2].upper() or (words and any(c.isupper() for c in words[0][1:])):
        return t  # an acronym or a name with inner capitals ("VNet", "IoT")
    if words[0].lower() not in _SENTENCE_OPENERS and any(w[:1].isupper() for w in words[1:3] if w[:1].isalpha()):
        return t  # a proper name of several words ("App Service slots", "Basic Load Balancer")
    return t[:1].lower() + t[1:]


def phrase_words(phrase: str) -> list[str]:
    """The words ``phrase_pattern`` matches in order (normalised, split on space, slash and hyphen)."""
    return [w for w in re.split(r"[\s/\-]+", normalize(phrase)) if w]


_ALNUM_HEAD = re.compile(r"[a-z0-9]+")
ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]{2,5}\b")  # "SSPR", "PIM", "CLU"
_RAW_WORDS = re.compile(r"[A-Za-z0-9]+")


def _spells_out(text: str, words: list[tuple[str, int]]) -> bool:
    """Whether capitalised words spell out an acronym: "Privileged Identity Management", or a name that opens a
    sentence or an option ("Self-service password reset"); "some service provides results" does not."""
    if not words[0][0][0].isupper():
        return False
    before = text[:words[0][1]].rstrip()
    return all(w[0].isupper() for w, _ in words) or not before or before[-1] in ".:;!?()\"'-*"
_WORDCHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_SEPARATORS = frozenset(" /-")


def phrase_spans(t: str, words: list[str]) -> list[tuple[int, int]]:
    """The spans ``phrase_pattern`` would find in normalised text ``t`` (same leftmost, non-overlapping
    scan), for the phrase's ``phrase_words``, without compiling a regex."""
    out: list[tuple[int, int]] = []
    first, n, pos = words[0], len(t), 0
    while True:
        i = t.find(first, pos)
        if i < 0:
            return out
        pos = i + 1
        if i and t[i - 1] in _WORDCHARS:
            continue
        j = i + len(first)
        for w in words[1:]:
            while j < n and t[j] in _SEPARATORS:
                j += 1
            if not t.startswith(w, j):
                break
            j += len(w)
        else:
            for suffix in ("s", "es", ""):
                end = j + len(suffix)
                if t.startswith(suffix, j) and (end >= n or t[end] not in _WORDCHARS):
                    out.append((i, end))
                    pos = max(end, i + 1)
                    break


class ConceptMatcher:
    """Finds concept ids named in text by alias: longest alias first, spans never overlapping.

    Scales to tens of thousands of aliases: a match starts at a word boundary with the alnum head of the
    alias's first word, so only aliases whose head is a prefix of one of the text's tokens and whose words
    all occur in the text are tried, with ``phrase_spans`` (no regex to compile per alias)."""

    def __init__(self, aliases: list[tuple[str, str]], acronyms: list[tuple[str, str]] = ()):
        ranked = sorted((-len(alias), i, cid, words) for i, (cid, alias) in enumerate(aliases)
                        if (words := phrase_words(alias)))
        # (concept id, distinct words, words in order), longest alias first
        self._entries = [(cid, frozenset(words), words) for _, _, cid, words in ranked]
        # Per first-word head, the aliases grouped by their rarest word: a text is tested for that word once
        # per group, so a head shared by thousands of aliases ("event log for ledger-7", …) stays cheap.
        frequency: dict[str, int] = {}
        for _, distinct, _ in self._entries:
            for w in distinct:
                frequency[w] = frequency.get(w, 0) + 1
        self._by_head: dict[str, dict[str, list[int]]] = {}
        self._anywhere: list[int] = []  # first word starts with punctuation: always tried
        for rank, (_, distinct, words) in enumerate(self._entries):
            head = _ALNUM_HEAD.match(words[0])
            if head:
                rare = min(distinct, key=lambda w: (frequency[w], w))
                self._by_head.setdefault(head.group(), {}).setdefault(rare, []).append(rank)
            else:
                self._anywhere.append(rank)
        self._longest_head = max((len(h) for h in self._by_head), default=0)
        self._longest_rare = {h: max(map(len, groups)) for h, groups in self._by_head.items()}
        # Acronyms, both ways: "SSPR" in the review is named by "self-service password reset" (initials of
        # consecutive words), and "Privileged Identity Management" by "PIM" written in capitals.
        self._spelled: dict[str, str] = {}  # initials → concept id, for an acronym the review uses
        self._initials: dict[str, str] = {}  # initials → concept id, for a name of 3–6 words
        for cid, name in acronyms:
            if ACRONYM.fullmatch(name):
                self._spelled.setdefault(name.lower(), cid)
            elif 3 <= len(words := _ALNUM_HEAD.findall(normalize(name))) <= 6:
                self._initials.setdefault("".join(w[0] for w in words), cid)
        self._spelled_lengths = sorted({len(k) for k in self._spelled})
        # … by those words only, when its concept spells it out as others ("WAF": "Web application firewall" is no
        # "Well-Architected Framework")
        self._spelled_as: dict[str, set[str]] = {}
        for cid, words in ((cid, _RAW_WORDS.findall(normalize(alias))) for cid, alias in aliases):
            if words and self._spelled.get(key := "".join(w[0] for w in words)) == cid:
                self._spelled_as.setdefault(key, set()).add(" ".join(words))
        self._cached = lru_cache(maxsize=8192)(self._find)  # option and cell texts repeat across requests

    def find(self, text: str) -> list[str]:
        return list(self._cached(text))

    @property
    def concepts(self) -> frozenset[str]:
        """Every concept id this matcher can find."""
        return frozenset(cid for cid, _, _ in self._entries)

    def _candidates(self, t: str, occurs: Callable[[str], bool]) -> list[int]:
        ranks = set(self._anywhere)
        heads = {token[:end] for token in set(_ALNUM_HEAD.findall(t))
                 for end in range(1, min(len(token), self._longest_head) + 1)}  # "widget" and "widgets": one head
        for head in heads & self._by_head.keys():
            groups, longest = self._by_head[head], self._longest_rare[head]
            if len(groups) > len(t) * longest:
                # thousands of aliases share this head ("widget tool 1", "widget tool 2", …): looking up every
                # piece of a short text is cheaper than testing each alias's word against it (same result)
                for a in range(len(t)):
                    for b in range(a + 1, min(len(t), a + longest) + 1):
                        ranks.update(groups.get(t[a:b], ()))
                continue
            for rare, group in groups.items():
                if occurs(rare):
                    ranks.update(group)
        return sorted(ranks)

    def _find(self, text: str) -> tuple[str, ...]:
        t = normalize(text)
        occurs = lru_cache(maxsize=None)(t.__contains__)  # a long text is searched once per word, not per alias
        taken = _Spans()
        found: list[tuple[int, str]] = []
        for rank in self._candidates(t, occurs):
            if not all(occurs(w) for w in self._entries[rank][1]):  # every word must occur somewhere
                continue
            for s, e in phrase_spans(t, self._entries[rank][2]):
                if taken.add(s, e):
                    found.append((s, self._entries[rank][0]))
        if self._spelled:
            words = [(m.group(), m.start()) for m in _RAW_WORDS.finditer(text)]
            initials = "".join(w[0][0] for w in words).lower()
            for n in self._spelled_lengths:
                for i in range(len(words) - n + 1):
                    cid = self._spelled.get(key := initials[i:i + n])
                    if cid and _spells_out(text, words[i:i + n]) and (key not in self._spelled_as or " ".join(
                            w.lower() for w, _ in words[i:i + n]) in self._spelled_as[key]):
                        found.append((len(t) + words[i][1], cid))  # after the aliases' spans, in text order
            for (word, at), (short, _) in zip(words, words[1:]):  # "network ACL": NACL
                if short.isupper() and len(short) >= 2 and (cid := self._spelled.get((word[0] + short).lower())):
                    found.append((len(t) + at, cid))
        if self._initials:
            for token in {m.group().lower() for m in ACRONYM.finditer(text)} & self._initials.keys():
                for s, e in phrase_spans(t, [token]):
                    if taken.add(s, e):
                        found.append((s, self._initials[token]))
        return tuple(dict.fromkeys(cid for _, cid in sorted(found)))


class _Spans:
    """Spans that never overlap, kept sorted: whether a new one overlaps any is one binary search (checking every
    kept span took 40 s for a 300 KB cell naming a concept 20,000 times; this takes a fraction of a second)."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def add(self, start: int, end: int) -> bool:
        """Keep ``[start, end)`` unless it overlaps a kept span; whether it was kept."""
        i = bisect_left(self._starts, end)  # the kept spans before i start before ``end``; the last ends latest
        if i and self._ends[i - 1] > start:
            return False
        self._starts.insert(i, start)
        self._ends.insert(i, end)
        return True


def singular(word: str) -> str:
    """A naive singular for matching ("gates" → "gate", "policies" → "policy", "processes" → "process", "process"
    and "status" stay)."""
    return _fold(word) if len(word) > 3 else word


# Short words common in German, Spanish, French, Portuguese, Italian and Dutch questions and rare in English ones
# (a few, like "die" or "come", are English words too: `looks_foreign` wants two of them and more than English ones).
_FOREIGN_WORDS = frozenset(
    "der die das und ist nicht ich wie wann warum welche welcher mein meine ein eine einen mit für "  # de
    "el los las una por qué cuál cómo cuándo para es está mi mis del "  # es
    "le les est une pour pourquoi quel quelle comment quand je mon ma avec "  # fr
    "o os um uma não por que qual como quando meu minha com "  # pt
    "il lo gli perché quale come quando mio mia con non "  # it
    "het een niet waarom welke hoe wanneer mijn met".split())
_ENGLISH_WORDS = frozenset("the a an is are and or of to in on for with what which when why how do does my i "
                           "should can not it this that".split())


def looks_foreign(text: str) -> bool:
    """Whether a question reads as written in another language than English: at least two of another language's
    short words and more of them than English ones ("Wie stoppe ich die Kosten für meinen Cluster?")."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    foreign = sum(w in _FOREIGN_WORDS for w in words)
    return foreign >= 2 and foreign > sum(w in _ENGLISH_WORDS for w in words)


def short_stems(text: str) -> frozenset[str]:
    """The first five letters of each key term longer than two letters: "row-oriented" and "Row" meet at "row"."""
    return frozenset(w[:5] for w in key_terms(text) if len(w) > 2)
