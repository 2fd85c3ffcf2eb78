"""Mock exam: a timed set of mixed questions, graded per exam area at the end."""
from __future__ import annotations

import random
import time
from dataclasses import dataclass, field

import altair as alt
import pandas as pd
import streamlit as st

from studyassist.errors import InputError
from studyassist.quiz.generator import QuizItem
from studyassist.quiz.types import OPTION_LETTERS
from studyassist.study import practice
from studyassist.ui import loading, session
from studyassist.ui.answers import RIGHT, SKIPPED, WRONG, marked_options
from studyassist.ui.markup import md_escape, safe_markdown
from studyassist.ui.session import percent_column

SECONDS_PER_QUESTION = 72  # default pace; the learner can change the minutes before starting
VERDICTS = {"right": RIGHT, "wrong": WRONG, "unanswered": SKIPPED}  # a question's verdict: its coloured icon


@dataclass
class Exam:
    items: list[QuizItem]
    deadline: float
    answers: dict[str, int | None] = field(default_factory=dict)
    report: dict[str, tuple[int, int]] | None = None


def _pick(item_id: str) -> int | None:
    return st.session_state.get(f"exam_{item_id}")


def _finish(exam: Exam) -> None:
    """Grade the exam and record every answered question as an exam attempt."""
    store, profile = loading.store(), session.profile()
    exam.answers = {i.id: _pick(i.id) for i in exam.items}
    for item in exam.items:
        chosen = exam.answers[item.id]
        if chosen is not None:
            try:
                practice.record_answer(store, profile, item, chosen, source="exam")
            except InputError:
                pass  # already answered by this profile elsewhere; the first answer stands
    exam.report = practice.score_exam(exam.items, exam.answers)


def _request_finish() -> None:
    st.session_state["exam_finish"] = True


def _new_exam() -> None:
    st.session_state.pop("exam", None)


@st.fragment(run_every=1)
def _timer(deadline: float) -> None:
    left = deadline - time.time()
    if left <= 0:
        st.session_state["exam_finish"] = True
        st.rerun(scope="app")
    minutes, seconds = divmod(int(left), 60)
    st.markdown(f"### :material/timer: {minutes:02d}:{seconds:02d} left")


def _suggest_minutes() -> None:
    st.session_state["exam_minutes"] = max(1, round(st.session_state["exam_count"] * SECONDS_PER_QUESTION / 60))


def _setup() -> None:
    st.write("A timed set of mixed questions spread across the exam areas, graded per area at the end.")
    left, right = st.columns(2)
    count = left.slider("Questions", 5, 50, step=5, key="exam_count",
                        on_change=_suggest_minutes)
    minutes = right.number_input("Minutes", 1, 120, key="exam_minutes")
    if st.button("Start mock exam", type="primary", key="exam_start"):
        assistant = loading.assistant()
        with st.spinner(f"Writing {count} questions…"):
            items = practice.fresh_exam(assistant, loading.store(), session.profile(), count,
                                           random.SystemRandom().randrange(2**31))
        practice.save_items(loading.store(), items)
        st.session_state["exam"] = Exam(items, time.time() + 60 * minutes)
        st.rerun()


def _running(exam: Exam) -> None:
    _timer(exam.deadline)
    kb = loading.assistant().kb
    for n, item in enumerate(exam.items, start=1):
        with st.container(border=True):
            st.caption(f"Question {n} of {len(exam.items)} · {md_escape(kb.area_name(item.area))}")
            st.markdown(f"**{md_escape(item.stem)}**")
            st.radio(f"Answer to question {n}", range(len(item.options)), index=None, key=f"exam_{item.id}",
                     format_func=lambda i, it=item: f"{OPTION_LETTERS[i]}) {md_escape(it.options[i])}",
                     label_visibility="collapsed")
    answered = sum(_pick(i.id) is not None for i in exam.items)
    st.button(f"Finish exam ({answered} of {len(exam.items)} answered)", type="primary", key="exam_done",
              on_click=_request_finish)


def _report(exam: Exam) -> None:
    assistant = loading.assistant()
    kb = assistant.kb
    right = sum(c for c, _ in exam.report.values())
    total = sum(t for _, t in exam.report.values())
    st.metric("Score", f"{right} / {total} ({right / total:.0%})" if total else "—")
    rows = pd.DataFrame([{"Area": kb.area_name(a), "Correct": c, "Questions": t, "Accuracy": round(100 * c / t)}
                         for a, (c, t) in sorted(exam.report.items(), key=lambda kv: kv[1][0] / kv[1][1])])
    st.subheader("Score per area")
    st.altair_chart(alt.Chart(rows).mark_bar().encode(
        x=alt.X("Accuracy:Q", scale=alt.Scale(domain=[0, 100]), title="Accuracy (%)"),
        y=alt.Y("Area:N", sort="x", title=None, axis=alt.Axis(labelLimit=300)),
        color=alt.Color("Accuracy:Q", scale=alt.Scale(scheme="redyellowgreen", domain=[0, 100]), legend=None),
        tooltip=["Area", "Correct", "Questions", alt.Tooltip("Accuracy:Q", title="Accuracy (%)")],
    ).properties(height=32 * len(rows) + 40))  # one readable band per area
    st.dataframe(rows, hide_index=True, column_config={"Accuracy": percent_column()})
    st.subheader("Questions")
    for n, item in enumerate(exam.items, start=1):
        chosen = exam.answers.get(item.id)
        verdict = "unanswered" if chosen is None else "right" if chosen == item.answer else "wrong"
        with st.expander(f"{VERDICTS[verdict]} Question {n}, {verdict}: {md_escape(item.stem[:90])}"
                         f"{'…' if len(item.stem) > 90 else ''}"):
            st.markdown(f"**{md_escape(item.stem)}**")
            st.markdown(marked_options(item.options, item.answer, chosen))
            text = practice.explain_item(assistant, item, chosen).markdown if chosen is not None else item.explanation
            st.markdown(safe_markdown(text))
    st.button("New mock exam", on_click=_new_exam, key="exam_new", icon=":material/restart_alt:")


def render() -> None:
    st.title("Mock exam")
    exam: Exam | None = st.session_state.get("exam")
    if exam is None:
        _setup()
        return
    if exam.report is None and (st.session_state.pop("exam_finish", False) or time.time() >= exam.deadline):
        _finish(exam)
    if exam.report is None:
        _running(exam)
    else:
        _report(exam)
