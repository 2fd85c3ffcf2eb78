"""The optional LLM path: build a chat model from settings, ask it with the retrieved rows as data,
parse its JSON and hand the sentences to the same verifier as the grounded path."""
from __future__ import annotations

import json
import logging
import re
import threading

from langchain_core.messages import HumanMessage, SystemMessage
from langchain_core.utils.json import parse_json_markdown

from studyassist.answer.prompts import load_prompt
from studyassist.answer.retrieval import Hit
from studyassist.answer.types import Claim
from studyassist.errors import LLMError
from studyassist.knowledge.model import KnowledgeBase
from studyassist.settings import Settings
from studyassist.text import normalize

log = logging.getLogger(__name__)

PROVIDERS = ("ollama", "openai", "azure_openai")


def chat_messages(system: str | None, user: str) -> list:
    """The system prompt (instructions only, if any) and the human message, as LangChain messages."""
    return ([SystemMessage(content=system)] if system is not None else []) + [HumanMessage(content=user)]


def parse_spec(spec: str) -> tuple[str, str]:
    """``provider:model`` → (provider, model); the model part may itself contain colons (``llama3.1:8b``)."""
    provider, sep, model = spec.strip().partition(":")
    if not sep or not model or provider not in PROVIDERS:
        raise LLMError(f"STUDYASSIST_LLM='{spec}' is not provider:model with provider one of {', '.join(PROVIDERS)}; "
                       "for example ollama:llama3.1:8b, or set it to none.")
    return provider, model


def build_chat_model(settings: Settings):
    """A LangChain chat model via ``init_chat_model`` (keys come from the environment, never from code)."""
    provider, model = parse_spec(settings.llm)
    try:
        from langchain.chat_models import init_chat_model  # noqa: PLC0415 -- the optional [llm] extra
    except ImportError as exc:
        raise LLMError("The LLM extra is not installed; run `pip install -e '.[llm]'` or set STUDYASSIST_LLM=none.") \
            from exc
    kwargs: dict = {"temperature": 0, "timeout": settings.llm_timeout}
    if settings.llm_base_url:
        kwargs["base_url"] = settings.llm_base_url
    if provider == "azure_openai":
        kwargs["azure_deployment"] = model
    try:
        return init_chat_model(model, model_provider=provider, **kwargs)
    except Exception as exc:  # missing key, unknown provider package, bad arguments
        raise LLMError(f"Could not set up {settings.llm} ({type(exc).__name__}: {str(exc)[:120]}); "
                       "check its API key / base URL environment variables or set STUDYASSIST_LLM=none.") from exc


def rows_payload(hits: list[Hit], kb: KnowledgeBase) -> str:
    """The retrieved rows as JSON data for the prompt."""
    rows = []
    for h in hits:
        if h.rule is None:
            continue
        r = h.rule
        rows.append({"id": r.id, "section": r.section,
                     "table": kb.table(r.table).title if r.table else None, "text": r.text})
    return json.dumps(rows, ensure_ascii=False, indent=1)


def call_model(model, messages, timeout: float):
    """``model.invoke`` with a hard timeout (some providers ignore theirs)."""
    # A daemon thread, not a pool: a pool's workers are joined at exit, so a hung model would keep
    # the CLI process alive long after it printed the grounded answer.
    result: dict = {}

    def run() -> None:
        try:
            result["reply"] = model.invoke(messages)
        except BaseException as exc:  # handed to the caller below
            result["error"] = exc

    worker = threading.Thread(target=run, name="llm-call", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise LLMError(f"the model did not answer within {timeout:g} s")
    if "error" in result:
        raise result["error"]
    return result["reply"]


def parse_reply(content) -> dict:
    """The model's JSON object, from plain JSON, a fenced block, or the first {...} in the text."""
    text = content if isinstance(content, str) else "".join(
        part.get("text", "") if isinstance(part, dict) else str(part) for part in content)
    for attempt in (lambda t: json.loads(t), parse_json_markdown,
                    lambda t: json.loads(re.search(r"\{.*\}", t, re.S).group(0))):
        try:
            data = attempt(text)
        except Exception:  # each parser fails differently; try the next
            continue
        if isinstance(data, dict):
            return data
    raise LLMError("the model's reply was not the JSON object asked for")


def claims_from_reply(data: dict) -> tuple[list[Claim], str | None]:
    sentences = data.get("sentences")
    if not isinstance(sentences, list) or not sentences:
        raise LLMError("the model's reply has no sentences")
    decision = data.get("decision")
    decision = decision.strip() if isinstance(decision, str) and decision.strip() else None
    claims = []
    for s in sentences:
        if not isinstance(s, dict) or not isinstance(s.get("text"), str) or not s["text"].strip():
            continue
        cites = [c for c in s.get("citations") or [] if isinstance(c, str)]
        text = s["text"].strip()
        label = decision if decision and normalize(decision) in normalize(text) else None
        claims.append(Claim(text=text, rule_ids=cites, label=label))
    if not claims:
        raise LLMError("the model's reply has no usable sentences")
    return claims, decision


def llm_answer(model, question: str, hits: list[Hit], kb: KnowledgeBase, settings: Settings
               ) -> tuple[list[Claim], str | None]:
    """Ask the model; returns claims (unverified) and its decision. Raises on any failure."""
    system = load_prompt("answer_system", settings.prompts).format()
    user = load_prompt("answer_user", settings.prompts).format(question=question, rows=rows_payload(hits, kb))
    reply = call_model(model, chat_messages(system, user), settings.llm_timeout)
    return claims_from_reply(parse_reply(reply.content))


def failure_reason(exc: Exception) -> str:
    """Why a model call failed, in a few words fit for a one-sentence warning (never an HTTP body)."""
    status = getattr(exc, "status_code", None) or getattr(getattr(exc, "response", None), "status_code", None)
    if isinstance(status, int):  # an HTTP error's body may hold anything (even echoed headers): name the status
        return f"{type(exc).__name__}: HTTP {status}"
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    text = text.split(". ")[0].rstrip(".")  # the warning stays one sentence
    return f"{type(exc).__name__}: {text[:120]}" if text else type(exc).__name__


def ping(model, timeout: float = 10.0) -> tuple[bool, str]:
    """Whether the model answers a trivial request (for the app's Settings page)."""
    try:
        call_model(model, chat_messages(None, "Reply with the word ok."), timeout)
        return True, "reachable"
    except Exception as exc:
        return False, f"{type(exc).__name__}: {str(exc)[:120]}"
