"""Statements to complete, for notes that are lists of facts rather than tables or definitions ("- To ensure that users
can only consent to low-impact apps, you should configure **permission classifications** in your tenant"): what the
author set in bold or as code in an item is what the item is there to teach. The stem shows the item with that name
blanked and offers it beside three other names the same document stressed, of the key's shape (an acronym beside
acronyms, a command beside commands) and nearest it in meaning; the generator's key check then runs on it like on
any item (distinct options, the solver agrees). SC-300 notes of 29,000 characters had given three quiz questions.
"""
from __future__ import annotations

import re

import numpy as np

from studyassist.answer.labels import stressed_name
from studyassist.answer.types import Claim, render
from studyassist.answer.wording import stressed
from studyassist.knowledge.model import KnowledgeBase, Rule
from studyassist.quiz.definitions import BLANK, Definitions, _alike, gives_away, head, says_name
from studyassist.quiz.options import value_form
from studyassist.quiz.types import Draft, QuizItem
from studyassist.text import content_hash, key_terms, normalize

# The statement around a stressed name's blank (``answer.labels.stressed_name``) has at least SAID_WORDS words and at
# most STATEMENT_WORDS in all (a longer item would make the stem a paragraph).
SAID_WORDS = 6
STATEMENT_WORDS = 45
# A distractor is of the key's kind when it is a value of the key's form, ends in the key's last word ("IAM settings"
# beside "Diagnostics settings"), or is this close (cosine) to it in meaning; nearer ones are offered first.
NEAR = 0.6
# Easy items draw their three distractors from this many of the nearest names of the key's shape; hard ones take the
# three nearest.
EASY_POOL = 5
STEM = "Which completes this statement from the notes: “{said}”?"
# a command's options ("-var", "--size"): two commands that take the same one can often do the same thing
# ("terraform plan -var 'NAME=VALUE'" beside the key "terraform apply -var=…", both setting a variable)
_FLAG = re.compile(r"(?<!\S)--?+[a-z][\w-]*+")


def statement(rule: Rule) -> str:
    """The item as the notes say it: a point's text, else its name and what it says."""
    if rule.list_kind == "point" or not rule.situation:
        return (rule.situation or rule.choice).strip()
    return f"{rule.choice.strip()}: {rule.situation.strip()}"


def shape(name: str) -> str:
    """What kind of token a name is, as its options must all be: a value ("90 days"), a command or path
    ("@~", "VALIDATION_MODE"), an acronym ("SCIM"), or words."""
    if value_form(name) != "text":
        return value_form(name)
    if re.search(r"[@/_.=$<>{}\\]|--", name) or re.fullmatch(r"[a-z]+(?:-[a-z]+)+", name):
        return "code"
    if re.fullmatch(r"[A-Z0-9&-]{2,8}s?", name):
        return "acronym"
    return "name" if name[:1].isupper() else "words"  # (a name beside names, words beside words)


def names(rule: Rule) -> list[str]:
    """The names the item stresses that a blank can stand for: short, not a statement nor a lower-case word set in
    bold for emphasis ("to start **monitoring** again"), said once in the item."""
    said = statement(rule)
    once = [s for s in rule.stressed if len(re.findall(rf"(?<![\w-]){re.escape(s)}(?![\w-])", said)) == 1]
    return [s for s in once if stressed_name(s) and shape(s) != "words"
            and any(c.isalnum() for c in s) and not re.search(r"[,;]", s) and normalize(s) != normalize(said)]


class ListItems(Definitions):
    """The questions of the lists of documents a pack does not serve: a term's definition, else (for an item that
    defines no term) a statement to complete."""

    def __init__(self, kb: KnowledgeBase, served: set[str], embeddings):
        super().__init__(kb, served, embeddings)
        self.cloze = Cloze(kb, served, embeddings, {r.id for r in self.pool})
        self.pool = self.pool + self.cloze.pool

    def draft(self, rule: Rule, level: str, rng) -> Draft:
        return self.cloze.draft(rule, level, rng) if rule.id in self.cloze.key else super().draft(rule, level, rng)

    def item(self, draft: Draft, position: int, avoid: frozenset[str] = frozenset()) -> QuizItem | None:
        if draft.rule.id in self.cloze.key:
            return self.cloze.item(draft, position, avoid)
        return super().item(draft, position, avoid)


class Cloze:
    """The fill-in statements of the documents a pack does not serve, one per item that stresses a name."""

    def __init__(self, kb: KnowledgeBase, served: set[str], embeddings, taken: set[str]):
        self.kb, self.embeddings = kb, embeddings
        self.key: dict[str, str] = {}  # rule → the name its blank stands for (its first askable one)
        self.by_document: dict[str, list[tuple[str, str]]] = {}  # document → (name, rule) of every stressed name
        for r in kb.rules:
            if r.kind != "list_item" or r.anti_pattern or r.source_file in served or not r.stressed:
                continue
            found = names(r)
            said = statement(r)
            for s in found:
                self.by_document.setdefault(r.source_file, []).append((s, r.id))
            askable = [s for s in found if len(re.findall(r"\w+", said.replace(s, " "))) >= SAID_WORDS]
            if askable and r.id not in taken and len(said.split()) <= STATEMENT_WORDS:
                self.key[r.id] = askable[0]
        self.pool = [kb.rule(rid) for rid in self.key]
        self._vectors: dict[str, dict[str, np.ndarray]] = {}

    def _vector(self, document: str) -> dict[str, np.ndarray]:
        """The embedding of each name the document stresses (computed for the whole document at once)."""
        if document not in self._vectors:
            texts = list(dict.fromkeys(s for s, _ in self.by_document[document]))
            vectors = np.asarray(self.embeddings.embed_documents(texts), dtype=np.float32)
            self._vectors[document] = dict(zip(texts, vectors))
        return self._vectors[document]

    def draft(self, rule: Rule, level: str, rng) -> Draft:
        key = self.key[rule.id]
        said = statement(rule).replace(key, BLANK).rstrip(" .;:")
        return Draft(rule, level, None, key, STEM.format(said=said), rng)

    def item(self, draft: Draft, position: int, avoid: frozenset[str] = frozenset()) -> QuizItem | None:
        """Three names of the key's shape that the stem does not say, nearest the key in meaning: easy, drawn from
        the ``EASY_POOL`` nearest; hard, the three nearest. None when the document has too few, or when the stem
        gives the key away."""
        rule, key, stem = draft.rule, draft.key, draft.stem
        vectors = self._vector(rule.source_file)
        said, kind, flags = set(key_terms(stem)), shape(key), set(_FLAG.findall(f"{key} {stem}"))
        value = kind.startswith("#")  # (a value's kind is its form: "90 days" beside "30 days", whatever they mean)
        others: dict[str, tuple[float, str]] = {}
        for name, rid in self.by_document[rule.source_file]:
            if (rid == rule.id or name in avoid or shape(name) != kind or normalize(name) in normalize(stem)
                    or abs(len(name.split()) - len(key.split())) > 1
                    or (terms := set(key_terms(name))) and terms <= said or name in others
                    or flags & set(_FLAG.findall(name))):  # (a command taking the key's or the stem's option)
                continue
            near = float(vectors[name] @ vectors[key]) + (head(name) == head(key))
            if value or near >= NEAR:
                others[name] = (near, rid)
        ranked = sorted(others, key=lambda n: -others[n][0])
        if draft.level != "hard":
            nearest = ranked[:EASY_POOL]
            draft.rng.shuffle(nearest)
            ranked = nearest + ranked[EASY_POOL:]
        chosen: list[str] = []
        for name in ranked:  # no two options where one's name holds the other's, or that say the same
            if not any(normalize(name) == normalize(c) or not value and _alike(name, c) for c in [key] + chosen):
                # (values share their unit: "90 days" is not alike "30 days")
                chosen.append(name)
            if len(chosen) == 3:
                break
        if len(chosen) < 3 or gives_away(stem, key, chosen) or says_name(stem, key):
            return None
        options, option_rules = chosen[:], [others[n][1] for n in chosen]
        options.insert(position, key)
        option_rules.insert(position, rule.id)
        shown = stressed(statement(rule), (key,))
        claims = [Claim(text=f"The notes say: “{shown.rstrip('.')}.”", rule_ids=[rule.id], label=key,
                        heading="Why the key fits:")]
        claims += [Claim(text=f"**{n}** belongs elsewhere: “{statement(self.kb.rule(rid)).rstrip('.')}.”",
                         rule_ids=[rid], label=n, heading="Distractor:") for n, (_, rid) in
                   ((n, others[n]) for n in chosen)]
        explanation, citations = render(claims, self.kb)
        return QuizItem(id="q-" + content_hash(rule.id, stem, *options)[:12], stem=stem, options=options,
                        answer=position, explanation=explanation, citations=citations, rule_id=rule.id,
                        area=rule.area, difficulty=draft.level, option_rules=option_rules)
