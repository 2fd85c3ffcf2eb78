"""What a question asks and which concepts it names, carried across the turns of a chat."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from studyassist.answer.cells import own_column_asked
from studyassist.answer.intents import detect_intent
from studyassist.knowledge.clues import Clues
from studyassist.knowledge.facets import FacetVectors, concept_matcher
from studyassist.knowledge.model import GENERIC_MENTIONS, KnowledgeBase
from studyassist.knowledge.negation import contrasts, is_negated, negated_spans
from studyassist.text import BRACKETED, ConceptMatcher, asked_after, asking_part, key_terms, normalize, singular

# what a definition question defines: what follows "purpose of", what "what part does … play" names
_DEFINED = re.compile(r"\b(?:purpose|intended use|meaning|definition) of\b(?P<of>.*)|"
                      r"\bwhat (?:part|role|purpose) (?:does|do) (?P<plays>[^?]{1,60}?) (?:play|fill|serve)\b", re.I)
_FOLLOW_UP = re.compile(r"^\s*((nice|great|cool|right|thanks|got it|alright|perfect|hmm|ah|oh)[,.!]*\s+)?"
                        r"(and|what about|how about|why not|but|so|then|what if|ok|okay)\b|"
                        r"\b(the other( one)?|that one|this one|instead)\b|^\s*why\??\s*$|\bthen\s*\?\s*$|"
                        # "how is that different from a read replica?": the previous answer is one side
                        r"\b(is|are|does|do) (that|this|it|they|those|these) (really |any )?"
                        r"(different|differ|compare)\b", re.I)
_OTHER = re.compile(r"\bthe other( one)?\b|\bthe alternative\b", re.I)
# "can the lightweight one be renewed?", "and the cheaper one?": one of what the last answer named, by a word of its own
_WORD_ONE = re.compile(r"\bthe ([a-z][a-z-]{2,}) one\b", re.I)
_SAYS_NOTHING = frozenset({"other", "same", "right", "wrong", "correct", "first", "second", "last", "next", "new",
                           "old", "best", "worst", "better", "worse", "previous", "former", "latter", "only"})
_DOES_THAT = re.compile(r"\b(do|does|doing|did|set up|run|use|using|implement|try) (that|this|it)\b", re.I)  # last's
_OF_THEM = re.compile(r"\b(the|these|those) two\b|\b(of|between) (them|those|these)\b|\bboth\b", re.I)  # last's
# Words a follow-up says about the previous answer rather than a need of its own ("and what about that one then?")
_FOLLOW_UP_WORDS = frozenset(key_terms("one ones other alternative instead then use using choose pick option "
                                       "better best fit work works also just simply really actually"))
NEW_NEED_WORDS = 2  # content words of its own that make a follow-up a new need in the same setting
# … and that many make it a scenario of its own ("and if we'd rather keep both versions up side by side and flip
# everybody over once testing passes?"): the previous question's scenario would only pull it back to that answer
OWN_SCENARIO_WORDS = 8
_VERSUS_TERMS = frozenset(key_terms("difference between versus compare"))
# Words that describe something going wrong. A question without them asks how to do something, so a
# troubleshooting row ("the new release shows increased errors") is not its answer.
_SYMPTOM = re.compile(r"\b(fail\w*|error\w*|errors?|broke\w*|broken|crash\w*|slow\w*|degrad\w*|drop(s|ped)?|"
                      r"worse|missing|denied|forbidden|403|timeouts?|timing out|can'?t|cannot|couldn'?t|could not|"
                      r"unable|(doesn'?t|does not|isn'?t|is not|won'?t|will not|stopped) (work|load|start|run)\w*|"
                      r"poorly|spik\w*|ris(e|es|ing)|rose|increas\w*|different results|unexpected\w*|problem|issue|"
                      r"went wrong|not working|declin\w*|slid\w*|slipp\w*|falling|fell|empty|stuck|hang(s|ing)?|"
                      r"now (takes|returns|produces|shows|gives)|went (up|from)|(takes|took) \d+|sluggish|laggy|"
                      r"lag(s|ging)?|times? out|takes? (ages|forever|too long)|doubled|tripled|jumped|garbage|"
                      r"[45]\d\ds|[45]xx|(noticeably|significantly|completely|wildly|very) different|"
                      r"(runs?|running|ran|takes?|taking|took) (for )?(hours|days)|speed (this|it|things) up|"
                      # a question after the cause or where to look is about something going wrong
                      r"(start|begin) (looking|debugging|troubleshooting|investigating)|"
                      r"(likely|probable|possible|usual|root) (culprit|cause|suspect)s?|culprits?|"
                      r"what('?s| is| could be| might be) (causing|behind)|what (could|would|might) (cause|explain)|"
                      r"what (could|might|would|else) (have )?(changed|shifted))\b")
# "which/what <up to three words>": the noun phrase a question asks to choose from ("what compute should …", "what
# kind of compute is that?").
_ASKED_NOUN = re.compile(r"\b(?:which|what)\s+(?:(?:kind|type|sort)s?\s+of\s+)?"
                         r"((?:[a-z][a-z/-]*\s+){0,2}[a-z][a-z/-]*)")
# A plural noun phrase asks for the whole table only when the question asks what there should be.
_WHOLE_TABLE = re.compile(r"\b(exist|in place|are there|are (needed|required)|apply|do (i|we) need|"
                          r"should (i|we) (track|have|watch|check|cover|monitor)|list)\b")

# A concept named almost everywhere is still a particular thing when it names a row of this many tables, and of
# this share of the rules that mention it (a CCNA review's protocols; not the first exam's "endpoint": 3 of 19)
DESCRIBED_TABLES, DESCRIBED_SHARE = 3, 1 / 3
CONCEPT_SIMILARITY = 0.62  # a question naming no concept still resolves one by meaning at this cosine
# A question word names a one-word alias that is the same word with one of these endings ("fair" → "fairness")
ALIAS_ENDINGS = ("ness", "ity", "ability", "ment", "ation")
MIN_STEM_CHARS = 4


def named_everywhere(kb: KnowledgeBase) -> set[str]:
    """Concepts named by almost every rule: a quiz stem retrieves rows naming them whatever it asks."""
    return {c.id for c in kb.concepts if len(c.mentioned_in) > GENERIC_MENTIONS}


def generic_concepts(kb: KnowledgeBase) -> set[str]:
    """Concepts named almost everywhere, which point to no particular row; not a thing the document describes table
    after table, one row each ("OSPF" in its port, algorithm and timer tables), which names the row of each."""
    rows: dict[str, set[str]] = {}
    sides = Counter(c for r in kb.table_rules if r.sides for c in r.choice_concepts)  # (nor a thing a grid compares
    for r in kb.table_rules:  # in most of the rows naming it: "SNS" in a grid of EventBridge, SNS and SQS)
        if len(r.choice_concepts) == 1 and r.table:
            rows.setdefault(r.choice_concepts[0], set()).add(r.table)
    return {c for c in named_everywhere(kb) if 2 * sides[c] < len(mentions := kb.concept(c).mentioned_in)
            and not len(rows.get(c, ())) >= max(DESCRIBED_TABLES, len(mentions) * DESCRIBED_SHARE)}


@dataclass
class Turn:
    question: str
    intent: str
    concepts: list[str]
    decision: str | None
    decision_concepts: list[str]
    alternatives: list[str]
    rule_ids: list[str]


def own_concepts(named: list[str], last: Turn) -> list[str]:
    """The concepts a follow-up names that the previous turn neither asked about nor answered."""
    return [c for c in named if c not in last.concepts and c not in last.decision_concepts]


def follows_up(question: str) -> bool:
    """Whether a question in a conversation continues the previous one ("and for batch?", "why not the other one?")."""
    return bool(_FOLLOW_UP.search(question) or one_described(question)) or len(question.split()) <= 4


def one_described(question: str) -> str:
    """The word of "the <word> one" when it describes something ("cheaper", "lightweight"; not "new" or "other")."""
    said = _WORD_ONE.search(question)
    return word if said and (word := said.group(1).lower()) not in _SAYS_NOTHING else ""


@dataclass
class Conversation:
    """A chat's memory: enough of each turn to resolve "why not the other one?" and "and for batch?"."""

    turns: list[Turn] = field(default_factory=list)

    @property
    def last(self) -> Turn | None:
        return self.turns[-1] if self.turns else None

    def add(self, turn: Turn) -> None:
        self.turns.append(turn)
        del self.turns[:-20]


@dataclass(frozen=True)
class Resolved:
    """A question made self-contained: the text to search, its intent and its concepts."""

    query: str
    intent: str
    negative: bool
    concepts: list[str]
    follow_up: bool
    scenario: str  # the scenario the decision is about (the previous question for follow-ups)
    symptom: bool = False  # the question describes something going wrong
    table: str | None = None  # the table whose choice column the question names ("what compute …")
    whole_table: bool = False  # … and it asks for all of that table's rows ("what gates should exist")
    focus: str | None = None  # a row of that table the question's noun phrase names ("approval gates")


def describes_symptom(question: str) -> bool:
    """Whether the question describes something going wrong (an error, a slowdown, a failure) or asks what to check
    first; otherwise it asks how to do something. A symptom it denies ("returns no errors") is none."""
    q = normalize(question)
    return any(not is_negated(q, *m.span()) for m in _SYMPTOM.finditer(q)) or detect_intent(q)[0] == "check_first"


def without_denied_symptoms(text: str) -> str:
    """``text`` without the negated phrases that name a symptom ("the endpoint returns no errors"): searched by
    its words, they would find the rows about that symptom."""
    for s, e in reversed([(s, e) for s, e in negated_spans(text) if _SYMPTOM.search(text[s:e].lower())]):
        text = text[:s] + " " + text[e:]
    return " ".join(text.split())


def column_owners(kb: KnowledgeBase) -> dict[str, set[str]]:
    """First word of each short choice header → the tables with that header ("gate" → the gates table);
    a long header ("Best first thinking step") is a phrase, not a name, and comparisons have no one column. A table
    whose rows are kinds of something ("Category", "Type") is also owned by the words of its title, as "~word", for a
    question asking what kind of thing something is ("Monitoring categories": "what kind of monitoring is that?")."""
    owners: dict[str, set[str]] = {}
    titled: dict[str, set[str]] = {}
    for t in kb.tables:
        header = re.findall(r"[a-z]+", t.columns[t.choice_column].lower())
        if t.orientation != "comparison" and 0 < len(header) <= 2:
            owners.setdefault(header[0], set()).add(t.id)
            if singular(header[0]) in _KINDS:
                for w in set(re.findall(r"[a-z]+", (t.title or "").lower())) - _STOP_WORDS - _KINDS:
                    titled.setdefault(f"~{singular(w)}", set()).add(t.id)
    return owners | titled


def named_table(kb: KnowledgeBase, question: str, owners: dict[str, set[str]] | None = None
                ) -> tuple[str | None, bool, str | None]:
    """The table whose choice column the question's "which/what …" noun phrase names, when exactly one
    table's short choice header starts with that word ("what compute should I use" → ``Compute option``);
    whether the question asks for all its rows; and the row its other words name, if one. ``owners`` is
    ``column_owners(kb)``, computed once by the caller that asks many questions. Of several "which/what …" phrases
    ("… with which model version? What monitoring category tells us that?") the first that names a table counts."""
    q = normalize(question)
    owners = column_owners(kb) if owners is None else owners
    for m in _ASKED_NOUN.finditer(q):
        split = m.group(1).split()
        words = split[:next((i for i, w in enumerate(split) if w in _STOP_WORDS), len(split))]
        kind = bool(re.match(r"\w+\s+(?:kind|type|sort)s?\s", m.group(0)))  # ("what kind of …")
        for i, w in enumerate(words):
            tables = owners.get(singular(w), set()) or (owners.get(f"~{singular(w)}", set()) if kind else set())
            if len(tables) != 1:
                continue
            table = kb.table(next(iter(tables)))
            labels = {normalize(row[table.choice_column]).rstrip("."): n for n, row in enumerate(table.rows, 1)}
            others = [x for j, x in enumerate(words) if j != i]
            focus = next((table.rule_id(labels[x]) for x in others if x in labels), None)
            whole = singular(w) != w and (focus is None or bool(_WHOLE_TABLE.search(q)))  # (a plural noun)
            return table.id, whole, focus
    return None, False, None


# two words set side by side: "between a user and a customer", "output vs outcome", "an output different from …"
_A = r"(?:(?:an?|the) )?"
_SIDES = re.compile(rf"\b(?:between|compare|comparing) {_A}([a-z]+) (?:and|with|to|vs\.?|versus) {_A}([a-z]+)\b|"
                    rf"\b([a-z]+) (?:compares?|compared|stacks? up) (?:to|with|against) {_A}([a-z]+)\b|"
                    rf"\b([a-z]+) (?:vs\.?|versus|or) {_A}([a-z]+)\b|\b([a-z]+) (?:is |are )?different (?:from|than) "
                    rf"{_A}([a-z]+)\b")
_COMPARED = re.compile(r"\b(?:between|compar(?:e|ing)) ([^.?!;]+)", re.I)  # the words of the things compared
_STOP_WORDS = frozenset("""a an the is are was were do does did should would could can will must to of for in on
i we you my our your it this that be been have has kind type""".split())
_KINDS = frozenset({"category", "type", "kind", "class", "sort"})


SIBLING_NAMES = 3  # names ending in one word ("… Deployment") that a word of one of them tells apart


class ConceptResolver:
    """Finds concepts by alias, then by embedding when no alias matches."""

    def __init__(self, kb: KnowledgeBase, matcher: ConceptMatcher, vectors: FacetVectors | None,
                 clues: Clues | None = None):
        self.kb, self.vectors, self.clues = kb, vectors, clues
        # a tool the question is set in ("Using the template in Azure DevOps. Can I …?") is not what it asks about,
        # unless the sentence that asks names it ("Why not keep the GitHub Actions run history as our tracker?")
        self._all, self._scene = matcher, any(c.setting for c in kb.concepts)
        self.matcher = concept_matcher(kb, asked=True) if self._scene else matcher
        named = matcher.concepts - generic_concepts(kb)  # "deploy" is not a question about "Deployment"
        self._owners = column_owners(kb)
        self._word_aliases: dict[str, str] = {}
        for cid, a in ((c.id, a) for c in kb.concepts for a in c.aliases if a not in c.setting):
            if cid in named and re.fullmatch(r"[a-z]+", word := normalize(a)):
                self._word_aliases.setdefault(word, cid)
        # … and the word of a two-word name that tells it from names sharing the other word, set beside another
        # ("blue/green versus rolling": "Blue/Green Deployment", "Rolling Deployment", "Shadow Deployment")
        names = {c.id: [re.findall(r"[a-z]{3,}", w) for w in normalize(c.label).split()] for c in kb.concepts}
        once = Counter(w for ws in names.values() for w in {w for part in ws for w in part})
        head = Counter(tuple(ws[-1]) for ws in names.values() if ws)
        self._terms = {singular(w): cid for cid, ws in names.items() if len(ws) == 2 and head[tuple(ws[1])] >=
                       SIBLING_NAMES for w in ws[0] if once[w] == 1} | {
            singular(normalize(a)): c.id for c in kb.concepts if c.id not in matcher.concepts
            for a in c.aliases if re.fullmatch(r"[a-z]+", normalize(a)) and a not in c.setting}

    def one_word_terms(self, text: str, found: list[str]) -> list[str]:
        """Concepts whose whole name is a word ``text`` sets beside another ("what's the difference between a user and
        a customer?", "output vs outcome") and that the matcher leaves out as too common to be a name ("User" and
        "Output" in a glossary); not a word of a name already ``found`` ("data" of "how is that different from data
        drift?")."""
        named = {w for c in found for a in self.kb.concept(c).aliases for w in normalize(a).split()}
        words = [w for m in _SIDES.finditer(normalize(text)) for w in m.groups() if w and w not in named]
        return list(dict.fromkeys(c for w in words if w not in _STOP_WORDS and (c := self._terms.get(singular(w)))))

    def by_alias(self, text: str) -> list[str]:
        """Concepts named in ``text``, then those named by a shorter form of a one-word alias ("fair")."""
        found = self.matcher.find(text)
        if self._scene:
            found += [c for c in self._all.find(asking_part(text)) if c not in found]
        for word in re.findall(r"[a-z]+", normalize(text)):
            if len(word) < MIN_STEM_CHARS or word in self._word_aliases:
                continue
            for ending in ALIAS_ENDINGS:
                cid = self._word_aliases.get(word + ending)
                if cid and cid not in found:
                    found.append(cid)
        return found

    def _owned_first(self, question: str, concepts: list[str]) -> list[str]:
        """``concepts`` with one named after another's possessive put before it: "a sweep's best run" is about the
        best run (named first, the question was answered about the sweep job)."""
        q, out = normalize(question), list(concepts)
        for owner in concepts:
            for alias in self.kb.concept(owner).aliases:
                for m in re.finditer(rf"(?<!\w){re.escape(normalize(alias))}(?:'s|s')\s+", q):
                    rest = q[m.end():]
                    owned = next((c for c in out if c != owner and any(
                        re.match(rf"{re.escape(normalize(a))}(?!\w)", rest) for a in self.kb.concept(c).aliases)), None)
                    if owned and out.index(owned) > out.index(owner):
                        out.remove(owned)
                        out.insert(out.index(owner), owned)
        return out

    def by_meaning(self, vector: np.ndarray, top: int = 1) -> list[str]:
        if self.vectors is None or not len(self.vectors.concept_ids):
            return []
        sims = self.vectors.concepts @ vector
        return [self.vectors.concept_ids[i] for i in np.argsort(-sims)[:top] if sims[i] >= CONCEPT_SIMILARITY]

    def referred(self, question: str, last: Turn) -> str | None:
        """The one concept that "the <word> one" means: the only one of the last answer's and question's concepts
        whose rows say that word of it ("lightweight", "cheaper" as "cheap…"), else of the review's, else None."""
        if not (word := one_described(question)):
            return None
        stem = re.sub(r"(?<=\w{4})(iest|est|ier|er)$", "", word)
        using = re.compile(rf"\b{re.escape(stem)}", re.I)
        def fits(concepts) -> list[str]:
            return [c for c in concepts if any(using.search(f"{r.situation} {' '.join(r.notes.values())}")
                                               for rid in self.kb.concept(c).choice_of if self.kb.has_rule(rid)
                                               for r in [self.kb.rule(rid)])]
        # (else the one concept of the whole review that word describes: "and the heavyweight one?" after batch)
        found = fits(dict.fromkeys([*last.decision_concepts, *last.alternatives, *last.concepts])) or fits(
            c.id for c in self.kb.concepts)
        return found[0] if len(found) == 1 else None

    def _setting(self, last: Turn, switched: bool = False) -> str:
        """The previous question without the names it asked about (a new need's setting, not the answer it got):
        "what's the maximum time a function can run?" of a Lambda question; nothing of "Firestore vs Bigtable?"."""
        text = last.question
        for alias in sorted((a for c in last.concepts for a in self.kb.concept(c).aliases), key=len, reverse=True):
            text = re.sub(rf"\b{re.escape(alias)}\b", " ", text, flags=re.I)
        # nor, for a follow-up that asks the same for another situation (``switched``), the words by which it found
        # its answer's row: the new situation takes their place ("For an internal test endpoint, …?" then "and for
        # the customer-facing one?": not "internal" and "test" again; "and why …?" keeps them)
        answered = self.kb.rule(last.rule_ids[0]).situation if switched and last.rule_ids and \
            self.kb.has_rule(last.rule_ids[0]) else ""
        found = set(key_terms(answered))
        text = " ".join(w for w in text.split() if not (terms := key_terms(w)) or not set(terms) <= found)
        return " ".join(text.split()) if len(set(key_terms(text)) - _VERSUS_TERMS) >= NEW_NEED_WORDS else ""

    def _need_replaced(self, question: str, setting: str) -> bool:
        """"And what if the mobile app needs an answer in under a second instead?" after a nightly scoring question:
        the follow-up states a need in the exam's terms (a clue of the pack) that the setting denies, or that stands
        for other terms than every clue the setting asserts; the setting would only pull it back to the last answer."""
        if self.clues is None or not (mine := {t for _, t in self.clues.matched(question)}):
            return False
        theirs = {t for _, t in self.clues.matched(setting)}
        return bool(mine & {t for _, t in self.clues.denied(setting)}) or bool(theirs) and not mine & theirs

    def resolve(self, question: str, conversation: Conversation | None, vector_of) -> Resolved:
        """Intent and concepts of ``question``, filling gaps from the previous turn."""
        intent, negative = detect_intent(question)
        named = self._owned_first(question, self.by_alias(question))
        concepts = list(named)
        if intent == "define" and (of := _DEFINED.search(question)):  # "sweep: purpose of early termination?"
            concepts = list(dict.fromkeys(self.by_alias(of.group("of") or of.group("plays")) + concepts))
        if intent == "versus" and len(concepts) > 2 and (span := _COMPARED.search(question)):  # the two set side
            inside = set(self.by_alias(span.group(1)))  # by side first ("For batch endpoints, the difference between
            concepts = sorted(concepts, key=lambda c: c not in inside)  # the endpoint and a deployment?")
        if intent == "versus" and len(concepts) < 2 and len(sides := concepts + [
                c for c in self.one_word_terms(question, concepts) if c not in concepts]) >= 2:
            concepts = sides
        follow_up = bool(last := conversation.last if conversation else None) and follows_up(question)
        symptom = describes_symptom(question)
        table, whole, focus = named_table(self.kb, question, self._owners)
        if table and own_column_asked(self.kb, concepts, question, table):  # (its own row's column, not that table)
            table, whole, focus = None, False, None
        if not follow_up:  # a term a list defines is named by a first question only to turn it down or compare it
            concepts = [c for c in concepts if intent in ("why_not", "versus") or contrasts(question) and len(
                concepts) >= 2 or c not in self.kb.defined_terms]  # ("when X instead of Y?" compares them too)
            if not concepts and len(question.split()) <= 8:
                concepts = self.by_meaning(vector_of(question))
            query = asked_after(question) or question  # ("… and the CFO approves the budget. Which role does …?")
            return Resolved(query, intent, negative, concepts, False, question, symptom, table, whole, focus)
        # a follow-up that states a need of its own ("and which one is for a data warehouse then?", "so what if my
        # job runs for 2 hours?") asks anew in the previous question's setting, not about its answer again
        own_words = len(set(key_terms(question)) - set(key_terms(last.question)) - _FOLLOW_UP_WORDS)
        new_need = own_words >= NEW_NEED_WORDS
        if _OTHER.search(question) and (other := [c for c in last.alternatives if c not in last.decision_concepts][:1]):
            concepts, question = other + concepts, f"{question} ({self.kb.concept(other[0]).label})" if \
                last.intent == "versus" else question  # (the other side of a comparison: searched by its name)
        if not named and (one := self.referred(question, last)):  # ("can the lightweight one be renewed?": batch
            concepts, question = [one], _WORD_ONE.sub(BRACKETED.sub("", self.kb.concept(one).label).strip(),
                                                      question)  # tokens, by its name)
        if not concepts and _OF_THEM.search(question) and len(last.concepts) > 1:  # ("and if we also deploy to
            concepts, intent = list(last.concepts), "versus"  # AWS, which of the two?": the two, side by side)
        concepts = concepts or self.by_meaning(vector_of(question)) or (  # ("which tools would I use to do that?")
            [] if new_need and not _DOES_THAT.search(question) else list(last.concepts))
        intent = last.intent if intent == "which" and last.intent != "which" and not new_need else intent
        concepts = list(last.decision_concepts) if intent == "why" and not named and last.decision_concepts else \
            concepts
        if intent == "versus" and len(concepts) == 1 and last.decision_concepts and not _OTHER.search(question):
            concepts = [c for c in last.decision_concepts if c not in concepts][:1] + concepts  # "… from X?"
        setting = self._setting(last, switched=intent == "which") if new_need else last.question
        query = f"{question} {setting}".strip()
        if own_concepts(named, last) and intent in ("how", "define", "verdict") or own_words >= OWN_SCENARIO_WORDS or \
                intent == "verdict" and own_words > OWN_SCENARIO_WORDS // 2:  # a practice put up for judgement
            # is judged on its own words ("do we retrain on the newest data right away?")
            query = question  # it names what it asks about ("and how do I set up a sweep?"): not the last answer
        elif new_need and self._need_replaced(question, setting):
            query = question
        if table and own_column_asked(self.kb, concepts, question, table):  # (of the thing it refers back to)
            table, whole, focus = None, False, None
        return Resolved(query, intent, negative, concepts, True, last.question,
                        symptom or describes_symptom(last.question), table, whole, focus)
