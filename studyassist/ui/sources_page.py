"""Sources: browse the review's decision tables and lists, as the assistant parsed them, and search them all."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from studyassist.ui import citations as cites
from studyassist.ui import loading
from studyassist.ui.markup import md_escape


def _n(count: int, thing: str) -> str:
    return f"{count} {thing}{'s' if count != 1 else ''}"


def _quoted(headers) -> str:
    names = [f"‘{h}’" for h in headers]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def reading(table) -> str:
    """How the assistant uses a table, in a learner's words (no "choice → when")."""
    if table.orientation == "comparison":
        return f"questions ask how {_quoted(table.columns[1:])} differ, one row at a time"
    return (f"questions give a row's {_quoted([table.situation_header])} and ask for its "
            f"{_quoted([table.columns[table.choice_column]])}")


def _area(kb, table) -> str:
    # an overview table (the review map) has one row per exam area: it belongs to none of them
    return "every area" if table.overview else f"area: {kb.area_name(table.area)}"


def _tables(kb) -> None:
    tables = {t.id: t for t in kb.tables}
    table_id = st.selectbox("Table", list(tables), key="sources_table", format_func=lambda t: tables[t].title)
    table = tables[table_id]
    try:
        where = kb.section(table.section).path_text
    except KeyError:
        where = table.section
    st.caption(f"{md_escape(where)} · {md_escape(_area(kb, table))} · {len(table.rows)} rows · "
               f"{md_escape(reading(table))}")
    if table.orientation_confidence != "high":
        st.warning(f"StudyAssist is not sure it reads this table right ({table.orientation_confidence} confidence): "
                   f"{md_escape(reading(table))}. If that is wrong, name its \"choice\" and \"situation\" columns "
                   f"in corpus/.overrides/{md_escape(Path(table.source_file).stem)}.json.")
    if table.caption:
        st.markdown(md_escape(table.caption))
    st.markdown(cites.table_markdown(table))


def _lists(kb) -> None:
    sections = list(dict.fromkeys(r.section for r in kb.rules if r.table is None))
    section = st.selectbox("List", sections, key="sources_section")
    st.markdown(cites.list_markdown(cites.list_rules(kb, section)))


def _search(kb, needle: str) -> None:
    """Every table row and list item containing ``needle``, grouped under the table or list it comes from."""
    tables = [(t, rows) for t in kb.tables
              if (rows := [n for n, row in enumerate(t.rows, start=1) if needle in " ".join(row).lower()])]
    lists = {}
    for r in kb.rules:
        if r.table is None and needle in f"{r.choice} {r.situation}".lower():
            lists.setdefault(r.section, []).append(r)
    rows, items = sum(len(rows) for _, rows in tables), sum(len(found) for found in lists.values())
    if not rows and not items:
        st.info(f"No table row or list item contains “{md_escape(needle)}”; try a shorter word.",
                icon=":material/search_off:")
        return
    st.caption(f"{_n(rows, 'row')} in {_n(len(tables), 'table')}" + (f" and {_n(items, 'list item')}" if items else "")
               + " contain it.")
    for table, found in tables:
        st.subheader(f"{md_escape(table.title)} · {len(found)} of {len(table.rows)} rows", anchor=False)
        st.caption(f"{md_escape(_area(kb, table))} · {md_escape(reading(table))}")
        st.markdown(cites.table_markdown(table, rows=found))
    for section, found in lists.items():
        st.subheader(f"{md_escape(section.split(' > ')[-1])} (list) · {_n(len(found), 'item')}", anchor=False)
        shown = [r for r in cites.list_rules(kb, section) if r in found]
        st.markdown(cites.list_markdown(shown))


def render() -> None:
    st.title("Sources")
    kb = loading.assistant().kb
    st.caption(f"{len(kb.tables)} tables and {len(kb.rules)} rules from: " + md_escape(", ".join(kb.documents)))
    unsure = [t.title for t in kb.tables if t.orientation_confidence != "high"]
    if unsure:
        st.caption(f"Tables StudyAssist may read wrongly (check them; corpus/.overrides can correct one): "
                   f"{md_escape(', '.join(unsure))}")
    needle = st.text_input("Search every table and list", key="sources_filter",
                           placeholder="a word or phrase, e.g. latency").strip().lower()
    if needle:
        _search(kb, needle)
        return
    kind = st.segmented_control("Show", ["Tables", "Lists"], key="sources_kind", label_visibility="collapsed")
    if kind == "Lists":
        _lists(kb)
    else:
        _tables(kb)
