"""Progress: exam readiness, accuracy per area over time, a coverage map of practised rules, and the weakest areas."""
from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from studyassist.study.readiness import LEVEL, readiness
from studyassist.ui import loading, session
from studyassist.ui.markup import md_escape
from studyassist.ui.session import percent_column


def _readiness(kb, store, profile: str) -> None:
    st.subheader("Exam readiness")
    ready = readiness(store, profile, kb)
    if ready.overall is None:
        st.info(ready.message)
        return
    e = ready.overall
    st.metric("Chance of answering a new exam question right", f"{e.p:.0%}",
              help="From your recent answers per rule and how well you still recall each rule (FSRS), each area "
                   "weighted by its share of the exam.")
    equal = len({round(w, 6) for w in ready.weights.values()}) == 1
    st.caption(f"{LEVEL:.0%} sure it is between {e.low:.0%} and {e.high:.0%}, from {e.answers} recent answers; "
               + ("the areas count equally (the exam's weights are not known here)." if equal
                  else "each area counts by its share of the exam."))
    data = pd.DataFrame([{"Area": kb.area_name(a), "Readiness": round(100 * x.p),
                          "Range": f"{x.low:.0%}–{x.high:.0%}", "Answers": x.answers,
                          "Share of exam": f"{100 * ready.weights[a]:.3g}%"} for a, x in ready.areas.items()])
    st.dataframe(data, hide_index=True, column_config={
        "Readiness": st.column_config.ProgressColumn("Readiness", format="%d%%", min_value=0, max_value=100)})


def _over_time(kb, store, profile: str, mine) -> None:
    rows = [r for r in store.accuracy_over_time(profile) if mine(r.area)]
    st.subheader("Accuracy per area over time")
    if len({r.day for r in rows}) < 2:  # one day is a row of dots on top of each other, not a trend
        st.caption("The trend appears once you have practised on two different days; until then, the weakest "
                   "areas below show where you stand.")
        return
    data = pd.DataFrame([{"Day": pd.Timestamp(r.day), "Area": kb.area_name(r.area), "Correct": r.correct,
                          "Answered": r.total, "Accuracy": r.correct / r.total} for r in rows])
    st.altair_chart(alt.Chart(data).mark_line(point=alt.OverlayMarkDef(size=80)).encode(
        x=alt.X("Day:T", title=None, axis=alt.Axis(format="%b %d")),
        y=alt.Y("Accuracy:Q", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
        color=alt.Color("Area:N", legend=alt.Legend(orient="bottom", columns=3)),
        tooltip=["Day:T", "Area", "Correct", "Answered", alt.Tooltip("Accuracy:Q", format=".0%")]))


def _coverage(kb, store, profile: str) -> None:
    st.subheader("Coverage map")
    st.caption("Every decision-table row of the review: which ones your questions have tested so far.")
    practised = store.practised_rules(profile)
    missed = {m.rule_id: m for m in store.mistakes_by_rule(profile)}
    cells = []
    for rule in kb.table_rules:
        status = ("missed" if rule.id in missed else "practised") if rule.id in practised else "not yet"
        cells.append({"Table": kb.table(rule.table).title, "Row": rule.row, "Status": status,
                      "Rule": rule.text[:160]})
    data = pd.DataFrame(cells)
    coverage = sum(c["Status"] != "not yet" for c in cells) / max(1, len(cells))
    st.progress(coverage, text=f"{coverage:.0%} of {len(kb.table_rules)} table rows practised")
    st.altair_chart(alt.Chart(data).mark_rect(stroke="white", strokeWidth=2).encode(
        x=alt.X("Row:O", title="Row"),
        y=alt.Y("Table:N", title=None, sort=None, axis=alt.Axis(labelLimit=320)),
        color=alt.Color("Status:N", scale=alt.Scale(domain=["practised", "missed", "not yet"],
                                                    range=["#2e9d5b", "#e8833a", "#e6e6ea"]),
                        legend=alt.Legend(orient="bottom", title=None)),
        tooltip=["Table", "Row", "Status", "Rule"]))


def _weakest(kb, store, profile: str, mine) -> None:
    st.subheader("Weakest areas")
    accuracy = store.area_accuracy(profile)
    weakest = [a for a in store.weakest_areas(profile) if mine(a)]
    data = pd.DataFrame([{"Area": kb.area_name(a), "Correct": accuracy[a][0], "Answered": accuracy[a][1],
                          "Accuracy": round(100 * accuracy[a][0] / accuracy[a][1])} for a in weakest])
    st.dataframe(data, hide_index=True, column_config={"Accuracy": percent_column()})
    untried = [a.name for a in kb.areas if a.id not in accuracy]
    if untried:
        st.caption("Not practised yet: " + md_escape(", ".join(untried)) + ".")


def render() -> None:
    st.title("Progress")
    store, profile = loading.store(), session.profile()
    assistant = loading.assistant()
    kb = assistant.kb
    # studying one document of several: its areas and rules only (every area and rule otherwise)
    own_areas = {a.id for a in kb.areas}

    def mine(area: str) -> bool:
        return assistant.scope is None or area in own_areas

    accuracy = {a: v for a, v in store.area_accuracy(profile).items() if mine(a)}
    answered = sum(t for _, t in accuracy.values())
    correct = sum(c for c, _ in accuracy.values())
    cols = st.columns(3)
    cols[0].metric("Questions answered", answered)
    cols[1].metric("Accuracy", f"{correct / answered:.0%}" if answered else "—")
    cols[2].metric("Rules practised", len([r for r in store.practised_rules(profile) if assistant.owns(r)]))
    _readiness(kb, store, profile)
    if not answered:
        st.info(f"No answers yet for profile “{profile}”; answer some questions on the Practise page.")
    else:
        _over_time(kb, store, profile, mine)
        _weakest(kb, store, profile, mine)
    _coverage(kb, store, profile)
