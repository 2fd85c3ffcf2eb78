"""Rules from prose: the paragraphs of a document of prose alone, and the prose sections of a document of tables
and lists."""
from __future__ import annotations

import functools
import itertools
import re
from collections import Counter

from ingest.lists import stressed_spans
from ingest.parser import plain
from studyassist.knowledge.model import Rule
from studyassist.text import BRACKETED, normalize

DEFINED_WORDS = 5  # a heading of at most this many words over prose names what the prose defines
_ASKING = re.compile(r"\?|^(how|why|what|when|which|where|who)\b", re.I)
# a heading that denies something states a point ("Trap — Enablement, not management"), it names nothing
_DENYING = re.compile(r"[—–:,]\s.*\b(not|never|no longer)\b|\b(is|are|does|do)\s+not\b|n't\b|≠", re.I)


# Headings that say what kind of material follows rather than what it is about ("Overview", "Key features").
_META = re.compile(r"^(an? |the )?(overview|summary|introduction|intro|recap|notes?|tips?|exam tips?|examples?|details|"
                   r"important|remember|warning|caution|quick (picks|reference|facts|review)|cheat ?sheet|"
                   r"at a glance|highlights|design (points|considerations)|(recommended |further |study )?resources|"
                   r"visual aids|"
                   r"key (points?|features?|concepts?|facts|takeaways|terms|use cases|capabilities)|features?|"
                   r"benefits?|advantages|disadvantages|drawbacks|pros|cons|attributes|properties|use cases?|"
                   r"implementation|how it works|capabilities|(main )?components|"
                   r"considerations|descriptions?|definitions?|concepts?|characteristics|limitations|(key )?limits|"
                   r"best practices|references|links|(\w+ )?checklist|practice questions|questions|"
                   r"(one[- ]liners?|one[- ]line|quick|misc\w*|extra|final|last[- ]minute) (notes|tips|facts))$", re.I)
# A skills outline's heading names its subject after a verb ("Describe the capabilities of Microsoft Sentinel").
_OUTLINE = re.compile(r"^((describe|explain|identify|define|understand)\s+(the\s+)?((capabilities|concepts|features|"
                      r"benefits|types|uses|purpose|principles|function) of\s+)?|(the\s+)?(fundamentals|basics) of\s+)",
                      re.I)


# A heading's own numbering ("1. Providers", "Step 3:") is no part of its name; "Other useful commands" names a
# remainder, not a thing its points are about.
_NUMBERED = re.compile(r"^(?:(?:step|part|section)\s+)?\d+(?:\.\d+)*[.):]?\s+", re.I)
_DECORATION = re.compile(r"^[^\w(\[]+")  # an emoji or a symbol before a heading's words ("📸 Visual Aids")
_OTHERS = re.compile(r"^(other|more|misc\w*|additional|further)\b", re.I)


# A heading over pointers elsewhere ("Recommended Resources", "Quick Documentation Links", "Visual Aids"): its list
# names pages, videos and diagrams to look at, not rules ("Responsible AI principles wheel" had answered a question)
_POINTERS = re.compile(r"^((recommended|essential|additional|useful|official|further|study|learning|external|more|"
                       r"detailed) )?(resources|references|links|reading|visual aids|(study )?(guides|materials))$|"
                       r"^(quick )?(documentation|reference) links$", re.I)


# what stands in a section not written yet ("tbd", "TODO", "Coming soon"): no passage (a trial's question went to a
# section whose whole text was "tbd", the nearest passage of all)
_PLACEHOLDER = re.compile(r"[\W_]*+(?:tbd|tba|todo|to do|wip|work in progress|coming soon|n/?a|placeholder|"
                          r"to be (?:done|added|written|continued))[\W_]*+", re.I)


def says_something(paragraph: str) -> bool:
    """Whether a paragraph says anything: not punctuation alone (a 4.5 MB file of "!?.,;:" lines was 15,000 passages
    that took minutes to embed), nor a placeholder."""
    return any(ch.isalnum() for ch in paragraph) and not _PLACEHOLDER.fullmatch(paragraph.strip())


def pointers(title: str) -> bool:
    """Whether a heading's list points elsewhere (resources, links, references, visual aids) rather than teaching."""
    return bool(_POINTERS.match(heading_name(title)))


def material(name: str) -> bool:
    """Whether a heading or an item's name says what kind of material follows ("Overview", "Important", "Tips")."""
    return bool(_META.match(name.strip().rstrip(":.")))


FACET_SECTIONS = 3  # a heading this many sections of a document share ("What You Can Do") names a facet of each


def heading_name(title: str) -> str:
    """A heading without its own numbering or an outline's "Describe the capabilities of"."""
    return _OUTLINE.sub("", _NUMBERED.sub("", _DECORATION.sub("", title.strip().rstrip(":.")))).strip()


def facet_headings(names: list[str]) -> frozenset[str]:
    """Of a document's heading names (normalised ``heading_name``s), those at least ``FACET_SECTIONS`` sections
    share: "What You Can Do", "Requires Customization" under every service of a reference. Each names a facet of its
    parent's subject."""
    return frozenset(name for name, n in Counter(names).items() if n >= FACET_SECTIONS)


def faceted(headings: list[tuple[int, str]], facets: frozenset[str]) -> frozenset[str]:
    """Of a document's headings (level, normalised name), the subjects of a reference that breaks them into
    ``facets``: a heading with a facet under it, and each heading beside it under the same parent ("App Configuration"
    beside "Application Insights > What You Can Do"), which are things of one kind (services), not topics."""
    path: list[tuple[int, str]] = []
    groups: dict[tuple[str, ...], set[str]] = {}
    broken: set[tuple[str, ...]] = set()
    for level, name in headings:
        while path and path[-1][0] >= level:
            path.pop()
        if name in facets and path:
            broken.add(tuple(n for _, n in path[:-1]))
        else:
            groups.setdefault(tuple(n for _, n in path), set()).add(name)
        path.append((level, name))
    return frozenset(name for parent in broken for name in groups.get(parent, ()))


def subject(path: tuple[str, ...] | list[str], facets: frozenset[str] = frozenset()) -> str:
    """What the unnamed points of a section are about: its heading when that names something (at most
    ``DEFINED_WORDS`` words once an outline's "Describe the capabilities of" is dropped, not counting a spelled-out
    name in brackets as in "AWS IAM (Identity and Access Management)", asking nothing), or, under a heading for a kind
    of material ("Overview", "Key features") or one of the document's ``facets``, its parent's; else ""."""
    for title in list(path)[::-1][:2]:
        name = heading_name(title)
        if _META.match(name) or _OTHERS.match(name) or normalize(name) in facets:
            continue
        if _ASKING.search(name) and len(path) > 1 and path[-1] == title:  # an FAQ's question ("what is load
            continue  # balancing", "ALB or NLB?"): its parent's subject; as a name, it drew every question naming it
        named = BRACKETED.sub(" ", name).split()
        return name if named and len(named) <= DEFINED_WORDS and not _ASKING.search(name) else ""
    return ""


def caption_name(text: str) -> str:
    """A line just above a list that names what the list is about, as a heading would ("🔹 Package Monitoring",
    "SAST (Static Application Security Testing)"): at most ``DEFINED_WORDS`` words outside brackets, every word of
    four letters or more capitalised, not a kind of material, not a sentence or an introduction ("… as follows:");
    else ""."""
    raw = text.strip().strip("*_ ")
    name = heading_name(raw)
    words = BRACKETED.sub(" ", name).split()
    if not words or len(words) > DEFINED_WORDS or raw.endswith((".", ":", "?", "!")) or _ASKING.search(name) \
            or _META.match(name) or _OTHERS.match(name):
        return ""
    return name if all(w[:1].isupper() or len(w) < 4 for w in words) else ""


def passage_rules(doc, sections) -> list[Rule]:
    """A document with no table, list or trap (its sections not promotional): each paragraph a passage rule, so an
    answer can cite it."""
    return [r for s in sections for r in _passages(doc, s, s.paragraphs)]


# What prose over a section's own list or table may say beside it: not an aside ("Note: …", "Reference: …"), nor the
# sentence that leads into the list ("Know the concepts:", "Before deploying, verify:")
_ASIDE = re.compile(r"^(?:notes?|tips?|hint|remember|warning|caution|important|examples?|references?|docs|sources?|"
                    r"see also|exam tips?|common exam trap)\s*:", re.I)
_LEAD_IN = re.compile(r"(?:^|(?<=[.!?]))[^.!?]*:\s*$")
_LABEL = re.compile(r"^(?:rule|summary|definition|key point)\s*:\s*", re.I)


# … unless the aside gives a figure ("> **Note:** Default max TTL is 32 days" over the ways to set a maximum TTL)
_FIGURE_ASIDE = re.compile(r"^(?:notes?|tips?|hint|remember|important)\s*:\s*(?=.*\d)", re.I)


def said_of(paragraph: str, beside_rules: bool) -> str:
    """What a paragraph says of its section, without a label that names nothing ("Rule: …"); over the section's own
    rules, "" for a lead-in or an aside, unless the aside gives a figure (said without its label)."""
    if beside_rules and (figure := _FIGURE_ASIDE.match(paragraph)):
        return paragraph[figure.end():].strip()
    if beside_rules and _ASIDE.match(paragraph):
        return ""
    return _LABEL.sub("", _LEAD_IN.sub("", paragraph) if beside_rules else paragraph).strip()


def prose_rules(doc, sections) -> list[Rule]:
    """Sections of prose (with their paragraphs) in a document of tables and lists: under a heading that names
    something ("Azure Service Bus"), what its paragraphs say is when to choose it; under any other heading, each
    paragraph is a passage."""
    out = []
    for s, paragraphs in sections:
        names = not material(heading_name(s.title)) and not pointers(s.title)  # ("Overview", "Visual Aids" do not)
        if names and len(s.title.split()) <= DEFINED_WORDS and not _ASKING.search(s.title) \
                and not _DENYING.search(s.title):
            out.append(Rule(id=f"{s.id}-defined#1", kind="list_item", section=s.path_text, table=None, row=1,
                            cells={}, situation=" ".join(paragraphs), choice=s.title, area=s.area or "",
                            source_file=doc.name))
        else:
            out += _passages(doc, s, paragraphs)
    return out


def _passages(doc, section, paragraphs) -> list[Rule]:
    stressed = _stressed_in(doc.text)
    return [Rule(id=f"{section.id}-passage#{n}", kind="passage", section=section.path_text, table=None, row=n,
                 cells={}, situation="", choice=para, area=section.area or "", source_file=doc.name,
                 stressed=stressed.of(para))
            for n, para in enumerate(paragraphs, start=1)]


class _Stressed:
    """What a paragraph's author set in bold or as code ("Root cause investigation is **problem management**"): the
    paragraph found by the start of the line it opens (its lines as parsed, markup gone), each span it holds."""

    def __init__(self, text: str):
        self.lines = text.splitlines()
        self.opening = {}
        for i, line in enumerate(self.lines):
            if "*" in line or "`" in line:
                self.opening.setdefault(plain(line).strip()[:OPENING], i)

    def of(self, paragraph: str) -> tuple[str, ...]:
        i = self.opening.get(paragraph.strip()[:OPENING])
        if i is None:
            return ()
        spans = []
        for line in itertools.takewhile(str.strip, self.lines[i:]):
            spans += [plain(s) for s in stressed_spans(line)]
        return tuple(dict.fromkeys(s for s in spans if s.strip() and s in paragraph))


OPENING = 40  # the characters of a paragraph's first line that find it among the document's lines


@functools.lru_cache(maxsize=4)
def _stressed_in(text: str) -> _Stressed:  # (once per document, not once per section)
    return _Stressed(text)
