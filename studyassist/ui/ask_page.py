"""Ask: a cited chat over the review; follow-ups resolve against this session's conversation."""
from __future__ import annotations

import streamlit as st

from studyassist.answer.resolve import Conversation
from studyassist.assistant import clean_question
from studyassist.errors import InputError
from studyassist.ui import loading
from studyassist.ui.answers import ChatEntry, mode_badge, show_entry
from studyassist.ui.markup import md_escape


def _new_chat() -> None:
    st.session_state["ask_chat"] = Conversation()
    st.session_state["ask_history"] = []


def render() -> None:
    st.title("Ask")
    st.caption("Short answers that cite the exact row of the review they rest on. Follow-ups such as "
               "“why not the other one?” refer to the previous answer.")
    if "ask_chat" not in st.session_state:
        _new_chat()
    examples = loading.pack().examples.ask
    prompt = st.chat_input("Ask about the review" + (f", e.g. {examples[0]}" if examples else ""), key="ask_input")
    header = st.container()  # filled last, so "New chat" knows whether this run added a turn
    assistant = loading.assistant()
    history: list[ChatEntry] = st.session_state["ask_history"]
    for entry in history:
        show_entry(assistant.kb, entry)
    if prompt:
        try:
            clean_question(prompt)
        except InputError as exc:  # not echoed into the chat, but kept to copy and shorten
            st.error(str(exc), icon=":material/error:")
            with st.expander("Your question (not sent)"):
                st.code(prompt, language=None, wrap_lines=True)
            prompt = None
    if prompt:
        question = ChatEntry("user", prompt)
        show_entry(assistant.kb, question)
        with st.spinner("Looking it up…"):
            answer = assistant.ask(prompt, st.session_state["ask_chat"])
        reply = ChatEntry.of(answer)
        history += [question, reply]
        show_entry(assistant.kb, reply)
    elif not history:
        st.info("Try: " + " · ".join(f"*{md_escape(q)}*" for q in assistant.example_questions()))
    left, right, _ = header.columns([1, 1, 4], vertical_alignment="center")
    with left:
        mode_badge(assistant.mode)
    right.button("New chat", on_click=_new_chat, icon=":material/refresh:", disabled=not history)
