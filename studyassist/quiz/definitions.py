"""Term questions from a document's definitions, for documents no exam pack serves: notes often define things in
lists ("- **Availability zone**: physically separate datacenters inside a region …", "Azure Functions" with its
points under it, a short heading over its paragraph) rather than decision tables. The item shows what the
document says of one term, with that term's own name blanked, and offers it beside three terms the same list
defines (terms of one kind, told apart by what the document says of each); the generator's key check then runs
on it like on any item (distinct options, no option another rule the stem finds, the solver agrees).
"""
from __future__ import annotations

import os
import re
from collections import Counter

import numpy as np

from ingest.list_rules import FIELD_LISTS
from studyassist.answer.types import Claim, render
from studyassist.knowledge.model import KnowledgeBase, Rule
from studyassist.quiz.options import is_someone, spaced, tool_of
from studyassist.quiz.types import Draft, QuizItem
from studyassist.quiz.verify import contains_run
from studyassist.solve.numbers import numbers
from studyassist.text import (
    ACRONYM_LETTERS,
    DOMAIN_WEIGHT,
    content_hash,
    expansion,
    key_terms,
    normalize,
    singular,
    without_brackets,
)

# A term is a name of at most this many words; what the document says of it has at least DESCRIPTION_WORDS words,
# of which the stem shows the first sentences up to about STEM_WORDS.
TERM_WORDS = 6
DESCRIPTION_WORDS = 4
STEM_WORDS = 40
# A list gives term questions when it defines at least this many terms (the key and three of its kind).
GROUP_TERMS = 4
# Two definitions this close (cosine) say the same thing: the other term is not offered beside the key.
SAME_DEFINITION = 0.95
BLANK = "___"
JOINED = " (joined)"  # the end of the name of lists joined under their parent heading
STEM = "{where} {noun} does the review describe this way: “{said}”?"  # where: "In “heading”, which" or "Which";
# noun: "term", or "command" for a command of a tool ("terraform plan")
# A name for a group of things ("Redundancy options", "Other storage services", "Things that affect cost") is not a
# term of the list's kind.
_SHORT_NAME = re.compile(r"[A-Z0-9&-]{2,8}s?")  # an acronym ("CPE", "NVD")
# … nor a numbered heading over a note ("3. Deployment Targets in Azure" over "✅ Learn to automate …"): a chapter,
# nor an exam domain weighted in its heading ("Declarative Sharing (76%)" over "Given a particular customer scenario",
# a trial's quiz item)
_CHAPTER = re.compile(rf"^\d+(?:\.\d+)*[.)]\s|{DOMAIN_WEIGHT.pattern}")
_CATEGORY = re.compile(r"^(other|more|some|things|ways|examples?|types?|kinds?)\b|"
                       r"\b(options|types|kinds|examples|things|factors|points|notes|tips|responsibilities)$", re.I)


def group_of(rule: Rule) -> str:
    """The terms a rule's term is offered among: its list's (those nested under the same item, or at its top), or, for
    a paragraph under a short heading, the other headings' under the same parent section ("Compute > Azure Virtual
    Machines", "Compute > Azure App Service")."""
    list_id = rule.id.rsplit("#", 1)[0]
    if list_id.endswith("-defined"):
        return f"{rule.source_file}::{rule.section.rsplit(' > ', 1)[0]}"
    return f"{rule.source_file}::{list_id}::{rule.under}"  # the items nested under one name are a list of their own


def _siblings_joined(groups: dict[str, list[Rule]]) -> dict[str, list[Rule]]:
    """The lists of a tool's commands under one parent heading as one, when one of them is too short to ask from:
    notes that sort a tool's commands under small headings ("Command Reference > Planning & Applying Changes",
    "… > Other Useful Commands", one to four items each) offer each command beside its siblings."""
    siblings: dict[str, list[str]] = {}
    for g, rules in groups.items():
        first = rules[0] if rules else None
        if first and not first.under and " > " in first.section and not g.split("::")[1].endswith("-defined"):
            siblings.setdefault(f"{first.source_file}::{first.section.rsplit(' > ', 1)[0]}{JOINED}", []).append(g)
    joined = dict(groups)
    for parent, names in siblings.items():
        tools = {tool_of(r.choice) for g in names for r in groups[g]}  # (lists of other terms joined by their
        # headings mixed kinds: "Scenario 1" beside "The critical insight" in AZ-700 notes)
        one_tool = len(tools) == 1 and "" not in tools
        if one_tool and len(names) >= 2 and any(len(groups[g]) < GROUP_TERMS for g in names):
            joined[parent] = [r for g in names for r in joined.pop(g)]
    return joined


def definition(rule: Rule) -> str:
    """What the document says of the term: its first sentences, up to about ``STEM_WORDS`` words."""
    out: list[str] = []
    text = rule.situation.strip()
    own = re.split(r"(?<=[.!?]):\s", text, maxsplit=1)[0]  # a described name's own text before its folded points
    for sentence in re.split(r"(?<=[.!?])\s+", own if len(own.split()) >= DESCRIPTION_WORDS else text):
        if out and len(" ".join(out + [sentence]).split()) > STEM_WORDS:
            break
        out.append(sentence)
    text = " ".join(out).strip()
    words = text.split()
    return " ".join(words[:STEM_WORDS]) + " …" if len(words) > STEM_WORDS else text


def _aliases(term: str) -> list[str]:
    """The names a term goes by: itself, the parts outside and inside its brackets ("CapEx (capital
    expenditure)"), longest first."""
    names = [term, re.sub(r"\s*\([^)]*\)", "", term).strip(), *re.findall(r"\(([^)]+)\)", term)]
    return sorted({n for n in names if n}, key=len, reverse=True)


def says_name(text: str, key: str) -> bool:
    """Whether ``text`` says two words of the key's name in a row (also of a name written as one: "Traffic Manager
    probe IPs" for AzureTrafficManager, "Gateway management" for GatewayManager), words of one root alike."""
    name = [w.lower() for w in re.findall(r"[A-Za-z]+", spaced(key)) if len(w) >= 3]
    said = [w.lower() for w in re.findall(r"[A-Za-z]+", text)]
    return any(_same_root(a, x) and _same_root(b, y) for a, b in zip(name, name[1:]) for x, y in zip(said, said[1:]))


_ACRONYM_WORD = re.compile(rf"\b{ACRONYM_LETTERS.pattern}\b")  # an acronym among words ("… (PIM) …")


def spelled_out(text: str, key: str, row: str = "") -> bool:
    """Whether ``text`` gives ``key`` away by more than its words: it spells out the key's acronym ("Privileged
    Identity Management" for PIM), or says two words of the name its ``row`` spells it out as, in any order ("sync
    password hashes" for PHS, "Password Hash Sync"), abbreviates the key's words ("LB" for AzureLoadBalancer) or
    states its number ("1,240 bytes sent" for 1240)."""
    full = next((f for w in _ACRONYM_WORD.findall(key) if (f := expansion(w, row))), "") if row else ""
    said = [w.lower() for w in re.findall(r"[A-Za-z]+", text)]
    return any(expansion(w, text) for w in re.findall(r"[A-Za-z]+", key)) or any(
        expansion(w, spaced(key)) for w in _ACRONYM_WORD.findall(text)) or bool(
        {n for n in numbers(key) if len(n) >= 2} & numbers(text)) or sum(
        any(_same_root(w.lower(), x) for x in said) for w in re.findall(r"[A-Za-z]{3,}", full)) >= 2


def blanked(text: str, term: str) -> str:
    """``text`` with the term's names as a blank: the term, the parts of it in and out of brackets, a run of two or
    more of its words ("Virtual Machines are the IaaS option" for "Azure Virtual Machines"), and an acronym's
    spelled-out form ("role-based access control" for RBAC). A single word of a longer name is left: blanking it
    leaves a stem that says nothing ("can modify but not ___"), so such an item is not asked (``gives_away``)."""
    for name in _aliases(term):
        if (spelled := expansion(name, text)) is not None:
            text = text.replace(spelled, BLANK)
        words = re.findall(r"[\w'’+-]+", name)
        for n in range(len(words), 1 if len(words) > 1 else 0, -1):
            for start in range(len(words) - n + 1):
                run = r"\s+".join(re.escape(w) for w in words[start:start + n])
                text = re.sub(rf"(?<![\w-]){run}(?:s|es)?(?![\w-])", BLANK, text, flags=re.I)
    return re.sub(rf"{BLANK}(\s*{BLANK})+", BLANK, text)


# A "definition" that only lists names ("MTBF, MTTR, RTO, RPO" under "Disaster Recovery") says nothing of the term.
_NAME = r"[A-Z][\w+/-]*(?:\s+[A-Z][\w+/-]*)*"
_ONLY_NAMES = re.compile(rf"{_NAME}(?:(?:\s*[,;/]\s*|\s+and\s+){_NAME})+")
# The words every term question's stem has (see ``Definitions.draft``): not what the notes say of the term.
_FRAME = re.compile(r"\bwhich (term|command) does the review describe this way\b|^in\b", re.I)


def _same_root(a: str, b: str) -> bool:
    """Two words of one root: five letters in common at the start ("exposed", "Exposure"; "class",
    "classification"), one the whole start of the other (three letters or more: "app", "apps"), or all but the last
    letter of a word of five ("serve", "Servant"; "scale", "scaling")."""
    shared, shorter = len(os.path.commonprefix([a, b])), min(len(a), len(b))
    return shared >= 5 or shared == shorter >= 3 or shared == shorter - 1 >= 4


def head(name: str) -> str:
    """A name's last word, singular: what kind of thing it names ("settings" of "Diagnostics settings")."""
    words = re.findall(r"[A-Za-z]+", name)
    return singular(words[-1].lower()) if words else ""


def _inside(root: str, word: str) -> bool:
    """Whether a compound name holds a word's root ("cach" of "caching" in "ElastiCache", "trail" in "CloudTrail")."""
    return len(root) >= 4 and len(word) > len(root) + 2 and root in word


def _root(word: str) -> str:
    return re.sub(r"(?:ing|ed|es|s)$", "", word) if len(word) > 5 else word


def _initialled(acronym: str, words: list[str]) -> bool:
    """Whether two words in a row start with an acronym's first two letters or its first and last ("web app" for WAF,
    "identity management" for IAM): its name said in part, though not spelled out."""
    pairs = {acronym[:2], acronym[0] + acronym[-1]}
    return any(a[:1] + b[:1] in pairs for a, b in zip(words, words[1:]) if len(a) > 2 and len(b) > 2)


def gives_away(stem: str, key: str, others: list[str]) -> bool:
    """Whether the stem repeats a word of the key's name, or of its root, that no other option's name has (also
    inside a compound name: "caching" for "ElastiCache"; a two-letter acronym: "IPs" for "IP Match"; an acronym inside
    the key's: "SPF" for OSPF), half says an acronym key ("web app" for WAF), or spells out an acronym of the key's
    name ("application programming interface" for "RESTful API", "cross-site scripting" for XSS)."""
    asked = _FRAME.sub(" ", stem)
    said = [w.lower() for w in re.findall(r"[A-Za-z]+", asked)]
    theirs = [w.lower() for o in others for w in re.findall(r"[A-Za-z]+", o)]
    for k in (w.lower() for w in re.findall(r"[A-Za-z]+", key) if len(w) >= 3):
        for w in (w for w in said if _same_root(k, w) or _inside(_root(w), k)):
            # (an option sharing the key's root shares the stem's word only when that word is the key's root: not
            # "Multiprocessing" beside "Multithreading" for "threads")
            if not any(_same_root(k, t) and _same_root(k, w) or _same_root(w, t) or _inside(_root(w), t)
                       for t in theirs):
                return True
    pairs = {a.lower() for a in re.findall(r"\b[A-Z]{2}\b", key)}  # a two-letter acronym: "IPs" for "IP Match"
    if any(w.removesuffix("s") in pairs for w in said) and not pairs & set(theirs):
        return True
    if re.fullmatch(r"[A-Z]{3,5}", name := key.strip()) and _initialled(name.lower(), said):
        return True
    capitals = [a.lower() for a in re.findall(r"\b[A-Z]{3,}\b", asked)]  # "(SPF)" inside "OSPF"
    if any(c in k.lower() and not any(c in t for t in theirs) for c in capitals for k in re.findall(r"[A-Z]{4,}", key)):
        return True
    crossed = re.sub(r"\bcross(?=-)", "x", stem, flags=re.I)  # "cross-site scripting" spells XSS out
    return any(expansion(w, stem) or expansion(w, crossed) for w in re.findall(r"[A-Za-z]+", key))


# What the notes say of a term that is a use of it, not what it is ("a common application is to …"): broader terms
# fit it too.
_USAGE = re.compile(r"^(a |one )?(common|typical|popular) (application|use|example)|^(for )?example|^e\.g\.|"
                    r"^(it )?can be used|^used (to|for)|^often used", re.I)
# A list headed as considerations ("Storage Cost Factors", "Service Selection Strategy") names steps and factors,
# not terms: a blind reviewer rejected its items ("Think about scale", "Performance" as options of no kind)
_CONSIDERATIONS = re.compile(r"\b(factors|strateg(y|ies)|steps|considerations|guidelines|principles|checklist)$", re.I)
# A bullet's lead that describes an activity ("Using filters to process images") names no term.
_ACTIVITY = re.compile(r"^(using|creating|building|making|getting|working|choosing|deploying|managing)\b", re.I)
# nor one that compares two ("Leadership vs. Management") or names considerations ("Tailoring Factors")
_NO_TERM = re.compile(r"\b(vs\.?|versus)\s|\b(factors|considerations|guidelines|tips)$", re.I)
# nor one that is a line of a script ("$displayname = Get-AzADServicePrincipal …" among cmdlets, SC-300 notes)
_SCRIPT_LINE = re.compile(r"^\$|\s=\s")


def _words(name: str) -> tuple[str, ...]:
    return tuple(singular(w) for w in normalize(name).split())


def _alike(a: str, b: str) -> bool:
    """Whether one name's words hold the other's, as the key check reads options that say the same thing, also
    outside their brackets ("Geo-zone-redundant storage (GZRS)" in "Read-access geo-zone-redundant storage")."""
    for x in map(_words, _aliases(a)):
        for y in map(_words, _aliases(b)):
            if contains_run(x, y) or contains_run(y, x):
                return True
    # or they share half their content words ("Deployment to monitoring", "Monitoring to retraining or rollback"),
    # not counting the program two commands run ("terraform plan", "terraform apply")
    tool = tool_of(a) if tool_of(a) == tool_of(b) else ""
    x, y = set(key_terms(a)) - {tool}, set(key_terms(b)) - {tool}
    return bool(x and y) and 2 * len(x & y) >= 0.5 * (len(x) + len(y))


def about_heading(rule: Rule) -> bool:
    """Whether the rule is a point the document makes about what its heading or its parent item names (ingest names
    it so, as a "point": "#### Secure Score" / "- Central feature providing …"), not a term the document defines
    (a "- **Secure Score**: …" item or a paragraph under a "### Secure Score" heading is one)."""
    return rule.list_kind == "point"


def context(rule: Rule) -> str:
    """The name the term's list stands under: the item it is nested under, else the heading (the parent's, for a
    paragraph under the term's own heading)."""
    if rule.under and len(rule.under.split()) <= TERM_WORDS:
        name = rule.under
    else:
        parts = rule.section.split(" > ")
        heading = parts[-2] if rule.id.rsplit("#", 1)[0].endswith("-defined") and len(parts) > 1 else parts[-1]
        name = heading.strip().rstrip(":.")
    return re.sub(r"^[^\w(\"“]+", "", name)  # ("🔑 Key Relationships": the words, not the emoji)


class Definitions:
    """The term questions of the documents a pack does not serve."""

    def __init__(self, kb: KnowledgeBase, served: set[str], embeddings):
        self.kb, self.embeddings = kb, embeddings
        groups: dict[str, list[Rule]] = {}
        for r in kb.rules:
            if (r.kind == "list_item" and not r.anti_pattern and r.source_file not in served and r.situation
                    and 0 < len(r.choice.split()) <= TERM_WORDS and not r.choice.rstrip().endswith("?")
                    and not _CATEGORY.search(r.choice.strip()) and not _ACTIVITY.match(r.choice)
                    and not _NO_TERM.search(r.choice.strip())
                    and not _SCRIPT_LINE.search(r.choice) and not _CHAPTER.search(r.choice)
                    and not about_heading(r) and len(r.situation.split()) >= DESCRIPTION_WORDS
                    and not _USAGE.match(definition(r)) and not _CONSIDERATIONS.search(context(r))):
                groups.setdefault(group_of(r), []).append(r)
        # a name several lists define is a field of a template ("What it is", "Exam tip", "When to use" under every
        # service of a cheat sheet), not a term: a blind reviewer rejected such items (options of no kind)
        uses = Counter(name for rules in groups.values() for name in {normalize(r.choice) for r in rules})
        groups = {g: [r for r in rules if uses[normalize(r.choice)] < FIELD_LISTS] for g, rules in groups.items()}
        self.groups = {g: rules for g, rules in _siblings_joined(groups).items()
                       if len({normalize(r.choice) for r in rules}) >= GROUP_TERMS}
        self._group = {r.id: g for g, rules in self.groups.items() for r in rules}
        # the heading a term's stem names: its list's, or the parent's of lists joined (not "In “Planning & Applying
        # Changes”" for "terraform plan", beside commands of the other lists)
        self._heading = {r.id: g.split("::")[1].removesuffix(JOINED) if g.endswith(JOINED) else context(r)
                         for r, g in ((self.kb.rule(rid), g) for rid, g in self._group.items())}
        # one question per term and definition, though two lists say it ("Quality: Fitness for use + conformance to
        # requirements" in a chapter's summary and in the day-before review): a blind reviewer got it twice in a quiz
        said = {}
        for r in (r for rules in self.groups.values() for r in rules):
            said.setdefault((normalize(r.choice), normalize(definition(r))), r)
        self.pool = list(said.values())
        self._vectors: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def _vector(self, rule: Rule) -> tuple[np.ndarray, np.ndarray]:
        """The embeddings of the term's name and of its definition (computed for its whole list at once)."""
        if rule.id not in self._vectors:
            group = self.groups[self._group[rule.id]]
            vectors = np.asarray(self.embeddings.embed_documents([r.choice for r in group]
                                                                 + [definition(r) for r in group]), dtype=np.float32)
            for i, r in enumerate(group):
                self._vectors[r.id] = (vectors[i], vectors[len(group) + i])
        return self._vectors[rule.id]

    def draft(self, rule: Rule, level: str, rng) -> Draft:
        """The term as the key and what the document says of it, its name blanked, as the stem, under the heading of
        its list (unless the heading names it); no stem when what it says is mostly the term's own name, or has the
        name inside it, where the blank reads as a word to fill in, or goes on naming it ("___ Policy. Defines …")."""
        said = re.sub(rf"^{re.escape(BLANK)}\s*[.:;–—-]\s+", "", blanked(definition(rule), rule.choice))  # ("BPDU:
        # Bridge Protocol Data Unit. Frames that …": its spelled-out name, a sentence of its own, is left out)
        words = len(re.findall(r"\w+", said.replace(BLANK, " ")))
        if _ONLY_NAMES.fullmatch(said.strip(" .")) or words < DESCRIPTION_WORDS or (
                BLANK in said and (said.count(BLANK) > 1 or not said.startswith(BLANK))) or re.match(
                rf"{re.escape(BLANK)} [A-Z][a-z]", said):  # ("___ Policy. Defines …": the name goes on, as a kind)
            return Draft(rule, level, None, rule.choice.strip(), "", rng)
        heading = self._heading[rule.id]
        where = f"In “{heading}”, which" if normalize(rule.choice) not in normalize(heading) else "Which"
        tool = tool_of(rule.choice)  # (a tool the list's other terms run too: "terraform plan", "terraform apply")
        noun = "command" if tool and sum(tool_of(r.choice) == tool for r in self.groups[self._group[rule.id]]) >= \
            GROUP_TERMS else "term"
        stem = STEM.format(where=where, noun=noun, said=said.rstrip(" .;:"))
        return Draft(rule, level, None, rule.choice.strip(), stem, rng)

    def item(self, draft: Draft, position: int, avoid: frozenset[str] = frozenset()) -> QuizItem | None:
        """Four terms of the key's list, of its kind first (nearest by name and, twice as much, by definition): easy,
        three drawn from the four nearest; hard, the three nearest. None for a draft without a stem, when the list
        has too few terms the document tells apart from the key, or when the stem gives the key away."""
        rule, key, stem = draft.rule, draft.key, draft.stem
        if not stem:
            return None
        name, said = self._vector(rule)
        heading = self._heading[rule.id]
        others: list[tuple[float, float, Rule]] = []
        for r in self.groups[self._group[rule.id]]:
            if r.id == rule.id or normalize(r.choice) in (normalize(key), normalize(heading)) or r.choice in avoid \
                    or re.search(rf"(?<![\w-]){re.escape(r.choice.strip())}(?![\w-])", stem, re.I):
                continue  # (what the stem names is no option: "In “Computer vision”", "… information about STP")
            their_name, their_definition = self._vector(r)
            if float(their_definition @ said) < SAME_DEFINITION and not set(key_terms(r.choice)) >= set(key_terms(key)):
                others.append((float(their_name @ name), float(their_definition @ said), r))
        # terms of the key's kind: a list of mixed terms (a glossary) puts "Endpoint" beside "Machine learning", and
        # what the notes say of each tells their kinds apart better than their names ("a metric that …")
        others.sort(key=lambda x: -(x[0] + 2 * x[1]))
        if draft.level != "hard":
            nearest = others[:4]
            draft.rng.shuffle(nearest)
            others = nearest + others[4:]
        someone = is_someone(key, definition(rule))  # roles beside things: of the key's kind only
        others = [x for x in others if is_someone(x[2].choice, definition(x[2])) == someone]
        # names that share the key's last word are a family ("Kernel mode", "User mode"): its options, or no item
        kind = head(without_brackets(key))
        family = [x for x in others if head(without_brackets(x[2].choice)) == kind]
        others = family or others
        # an acronym beside acronyms, a name beside names ("CPE" not beside "Footprinting"), when the list has three
        same = [x for x in others if bool(_SHORT_NAME.fullmatch(x[2].choice.strip())) == bool(
            _SHORT_NAME.fullmatch(key.strip()))]
        others = same if len(same) >= 3 else others
        chosen: list[Rule] = []
        for _, _, r in others:  # no two options where one's name holds the other's ("Region", "Region pair")
            if not any(_alike(r.choice, c) for c in [key] + [c.choice for c in chosen]):
                chosen.append(r)
            if len(chosen) == 3:
                break
        if len(chosen) < 3 or gives_away(stem, key, [r.choice for r in chosen]):
            return None
        options = [r.choice.strip() for r in chosen]
        option_rules: list[str | None] = [r.id for r in chosen]
        options.insert(position, key)
        option_rules.insert(position, rule.id)
        claims = [Claim(text=f"**{key}**: {definition(rule).rstrip('.')}.", rule_ids=[rule.id], label=key,
                        heading="Why the key fits:")]
        claims += [Claim(text=f"**{r.choice.strip()}** is another term: {definition(r).rstrip('.')}.",
                         rule_ids=[r.id], label=r.choice.strip(), heading="Distractor:") for r in chosen]
        explanation, citations = render(claims, self.kb)
        return QuizItem(id="q-" + content_hash(rule.id, stem, *options)[:12], stem=stem, options=options,
                        answer=position, explanation=explanation, citations=citations, rule_id=rule.id,
                        area=rule.area, difficulty=draft.level, option_rules=option_rules)
