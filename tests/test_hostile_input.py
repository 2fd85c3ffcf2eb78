"""Hostile input, bounded cost (issue 16, items 1 and 2): no document or pasted text makes parsing or concept matching
slow. Each reproduction from the red-team pass runs in a fresh interpreter with a timeout, so a regression fails
instead of hanging the suite; the scanners that replaced backtracking regexes are checked against those regexes;
hypothesis builds adversarial documents of up to 100 KB and gives each two seconds."""
from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from contextlib import contextmanager

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.budget import MAX_FILE_COST, MODEL_TOKENS, ROW_COST, TEXT_COST, embedding_cost, rule_cost
from ingest.build import BuildReport, Document, build_knowledge
from ingest.flowchart import split_edge
from ingest.indexer import ingest
from ingest.parser import MAX_COLUMNS, MAX_LINES, MAX_TEXT_CHARS, md_heading, parse_blocks
from studyassist.settings import PROJECT_ROOT, Settings

BUDGET = 20  # seconds a reproduction may take in its own process: each takes well under one now, minutes before
PER_FILE = 2.0  # seconds the issue allows the ingest parsing of one file of up to 100 KB

# The regexes the scanners replaced, as the oracle on inputs short enough for them to finish.
OLD_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.+?)\s*#*\s*$")  # (up to three spaces in: CommonMark, stop 63)
OLD_EDGE = re.compile(r"^(.+?)\s*(?:--\s*([^-][^>]*?)\s*-->|-->\|([^|]*)\||-->|==>|-\.->)\s*(.+)$")

MERMAID = "# F\n\n```mermaid\nflowchart LR\nA" + " " * 1500 + "--" + " " * 1500 + "x\nB -- yes --> C[Batch endpoint]\n```\n"
HEADING = "# a" + " " * 6000 + "b\n"
CELL = "# T\n\n| Requirement | Better fit |\n|---|---|\n| " + "batch endpoint " * 20_000 + "| Batch endpoint |\n"

# Builds the knowledge base of one document given on stdin as [name, text]; prints what the tests look at.
_BUILD = """
import json, sys
from ingest.build import BuildReport, Document, build_knowledge
name, text = json.load(sys.stdin)
report = BuildReport()
kb = build_knowledge([Document(name, text)], report=report)
print(json.dumps({"sections": [s.title for s in kb.sections], "choices": [r.choice for r in kb.rules],
                  "situations": [len(r.situation) for r in kb.rules], "flow": [[e.source, e.label, e.target]
                  for e in kb.flow], "warnings": report.warnings}))
"""

# Finds the AI-300 pack's concepts in each text given on stdin, as the solver does with a pasted option.
_MATCH = """
import json, sys
from ingest.concepts import ConceptBuilder
from studyassist.pack import load_pack
from studyassist.settings import PROJECT_ROOT
matcher = ConceptBuilder(load_pack(PROJECT_ROOT / "packs" / "ai300").concepts).matcher()
print(json.dumps([matcher.find(text) for text in json.load(sys.stdin)]))
"""


def isolated(code: str, payload) -> object:
    """``code`` run by a fresh interpreter with ``payload`` as JSON on stdin: its JSON output. Past BUDGET seconds the
    process is killed and the test fails."""
    try:
        done = subprocess.run([sys.executable, "-c", code], input=json.dumps(payload), capture_output=True, text=True,
                              timeout=BUDGET, cwd=PROJECT_ROOT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"still running after {BUDGET} s")
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


@contextmanager
def hard_stop(seconds: float):
    """Raise TimeoutError in the main thread after ``seconds`` (a regex match is interrupted too), so a regression
    fails the test instead of hanging it."""
    def expire(*_):
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# ---- the reproductions ------------------------------------------------------------------------------------------
def test_a_mermaid_edge_padded_with_spaces_parses_at_once_and_real_edges_still_do():
    out = isolated(_BUILD, ["f.md", MERMAID])
    assert out["flow"] == [["B", "yes", "Batch endpoint"]]  # the padded line has no "-->": no edge


def test_a_heading_padded_with_6000_spaces_parses_at_once():
    out = isolated(_BUILD, ["f.md", HEADING])
    assert [title.split() for title in out["sections"]] == [["a", "b"]]


def test_a_300_kb_cell_naming_a_concept_20000_times_is_cut_and_the_warning_names_the_file():
    out = isolated(_BUILD, ["cells.md", CELL])
    assert out["choices"] == ["Batch endpoint"]
    assert out["situations"][0] <= MAX_TEXT_CHARS
    cut = [w for w in out["warnings"] if "characters were cut" in w]
    assert len(cut) == 1 and cut[0].startswith("cells.md: 1 lines, cells or paragraphs longer than 20,000 characters")


def test_concept_matching_of_a_300_kb_text_and_a_70000_word_option_is_linear():
    sentence = "do not use a batch endpoint without a managed identity and a canary rollout with key vault "
    option = sentence * (70_000 // len(sentence.split()))
    found = isolated(_MATCH, ["batch endpoint " * 20_000, option])
    assert found[0] == ["batch-endpoint"]
    assert {"batch-endpoint", "managed-identity", "canary"} <= set(found[1])


def test_a_numbered_option_line_of_50000_spaces_is_read_at_once():
    code = """
import json, sys
from studyassist.errors import InputError
from studyassist.solve.mcq import parse_pasted
try:
    q = parse_pasted(json.load(sys.stdin))
    print(json.dumps(list(q.options)))
except InputError as e:
    print(json.dumps(str(e)))
"""
    isolated(code, "Which one?\n1) " + " " * 50_000 + "\n2)" + " " * 50_000 + "x\n3) Batch endpoint\n")


def test_bank_and_faq_lines_padded_with_spaces_are_read_at_once():
    """Stop 65's review: a practice bank's "answer" followed by 3,000 spaces took minutes (three runs of spaces split
    among them), and a question, a collapsible summary or a list item padded with 50,000 spaces seconds each (a lazy
    text before "\\s*$")."""
    doc = ("# Notes\n\n<summary>Q. what" + " " * 50_000 + "x\n\n- ⭐`Name`" + " " * 50_000 + "y\n- a\n- b\n\n"
           "1) Which" + " " * 50_000 + "x\nA) one\nB) two\nanswer" + " " * 3_000 + "x\n")
    out = isolated(_BUILD, ["f.md", doc])
    assert out["sections"][0] == "Notes"


# ---- the size limits --------------------------------------------------------------------------------------------
def build(text: str, name: str = "f.md"):
    report = BuildReport()
    with hard_stop(BUDGET):
        return build_knowledge([Document(name, text)], report=report), report.warnings


def test_a_document_past_max_lines_keeps_its_first_lines_and_says_so():
    text = "# Notes\n\n" + "- Label: text\n" * (MAX_LINES + 10)
    kb, warnings = build(text)
    assert warnings[0] == (f"f.md: only its first 20,000 lines of {text.count(chr(10)) + 1:,} are read; split it "
                           "into several files to index the rest.")
    # 19,998 items of the lines read; ~1 minute to index, so the embedding budget keeps the first of them
    assert warnings[1:] == [f"f.md: only its first {len(kb.rules):,} of {MAX_LINES - 2:,} rows, items and paragraphs "
                            "are indexed, as the rest would take minutes to embed; split it into several files."]
    assert 5_000 < len(kb.rules) < MAX_LINES - 2 and kb.rules[-1].row == len(kb.rules)


def test_a_table_wider_than_max_columns_keeps_its_first_columns_and_reports_a_few_bad_rows():
    header = "|" + "|".join(f"c{i}" for i in range(MAX_COLUMNS + 10)) + "|\n|---|---|\n"
    kb, warnings = build("# Wide\n\n" + header + "| a | b |\n" * 100)
    assert len(kb.tables[0].columns) == MAX_COLUMNS
    problems = [w for w in warnings if "low confidence" not in w]
    assert problems[0] == f"f.md: table 'Wide' has {MAX_COLUMNS + 10} columns; only the first {MAX_COLUMNS} are kept."
    assert problems[-1] == "f.md: table 'Wide' 95 more rows have the wrong number of cells."
    assert len(problems) == 7


def test_19000_headings_alike_get_their_ids_in_one_pass():
    start = time.perf_counter()
    kb, _ = build("# a\n" * 19_000)  # 40 s when each id was searched for from "a-2" on
    assert [s.id for s in kb.sections[:3]] == ["a", "a-2", "a-3"] and kb.sections[-1].id == "a-19000"
    assert time.perf_counter() - start < PER_FILE * 5


def test_documents_within_the_limits_are_not_cut():
    text = "# Notes\n\n" + "A paragraph line. " * 1000 + "\n\n| A | B |\n|---|---|\n| " + "x" * 19_000 + " | y |\n"
    _, warnings = build(text)
    assert not [w for w in warnings if "were cut" in w or "lines of" in w]


# ---- what one file may cost to embed ------------------------------------------------------------------------------
PUNCTUATION = ("!?.,;:" * 50 + "\n") * 15_000  # 4.5 MB: 15,000 passages of 256 word pieces each, 4 min 45 s to embed
LETTER_AND_PUNCTUATION = ("a" + "!?.,;:" * 50 + "\n") * 15_000


class CountingEmbeddings:
    """Embeddings that count what ingest asks them to embed (a unit vector each): the cost of a file, measured."""

    dimension = 8

    def __init__(self):
        self.texts = self.pieces = 0

    def encode(self, texts):
        self.texts += len(texts)
        self.pieces += sum(embedding_cost(t) for t in texts)
        return np.eye(1, self.dimension, dtype=np.float32).repeat(len(texts), axis=0)


def embedded_by_ingest(tmp_path, name: str, text: str) -> tuple[CountingEmbeddings, list[str], dict]:
    """Ingest of ``text`` beside the review (no exam pack), with CountingEmbeddings: what it embedded for the
    corpus, its warnings and the knowledge base."""
    corpus = tmp_path / "corpus"
    corpus.mkdir(parents=True)
    (corpus / "review.md").write_text((PROJECT_ROOT / "corpus" / "ai300-quick-review.txt").read_text())
    (corpus / name).write_text(text, encoding="utf-8")
    settings = Settings(home=tmp_path / "home", corpus=corpus, packs=tmp_path / "no-packs")
    counting = CountingEmbeddings()
    with hard_stop(BUDGET * 3):
        result = ingest(settings, embeddings=counting)
    return counting, result.warnings, json.loads(settings.kb_path.read_text())


def review_alone(tmp_path) -> CountingEmbeddings:
    counting, _, _ = embedded_by_ingest(tmp_path / "alone", "empty.md", "# Empty\n")
    return counting


def test_a_45_mb_file_of_punctuation_adds_nothing_to_embed_and_says_so(tmp_path):
    counting, warnings, kb = embedded_by_ingest(tmp_path, "p.md", PUNCTUATION)
    alone = review_alone(tmp_path)
    assert (counting.texts, counting.pieces) == (alone.texts, alone.pieces)  # the review's own, nothing more
    assert not [r for r in kb["rules"] if r["source_file"] == "p.md"]
    assert "p.md: no table, list or paragraph with a word in it was found, so nothing in it is searchable." in warnings


def test_a_file_past_its_embedding_budget_keeps_its_first_passages_and_says_so(tmp_path):
    counting, warnings, kb = embedded_by_ingest(tmp_path, "a.md", LETTER_AND_PUNCTUATION)
    alone = review_alone(tmp_path)
    assert counting.pieces - alone.pieces <= MAX_FILE_COST  # 15,000 × 3 × 256 = 11.5 million before
    passages = [r for r in kb["rules"] if r["source_file"] == "a.md"]
    assert len(passages) == MAX_FILE_COST // (3 * (MODEL_TOKENS + TEXT_COST) + ROW_COST) == 314
    assert [r["id"] for r in passages[:2]] == ["a-passage#1", "a-passage#2"]
    assert ("a.md: only its first 314 of 15,000 rows, items and paragraphs are indexed, as the rest would take "
            "minutes to embed; split it into several files.") in warnings


def test_the_review_is_well_within_the_budget_and_a_table_of_8000_short_rows_keeps_its_first_rows_and_says_so():
    kb = build_knowledge([Document("r.md", (PROJECT_ROOT / "corpus" / "ai300-quick-review.txt").read_text())])
    assert sum(rule_cost(r) for r in kb.rules) < MAX_FILE_COST / 15
    lines = "\n".join(f"| Scenario {n} needs gadget {n * 7} inspected | Widget tool {n} |" for n in range(8000))
    report = BuildReport()  # tests/test_background_rebuild.py's widgets(8000): 100 s to index whole
    kb = build_knowledge([Document("w.md", f"# W\n\n| Requirement | Better fit |\n|---|---|\n{lines}\n")], report=report)
    assert sum(rule_cost(r) for r in kb.rules) <= MAX_FILE_COST
    assert 4000 < len(kb.rules) < 5000 and kb.rules[-1].choice == f"Widget tool {len(kb.rules) - 1}"
    assert (f"w.md: only its first {len(kb.rules):,} of 8,000 rows, items and paragraphs are indexed, as the rest "
            "would take minutes to embed; split it into several files.") in report.warnings


# Ingests one ~5 MB file beside the review (payload [name, text, home]), embedding with unit vectors; prints its peak
# RSS in MB and its seconds: issue 16's 4.9 MB punctuation file (3.0 GB), 4.5 MB of nested '>' (2.8 GB), 4.4 MB cell
# (116 s).
_INGEST_RSS = """
import json, sys, time
from pathlib import Path
import numpy as np
from ingest.indexer import ingest
from studyassist.settings import PROJECT_ROOT, Settings
name, text, root = json.load(sys.stdin)
root = Path(root)
(root / "corpus").mkdir(parents=True)
(root / "corpus" / "review.md").write_text((PROJECT_ROOT / "corpus" / "ai300-quick-review.txt").read_text())
(root / "corpus" / name).write_text(text, encoding="utf-8")
class Unit:
    dimension = 8
    def encode(self, texts):
        return np.eye(1, 8, dtype=np.float32).repeat(len(texts), axis=0)
start = time.perf_counter()
ingest(Settings(home=root / "home", corpus=root / "corpus", packs=root / "no-packs"), embeddings=Unit())
# VmHWM is this process's own peak; ru_maxrss also holds the peak of the test process it was forked from (Linux
# keeps it across exec), which in a full test run is the whole suite's
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps([peak / 1024, time.perf_counter() - start]))
"""
FIVE_MB = {"punctuation.md": ("!?.,;:" * 50 + "\n") * 16_000,
           "quotes.md": "# Q\n\n" + ("> " * 1000 + "batch endpoint canary drift\n\n") * 2240,
           "cell.md": "# T\n\n| Requirement | Better fit |\n|---|---|\n| " + "batch endpoint " * 326_000 + "| Batch |\n"}


@pytest.mark.parametrize("name", FIVE_MB)
def test_ingest_of_a_5_mb_hostile_file_stays_under_1_gb(tmp_path, name):
    assert 4_400_000 < len(FIVE_MB[name]) < 5_000_000
    peak_mb, seconds = isolated(_INGEST_RSS, [name, FIVE_MB[name], str(tmp_path)])
    assert peak_mb <= 1024 and seconds < BUDGET, (peak_mb, seconds)


# ---- the scanners give what the regexes they replaced gave ------------------------------------------------------
HEADING_BITS = st.sampled_from(["#", "##", " ", "  ", "\t", "a", "b c", "#a", "C#", "\u00a0", " #", "\x0b"])
EDGE_BITS = st.sampled_from(["A", "B", " ", "-", ">", "|", "=", ".", "x", "--", "-->", "[", "]", "yes", "-.->",
                             "==>", "-->|", "\t"])
SHORT = settings(max_examples=400, deadline=None, derandomize=True, database=None)


@SHORT
@given(st.lists(HEADING_BITS, max_size=12).map("".join))
def test_md_heading_matches_the_heading_regex(line):
    m = OLD_HEADING.match(line)
    assert md_heading(line) == (m and (len(m.group(1)), m.group(2).strip()))


@SHORT
@given(st.lists(EDGE_BITS, max_size=14).map("".join))
def test_split_edge_matches_the_edge_regex(line):
    m = OLD_EDGE.match(line.strip())
    want = m and (m.group(1).strip(), (m.group(2) or m.group(3) or "").strip(), m.group(4))
    assert split_edge(line) == want


# ---- adversarial documents --------------------------------------------------------------------------------------
RUN_OF = st.sampled_from([" ", "\t", "-", "|", ">", "→", "├──", "│", "`", "```", "#", "*", "_", "[", "](", "![", "(",
                          ")", ":", "!", "a", "a ", "--", "-->", "->", "=", "\n", "\n\n", "- ", "> ", "| ", "1) ",
                          "batch endpoint ", "Trap: ", ":::", "{:", "<a ", "~~"])
RUN = st.tuples(RUN_OF, st.integers(1, 20_000)).map(lambda run: run[0] * run[1])
DOCUMENT = st.lists(RUN, min_size=1, max_size=12).map(lambda runs: "".join(runs)[:100_000])
HOSTILE = settings(max_examples=100, deadline=None, derandomize=True, database=None,
                   suppress_health_check=list(HealthCheck))


@HOSTILE
@given(DOCUMENT, st.sampled_from(["f.md", "f.txt"]))
def test_no_document_of_up_to_100_kb_takes_the_parser_more_than_two_seconds(text, name):
    start = time.perf_counter()
    with hard_stop(10 * PER_FILE):
        blocks = parse_blocks(text)
        build_knowledge([Document(name, text)], report=BuildReport())
        for line in text.split("\n"):
            md_heading(line)
            split_edge(line[:MAX_TEXT_CHARS])
    assert time.perf_counter() - start < PER_FILE, (len(text), len(blocks))


def test_a_subject_padded_with_spaces_is_named_at_once():
    """Stop 66's review: the tag after a dash in a subject's name ("Enhanced fan-out consumer - push") was looked for
    from every space of a run: a heading padded with 100,000 spaces took 7 seconds, and 250,000 would take about 45 (quadratic)."""
    from ingest.concepts import ConceptBuilder

    builder = ConceptBuilder()
    with hard_stop(BUDGET):
        cid = builder.add_subject("Amazon" + " " * 250_000 + "x", "f.md")
    assert cid
