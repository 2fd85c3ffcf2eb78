"""Text from the corpus, a pasted question or an LLM is shown without images, raw HTML, links or terminal controls
(issue 16, items 3 and 9): the markdown helpers on their own, every page of the app on a hostile corpus, and the
CLI printing a cell full of escape sequences."""
from __future__ import annotations

import json
import re

import pytest
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from studyassist.cli.main import main
from studyassist.cli.output import terminal_text
from studyassist.settings import PROJECT_ROOT, Settings, get_settings
from studyassist.ui.markup import md_escape, safe_markdown

TRACKER = "http://127.0.0.1:8765"

# A review whose cells try every way markdown has to fetch or link something, and to drive a terminal.
HOSTILE_REVIEW = """# Storage quick review

## Store selection

| Requirement | Better fit | Why |
|---|---|---|
| Many small reads of the same records ![c](TRACKER/cell.png) | Read cache | Serves repeated reads, see [the docs](TRACKER/docs) |
| Cold records kept for seven years | Archive tier <img src="TRACKER/img.png"> | Cheapest per gigabyte, TRACKER/bare.png |
| Writes must never be lost \x1b[2J\x1b]0;pwned\x07 | Replicated database \x9b31m | Every write is copied, <TRACKER/auto> |
| Reads far from the primary region ![r][pic] | Geo replica www.example.com | Serves reads near the user |

[pic]: TRACKER/reference.png

## Common mistakes

- Caching writes: a cache loses unsaved writes ![m](TRACKER/list.png) when it restarts.
- Treating the archive tier as a backup: restores are slow <svg onload=alert(1)> and partial.
"""

PASTED_HOSTILE = """Which store serves many small reads of the same records? ![s](TRACKER/stem.png)
A) Read cache ![a](TRACKER/option.png)
B) Archive tier [click](TRACKER/click)
C) Replicated database <img src=TRACKER/pasted.png>
D) Geo replica TRACKER/pasted-bare.png"""

HOSTILE = [
    "Wibble ![c](http://127.0.0.1:8765/c.png)",
    "[docs](http://127.0.0.1:8765/docs) and <http://127.0.0.1:8765/auto> and www.example.com/x",
    "![r][pic]\n\n[pic]: http://127.0.0.1:8765/ref.png",
    '<img src="http://127.0.0.1:8765/i.png" onerror=alert(1)> <script>alert(1)</script> <iframe src="x">',
    "[x](javascript:alert(1)) $\\href{http://127.0.0.1:8765}{x}$ `code` and a stray ` then http://127.0.0.1:8765/b",
    "mail me: someone@example.com [1]: http://127.0.0.1:8765/def.png",
]

_RENDER = MarkdownIt("commonmark").enable("table")


def hostile_review(tracker: str = TRACKER) -> str:
    return HOSTILE_REVIEW.replace("TRACKER", tracker)


def leaks(markdown: str) -> list[str]:
    """What rendering ``markdown`` would fetch or link: images, links, raw HTML, a web address outside code."""
    rendered = _RENDER.render(markdown)
    outside_code = re.sub(r"<code>.*?</code>", "", rendered, flags=re.S)
    found = re.findall(r"<(?:img|a|script|iframe|svg)\b[^>]*>", rendered)
    found += re.findall(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+", outside_code)
    return found


@pytest.mark.parametrize("text", HOSTILE)
def test_md_escape_shows_hostile_text_literally(text):
    shown = md_escape(text)
    assert not leaks(shown), shown
    assert "127.0.0.1:8765" in shown or "127.0.0.1" not in text  # the address is still there to read, as code


@pytest.mark.parametrize("text", HOSTILE)
def test_safe_markdown_keeps_emphasis_and_markers_but_nothing_that_fetches_or_links(text):
    shown = safe_markdown(f"Use **Read cache** — {text} [1]\n\n- a list item [2]")
    assert not leaks(shown), shown
    rendered = _RENDER.render(shown)
    assert "<strong>Read cache</strong>" in rendered and "<li>a list item [2]</li>" in rendered
    assert "[1]" in rendered


def test_composed_code_spans_are_left_as_they_are():
    assert safe_markdown("Set `STUDYASSIST_LLM=none` and [1]") == "Set `STUDYASSIST_LLM=none` and [1]"


# ---- the app on a hostile corpus ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_home(tmp_path_factory):
    """A real index (packaged model, no exam pack) of HOSTILE_REVIEW."""
    from ingest.indexer import ingest

    root = tmp_path_factory.mktemp("hostile")
    (root / "corpus").mkdir()
    (root / "corpus" / "storage-review.md").write_text(hostile_review(), encoding="utf-8")
    settings = Settings(home=root / "home", corpus=root / "corpus", packs=root / "no-packs")
    ingest(settings)
    return settings


@pytest.fixture
def hostile_env(hostile_home, monkeypatch):
    for name, value in (("HOME", hostile_home.home), ("CORPUS", hostile_home.corpus), ("PACKS", hostile_home.packs)):
        monkeypatch.setenv(f"STUDYASSIST_{name}", str(value))
    monkeypatch.delenv("STUDYASSIST_LLM", raising=False)
    get_settings.cache_clear()
    yield hostile_home
    get_settings.cache_clear()


def shown_markdown(at: AppTest) -> list[str]:
    """Every string the page hands to Streamlit's markdown renderer."""
    texts = []
    for kind in ("markdown", "caption", "info", "warning", "success", "error", "subheader", "title"):
        texts += [str(e.value) for e in getattr(at, kind)]
    texts += [e.label for e in at.expander]
    for radio in at.radio:
        texts += [str(o) for o in radio.options]  # the labels, as format_func made them
    return texts


def test_no_page_renders_an_image_a_link_or_html_from_a_hostile_corpus_or_paste(hostile_env):
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
    at.session_state["profile"] = "hostile"
    at.run()
    at.chat_input(key="ask_input").set_value("Which store for many small reads of the same records?").run()
    seen = shown_markdown(at)
    at.sidebar.radio(key="page").set_value("Practise").run()
    item = at.session_state["practise"].item
    seen += shown_markdown(at)
    at.radio(key=f"pick_{item.id}").set_value((item.answer + 1) % len(item.options))
    at.button(key="practise_submit").click().run()
    seen += shown_markdown(at)
    at.sidebar.radio(key="page").set_value("Paste a question").run()
    at.text_area(key="paste_text").set_value(PASTED_HOSTILE.replace("TRACKER", TRACKER))
    at.selectbox(key="paste_chose").set_value("B")
    at.button(key="paste_solve").click().run()
    seen += shown_markdown(at)
    for page in ("Review", "Sources", "Settings"):
        at.sidebar.radio(key="page").set_value(page).run()
        seen += shown_markdown(at)
    assert not at.exception, at.exception
    assert any("Archive tier" in s for s in seen) and any("Read cache" in s for s in seen)
    assert any("127.0.0.1:8765" in s for s in seen)  # the hostile text is there, shown as text
    leaked = {s: leaks(s) for s in seen if leaks(s)}
    assert not leaked, leaked


# ---- the terminal ----------------------------------------------------------------------------------

CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def test_terminal_text_drops_controls_but_newline_and_tab():
    assert terminal_text("a\x1b[2Jb\x1b]0;pwned\x07c\x9b31m\r\td\n") == "a[2Jb]0;pwnedc31m\td\n"


def test_ask_prints_no_escape_sequence_from_a_corpus_cell(hostile_env, capsys):
    question = "Which store when writes must never be lost?"
    assert main(["ask", question]) == 0
    out, err = capsys.readouterr()
    assert "Replicated database" in out and "[2J" in out  # the cell is printed, its controls are not
    assert not CONTROLS.search(out) and not CONTROLS.search(err), (out, err)
    assert main(["ask", question, "--json"]) == 0
    out, _ = capsys.readouterr()
    assert not CONTROLS.search(out)
    answer = json.loads(out)  # JSON keeps the text exact, escaped
    assert any("\x1b[2J" in c["text"] and "\x9b31m" in c["text"] for c in answer["citations"]), answer["citations"]
