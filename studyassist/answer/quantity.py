"""Questions that ask for a number ("how many deployments can an endpoint have?", "what's the maximum share I can
mirror?"): when none of the rows an answer cites holds a figure, the answer says it found none before it says what
the review does say, instead of passing a nearby rule off as the answer."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable

from studyassist.answer.citations import rule_text
from studyassist.answer.types import Claim
from studyassist.answer.versus import asked_side
from studyassist.knowledge.model import Rule
from studyassist.text import DOMAIN_WEIGHT, key_terms, normalize

# "How much traffic can I mirror?", "what's the max share …", "is there a limit on …": a question for a figure; a
# limit, quota or percentage merely mentioned ("mirror a percentage of traffic", "why is extra quota reserved?") is not
_AMOUNT = r"(max|maximum|minimum|upper limit|lower limit|limits?|quota|caps?|percentage|percent|size|number|count)"
_ASKS_NUMBER = re.compile(rf"\bhow (many|much(?! of (?:that|this|it|these|those) (?:can|could|will|would|do|does|is)"
                          rf"\b)|long|often|big|large|small|fast|frequently)\b|"  # (not "how much of that can X do?")
                          rf"\bwhat('s| is| are| was)? (the |a |its |their )?{_AMOUNT}\b|"
                          rf"\b(is|are) there (a |any )?{_AMOUNT}\b|"
                          r"\bwhat('s| is| are)? (the |its |their )?(biggest|largest|smallest|longest|shortest)\b|"
                          rf"\b(max|maximum|minimum) (number|size|count|percentage|share|amount)\b|"
                          rf"\b(limits?|caps?|maximum|quota) (on|for|of) (the )?(number|size|count|percentage|share|"
                          rf"amount|traffic|instances|deployments|nodes|endpoints|requests)\b|"
                          # "what's the default request timeout …, and can I raise it above 180 seconds?"
                          # (only "default" and the verb ask: the words between name what is asked about)
                          r"\b(?=default (\w+ ){0,2}(timeout|size|limit|count|number|retention|interval|duration)\b)|"
                          r"\b(raise|increase|set|extend|push) (?=(it|this|that|the \w+) (above|beyond|over|past|"
                          r"(to )?more than) \d)")
# a figure: a digit (not of a name: "AzureWebApp@1", "EC2", "Gen2"), or a count spelled out after a bound ("up to two
# active restriction rules per object", "only one territory model in Active state")
_FIGURE = re.compile(r"(?<![A-Za-z@_])\d|\b(?:up to|only|at most|at least|no more than|exactly|maximum of|minimum of)\s"
                     r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|fifty|hundred)\b", re.I)
_SECTION_NUMBER = re.compile(r"^\d+(?:\.\d+)*\.\s+")
_ROW_NUMBER = re.compile(r"\s*(#|no\.?|nr\.?|num\.?)\s*", re.I)  # a column that numbers the rows
_HOW_MANY = re.compile(r"\bhow many ((?:[a-z][\w-]* ){0,2}?[a-z][\w-]*)(?= (?:are|is|do|does|did|can|should|will|"
                       r"must|would|in|on|of|per|there)\b|\s*[?.,]|$)")
# (what a question asks, the figure that answers it): a size, a duration, a share
_UNITS = (
    (re.compile(r"\b(size|big(?:gest)?|large(?:st)?|small(?:est)?|memory|storage|capacity|disk|ram)\b"),
     re.compile(r"\d\s*(?:[kmgtp]i?b|bytes?)\b|/\d\d?\b", re.I)),
    (re.compile(r"\bhow long\b|\b(longest|shortest|duration|retention|retain|keep|kept|timeout|run time|runtime)\b"),
     re.compile(r"\d[\s-]?(?:ms|s|sec|secs|seconds?|mins?|minutes?|h|hrs?|hours?|days?|weeks?|months?|years?)\b",
                re.I)),  # ("15-minute max execution time" is a duration too)
    (re.compile(r"\b(percentage|percent|share|sla|availability|durability|uptime)\b"), re.compile(r"\d\s*%")),
)
# The bound a question asks for (a maximum, a minimum, a default): a row with a figure answers it only if it names
# that bound too ("What's the maximum visibility timeout?" is not answered by "by default … 30 seconds")
_BOUNDS = (re.compile(r"\b(max|maximum|most|up to|upper|limit\w*|caps?|longest|biggest|largest|highest)\b"),
           re.compile(r"\b(min|minimum|at least|lower|shortest|smallest|lowest)\b"), re.compile(r"\bdefault"))
# what a figure measures, though a row may name it as a thing too ("Message retention: default 4 days")
_MEASURES = frozenset("retention timeout size latency throughput duration interval limit".split())
_KEEPING = frozenset("keep keeps kept retain retains retained".split())  # how long a thing is kept: its retention
# a row that says there is no bound answers a question for one ("No size limit" for "is there a cap on how big …?")
_UNBOUNDED = re.compile(r"\bno (?:\w+ )?(?:limits?|caps?|maximum|upper bound)\b|\bunlimited\b", re.I)
NO_NUMBER = "I found no number for this in the review."  # (what was searched: its rows, not code it quotes)
COMMON_SHARE = 0.25  # a word in more than this share of a document's rows says nothing of which row is asked about
NAME_WORDS = 3  # a choice of at most this many words names a thing ("SQS", "Multi-AZ")
FIGURE_WORDS = 2  # of the question's words a row with a figure must share to be the figure asked for, one of them
# a row with a figure that shares too few of a question's words is its answer only when this close to it in meaning
# and this much closer than the next such row
NEAR_FIGURE, NEAR_LEAD = 0.55, 0.05
AMOUNT_WORDS = frozenset("max maximum min minimum limit quota cap size number count percentage percent".split())
# the amount asked ("minimum size"): "how many deployments can one endpoint have?" shares "endpoint" with a latency
# row ("150 ms"), which is no count of deployments. A duration, size or share asked needs one shared word and no
# amount: the row's figure is of the kind asked ("how long can a Lambda function run?", "15-minute max execution")


def asks_for_a_number(question: str) -> bool:
    return bool(_ASKS_NUMBER.search(normalize(question)))


def no_number_note(question: str, claims: list[Claim], rule: Callable[[str], Rule],
                   rules: Iterable[Rule] = (), vectors: tuple[Callable, object] | None = None) -> Claim | None:
    """What goes first when ``question`` asks for a number and the row the ``claims`` lead with has no figure: the
    row of ``rules`` with a figure that shares the most of the question's words (``FIGURE_WORDS``, the amount among
    them; rare words counting more; no tie) and names the bound asked (``_BOUNDS``), cited
    — "AzureBastionSubnet minimum size → /26" for "what's the minimum subnet size for Azure Bastion?", which the
    learner trial was told the review gives no number for — else, unless another cited row has a figure, the note
    that none was found. When no row shares enough of its words, the row with a figure nearest the question in
    meaning (``vectors``: a rule's embedded vector by its id, and the question's), well ahead of the others sharing a
    word, is the nearest figure ("… how many resources will terraform apply work on at the same time?" → "Concurrent
    operations, default 10")."""
    if not asks_for_a_number(question):
        return None
    cited, lead = {rid for c in claims for rid in c.rule_ids}, next((c.rule_ids for c in claims if c.rule_ids), [])
    unit = asked_unit(question)
    if not cited or _any_figure((rule(rid) for rid in lead), unit):  # (the row the answer leads with has it)
        return None
    asking = _ASKS_NUMBER.search(normalize(question))  # (the words that ask are no words of the thing asked about:
    asked, rules = set(key_terms(question)) - set(key_terms(asking.group())), list(rules)  # "how long" → "long")
    asked |= {"retention"} if asked & _KEEPING else set()  # ("how long will SQS keep a message?")
    # what each row says, with what it is about ("Limits: 15-minute max execution time" under "AWS Lambda")
    about = {r.id: set(key_terms(_about(r))) for r in rules}
    figures = [r for r in rules if _any_figure([r], unit)]
    words = {r.id: asked & about[r.id] for r in figures}
    # a thing the question names that the notes choose ("SQS") must be the row's: S3's "Max PUT size: 5 GB" is no
    # size of an SQS message
    named = asked & {t for r in rules if len(r.choice.split()) <= NAME_WORDS for t in key_terms(r.choice)}
    named -= AMOUNT_WORDS
    words = {rid: shared for rid, shared in words.items() if not named or shared & named}
    # … and what is asked of it, when a row says that itself: "keep" (retention) of a stream, not its latency
    prop = asked - named - AMOUNT_WORDS | asked & _MEASURES
    # … a word the document says everywhere is no match by itself unless it is what is asked ("terraform" in half the
    # rows: "how long is the Terraform exam?" is not asked of the one row with a duration; "message" is of a queue's)
    spread = Counter(t for terms in about.values() for t in terms & asked)  # (rows saying each asked word)
    words = {rid: shared for rid, shared in words.items()
             if shared & prop or any(spread[t] <= COMMON_SHARE * len(rules) for t in shared)}
    bounds = [b for b in _BOUNDS if b.search(normalize(question))]  # a maximum asked is no default ("30 seconds")
    bounded = {rid for rid in words if all(b.search(normalize(_about(rule(rid)))) for b in bounds)}  # (those sharing
    saying = {rid for rid in words if prop & set(key_terms(_stated(rule(rid))))}  # a telling word, for the nearest)
    words = {rid: shared for rid, shared in words.items() if rid in saying} if saying else words
    words = {rid: shared for rid, shared in words.items() if rid in bounded}
    rows_using = Counter(t for shared in words.values() for t in shared)  # a rare word counts more ("Azure": not)
    amount = AMOUNT_WORDS | counted(question)  # (a duration or size asked: the row's figure is of that kind already)
    ranked = sorted(((sum(1 / rows_using[t] for t in shared), rid) for rid, shared in words.items()
                     if len(shared) >= (1 if unit else FIGURE_WORDS) and (unit or shared & amount)), reverse=True)
    if ranked and (len(ranked) == 1 or ranked[1][0] < ranked[0][0] or unit and _figures(rule(ranked[0][1]), unit)
                   == _figures(rule(ranked[1][1]), unit)):  # (two rows of the same figure: "15 minutes max")
        r = rule(ranked[0][1])
        return Claim(text=f"The review's figure: {_said(r, question)}.", rule_ids=[r.id])
    if unit and len(ranked) >= 2 and ranked[0][0] == ranked[1][0] and (len(ranked) == 2 or ranked[2][0] < ranked[0][0]):
        two = [rule(rid) for _, rid in sorted(ranked[:2], key=lambda x: x[1])]  # two rows as near, each its own figure
        return Claim(text=f"The review gives two figures: {_said(two[0], question)}; {_said(two[1], question)}.",
                     rule_ids=[r.id for r in two])  # (a sheet at odds with itself: "1 to 365 days", "1 to 165 days")
    if _BOUNDS[0] in bounds and (none := _unbounded(question, unit, [rule(rid) for rid in cited], rules)):
        said = _said(none, question)  # (what backs the note: the row's own words)
        return Claim(text=f"The review says there is none: {said}.", rule_ids=[none.id], labels=[said])
    if _any_figure((rule(rid) for rid in cited), unit):  # a figure among the other rows shown: no note
        return None
    if vectors is not None and vectors[1] is not None and (near := _nearest(bounded, vectors, rule)):
        return Claim(text=f"The nearest figure in the review: {_said(near, question)}.", rule_ids=[near.id])
    return _counted_rows(question, rules) or Claim(text=NO_NUMBER, note=True)


def _unbounded(question: str, unit: re.Pattern | None, cited: list[Rule], rules: list[Rule]) -> Rule | None:
    """The one row saying that what is asked has no bound ("No size limit" among CodeCommit's benefits, for "is there
    a cap on how big a repo can get?"), saying a telling word of the question or, when it names the measure asked
    (a size asked: the row names a size), in the topic of a cited row (a sibling section's); giving no figure (a row
    that gives a bound is no row without one: "up to five … in Performance and Unlimited editions"); else None."""
    measure = next((asks for asks, figure in _UNITS if figure is unit), None)
    topics = {r.section.rsplit(" > ", 1)[0] for r in cited}
    asked = set(key_terms(question)) - AMOUNT_WORDS
    found = [r for r in rules if _UNBOUNDED.search(said := _stated(r)) and not _FIGURE.search(said)
             and (measure is None or measure.search(normalize(said)))
             and (measure and r.section.rsplit(" > ", 1)[0] in topics or asked & set(key_terms(said)))]
    return found[0] if len(found) == 1 else None


def _nearest(sharing: set[str], vectors: tuple[Callable, object], rule: Callable[[str], Rule]) -> Rule | None:
    """Of the rows with a figure ``sharing`` a telling word with the question (and naming the bound it asks), the one
    nearest it in meaning when at least ``NEAR_FIGURE`` close and ``NEAR_LEAD`` closer than the next; else None."""
    vector_of, question = vectors
    near = sorted(((float(v @ question), rid) for rid in sharing if (v := vector_of(rid)) is not None), reverse=True)
    if near and near[0][0] >= NEAR_FIGURE and (len(near) == 1 or near[0][0] - near[1][0] >= NEAR_LEAD):
        return rule(near[0][1])
    return None


def _said(r: Rule, question: str) -> str:
    """A row with a figure as an answer says it: "situation → choice" of a table's row, a list's item under its
    heading, the side of a comparison the question names."""
    said = (f"{r.situation} → {r.choice}" if r.kind == "table_row" else f"{r.choice}: {r.situation}") \
        if r.situation and r.choice else rule_text(r).strip()
    if (side := asked_side(r, question)) is not None:
        said = f"{r.situation} → {r.sides[side].label}: {r.sides[side].text}"
    return said.rstrip(".")


def _about(rule: Rule) -> str:
    """What a row says, with what it is about ("Limits: 15-minute max execution time" under "AWS Lambda")."""
    return f"{_stated(rule)} {rule.subject or rule.section.split(' > ')[-1]}"


def _counted_rows(question: str, rules: list[Rule]) -> Claim | None:
    """For "how many deployment types …?" that no row gives a number for: the rows of the one table or list whose
    heading names what is counted ("Types of Deployments You Must Know"), counted and named, else None."""
    if not (want := counted(question)):
        return None
    groups: dict[str, list[Rule]] = {}
    for r in rules:
        if r.kind == "table_row" and r.table or r.kind == "list_item":
            groups.setdefault(r.table if r.kind == "table_row" else r.id.split("#")[0], []).append(r)
    found = [rows for rows in groups.values() if want <= set(key_terms(rows[0].section.split(" > ")[-1]))]
    if len(found) != 1:
        return None
    rows = found[0]
    names = [next(iter(r.cells.values()), r.choice) if r.cells else r.choice for r in rows]
    heading = _SECTION_NUMBER.sub("", rows[0].section.split(" > ")[-1])
    return Claim(text=f"The review lists {len(rows)} under “{heading}”: {', '.join(names)}.",
                 rule_ids=[r.id for r in rows], labels=names)


def counted(question: str) -> set[str]:
    """What "how many …" counts, as key terms ("how many practices are there in ITIL 4?": "practice"): the amount a row
    with a figure must name to be the count asked for ("Total ITIL 4 practices | 34")."""
    m = _HOW_MANY.search(normalize(question))
    return set(key_terms(m.group(1))) if m else set()


def asked_unit(question: str) -> re.Pattern | None:
    """The kind of figure ``question`` asks for, as the pattern of a figure of that kind: a size, a duration or a
    share; None for a count or anything else (any figure may be it)."""
    text = normalize(question)
    return next((figure for asks, figure in _UNITS if asks.search(text)), None)


def _any_figure(rules: Iterable[Rule], unit: re.Pattern | None = None) -> bool:
    """Whether a rule states a figure (of the kind ``unit`` matches, if given): "99.999999999%" is no object size,
    "15min limit" no amount of memory."""
    return any((unit or _FIGURE).search(_stated(r)) for r in rules)


def _figures(rule: Rule, unit: re.Pattern) -> set[tuple[str, ...]]:
    """The numbers of each figure of ``unit``'s kind a row states ("15-minute" and "15 minutes" are one)."""
    return {tuple(re.findall(r"\d+", m.group())) for m in unit.finditer(_stated(rule))}


def _stated(rule: Rule) -> str:
    """What a row says, without the cell that only numbers it ("#: 2" in a list of principles) or the weight its
    section's heading gives an exam domain ("Declarative Sharing (76%)")."""
    numbered = {h for h, v in rule.cells.items() if _ROW_NUMBER.fullmatch(h) and v.strip().isdigit()}
    if not numbered:
        text = _SECTION_NUMBER.sub("", rule_text(rule))  # (a heading's number is no figure: "3. Deployment Targets")
    else:
        text = rule_text(rule.model_copy(update={part: {h: v for h, v in getattr(rule, part).items()
                                                        if h not in numbered} for part in ("cells", "notes")}))
    for weight in set(DOMAIN_WEIGHT.findall(rule.section)):
        text = text.replace(weight, " ")
    return text
