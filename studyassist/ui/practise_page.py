"""Practise: one generated question at a time, immediate feedback and an "explain my answer" chat."""
from __future__ import annotations

import random
from dataclasses import dataclass, field

import streamlit as st

from studyassist.answer.resolve import Conversation
from studyassist.quiz.generator import QuizItem
from studyassist.quiz.types import OPTION_LETTERS
from studyassist.study import practice
from studyassist.study.practice import Explanation
from studyassist.ui import loading, session
from studyassist.ui.answers import ChatEntry, marked_options, show_entry
from studyassist.ui.markup import md_escape
from studyassist.ui.session import SUGGESTED

DIFFICULTIES = ("mixed", "easy", "hard")


@dataclass
class Current:
    """The question on screen and what happened to it."""

    item: QuizItem
    note: str | None = None
    chosen: int | None = None
    correct: bool | None = None
    explanation: Explanation | None = None
    chat: Conversation | None = None
    messages: list[ChatEntry] = field(default_factory=list)


def _request(action: str) -> None:
    st.session_state["practise_action"] = action


def _seed() -> int:
    return random.SystemRandom().randrange(2**31)


def _load_next(assistant, store, profile: str) -> Current | None:
    area = st.session_state.get("practise_area", SUGGESTED)
    items = practice.next_items(assistant, store, profile, 1, _seed(), area=None if area == SUGGESTED else area,
                                difficulty=st.session_state.get("practise_difficulty", "mixed"))
    return Current(items[0]) if items else None


def _similar(assistant, store, item: QuizItem) -> Current:
    new = practice.similar_item(assistant, item, _seed())
    practice.save_items(store, [new])
    return Current(new, note="Another question on the same table as the last one.")


def _pickers(assistant, store, profile: str) -> None:
    kb = assistant.kb
    areas = [SUGGESTED] + [a.id for a in kb.areas]
    left, right = st.columns([3, 1])
    left.selectbox("Area", areas, key="practise_area", on_change=_request, args=("next",),
                   format_func=lambda a: "Suggested for me (due reviews, then weak areas)" if a == SUGGESTED
                   else kb.area_name(a))
    right.selectbox("Difficulty", DIFFICULTIES, key="practise_difficulty", on_change=_request, args=("next",),
                    format_func=str.capitalize)
    if st.session_state.get("practise_area", SUGGESTED) == SUGGESTED:
        plan = practice.drill_plan(store, profile, [a.id for a in kb.areas])
        st.caption(f"Suggested stage: **{md_escape(plan.stage)}** — {md_escape(plan.reason)}."
                   + (f" {len(plan.due_rules)} missed rule(s) due for review come first." if plan.due_rules else ""))


def _submit(assistant, store, profile: str, current: Current, chosen: int) -> None:
    current.correct = practice.record_answer(store, profile, current.item, chosen)
    current.chosen = chosen
    current.explanation = practice.explain_item(assistant, current.item, chosen)
    current.chat = practice.item_conversation(assistant, current.item, chosen)


def _feedback(kb, current: Current) -> None:
    item, exp = current.item, current.explanation
    key = f"{OPTION_LETTERS[item.answer]}) {item.options[item.answer]}"
    if current.correct:
        st.success(f"Correct — **{md_escape(key)}**.", icon=":material/check_circle:")
    else:
        st.warning(f"Not quite: you picked {OPTION_LETTERS[current.chosen]}; the answer is **{md_escape(key)}**.",
                   icon=":material/cancel:")
    st.subheader("Explain my answer")
    show_entry(kb, ChatEntry("assistant", exp.markdown, list(exp.citations)))
    for entry in current.messages:
        show_entry(kb, entry)


def _follow_up(assistant, store, current: Current, text: str) -> None:
    result = practice.follow_up(assistant, current.item, text, current.chat, seed=_seed())
    if result.item is not None:
        practice.save_items(store, [result.item])
        st.session_state["practise"] = Current(result.item, note="Here is another one like this.")
        st.rerun()
    question, reply = ChatEntry("user", text), ChatEntry.of(result.answer)
    current.messages += [question, reply]
    show_entry(assistant.kb, question)
    show_entry(assistant.kb, reply)


def render() -> None:
    st.title("Practise")
    assistant, store, profile = loading.assistant(), loading.store(), session.profile()
    _pickers(assistant, store, profile)
    action = st.session_state.pop("practise_action", None)
    current: Current | None = st.session_state.get("practise")
    if action == "submit" and current is not None and current.chosen is None:  # recorded before it is drawn
        chosen = st.session_state.get(f"pick_{current.item.id}")
        if chosen is None:
            st.session_state["practise_unpicked"] = True
        else:
            _submit(assistant, store, profile, current, chosen)
    elif action == "similar" and current is not None:
        current = _similar(assistant, store, current.item)
    elif action == "next" or current is None:
        with st.spinner("Writing a question…"):
            current = _load_next(assistant, store, profile)
    st.session_state["practise"] = current
    if current is None:
        st.info("No new question could be made for this area and difficulty right now; pick another area.")
        return
    _question(assistant, store, current)


def _question(assistant, store, current: Current) -> None:
    item = current.item
    if current.note:
        st.info(current.note, icon=":material/auto_awesome:")
    with st.container(border=True):
        st.caption(f"{md_escape(assistant.kb.area_name(item.area))} · {item.difficulty}"
                   + (" · reworded by the LLM, key checked" if item.origin == "rewritten" else ""))
        st.markdown(f"**{md_escape(item.stem)}**")
        answered = current.chosen is not None
        if answered:  # the key and the pick marked in the list itself, not only in the verdict below
            st.markdown(marked_options(item.options, item.answer, current.chosen))
        else:
            st.radio("Your answer", range(len(item.options)), index=None, key=f"pick_{item.id}",
                     format_func=lambda i: f"{OPTION_LETTERS[i]}) {md_escape(item.options[i])}")
        # handled at the top of the next run (render), so the page is drawn once, options locked, feedback below
        st.button("Submit", type="primary", key="practise_submit", disabled=answered, on_click=_request,
                  args=("submit",))
        if st.session_state.pop("practise_unpicked", False):
            st.warning("Pick one of the options first, then submit.")
    cols = st.columns(3)
    cols[0].button("Next question", key="practise_next", on_click=_request, args=("next",),
                   icon=":material/skip_next:")
    cols[1].button("Another like this", key="practise_similar", on_click=_request, args=("similar",),
                   icon=":material/content_copy:")
    if not answered:
        return
    _feedback(assistant.kb, current)
    prompt = st.chat_input("Ask about this question — “why not the other one?”, “give me another one like "
                           "this”", key="practise_input")
    if prompt:
        _follow_up(assistant, store, current, prompt)
