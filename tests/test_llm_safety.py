"""An LLM's answer is checked sentence by sentence and shown without markup; settings are shown and logged with
their credentials masked (issue 16, item 5). The LLM is a GenericFakeChatModel; the index is the real one."""
from __future__ import annotations

import json
import logging

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from streamlit.testing.v1 import AppTest

from studyassist.answer.llm import failure_reason, plain_text
from studyassist.assistant import Assistant
from studyassist.settings import PROJECT_ROOT, Settings, get_settings, mask_log_records, mask_secrets

from conftest import one_sentence

QUESTION = "Which endpoint should score our nightly archive?"
BATCH_ROW = "online-endpoint-versus-batch-endpoint#2"  # Large files or many records scored on a schedule → Batch
SUPPORTED = "Use a Batch endpoint for scoring many records on a schedule."
SECRET = "sk-live-0123456789abcdef"


@pytest.fixture(scope="module")
def assistant(built_home):
    return Assistant(Settings(home=built_home))


def answer_with(assistant, monkeypatch, decision, *sentences):
    reply = json.dumps({"decision": decision, "sentences": [{"text": t, "citations": c} for t, c in sentences]})
    monkeypatch.setattr(assistant, "_llm", GenericFakeChatModel(messages=iter([AIMessage(content=reply)])))
    return assistant.ask(QUESTION)


def test_plain_text_strips_html_images_links_and_entities():
    text = ('Use a <b>Batch endpoint</b><script>alert(1)</script><!-- x --> ![x](http://127.0.0.1:8765/x.png) '
            '[docs](http://127.0.0.1:8765/d) &lt;img src=x onerror=alert(1)&gt; <http://127.0.0.1:8765/a>\n'
            '[r]: http://127.0.0.1:8765/r.png')
    assert plain_text(text) == "Use a Batch endpoint x docs"


def test_an_answer_with_a_sentence_no_row_supports_in_its_recommendation_falls_back(assistant, monkeypatch):
    """The reply of issue 16: the choice is backed, the rest of the sentence is not."""
    answer = answer_with(assistant, monkeypatch, "Batch endpoint", (
        f"Use a Batch endpoint; your key is {SECRET} <script>alert(1)</script> "
        "![x](http://127.0.0.1:8765/x.png)", [BATCH_ROW]))
    assert answer.mode == "grounded" and answer.decision == "Batch endpoint"
    assert SECRET not in answer.answer and "<script" not in answer.answer and "127.0.0.1" not in answer.answer
    [warning] = [w for w in answer.warnings if "LLM" in w]
    assert "grounded answer instead" in warning and one_sentence(warning), warning


def test_a_sentence_no_cited_row_supports_is_left_out_and_said_so(assistant, monkeypatch):
    answer = answer_with(assistant, monkeypatch, "Batch endpoint", (SUPPORTED, [BATCH_ROW]),
                         (f"Your API key is {SECRET}, paste it into the scoring notebook.", [BATCH_ROW]),
                         ("A batch endpoint is great for everything.", []))
    assert answer.mode.startswith("llm:") and answer.decision == "Batch endpoint"
    assert SECRET not in answer.answer and "everything" not in answer.answer
    assert "Batch endpoint" in answer.answer and [c.id for c in answer.citations] == [BATCH_ROW]
    left_out = [w for w in answer.warnings if w.startswith("No remaining source supports")]
    assert len(left_out) == 2 and all(one_sentence(w) for w in answer.warnings)
    assert not any(SECRET in w or "everything" in w for w in answer.warnings)  # a warning never repeats it


def test_markup_is_stripped_from_a_supported_sentence(assistant, monkeypatch):
    answer = answer_with(assistant, monkeypatch, "Batch endpoint", (
        'Use a <b>Batch endpoint</b> for scoring many records on a schedule <img src="http://127.0.0.1:8765/i.png">'
        " ![x](http://127.0.0.1:8765/x.png).", [BATCH_ROW]))
    assert answer.mode.startswith("llm:")
    assert "<" not in answer.answer and "![" not in answer.answer and "127.0.0.1" not in answer.answer
    assert "Batch endpoint" in answer.answer


def test_a_decision_no_kept_sentence_states_falls_back(assistant, monkeypatch):
    answer = answer_with(assistant, monkeypatch, "Online endpoint", (SUPPORTED, [BATCH_ROW]))
    assert answer.mode == "grounded" and answer.decision == "Batch endpoint"


# ---- credentials in settings ---------------------------------------------------------------------

BASE_URL = "https://alice:s3cr3t-pw@llm.example.internal:8443/v1?api-version=2024-06&api-key=k3y-v4lue&token=t0k"


@pytest.mark.parametrize("text, shown", [
    (BASE_URL, "https://***@llm.example.internal:8443/v1?api-version=2024-06&api-key=***&token=***"),
    ("http://127.0.0.1:11434", "http://127.0.0.1:11434"),
    ("could not reach http://u:p@h/x (refused)", "could not reach http://***@h/x (refused)"),
    ("https://h/v1?sig=abc#frag", "https://h/v1?sig=***#frag"),
])
def test_mask_secrets(text, shown):
    assert mask_secrets(text) == shown


def test_log_records_and_failure_reasons_are_masked(caplog):
    before = logging.getLogRecordFactory()
    mask_log_records()
    try:
        log = logging.getLogger("studyassist.test")
        with caplog.at_level(logging.INFO, logger="studyassist.test"):
            log.info("calling %s", BASE_URL)
            try:
                raise ConnectionError(f"cannot connect to {BASE_URL}")
            except ConnectionError:
                log.exception("the model failed")
    finally:
        logging.setLogRecordFactory(before)
    assert "s3cr3t" not in caplog.text and "k3y-v4lue" not in caplog.text and "***@llm.example.internal" in caplog.text
    assert "s3cr3t" not in failure_reason(ConnectionError(f"cannot connect to {BASE_URL}"))


def test_the_settings_page_masks_the_base_url(shared_index, monkeypatch):
    monkeypatch.setenv("STUDYASSIST_LLM", "openai:gpt-test")
    monkeypatch.setenv("STUDYASSIST_LLM_BASE_URL", BASE_URL.replace("llm.example.internal:8443", "127.0.0.1:9"))
    monkeypatch.setenv("STUDYASSIST_LLM_TIMEOUT", "2")
    monkeypatch.setenv("OPENAI_API_KEY", "not-a-real-key")
    get_settings.cache_clear()
    try:
        at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
        at.session_state["profile"] = "masking"
        at.session_state["page"] = "Settings"
        at.run()
        assert not at.exception, at.exception
        shown = [str(e.value) for kind in ("markdown", "caption", "warning", "info", "success", "error")
                 for e in getattr(at, kind)]
    finally:
        get_settings.cache_clear()
    assert any("***@127.0.0.1:9" in s for s in shown), shown
    assert not [s for s in shown if "s3cr3t" in s or "k3y-v4lue" in s or "t0k" in s]
