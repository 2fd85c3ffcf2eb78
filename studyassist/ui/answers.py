"""How an answer, an explanation and a chat turn look, wherever they appear."""
from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st

from studyassist.answer.types import NOT_COVERED, Answer, Citation
from studyassist.knowledge.model import KnowledgeBase
from studyassist.ui import citations as cites
from studyassist.ui.citations import md_escape


def mode_badge(mode: str) -> None:
    """Grounded (composed from the review's rows) or LLM (written by a model, then verified)."""
    if mode.startswith("llm:"):
        st.badge(f"LLM · {mode[4:]}", icon=":material/smart_toy:", color="violet")
    else:
        st.badge("Grounded", icon=":material/verified:", color="green")


@dataclass
class ChatEntry:
    """One message of a chat shown in the app."""

    role: str  # "user" | "assistant"
    text: str
    citations: list[Citation] = field(default_factory=list)
    mode: str | None = None
    warnings: list[str] = field(default_factory=list)
    latency_ms: float | None = None

    @classmethod
    def of(cls, answer: Answer) -> ChatEntry:
        return cls("assistant", answer.answer, list(answer.citations), answer.mode, list(answer.warnings),
                   answer.latency_ms)


def show_entry(kb: KnowledgeBase, entry: ChatEntry) -> None:
    with st.chat_message(entry.role):
        if entry.role == "user":
            st.markdown(md_escape(entry.text))
            return
        st.markdown(entry.text)
        if entry.text.strip() == NOT_COVERED:
            st.caption("Try naming a service, symptom or scenario from the review.")
        for warning in entry.warnings:
            st.warning(warning, icon=":material/warning:")
        if entry.mode:
            left, right = st.columns([1, 4], vertical_alignment="center")
            with left:
                mode_badge(entry.mode)
            if entry.latency_ms is not None:
                right.caption(f"{entry.latency_ms:.0f} ms")
        cites.show(kb, entry.citations)
