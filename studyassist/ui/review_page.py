"""Review: the FSRS queue of missed rules, the mistake log by area and rule, and card export."""
from __future__ import annotations

import re
from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from studyassist.knowledge.model import KnowledgeBase
from studyassist.solve.mcq import LETTERS
from studyassist.study.export import apkg_file, csv_file, question
from studyassist.study.names import due_in
from studyassist.study.progress import ProgressStore
from studyassist.ui import loading, session
from studyassist.ui.answers import marked_options
from studyassist.ui.markup import md_escape
from studyassist.ui.session import SUGGESTED


def _practise_due() -> None:
    session.go_to("Practise")
    st.session_state["practise_area"] = SUGGESTED
    st.session_state["practise_action"] = "next"


def export_bytes(store: ProgressStore, kb: KnowledgeBase, profile: str, kind: str) -> bytes:
    """The profile's missed rules as an Anki deck ("apkg") or a CSV file ("csv"), made in memory (the deck's
    scratch database lives in STUDYASSIST_HOME/tmp while it is built), never in the shared temp folder."""
    data, _ = (apkg_file if kind == "apkg" else csv_file)(store, kb, profile)
    return data


def _queue(store: ProgressStore, kb: KnowledgeBase, profile: str, mistakes) -> None:
    mine = {m.rule_id for m in mistakes}  # the document studied (every rule when all are)
    due = [r for r in store.due_rules(profile) if r in mine]
    st.subheader(f"Due now ({len(due)})")
    now = datetime.now(UTC)
    later = []
    for m in mistakes:
        if m.rule_id in due:
            continue
        card = store.card(profile, m.rule_id)
        if card is not None:
            later.append((card.due, m.rule_id))
    if due:
        st.dataframe(pd.DataFrame([{"Rule": kb.where(r), "Area": kb.area_name(kb.rule(r).area) if kb.has_rule(r)
                                    else "", "Question": question(kb.rule(r)) if kb.has_rule(r) else ""}
                                   for r in due]), hide_index=True,
                     column_config={"Question": st.column_config.TextColumn(width="large")})
        st.button("Practise the due rules now", type="primary", on_click=_practise_due, key="review_practise",
                  icon=":material/school:")
    else:
        st.caption("Nothing is due right now." + (" Missed rules come back a minute after a miss, then at growing "
                                                   "intervals." if later else ""))
    if later:
        st.markdown(f"**Coming up ({len(later)})**")
        st.dataframe(pd.DataFrame([{"Rule": kb.where(r), "Due in": due_in(due_at - now)}
                                   for due_at, r in sorted(later)]), hide_index=True)


def _last_question(miss) -> str:
    if miss is None:
        return ""
    pick = f" — you picked {LETTERS[miss.chosen]}" + (f") {miss.options[miss.chosen]}" if miss.options else "")
    return f"{'(pasted) ' if miss.source == 'pasted' else ''}{miss.stem}{pick}"


def _in_full(kb: KnowledgeBase, rule_id: str, miss) -> None:
    """The last missed question of one rule, untruncated, with the key and the pick marked, and the review's row."""
    with st.expander(f"{md_escape(kb.where(rule_id))}: the question in full"):
        if miss is not None:
            st.markdown(f"{'(pasted) ' if miss.source == 'pasted' else ''}**{md_escape(miss.stem)}**")
            if miss.options:
                st.markdown(marked_options(miss.options, miss.answer, miss.chosen))
            else:  # attempts recorded before the options were kept
                st.caption(f"You picked {LETTERS[miss.chosen]}; the answer was {LETTERS[miss.answer]}.")
        row = kb.rule(rule_id).text if kb.has_rule(rule_id) else "(no longer in the review)"
        st.markdown(f"The review's row: {md_escape(row)}")


def _log(kb: KnowledgeBase, mistakes, last) -> None:
    st.subheader("Mistake log")
    st.caption("Grouped by exam area, then by the rule each missed question tested (generated or pasted); open a "
               "rule below its table to read its last missed question in full.")
    by_area: dict[str, list] = {}
    for m in mistakes:
        by_area.setdefault(m.area, []).append(m)
    for area, rows in sorted(by_area.items(), key=lambda kv: -sum(m.misses for m in kv[1])):
        misses = sum(m.misses for m in rows)
        with st.container(border=True):  # not an expander: the questions in full are expanders, which cannot nest
            st.markdown(f"**{md_escape(kb.area_name(area))} — {misses} miss{'es' if misses != 1 else ''} on "
                        f"{len(rows)} rule{'s' if len(rows) != 1 else ''}**")
            st.dataframe(pd.DataFrame([{
                "Rule": kb.where(m.rule_id), "Misses": m.misses, "Attempts": m.attempts,
                "Last missed": m.last_missed.astimezone().strftime("%Y-%m-%d %H:%M"),
                "Last missed question": _last_question(last.get(m.rule_id)),
                "Row": kb.rule(m.rule_id).text if kb.has_rule(m.rule_id) else "(no longer in the review)"}
                for m in rows]), hide_index=True)
            for m in rows:
                _in_full(kb, m.rule_id, last.get(m.rule_id))


def _exports(store: ProgressStore, kb: KnowledgeBase, profile: str) -> None:
    st.subheader("Export cards")
    st.caption("One card per missed rule: the question on the front; the answer, the review's notes and its row "
               "on the back.")
    name = re.sub(r"[^\w.-]+", "-", profile).strip("-") or "profile"
    left, right = st.columns(2)
    left.download_button("Anki deck (.apkg)", export_bytes(store, kb, profile, "apkg"), key="export_apkg",
                         file_name=f"studyassist-{name}.apkg", mime="application/octet-stream",
                         on_click="ignore", icon=":material/download:")
    right.download_button("CSV", export_bytes(store, kb, profile, "csv"), key="export_csv",
                          file_name=f"studyassist-{name}.csv", mime="text/csv", on_click="ignore",
                          icon=":material/download:")


def render() -> None:
    st.title("Review")
    store, profile = loading.store(), session.profile()
    assistant = loading.assistant()
    kb = assistant.kb
    mistakes = [m for m in store.mistakes_by_rule(profile) if assistant.owns(m.rule_id)]
    if not mistakes:
        st.info(f"No missed rules yet for profile “{profile}”. Missed questions on the Practise and Paste pages "
                "land here, scheduled for spaced review.")
        return
    _queue(store, kb, profile, mistakes)
    _log(kb, mistakes, store.last_misses(profile))
    _exports(store, kb, profile)
