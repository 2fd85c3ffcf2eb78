"""Term questions from a document's definitions, for documents no exam pack serves: notes often define things in
lists ("- **Availability zone**: physically separate datacenters inside a region …", "Azure Functions" with its
points under it, a short heading over its paragraph) rather than decision tables. The item shows what the
document says of one term, with that term's own name blanked, and offers it beside three terms the same list
defines (terms of one kind, told apart by what the document says of each); the generator's key check then runs
on it like on any item (distinct options, no option another rule the stem finds, the solver agrees).
"""
from __future__ import annotations

import re

import numpy as np

from studyassist.answer.types import Claim, render
from studyassist.knowledge.model import KnowledgeBase, Rule
from studyassist.quiz.types import Draft, QuizItem
from studyassist.text import content_hash, key_terms, normalize

# A term is a name of at most this many words; what the document says of it has at least DESCRIPTION_WORDS words,
# of which the stem shows the first sentences up to about STEM_WORDS.
TERM_WORDS = 6
DESCRIPTION_WORDS = 4
STEM_WORDS = 40
# A list gives term questions when it defines at least this many terms (the key and three of its kind).
GROUP_TERMS = 4
# Two definitions this close (cosine) say the same thing: the other term is not offered beside the key.
SAME_DEFINITION = 0.9
BLANK = "___"
# A name for a group of things ("Redundancy options", "Other storage services", "Things that affect cost") is not a
# term of the list's kind.
_CATEGORY = re.compile(r"^(other|more|some|things|ways|examples?|types?|kinds?)\b|"
                       r"\b(options|types|kinds|examples|things|factors|points|notes|tips)$", re.I)


def group_of(rule: Rule) -> str:
    """The terms a rule's term is offered among: its list's, or, for a paragraph under a short heading, the other
    headings' under the same parent section ("Compute > Azure Virtual Machines", "Compute > Azure App Service")."""
    list_id = rule.id.rsplit("#", 1)[0]
    if list_id.endswith("-defined"):
        return f"{rule.source_file}::{rule.section.rsplit(' > ', 1)[0]}"
    return f"{rule.source_file}::{list_id}"


def definition(rule: Rule) -> str:
    """What the document says of the term: its first sentences, up to about ``STEM_WORDS`` words."""
    out: list[str] = []
    for sentence in re.split(r"(?<=[.!?])\s+", rule.situation.strip()):
        if out and len(" ".join(out + [sentence]).split()) > STEM_WORDS:
            break
        out.append(sentence)
    text = " ".join(out).strip()
    words = text.split()
    return " ".join(words[:STEM_WORDS]) + " …" if len(words) > STEM_WORDS else text


def blanked(text: str, term: str) -> str:
    """``text`` with the term's name, and any run of its words the text repeats ("Virtual Machines are the IaaS
    option" for "Azure Virtual Machines"), as a blank; words the document's terms share (one word of three or
    fewer letters, or the first word alone) are left."""
    words = re.findall(r"[\w'’+-]+", term)
    for n in range(len(words), 0, -1):
        for start in range(len(words) - n + 1):
            run = words[start:start + n]
            if n == 1 and (len(run[0]) <= 3 or (len(words) > 1 and start == 0)):
                continue
            pattern = r"(?<![\w-])" + r"\s+".join(re.escape(w) for w in run) + r"(?:s|es)?(?![\w-])"
            text = re.sub(pattern, BLANK, text, flags=re.I)
    return re.sub(rf"{BLANK}(\s*{BLANK})+", BLANK, text)


class Definitions:
    """The term questions of the documents a pack does not serve."""

    def __init__(self, kb: KnowledgeBase, served: set[str], embeddings):
        self.kb, self.embeddings = kb, embeddings
        groups: dict[str, list[Rule]] = {}
        for r in kb.rules:
            if (r.kind == "list_item" and not r.anti_pattern and r.source_file not in served and r.situation
                    and 0 < len(r.choice.split()) <= TERM_WORDS and not r.choice.rstrip().endswith("?")
                    and not _CATEGORY.search(r.choice.strip())
                    and len(r.situation.split()) >= DESCRIPTION_WORDS):
                groups.setdefault(group_of(r), []).append(r)
        self.groups = {g: rules for g, rules in groups.items()
                       if len({normalize(r.choice) for r in rules}) >= GROUP_TERMS}
        self.pool = [r for rules in self.groups.values() for r in rules]
        self._vectors: dict[str, np.ndarray] = {}

    def _vector(self, rule: Rule) -> np.ndarray:
        if rule.id not in self._vectors:
            group = self.groups[group_of(rule)]
            for r, v in zip(group, self.embeddings.embed_documents([definition(r) for r in group])):
                self._vectors[r.id] = np.asarray(v, dtype=np.float32)
        return self._vectors[rule.id]

    def draft(self, rule: Rule, level: str, rng) -> Draft:
        """The term as the key and what the document says of it, its name blanked, as the stem."""
        said = blanked(definition(rule), rule.choice).rstrip(" .;:")
        stem = f"Which term does the review describe this way: “{said}”?"
        return Draft(rule, level, None, rule.choice.strip(), stem, rng)

    def item(self, draft: Draft, position: int, avoid: frozenset[str] = frozenset()) -> QuizItem | None:
        """Four terms of the key's list: easy, three drawn at random; hard, the three whose definitions are nearest
        the key's. None when the list has too few terms that the document tells apart from the key."""
        rule, key, stem = draft.rule, draft.key, draft.stem
        if len(blanked(definition(rule), key).replace(BLANK, " ").split()) < DESCRIPTION_WORDS:
            return None  # the definition is mostly the term's own name
        said = normalize(stem)
        mine = self._vector(rule)
        others = []
        for r in self.groups[group_of(rule)]:
            name = normalize(r.choice)
            if r.id == rule.id or name == normalize(key) or r.choice in avoid or name in said:
                continue
            closeness = float(self._vector(r) @ mine)
            if closeness < SAME_DEFINITION and not set(key_terms(r.choice)) >= set(key_terms(key)):
                others.append((closeness, r))
        names = {normalize(r.choice) for _, r in others}
        if len(names) < 3:
            return None
        if draft.level == "hard":
            others.sort(key=lambda x: -x[0])
        else:
            draft.rng.shuffle(others)
        chosen: list[Rule] = []
        for _, r in others:
            if normalize(r.choice) not in {normalize(c.choice) for c in chosen}:
                chosen.append(r)
            if len(chosen) == 3:
                break
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
