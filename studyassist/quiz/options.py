"""How choices and stems compare as text: whether two rows ask for the same thing, whether one list of checks says
much of another, what form a value has ("5 min", "99.9%", a name), whether a scenario asks for a choice, and a stem
without its own key's word. The generator uses these to keep one defensible key per item."""
from __future__ import annotations

import math
import random
import re
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache

from studyassist.knowledge.attributes import cell_mark
from studyassist.knowledge.grades import grades_row
from studyassist.knowledge.model import Rule
from studyassist.text import key_terms, normalize, singular

_NUMBER = re.compile(r"\d[\d.,]*")
_MAGNITUDE = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")  # a number's own digits ("1,000", "2.5"; "10.0" of "10.0.1.5")
# "PIM vs Access Reviews": a row about two things compared; as a distractor beside single names it gives itself away
_COMPARES = re.compile(r"\s(?:vs\.?|versus)\s", re.I)
_UNIT = re.compile(r"[a-z%]+")
_NOTE = re.compile(r"\s*[(\[]")  # a situation's note in brackets: "Full compatibility (agent, CLR)"
_NUMBERS = re.compile(r"\d+(?:[.,]\d+)*")


def table_kind(row_families: list[set[str | None]]) -> str | None:
    """The concept family more than half of a table's rows choose: the kind of thing the table lists ("Metric
    threshold", "Regression check", … are gates), which its rows are asked as, even a row whose choice is also
    of another kind ("Data quality", a monitoring signal too). None for a table of mixed kinds."""
    counted = Counter(f for families in row_families for f in families if f)
    # (of families as common, the first by name: a row's families are a set, whose order varies between processes,
    # so most_common's first-seen order gave two kinds to one table in two runs of the same quiz)
    family, rows = min(counted.items(), key=lambda fc: (-fc[1], fc[0])) if counted else (None, 0)
    return family if rows > len(row_families) / 2 else None


def listed_together(a: str, b: str, groups: list[tuple[str, ...]]) -> bool:
    """Whether one of ``groups`` (normalised starts of choices a pack lists as able to be right together) holds
    ``a`` and ``b`` at different places."""
    a, b = normalize(a), normalize(b)
    for group in groups:
        first = next((i for i, c in enumerate(group) if a.startswith(c)), None)
        if first is not None and any(b.startswith(c) for i, c in enumerate(group) if i != first):
            return True
    return False


def compares(text: str) -> bool:
    """Whether a choice is about two things compared ("PIM vs Access Reviews")."""
    return bool(_COMPARES.search(text))


@lru_cache(maxsize=8192)
def word_stems(text: str) -> frozenset[str]:
    """The content words of ``text`` on their first six letters ("compatibility" and "compat" alike), no numbers."""
    return frozenset(w[:6] for w in key_terms(_NUMBERS.sub(" ", text)))


def same_need(situation: str, other: str) -> bool:
    """Whether another row's situation says all that this one's says (its words before any note in brackets, on
    their first six letters, and the same numbers), so that a stem built from this one fits that row's choice
    too: "Load balancing" beside "Load balancing"; "Full SQL Server compatibility (SQL Agent, CLR)" beside "100%
    SQL Server compat + full OS control". "Max length" beside "Min length", "99%" beside "99.5%", and "Time
    (standard)" beside "Time (priority)" (the same words before different notes) differ."""
    head, other_head = (_NOTE.split(text, maxsplit=1)[0] for text in (situation, other))
    if normalize(head) == normalize(other_head) and normalize(situation) != normalize(other):
        return False
    want = word_stems(head)
    return (bool(want) and want <= word_stems(other)
            and set(_NUMBERS.findall(head)) <= set(_NUMBERS.findall(other)))


# Verbs that open an option stated as an action ("Restore the previous release") rather than a name
_ACTION_VERBS = frozenset("""use assign shift stop check compare decide confirm review create deploy grant set add
enable disable store keep run track log monitor pin restore roll register validate evaluate apply configure move
send avoid require build train schedule retrain investigate inspect document replace remove rotate restrict limit define
separate version capture promote test automate attach scale tune reduce increase preserve protect ensure implement
provide isolate encrypt audit record collect analyze analyse detect alert notify retry redeploy revert standardize
package reuse share delete update give continue mirror rely let put serve treat approve make verify have save write
submit specify fix pick choose look generate invoke publish connect retrieve""".split())  # (never a name's first word)


# Category nouns that end a product's name and say what kind of thing it is ("SQL DB Hyperscale tier", "Azure SQL
# Elastic Pool", "Auto-Failover Group", "Azure Hybrid Benefit"): a tier beside a pool or a licensing benefit is
# another kind of answer, whatever the table that lists them together says. A plain name goes with any ("Archive
# tier" beside "Read cache": both places to keep records) unless its table names several kinds (Kinds.mixed).
_KIND_WORDS = frozenset("tier pool group benefit plan edition sku policy licence license".split())
KIND_NAME_WORDS = 6  # a longer choice is a clause, not a name


def kind_word(choice: str) -> str:
    """The category noun a choice's name ends with, its note in brackets aside ("Azure Hybrid Benefit (vCore)" →
    "benefit"); "" for a name that ends in none, and for an action or a list ("Check the cluster's VM size, node
    count and priority tier" is no tier)."""
    name = _NOTE.split(normalize(choice), maxsplit=1)[0]
    words = name.split()
    if not words or "," in name or len(words) > KIND_NAME_WORDS or is_action(choice):
        return ""
    return last if (last := singular(words[-1])) in _KIND_WORDS else ""


def mixed_kinds(choices: list[str], strict: bool = False) -> bool:
    """Whether ``choices`` name two kinds by their category nouns (a tier and a pool); a plain name mixes with any,
    unless ``strict`` (where a document's table names several kinds, a plain name is one more)."""
    kinds = {kind_word(c) for c in choices}
    return len(kinds if strict else kinds - {""}) > 1


def same_shape(option: str, key: str) -> bool:
    """Whether an option reads as the same kind of answer as the key: both actions ("Restore the previous
    release") or both names ("Object storage"), and neither over three times as long as the other in words. In a
    table of mixed kinds, "Short-lived tokens from a secret store, not shared passwords" beside "Object storage" and
    "Block storage" is ruled out by its form alone, and an exam never mixes them."""
    a, b = normalize(option).split(), normalize(key).split()
    if not a or not b:
        return False
    return is_action(option) == is_action(key) and max(len(a), len(b)) <= 3 * min(len(a), len(b))


def says_much_of(option: str, key: str) -> bool:
    """Whether two list-like choices share at least three items' words and a third of the shorter one's (on their
    first six letters): "Container startup, scoring script initialization, bad environment" beside "Scoring script,
    environment, model loading, request schema" is a second defensible answer to either row's symptom."""
    mine, theirs = word_stems(option), word_stems(key)
    shared = len(mine & theirs)
    return shared >= 3 and 3 * shared >= min(len(mine), len(theirs))


def value_form(text: str) -> str:
    """What kind of value a choice is: "text" for a name or a clause, else the unit after its first number
    and its shape ("5 min (max 10 min)" → "#min(", "99.9%" → "#%", "6 levels" → "#level", "20" → "#", "2–3" → "#~")."""
    m = _NUMBER.search(text)
    if not m or m.start() > 2 or any(c.isalpha() for c in text[:m.start()]):  # "S3 Standard", "Server 2022": names
        return "text"
    if m.group(0).count(".") >= 2:  # an address or a version ("10.0.1.5", "1.2.3") is no amount
        return "#." + ("/" if "/" in text[m.end():] else "")
    rest = text[:m.start()] + " " + text[m.end():]  # "/26" (a prefix length) is not a count
    unit = _UNIT.match(text[m.end():].lstrip().lower())
    word = unit.group(0) if unit else ""
    # and its shape: a range ("2–3"), a pair ("700 / 1000") or a note in brackets sets it apart from a bare value
    shape = "".join(mark for mark, signs in (("~", "–—-"), ("/", "/"), ("(", "(")) if any(c in rest for c in signs))
    return "#" + (word[:-1] if len(word) > 3 and word.endswith("s") else word) + shape


def category_column(headers: list[str], rows: list[dict[str, str]]) -> str:
    """The first of ``headers`` whose cells in ``rows`` are short names (at most three words, not values) that
    several rows share and others do not ("Type": Object, Object, File, Block), or "": a column by which the
    document sorts its choices into kinds."""
    for header in headers:
        values = [row.get(header, "").strip() for row in rows]
        named = all(len(v.split()) <= 3 and value_form(v) == "text" and any(c.isalpha() for c in v) for v in values)
        if named and 1 < len(set(values)) < len(values) and not all(map(grades_row, values)):
            return header
    return ""


def magnitude_gap(value: str, key: str) -> float:
    """How many powers of ten apart the first numbers of two values are ("1,000" and "5": 2.3; no number: inf)."""
    a, b = (_MAGNITUDE.search(t) for t in (value, key))
    if not a or not b:
        return math.inf
    x, y = (float(m.group(0).replace(",", "")) for m in (a, b))
    return abs(math.log10(max(x, 1e-9)) - math.log10(max(y, 1e-9)))


# A scenario whose question asks what went wrong ("What is missing?", "What is the weakness?") or for two things
# ("Which compute suits this, and what is the tradeoff?") is not answered by the rule's choice.
_NOT_A_CHOICE = re.compile(r"\b(missing|wrong|mistake|problem|flaw|issue|misconception|trade-?offs?|why|risks?|"
                           r"caused?|went|weakness|weak|gap|shortcoming|downside|pitfall|danger)\b"
                           r"|,\s*and\s+(what|which|how)\b", re.I)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def last_sentence(text: str) -> str:
    """The last sentence of a stem: the question it asks."""
    return _SENTENCE_END.split(text.strip())[-1]


def asks_for_a_choice(scenario: str) -> bool:
    """Whether a scenario ends in a question that the choice of its rule answers."""
    question = last_sentence(scenario)
    return question.endswith("?") and not _NOT_A_CHOICE.search(question)


# "Which endpoint type …", "Which type of endpoint …", "Which compute option …": the kind of thing the question asks for
_ASKED_KIND = re.compile(r"\bwhich\s+(?:(?:type|kind|sort)s?\s+of\s+([a-z-]+)|([a-z-]+)\s+(?:types?|kinds?|options?|"
                         r"tiers?|services?|categor(?:y|ies))\b)", re.I)


# "What should the team suspect?", "Which explanation fits best?": the question asks for a cause, not for what to do
_ASKS_CAUSE = re.compile(r"\b(suspect|(likely|root|probable) causes?|explanations?|explains?|to blame)\b", re.I)


# "What should the team do?", "What action should be taken?": the question asks for something to do
_ASKS_ACTION = re.compile(r"\bwhat (?:should|must|can) (?:\w+ ){1,3}do\b|\bwhat (?:action|step)s? (?:should|must)\b|"
                          r"\bwhat (?:should|must) be done\b", re.I)


def is_action(text: str) -> bool:
    """Whether a choice reads as an action ("Shift traffic to the previous deployment …"), not a name ("Kubernetes
    compute target", however many words the review's cell had; "Retry policies", a verb and a plural noun, names a
    kind of thing beside "Circuit breaker" and "Health endpoints")."""
    words = normalize(text).split()
    compound = re.fullmatch(r"[A-Z][a-z]+ [a-z]+s", text.strip())  # ("Retry policies", "Alert rules": kinds of thing)
    return bool(words) and words[0] in _ACTION_VERBS and not compound


def asks_for_an_action(stem: str, key: str) -> bool:
    """Whether the question sentence of ``stem`` asks what to do while ``key`` is a name, not an action: "What
    should the team do with the top-performing trial?" is not answered by "Best run" (a blind reviewer: "options
    don't match the stem"), so such a scenario is no stem for that key."""
    return bool(_ASKS_ACTION.search(last_sentence(stem))) and bool(normalize(key).split()) and not is_action(key)


# verbs of an action that finds out ("Check input drift …"), not one that changes something ("Preserve lineage …")
_FINDS_OUT = frozenset("check compare review investigate inspect confirm verify look analyze analyse".split())
# "What should the team create?", "Which store should they set up?": the question asks for a thing to have
_ASKS_THING = re.compile(r"\b(?:what|which \w+) (?:should|must|would|can) (?:\w+ ){1,3}(?:create|build|implement|"
                         r"configure|set up|add|maintain|provide)\b|\bwhat should be (?:built|created)\b", re.I)


def another_act(option: str, key: str) -> bool:
    """Whether two actions are of different kinds: one finds out ("Check input drift, data quality …"), the other
    changes something ("Preserve lineage …"). Beside three checks, a blind reviewer read the fourth as another row's
    answer that does not fit "find the cause" (stop 36)."""
    verbs = [normalize(t).split()[:1] for t in (option, key)]
    return is_action(option) and is_action(key) and (verbs[0][0] in _FINDS_OUT) != (verbs[1][0] in _FINDS_OUT)


def asks_for_a_thing(stem: str, key: str) -> bool:
    """Whether the question sentence of ``stem`` asks for a thing to create or set up while ``key`` reads "Use …":
    "What should the team create?" is not answered by "Use a datastore with versioned data assets" (a blind
    reviewer: the question and its answers do not match), so such a scenario is no stem for that key."""
    return bool(_ASKS_THING.search(last_sentence(stem))) and key.startswith("Use ")


def asks_for_a_cause(stem: str) -> bool:
    """Whether the question sentence of ``stem`` asks what caused something: its key is shown as the review states
    the cause ("Data drift, concept drift, stale model …"), not in the pack's wording as a check to run."""
    return bool(_ASKS_CAUSE.search(last_sentence(stem)))


def asked_kind(stem: str) -> str:
    """The word (on its first six letters) naming the kind of thing a stem's question asks for ("Which endpoint
    type is appropriate?" → "endpo"…), or "" when its question names none. When the key is such a thing, options
    that are not ("Traffic rule" beside "Batch endpoint") are answered away by the question's own words."""
    m = _ASKED_KIND.search(last_sentence(stem))
    word = (m.group(1) or m.group(2)) if m else ""
    return next(iter(word_stems(word)), "") if word else ""


def unnamed(key: str, stem: str) -> str:
    """``stem`` without the word ``key``: dropped where it qualifies the next word ("versioned data asset" →
    "versioned asset"), "ones" where it ends a phrase ("and business metrics" → "and business ones"); "" when the
    key is part of a longer word ("Auto-managed identity …" would become "Auto-for …"): no stem."""
    word = rf"\b{re.escape(key)}\b"
    if re.search(r"[\w]-" + word + "|" + word + r"-\w", stem, re.I):
        return ""
    stem = re.sub(word + r"\s+(?=\w)", "", stem, flags=re.I)
    stem = re.sub(word, "ones", stem, flags=re.I)
    return stem[:1].upper() + stem[1:]


def no_giveaway(stem: str, key: str, distractors: list, pool: list, shown=lambda text: text) -> list:
    """``distractors`` (each with a ``text``) for ``key`` in ``stem``: when the key, as ``shown``, shares more of the
    stem's words than every distractor does (found by matching words, not by knowing), the one of ``pool`` that
    shares the most takes the place of the last."""
    words = word_stems(stem)

    def shared(text: str) -> int:
        return len(word_stems(shown(text)) & words)

    most = max((shared(d.text) for d in distractors), default=0)
    if shared(key) <= most:
        return distractors
    sharing = max((c for c in pool if c not in distractors), key=lambda c: shared(c.text), default=None)
    return distractors[:-1] + [sharing] if sharing is not None and shared(sharing.text) > most else distractors


# an easy item's distractors are drawn from the five most plausible of the key's kind (a value's from the four nearest
# its size), or from eight in a table ordered by the difficulty alone
PLAUSIBLE, NEAREST_VALUES, EASY_POOL = 5, 4, 8


def choose_distractors(candidates: list, other_kind: list[bool], plausible: list[float] | None, hard: bool,
                       rng: random.Random, value: bool) -> tuple[list, list, int]:
    """Three of ``candidates`` (in the difficulty's order) for an item: those of the key's kind first (``other_kind``
    False), within a kind the most ``plausible`` first when that is given; a hard item takes the first three, an easy
    one draws from the first few of its kind, or takes every one of its kind and draws the fewest of another.
    Returns the distractors, the candidates in that order and how many are of the key's kind."""
    alike = other_kind.count(False)
    weights = [-p for p in plausible] if plausible is not None else [0.0] * len(candidates)
    ordered = [c for *_, c in sorted(zip(other_kind, weights, candidates), key=lambda t: t[:2])]  # stable
    if hard:
        return ordered[:3], ordered, alike
    if alike >= 3:
        pool = NEAREST_VALUES if value else PLAUSIBLE if plausible is not None else EASY_POOL
        return rng.sample(ordered[:min(alike, pool)], 3), ordered, alike
    return ordered[:alike] + rng.sample(ordered[alike:min(len(ordered), EASY_POOL)], 3 - alike), ordered, alike


def spaced(name: str) -> str:
    """A name written as one word split where its words meet ("AzureTrafficManager" → "Azure Traffic Manager")."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)


# "Field | Value | Meaning" over one flow-log record: the values are one example's, not facts to tell apart
_SAMPLE = re.compile(r"^\W*(?:(?:example|sample)\s+)?values?\W*$|^\W*(?:example|sample)\b", re.I)


def sample_record(columns, rows, choice: int) -> bool:
    """Whether a table lists the fields of an example: its choice column is headed as a (sample) value and holds an
    address beside values of two other forms (counts, codes); a blind review found no defensible key to "Packets In:
    which value is it?". A table of limits ("Item | Value" with counts, sizes and days) holds facts."""
    if not _SAMPLE.match(columns[choice]):  # (the header first: this runs for every frame a stem is put in)
        return False
    forms = {value_form(r[choice]) for r in rows if choice < len(r) and r[choice].strip()}
    return len(forms) >= 3 and any(f.startswith("#.") for f in forms)


def askable_side(rule: Rule, side: int) -> bool:
    """Whether a comparison row's cell can be asked as "which one owns this": not a grid's yes or no ("Where does
    this belong (guest os visible): yes?"), nor a cell another side of the row says too, or says and more ("Vendor:
    Open" beside two other "Open" cells, "High" beside "Very High": a blind reviewer found two keys, CCNA notes);
    "Storage service, own key" beside "Storage service" is one side's alone."""
    text = normalize(rule.sides[side].text)
    return cell_mark(rule.sides[side].text) is None and not any(
        text in normalize(s.text) for i, s in enumerate(rule.sides) if i != side)


def spread_positions(seed: int) -> Iterator[int]:
    """Key positions for one quiz: every run of four gives A to D once, in an order the seed decides."""
    rng = random.Random(f"{seed}:positions")
    while True:
        block = [0, 1, 2, 3]
        rng.shuffle(block)
        yield from reversed(block)


# A glossary of roles beside things ("Sponsor: Authorises the budget", "User: A person who uses services", "Change: The
# addition, modification or removal of anything"): someone is told apart from something by a name for people (plain
# English nouns, no exam's words) or a definition as someone.
_PERSON = re.compile(r"^(?:(?:a|an|the|any|one)\s+)?(?:person|people|individual|role|someone|party|organi[sz]ation|"
                     r"team|group|stakeholder|user|owner|body|member)s?\b(?:\s+(?:or|and)\s+\w+)?\s+"
                     r"(?:who|that|which|responsible|accountable|in charge)\b", re.I)
_PEOPLE = frozenset("customer user sponsor owner stakeholder consumer supplier developer administrator analyst "
                    "engineer scientist auditor architect tester member champion steward officer executive employee "
                    "person approver".split())
# what someone does, in the third person ("Authorises the budget", "Works with the service"; not "Services that …")
_DOES = re.compile(r"^[A-Za-z]{3,}(?<!ss)(?<!us)(?<!is)s\s+(?!(?:that|which|who|whose|of|is|are|and|or)\b)\w", re.I)


def is_someone(name: str, definition: str) -> bool:
    """Whether a term names someone: its definition says so ("A person who …"), or a noun for people ends its name
    and its definition says what it does ("Sponsor: Authorises the budget …", "Product Owner: Maximises …"; not "IAM
    User: An identity …", nor "Amazon Q Developer: AI-assisted code review")."""
    words, text = re.findall(r"[A-Za-z]+", name.lower()), definition.strip()
    return bool(_PERSON.match(text) or words and singular(words[-1]) in _PEOPLE and _DOES.match(text))


def tool_of(choice: str) -> str:
    """The program a command runs, when a choice is one: the first of its words, written in lower case ("terraform" of
    "terraform state rm <address>", "kubectl" of "kubectl get pods"); "" for a name ("Azure Firewall", "RIP v2")."""
    words = choice.strip().strip("`").split()  # (its subcommand or argument in lower case too: not "think DLP")
    return words[0] if len(words) >= 2 and re.fullmatch(r"[a-z][a-z0-9_-]+", words[0]) \
        and re.match(r"[a-z<$-]", words[1]) else ""
