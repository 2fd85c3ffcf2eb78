"""The optional LLM path: build a chat model from settings, ask it with the retrieved rows as data, parse its
JSON, strip its markup and keep only the sentences the rows they cite support (``check_claims``)."""
from __future__ import annotations

import html
import json
import logging
import re
import threading

from langchain_core.messages import HumanMessage, SystemMessage
from langchain_core.utils.json import parse_json_markdown

from studyassist.answer.citations import rule_text, supports
from studyassist.answer.prompts import load_prompt
from studyassist.answer.retrieval import Hit
from studyassist.answer.types import Claim
from studyassist.errors import LLMError
from studyassist.knowledge.model import KnowledgeBase
from studyassist.settings import Settings, mask_secrets
from studyassist.text import ConceptMatcher, key_terms, normalize

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
        raise LLMError(f"Could not set up {settings.llm} ({type(exc).__name__}: {mask_secrets(str(exc))[:120]}); "
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


# Markup a model may put in a sentence: none of it is shown. Script and style elements go with their content;
# other tags, HTML comments and autolinks (<http://…>) go whole; an image or a link keeps its text. Every
# quantifier is bounded or over a class that excludes what ends it, so a hostile reply cannot make these slow.
_SCRIPT = re.compile(r"<(script|style)\b[^>]{0,1000}>.{0,20000}?</\1\s*>", re.I | re.S)
_TAG = re.compile(r"<!--.{0,20000}?-->|</?[a-z!?][^<>]{0,1000}>", re.I | re.S)
_IMAGE_OR_LINK = re.compile(r"!?\[([^\[\]]{0,500})\]\s?"
                            r"(?:\([^()\s]{0,2000}(?:\s+\"[^\"]{0,500}\")?\)|\[[^\[\]]{0,200}\])")
_REFERENCE = re.compile(r"^\s{0,3}\[[^\[\]]{1,200}\]:\s*\S+.*$", re.M)
# A sentence longer than this is not a sentence of a short answer (and the checks above stay cheap).
MAX_SENTENCE = 1000


def plain_text(text: str) -> str:
    """A model's sentence without markup: no HTML (entities decoded first, so ``&lt;script&gt;`` goes too), no
    image, no link (its text stays), no reference definition; bold and italics stay."""
    text = html.unescape(text)
    text = _TAG.sub(" ", _SCRIPT.sub(" ", text))
    text = _REFERENCE.sub(" ", _IMAGE_OR_LINK.sub(lambda m: m.group(1), text))
    return " ".join(text.replace("<", " ").replace(">", " ").split())


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(*]?[A-Z0-9])")


def claims_from_reply(data: dict) -> tuple[list[Claim], str | None]:
    """The model's sentences as claims (markup stripped; a "sentence" holding several is split, each keeping its
    citations) and its decision."""
    sentences = data.get("sentences")
    if not isinstance(sentences, list) or not sentences:
        raise LLMError("the model's reply has no sentences")
    decision = data.get("decision")
    decision = plain_text(decision) if isinstance(decision, str) else None
    decision = decision or None
    claims = []
    for s in sentences:
        if not isinstance(s, dict) or not isinstance(s.get("text"), str) or not s["text"].strip():
            continue
        cites = [c for c in s.get("citations") or [] if isinstance(c, str)]
        for text in _SENTENCE_END.split(plain_text(s["text"][: 4 * MAX_SENTENCE])):
            if not text.strip():
                continue
            label = decision if decision and normalize(decision) in normalize(text) else None
            claims.append(Claim(text=text.strip(), rule_ids=cites, label=label))
    if not claims:
        raise LLMError("the model's reply has no usable sentences")
    return claims, decision


# Share of a clause's key terms that must appear in the rows its sentence cites (or in the question, which a
# sentence may restate). Clauses are judged one by one, so "Use the first choice; your key is …" is not carried
# by its first half; a clause of one key term is judged with its sentence.
MIN_CLAUSE_COVERAGE = 0.5
_CLAUSE = re.compile(r"[;:,]\s+|\s[—–-]\s|\s\((?=\w)")


def _covered(text: str, known: set[str]) -> bool:
    terms = set(key_terms(text))
    return not terms or len(terms & known) / len(terms) >= MIN_CLAUSE_COVERAGE


def backed(claim: Claim, rows: list, question: str, kb: KnowledgeBase, matcher: ConceptMatcher | None) -> bool:
    """Whether ``rows`` (the existing rows the sentence cites) back every part of it: its choice appears in one of
    them (the shared verifier's rule), and most key terms of the sentence and of each of its clauses appear in
    them, their table titles or the question."""
    if not rows or len(claim.text) > MAX_SENTENCE:
        return False
    if claim.label and not any(supports(claim, r, matcher) for r in rows):
        return False
    known = set(key_terms(question))
    for r in rows:
        known |= set(key_terms(rule_text(r) + " " + r.section + " " + (kb.table(r.table).title if r.table else "")))
    clauses = [c for c in _CLAUSE.split(claim.text) if len(set(key_terms(c))) >= 2]
    return _covered(claim.text, known) and all(_covered(c, known) for c in clauses)


def _cited(rule_id: str) -> str:
    return rule_id if len(rule_id) <= 60 else rule_id[:59] + "…"


def check_claims(claims: list[Claim], decision: str | None, question: str, kb: KnowledgeBase,
                 matcher: ConceptMatcher | None = None) -> tuple[list[Claim], list[str]]:
    """Every sentence of a model's answer checked against the rows it cites: citations to rows that do not exist
    or do not back the sentence are removed, and a sentence left with no backing row is left out (each said in a
    warning that does not repeat it). Raises LLMError, so the grounded answer is shown instead, when no sentence
    stands or the decision's own sentence fell: a learner is never shown a recommendation no row backs."""
    kept, warnings = [], []
    for n, claim in enumerate(claims, start=1):
        rows = []
        for rid in claim.rule_ids:
            if not kb.has_rule(rid):
                warnings.append(f"Removed citation '{_cited(rid)}': no such row in the review.")
            elif backed(claim, [kb.rule(rid)], question, kb, matcher):
                rows.append(kb.rule(rid))
            else:
                warnings.append(f"Removed citation '{_cited(rid)}': that row does not support sentence {n} of the "
                                "LLM's answer.")
        if rows and backed(claim, rows, question, kb, matcher):
            kept.append(claim.model_copy(update={"rule_ids": list(dict.fromkeys(r.id for r in rows))}))
        else:
            warnings.append(f"No remaining source supports sentence {n} of the LLM's answer, so it was left out.")
    if not kept:
        raise LLMError("no sentence of its answer is supported by the rows it cites")
    if decision and not any(c.label == decision for c in kept):
        raise LLMError("no row it cites supports its recommendation")
    return kept, warnings


def llm_answer(model, question: str, hits: list[Hit], kb: KnowledgeBase, settings: Settings,
               matcher: ConceptMatcher | None = None) -> tuple[list[Claim], str | None, list[str]]:
    """Ask the model; returns the sentences that its cited rows back, its decision, and warnings about what was
    removed. Raises on any failure, and when nothing the model said is backed (see ``check_claims``)."""
    system = load_prompt("answer_system", settings.prompts).format()
    user = load_prompt("answer_user", settings.prompts).format(question=question, rows=rows_payload(hits, kb))
    reply = call_model(model, chat_messages(system, user), settings.llm_timeout)
    claims, decision = claims_from_reply(parse_reply(reply.content))
    claims, warnings = check_claims(claims, decision, question, kb, matcher)
    return claims, decision, warnings


def failure_reason(exc: Exception) -> str:
    """Why a model call failed, in a few words fit for a one-sentence warning (never an HTTP body)."""
    status = getattr(exc, "status_code", None) or getattr(getattr(exc, "response", None), "status_code", None)
    if isinstance(status, int):  # an HTTP error's body may hold anything (even echoed headers): name the status
        return f"{type(exc).__name__}: HTTP {status}"
    text = mask_secrets(str(exc)).strip().splitlines()[0] if str(exc).strip() else ""
    text = text.split(". ")[0].rstrip(".")  # the warning stays one sentence
    return f"{type(exc).__name__}: {text[:120]}" if text else type(exc).__name__


def ping(model, timeout: float = 10.0) -> tuple[bool, str]:
    """Whether the model answers a trivial request (for the app's Settings page)."""
    try:
        call_model(model, chat_messages(None, "Reply with the word ok."), timeout)
        return True, "reachable"
    except Exception as exc:
        return False, f"{type(exc).__name__}: {mask_secrets(str(exc))[:120]}"
