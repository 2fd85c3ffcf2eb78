"""The Cohort page: a trainer's numbers across every learner of the deployment (study/cohort.py) — per-area
readiness and the rules most learners miss; never one learner's name, answers or questions."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from studyassist.study.cohort import cohort
from studyassist.ui import loading, signin
from studyassist.ui.markup import md_escape


def render() -> None:
    st.title("Cohort")
    if not signin.is_trainer():  # the page is only listed for trainers; a stale page choice lands here
        st.error("Only a trainer sees the cohort's numbers.", icon=":material/lock:")
        return
    kb = loading.assistant().kb
    view = cohort(loading.store(), kb)
    if not view.learners:
        st.info("No learner has answered yet.", icon=":material/group:")
        return
    left, middle, right = st.columns(3)
    left.metric("Learners", view.learners)
    middle.metric("Answers", view.answers)
    right.metric("Mean readiness", f"{view.overall:.0%}" if view.overall is not None else "—",
                 help=f"Of the {view.ready} learners with enough answers for an estimate.")
    st.subheader("Readiness per area")
    st.dataframe(pd.DataFrame([{"Area": kb.area_name(a.area), "Learners": a.learners,
                                "Mean": None if a.readiness is None else round(100 * a.readiness),
                                "Lowest": None if a.lowest is None else round(100 * a.lowest)} for a in view.areas]),
                 hide_index=True)
    st.subheader("Rules most learners miss")
    for m in view.missed:
        rule = kb.rule(m.rule_id) if kb.has_rule(m.rule_id) else None
        said = f"{rule.situation} → {rule.choice}" if rule else m.rule_id
        st.markdown(f"- {md_escape(said)} — {m.learners} learner(s), {m.misses} miss(es)")
