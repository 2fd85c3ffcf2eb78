"""Concepts: canonical choice names with aliases, and which rules choose or mention them."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from studyassist.knowledge.model import GENERIC_MENTIONS, Concept, Rule
from studyassist.pack import ConceptSpec
from studyassist.text import (
    ConceptMatcher,
    bare_title,
    bracket_names,
    normalize,
    positive_part,
    singular,
    slugify,
    without_brackets,
)

# Words that start a choice cell but are not part of the thing chosen ("Use least-privilege RBAC").
LEADING_VERBS = ("use ", "assign ", "prefer ", "choose ", "apply ")


@dataclass
class _Draft:
    label: str
    family: str
    aliases: list[str] = field(default_factory=list)
    from_pack: bool = False
    setting: tuple[str, ...] = ()
    realm: str = ""  # where the name means this concept: PACK_REALM, or one document the pack does not serve
    id: str = ""

    def __post_init__(self) -> None:
        self.id = self.id or slugify(self.label)


_ASKED = re.compile(r"^(?:what|who)\s+(?:is|are)\s+(?:an?\s+|the\s+)?(.+?)\s*\?$", re.I)  # a question naming it
_SPELLED = re.compile(r"[A-Z][\w-]*(?: (?:and |of |for )?[A-Z][\w-]*)+")  # "Simple Queue Service", "Identity and …"
SHARED_FIRST = 3  # subjects of one document starting with one word ("Amazon", "AWS") for it to be left out of a name

# The documents a pack serves share its concepts (one exam, one vocabulary); every other document is a realm of its
# own, so the same name in another exam's notes is another concept, never merged with this exam's.
PACK_REALM = ""


# A short tag after a dash ("Enhanced fan-out consumer - push") and a word's other name in brackets ("Shared (classic)
# fan-out consumer") are not needed to name a subject: it also goes by its name without the tag, and with the other word
_TAGGED = re.compile(r"(?<!\s)\s++[-–—]\s++\w++(?:\s\w++)?$")  # (from a run's start: a long run scanned once)
_ALSO_CALLED = re.compile(r"^\w++\s++\((\w++)\)(?=\s+\w)")


# A hedge after the thing chosen ("Serverless compute, where available") is not part of its name.
# It starts only where a run of spaces starts, so a long run is scanned once.
_QUALIFIER = re.compile(r",?(?<!\s)\s++where (available|required|appropriate|relevant|needed)\s*+$", re.I)


# The last word of a table's title or choice header naming the kind of its rows ("WAF Rule Types", "Tier"): an option
# names a row with it ("Rate-based rule", "Advanced tier").
_KIND_OF_ROWS = re.compile(r"(?:^|\s)(?:(\w[\w-]*) (?:types?|kinds?|categories)|"
                           r"(tier|plan|mode|level|class|edition|sku|policy|rule)s?)$", re.I)


def qualified_names(title: str, header: str, choice: str) -> list[str]:
    """What an exam calls a row of a table about one thing: the row's one-word name after the table's subject ("AWS
    Shield" + "Advanced": "AWS Shield Advanced") or its short name before its kind ("Rate-based" under "WAF Rule
    Types": "Rate-based rule"; "Advanced" in a "Tier" column: "Advanced tier")."""
    subject = bare_title(title)
    if not subject or len(choice.split()) > 3 or not re.search(r"[^\W\d]", choice):
        return []
    names = []
    for text in (subject, header):
        if m := _KIND_OF_ROWS.search(text):
            names.append(f"{choice} {(m.group(1) or m.group(2)).lower()}")
    words = subject.split()
    if 2 <= len(words) <= 3 and singular(words[-1].lower()) == words[-1].lower() and len(choice.split()) == 1 \
            and not _KIND_OF_ROWS.search(subject):  # (a named thing, not a heading of many: "Acronyms", "Key Numbers")
        names.append(f"{subject} {choice}")
    return [n for n in dict.fromkeys(names) if normalize(n) != normalize(choice)]


def strip_leading_verb(text: str) -> str:
    t = text.strip()
    for verb in LEADING_VERBS:
        if t.lower().startswith(verb):
            rest = t[len(verb):].strip()
            return rest[:1].upper() + rest[1:]
    return t


class ConceptBuilder:
    """Collects concepts from the exam pack's concept list and the tables, then links them to rules. ``shares_pack``
    says which documents use the pack's concepts (those it serves); each other document has concepts of its own."""

    def __init__(self, curated: Sequence[ConceptSpec] = (),
                 shares_pack: Callable[[str], bool] = lambda document: True) -> None:
        self._drafts: dict[str, _Draft] = {}
        self._alias_owner: dict[tuple[str, str], str] = {}  # (realm, normalised alias) -> concept id
        self._shares_pack = shares_pack
        for spec in curated:
            self._add(_Draft(spec.label, spec.family, [spec.label, *spec.aliases, *spec.setting_aliases],
                             from_pack=True, setting=spec.setting_aliases, realm=PACK_REALM))

    def realm(self, document: str) -> str:
        return PACK_REALM if self._shares_pack(document) else document

    def _add(self, d: _Draft) -> None:
        self._drafts[d.id] = d
        for a in d.aliases:
            self._alias_owner.setdefault((d.realm, normalize(a)), d.id)

    def owner_of(self, text: str, realm: str = PACK_REALM) -> str | None:
        for candidate in dict.fromkeys((text, strip_leading_verb(text), _QUALIFIER.sub("", text))):
            if owner := self._alias_owner.get((realm, normalize(candidate))):
                return owner
        return None

    def add_choice(self, label: str, family: str, document: str = "") -> str:
        """Register a choice cell of ``document`` as a concept (merged into one of its realm when an alias matches;
        a name another realm already uses gets an id of its own)."""
        realm = self.realm(document)
        label = strip_leading_verb(label.strip().rstrip("."))
        if owner := self.owner_of(label, realm):
            d = self._drafts[owner]
            if normalize(label) not in {normalize(a) for a in d.aliases}:
                d.aliases.append(label)
                self._alias_owner.setdefault((realm, normalize(label)), owner)
            return owner
        d = _Draft(label, family, [label], realm=realm)
        n = 2
        while d.id in self._drafts and self._drafts[d.id].realm != realm:
            d.id, n = f"{slugify(label)}-{n}", n + 1
        if d.id in self._drafts:  # same slug from another table: same concept
            return d.id
        self._add(d)
        return d.id

    def add_alias(self, cid: str, alias: str) -> None:
        """Another name of a concept ("Disk Encryption Set" for DES), unless its realm already uses that name."""
        d = self._drafts[cid]
        if self._alias_owner.setdefault((d.realm, normalize(alias)), cid) == cid \
                and normalize(alias) not in {normalize(a) for a in d.aliases}:
            d.aliases.append(alias)

    def add_subject(self, label: str, document: str) -> str:
        """Register what a section of ``document`` is about ("Azure App Service (Web Apps / API Apps)", the subject of
        its points) as a concept, also known without its bracketed part and by each side of an "&" that names
        something itself ("App Configuration & Feature Flags")."""
        cid = self.add_choice(label, f"{document}::subjects", document)
        bare = without_brackets(label)
        named = _TAGGED.sub("", bare)  # ("Enhanced fan-out consumer - push": "Enhanced fan-out consumer")
        other = _ALSO_CALLED.sub(r"\1", _TAGGED.sub("", label))  # ("Shared (classic) fan-out …": "classic fan-out …")
        parts = [p.strip() for p in bare.split(" & ") if len(p.split()) >= 2]
        after = bare.split(": ", 1)[1].strip() if ": " in bare else ""  # ("Amazon SQS: Standard Queues")
        names = [bare, named, other, *parts, *([after] if len(after.split()) >= 2 else [])]
        names += [f"{n.rsplit(' ', 1)[0]} {singular(n.rsplit(' ', 1)[1])}" for n in names if len(n.split()) >= 2]
        for alias in dict.fromkeys(names):  # (and one of a thing: "a standard queue")
            if alias:
                self.add_alias(cid, alias)
        return cid

    def _short_names(self) -> None:
        """The subjects of a document no pack serves also go by the name their brackets spell out ("Amazon SQS (Simple
        Queue Service)": "Simple Queue Service"; not a list, "(Blob, Queue, Table)") and by the acronym left without
        the word most of them start with ("SQS" when "Amazon" starts three or more; not "App Service" of "Azure App
        Service", which an option "Dedicated (App Service) plan" would then name): a learner asks "SQS vs SNS?"."""
        subjects = [(d, bare.split(), inside) for d in self._drafts.values()
                    if d.realm != PACK_REALM and d.family.endswith("::subjects")
                    for bare, *inside in [bracket_names(d.label)]]
        firsts = Counter((d.realm, words[0]) for d, words, _ in subjects if len(words) > 1)
        for d, words, inside in subjects:
            shorter = [words[1]] if len(words) == 2 and firsts[(d.realm, words[0])] >= SHARED_FIRST and re.fullmatch(
                r"[A-Z][A-Z0-9]{1,5}", words[1]) else []
            for alias in shorter + [b.strip() for b in inside if _SPELLED.fullmatch(b.strip())]:
                self.add_alias(d.id, alias)

    def _bare_names(self) -> None:
        """A concept of a document no pack serves also goes by its name without a bracketed note ("Cloud Run
        (Serverless, easiest)": "Cloud Run", which a learner asks about; "What is a build project?": "build project"),
        unless another of its concepts goes by that name too ("EIGRP (internal)" beside "EIGRP (external)")."""
        drafts = [(d, _ASKED.sub(r"\1", without_brackets(d.label))) for d in self._drafts.values()
                  if d.realm != PACK_REALM]
        bare = Counter((d.realm, normalize(b)) for d, b in drafts)
        for d, b in drafts:
            if len(re.findall(r"[^\W\d_]", b)) >= 3 and normalize(b) != normalize(d.label) and \
                    bare[(d.realm, normalize(b))] == 1:  # (a name of letters: not the "6a" of "6a (Class Ea)")
                self.add_alias(d.id, b)

    def matcher(self, realm: str | None = None) -> ConceptMatcher:
        """The names to look for (in one realm, or all)."""
        pairs = [(d.id, a) for d in self._drafts.values() if realm is None or d.realm == realm for a in d.aliases
                 # one-word table items ("Code", "Data") would match everywhere; an acronym's spelled-out name not
                 if d.from_pack or len(d.label.split()) >= 2 or len(a.split()) >= 2]
        return ConceptMatcher(pairs)

    def _inner_pack_names(self, rules: list[Rule], chosen_by: dict[str, list[str]]) -> None:
        """A choice cell that became a concept of its own ("Use private networking controls where required") still
        chooses the pack's concept it names ("private networking"), which the longer name hides from the
        longest-match matcher: when that concept is of a kind its table chooses (the identity table's other rows
        choose security concepts), not a modifier ("Batch endpoint compute" in the compute table), and not named
        almost everywhere ("deployment")."""
        pack = [r for r in rules if r.kind == "table_row" and self.realm(r.source_file) == PACK_REALM]
        names = ConceptMatcher([(d.id, a) for d in self._drafts.values() if d.from_pack for a in d.aliases])
        named = Counter(c for r in pack for c in set(names.find(" ".join([r.choice, r.situation, *r.notes.values()]))))
        kinds: dict[str, set[str]] = defaultdict(set)
        for r in pack:
            kinds[r.table].update(self._drafts[c].family for c in chosen_by[r.id] if self._drafts[c].from_pack)
        for r in pack:
            if any(self._drafts[c].from_pack for c in chosen_by[r.id]):
                continue  # "Sweep job with primary metric and search space" chooses the sweep job, not its parts
            inner = [c for c in names.find(positive_part(r.choice)) if c not in chosen_by[r.id]
                     and named[c] <= GENERIC_MENTIONS and self._drafts[c].family in kinds[r.table]]
            chosen_by[r.id] = chosen_by[r.id] + inner

    def link(self, rules: list[Rule], own_choice: dict[str, list[str]], subject_of: dict[str, str] | None = None
             ) -> tuple[list[Rule], list[Concept]]:
        """Fill each rule's concepts and choice concepts (names of its own realm only; and what the section of an
        item is about, ``subject_of``, among those it mentions); build the concept list."""
        self._short_names()
        self._bare_names()
        matchers: dict[str, ConceptMatcher] = {}
        chosen_by: dict[str, list[str]] = {}
        mentions_of: dict[str, list[str]] = {}
        for r in rules:
            realm = self.realm(r.source_file)
            if realm not in matchers:
                matchers[realm] = self.matcher(realm)
            matcher = matchers[realm]
            mentions_of[r.id] = matcher.find(" ".join([r.choice, r.situation, *r.notes.values()])) + (
                [subject_of[r.id]] if subject_of and r.id in subject_of else [])
            chosen = list(own_choice.get(r.id, []))
            if r.kind == "table_row":
                chosen += [c for c in matcher.find(positive_part(r.choice)) if c not in chosen]
            elif r.kind == "passage" and r.stressed:  # "Root cause investigation is **problem management**"
                chosen += [c for c in matcher.find(" ; ".join(r.stressed)) if c not in chosen]
            chosen_by[r.id] = chosen
        self._inner_pack_names(rules, chosen_by)
        choice_of: dict[str, list[str]] = defaultdict(list)
        mentioned: dict[str, list[str]] = defaultdict(list)
        linked = []
        for r in rules:
            chosen, mentions = chosen_by[r.id], mentions_of[r.id]
            for cid in chosen:
                choice_of[cid].append(r.id)
            for cid in dict.fromkeys(chosen + mentions):
                mentioned[cid].append(r.id)
            linked.append(r.model_copy(update={"concepts": tuple(dict.fromkeys(chosen + mentions)),
                                               "choice_concepts": tuple(chosen)}))
        concepts = [
            Concept(id=d.id, label=d.label, aliases=tuple(dict.fromkeys(d.aliases)), family=d.family,
                    choice_of=tuple(choice_of.get(d.id, ())), mentioned_in=tuple(mentioned.get(d.id, ())),
                    curated=d.from_pack, setting=d.setting)
            for d in self._drafts.values()
            if d.id in mentioned
        ]
        return linked, concepts
