"""Paste a question: any practice bank's multiple-choice question, solved and explained against the rules."""
from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from ..mcq import LETTERS, parse_pasted
from . import citations as cites
from . import loading
from .citations import md_escape

NO_PICK = "—"
EXAMPLE = """A retail team scores ten million customer records every night and writes the results to storage.
Which deployment option should they use?
A) Managed online endpoint
B) Batch endpoint
C) Compute instance
D) Run the notebook on a schedule"""


def _solve() -> None:
    text = st.session_state.get("paste_text", "")
    pick = st.session_state.get("paste_chose", NO_PICK)
    question = parse_pasted(text)  # InputError: shown as one sentence by app.py
    chose = None if pick == NO_PICK else pick
    if chose:
        question.index_of(chose)
    st.session_state["paste_result"] = (question, loading.solver().solve(question, chose))


def render() -> None:
    st.title("Paste a question")
    st.caption("Paste a question from any practice bank — the stem, then its options (A) …, A. …, or one per "
               "line). Say which option you picked to hear why it is (not) the best.")
    st.text_area("Question and options", key="paste_text", height=200, placeholder=EXAMPLE)
    left, right = st.columns([1, 3], vertical_alignment="bottom")
    left.selectbox("The option you picked (optional)", [NO_PICK, *LETTERS], key="paste_chose")
    if right.button("Find the best answer", type="primary", key="paste_solve"):
        with st.spinner("Checking the options against the review…"):
            _solve()
    result = st.session_state.get("paste_result")
    if result:
        _show(*result)


def _show(question, solution) -> None:
    kb = loading.assistant().kb
    best = question.letters.index(solution.best)
    st.success(f"Best answer: **{solution.best}) {md_escape(question.options[best])}**", icon=":material/check:")
    st.markdown(solution.explanation)
    if solution.chosen:
        st.subheader(f"Your pick: {solution.chosen}")
        if solution.chosen == solution.best:
            st.success(solution.chosen_feedback or "Well chosen.")
        else:
            st.markdown(solution.chosen_feedback or "")
    for warning in solution.warnings:
        st.warning(warning, icon=":material/warning:")
    cites.show(kb, solution.citations)
    with st.expander("How each option scored"):
        scores = pd.DataFrame({"Option": [f"{l}) {o}" for l, o in zip(question.letters, question.options)],
                               "Score": [solution.scores[l] for l in question.letters]})
        st.altair_chart(alt.Chart(scores).mark_bar().encode(x="Score:Q", y=alt.Y("Option:N", sort=None),
                                                             tooltip=["Option", "Score"]))
        if solution.negated:
            st.caption("The question asks for the option that does NOT fit, so the lowest score is the answer.")
