"""How an answer, an explanation and a chat turn look, wherever they appear."""
from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st

from studyassist.answer.types import Answer, Citation, says_not_covered
from studyassist.knowledge.model import KnowledgeBase
from studyassist.solve.mcq import LETTERS
from studyassist.ui import citations as cites
from studyassist.ui.markup import md_escape, safe_markdown


def mode_badge(mode: str) -> None:
    """Grounded (composed from the review's rows) or LLM (written by a model, then verified)."""
    if mode.startswith("llm:"):
        st.badge(f"LLM · {mode[4:]}", icon=":material/smart_toy:", color="violet")
    else:
        st.badge("Grounded", icon=":material/verified:", color="green")


# Coloured Material icons: an emoji needs an emoji font (a bare Linux browser shows a box), and a plain
# :material/…: icon is a grey outline, so right and wrong looked alike.
RIGHT, WRONG, SKIPPED = ":green[:material/check_circle:]", ":red[:material/cancel:]", ":gray[:material/remove:]"


def marked_options(options, key: int, chosen: int | None) -> str:
    """The options as a markdown list once answered: the key bold and marked in green, a wrong pick in red."""
    lines = []
    for i, option in enumerate(options):
        text = f"{LETTERS[i]}) {md_escape(option)}"
        if i == key:
            lines.append(f"- **{text}** :green[:material/check_circle: the answer"
                         + (" — your pick]" if i == chosen else "]"))
        elif i == chosen:
            lines.append(f"- {text} :red[:material/cancel: your pick]")
        else:
            lines.append(f"- {text}")
    return "\n".join(lines)


# How sure an answer is, as the learner sees it (studyassist.answer.confidence).
_LEVELS = {"confident": ("Confident", ":material/task_alt:", "green"),
           "likely": ("Likely", ":material/help:", "blue"),
           "unsure": ("Not sure", ":material/help_outline:", "orange")}


def confidence_badge(level: str | None, probability: float | None) -> None:
    """The answer's confidence level, with the calibrated probability that it is right when there is one."""
    if level not in _LEVELS:
        return
    text, icon, color = _LEVELS[level]
    if probability is not None:
        text += f" · {probability:.0%}"
    st.badge(text, icon=icon, color=color, help="How often answers like this one were right on the exam pack's "
                                                "dev questions; only a confident answer calls a pick right or wrong.")


@dataclass
class ChatEntry:
    """One message of a chat shown in the app."""

    role: str  # "user" | "assistant"
    text: str
    citations: list[Citation] = field(default_factory=list)
    mode: str | None = None
    warnings: list[str] = field(default_factory=list)
    latency_ms: float | None = None
    confidence: str | None = None
    probability: float | None = None

    @classmethod
    def of(cls, answer: Answer) -> ChatEntry:
        return cls("assistant", answer.answer, list(answer.citations), answer.mode, list(answer.warnings),
                   answer.latency_ms, answer.confidence, answer.probability)


def show_entry(kb: KnowledgeBase, entry: ChatEntry) -> None:
    with st.chat_message(entry.role):
        if entry.role == "user":
            st.markdown(md_escape(entry.text))
            return
        st.markdown(safe_markdown(entry.text))  # composed around corpus or LLM text
        if says_not_covered(entry.text):
            st.caption("Try naming a service, symptom or scenario from the review.")
        for warning in entry.warnings:
            st.warning(safe_markdown(warning), icon=":material/warning:")
        if entry.mode:
            left, middle, right = st.columns([1, 1, 3], vertical_alignment="center")
            with left:
                mode_badge(entry.mode)
            with middle:
                if not says_not_covered(entry.text):
                    confidence_badge(entry.confidence, entry.probability)
            if entry.latency_ms is not None:
                right.caption(f"{entry.latency_ms:.0f} ms")
        cites.show(kb, entry.citations)
