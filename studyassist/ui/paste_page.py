"""Paste a question: any practice bank's multiple-choice question, solved and explained against the rules."""
from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from studyassist.solve.mcq import LETTERS, parse_pasted
from studyassist.solve.verdict import headline
from studyassist.study.pasted import record_pasted
from studyassist.ui import answers, loading, session
from studyassist.ui import citations as cites
from studyassist.ui.markup import md_escape, safe_markdown

NO_PICK = "—"
# What the empty box shows when the exam pack has no example of its own.
EXAMPLE = """The question, as the practice bank wrote it. Which option fits best?
A) the first option
B) the second option
C) …"""


def _solve() -> None:
    text = st.session_state.get("paste_text", "")
    pick = st.session_state.get("paste_chose", NO_PICK)
    question = parse_pasted(text)  # InputError: shown as one sentence by app.py
    chose = None if pick == NO_PICK else pick
    if chose:
        question.index_of(chose)
    solution = loading.assistant().solver.solve(question, chose)
    logged = None
    if chose and st.session_state.get("paste_record", True):
        # here, in the button's handler, so a rerun of the page never logs the same pick twice
        logged = record_pasted(loading.store(), loading.assistant().kb, session.profile(), question, solution)
    st.session_state["paste_result"] = (question, solution)
    st.session_state["paste_logged"] = logged


def render() -> None:
    st.title("Paste a question")
    st.caption("Paste a question from any practice bank — the stem, then its options (A) …, A. …, or one per "
               "line). Say which option you picked to hear why it is (not) the best; a miss goes to your mistake "
               "log and review queue.")
    st.text_area("Question and options", key="paste_text", height=200,
                 placeholder=loading.pack().examples.paste or EXAMPLE)
    left, right = st.columns([1, 3], vertical_alignment="bottom")
    left.selectbox("The option you picked (optional)", [NO_PICK, *LETTERS], key="paste_chose")
    right.checkbox("Log my pick in my mistake log", key="paste_record",
                   help="A pick is logged against the rule behind the best answer, when the solver can tie the "
                        "question to one rule; the same question counts once a day.")
    if st.button("Find the best answer", type="primary", key="paste_solve"):
        with st.spinner("Checking the options against the review…"):
            _solve()
    result = st.session_state.get("paste_result")
    if result:
        _show(*result)


def _show(question, solution) -> None:
    kb = loading.assistant().kb
    picks = solution.picks or [solution.best]
    shown = " and ".join(f"**{p}) {md_escape(question.options[question.letters.index(p)])}**" for p in picks)
    sure = solution.confidence == "confident"
    line = f"{headline(solution.confidence, len(picks))}: {shown}"
    if sure:
        st.success(line, icon=":material/check:")
    elif solution.confidence == "likely":
        st.info(line, icon=":material/help:")
    else:
        st.warning(line, icon=":material/help_outline:")
    answers.confidence_badge(solution.confidence, solution.probability)
    st.markdown(safe_markdown(solution.explanation))  # it quotes the pasted options
    if solution.chosen:
        st.subheader(f"Your pick: {solution.chosen}")
        if solution.chosen in picks and sure:
            st.success(safe_markdown(solution.chosen_feedback or "Well chosen."))
        else:
            st.markdown(safe_markdown(solution.chosen_feedback or ""))
        logged = st.session_state.get("paste_logged")
        if logged is not None:
            st.info(safe_markdown(logged.message),
                    icon=":material/playlist_add_check:" if logged.recorded else ":material/info:")
    for warning in solution.warnings:
        st.warning(safe_markdown(warning), icon=":material/warning:")
    cites.show(kb, solution.citations)
    with st.expander("How each option scored"):
        scores = pd.DataFrame({"Option": [f"{l}) {o}" for l, o in zip(question.letters, question.options)],
                               "Score": [solution.scores[l] for l in question.letters]})
        st.altair_chart(alt.Chart(scores).mark_bar().encode(x="Score:Q", y=alt.Y("Option:N", sort=None),
                                                             tooltip=["Option", "Score"]))
        if solution.negated:
            st.caption("The question asks for the option that does NOT fit, so the lowest score is the answer.")
