"""The optional LLM stem rewrite: a verified grounded item with its stem reworded for variety.

The reworded item is kept only when it passes ``KeyVerifier.check_rewrite`` (same options and key, no
option or key concept named in the stem, source rule in the stem's top 2, the solver still picks the key);
anything else — no model, a model that fails or hangs, a reply that is not the JSON asked for, a
rejected rewrite — gives back the grounded item, marked ``origin="fallback"``, with a logged warning.
"""
from __future__ import annotations

import json
import logging
import threading
import time

from studyassist.answer.llm import call_model, chat_messages, failure_reason, parse_reply
from studyassist.answer.prompts import load_prompt
from studyassist.knowledge.model import KnowledgeBase
from studyassist.text import content_hash, normalize

log = logging.getLogger(__name__)

# After the model fails or times out, stop asking it for this long: a quiz, a mock exam or the next
# question would otherwise wait for the timeout once per item.
BACKOFF_SECONDS = 120.0
MIN_STEM_CHARS, MAX_STEM_CHARS = 20, 800


class RewriteRejected(Exception):
    """The model answered, but its stem cannot be used (one sentence why)."""


def rewritten_id(grounded_id: str, stem: str) -> str:
    """The grounded id plus a hash of the new stem (``quiz.base_id`` gives the grounded id back)."""
    return f"{grounded_id}-r{content_hash(stem)[:6]}"


def _data(value) -> str:
    # JSON keeps the data one literal value; "</" escaped so the data cannot close its <rule>/<stem> tag.
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


class StemRewriter:
    """Rewords the stems of verified items with the configured chat model (if there is one).

    ``chat_model()`` builds or returns the model (it may raise: the grounded stem is used then);
    ``configured()`` says whether one is set at all."""

    def __init__(self, kb: KnowledgeBase, verifier, settings=None, chat_model=None, configured=None):
        self.kb, self.verifier, self.settings = kb, verifier, settings
        self._chat_model, self._configured = chat_model, configured
        self._down_until = 0.0
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self._chat_model is not None and bool(self._configured and self._configured())

    def rewrite(self, item):
        """``item`` with a reworded stem when the model gives a sound one, else ``item`` marked as the fallback."""
        if time.monotonic() < self._down_until:
            log.info("stem rewrite skipped for %s: the model failed recently", item.id)
            return item.model_copy(update={"origin": "fallback"})
        try:
            model = self._chat_model()
            reply = call_model(model, self.messages(item), self.settings.llm_timeout)
        except Exception as exc:  # the model is optional: unreachable, timed out, misconfigured
            with self._lock:
                self._down_until = time.monotonic() + BACKOFF_SECONDS
            log.warning("The LLM could not reword quiz stems (%s); using the grounded stems for the next %.0f s.",
                        failure_reason(exc), BACKOFF_SECONDS)
            return item.model_copy(update={"origin": "fallback"})
        try:
            candidate = self._candidate(item, reply.content)
            problem = self.verifier.check_rewrite(candidate, item)
            if problem:
                raise RewriteRejected(problem)
        except Exception as exc:  # unparseable reply, or a stem the verifier rejects
            log.warning("Rewritten stem for %s (%s) rejected: %s; using the grounded stem.", item.id, item.rule_id,
                        exc)
            return item.model_copy(update={"origin": "fallback"})
        log.info("stem of %s rewritten by the LLM", item.id)
        return candidate

    def messages(self, item) -> list:
        """The system prompt (instructions only) and the human message (the rule and the stem, as data)."""
        rule = self.kb.rule(item.rule_id)
        key = item.options[item.answer]
        side = next((s for s in rule.sides if normalize(s.label) == normalize(key)), None)
        payload = {"id": rule.id, "table": self.kb.table(rule.table).title if rule.table else None,
                   "situation": side.text if side else rule.situation, "answer": key, "options": item.options}
        system = load_prompt("rewrite_system", self.settings.prompts).format()
        user = load_prompt("rewrite_user", self.settings.prompts).format(rule=_data(payload), stem=_data(item.stem))
        return chat_messages(system, user)

    def _candidate(self, item, content):
        stem = parse_reply(content).get("stem")
        if not isinstance(stem, str):
            raise RewriteRejected("the reply has no \"stem\" string")
        stem = " ".join(stem.split()).strip('"“”')
        if not MIN_STEM_CHARS <= len(stem) <= MAX_STEM_CHARS:
            raise RewriteRejected(f"the stem is {len(stem)} characters long")
        if not stem.endswith("?"):
            raise RewriteRejected("the stem does not end with a question")
        if normalize(stem) == normalize(item.stem):
            raise RewriteRejected("the stem is unchanged")
        return item.model_copy(update={"stem": stem, "id": rewritten_id(item.id, stem), "origin": "rewritten"})
