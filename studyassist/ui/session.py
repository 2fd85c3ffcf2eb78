"""Per-browser-session state: the learner profile, the page, and widget values kept across pages.

Everything lives in ``st.session_state`` (one per browser session); nothing here is module-level.
"""
from __future__ import annotations

import streamlit as st

from studyassist.study.names import clean_profile_name
from studyassist.ui import loading
from studyassist.ui.markup import md_escape

PAGES = ("Ask", "Practise", "Mock exam", "Paste a question", "Review", "Progress", "Sources", "Settings")
COHORT = "Cohort"  # a trainer's page, with sign-in set up (ui/signin.py)
DEFAULT_PROFILE = "default"
SUGGESTED = "__suggested__"  # the Practise page's "let the drill plan choose" area
REBUILD_POLL_S = 2  # how often the background re-indexing notice looks whether the build is over
ALL_DOCUMENTS = ""  # the sidebar's "Study" picker: every document of the corpus (Assistant.scoped(""))
# Widget values that survive a visit to another page (Streamlit drops the state of a widget that a
# run does not draw, unless it is re-assigned every run). The widgets take their defaults from here,
# never from a value= argument, which Streamlit would report as a conflict.
_KEPT = {"practise_area": SUGGESTED, "practise_difficulty": "mixed", "exam_count": 10, "exam_minutes": 12,
         "paste_text": "", "paste_chose": "—", "paste_record": True, "sources_table": None, "sources_section": None,
         "sources_kind": "Tables", "sources_filter": ""}


def init() -> None:
    """Defaults for a new session, and the values kept across pages."""
    st.session_state.setdefault("profile", DEFAULT_PROFILE)
    st.session_state.setdefault("page", PAGES[0])
    for key, default in _KEPT.items():
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
        elif default is not None:
            st.session_state[key] = default


def profile() -> str:
    return st.session_state["profile"]


def go_to(page: str) -> None:
    """Switch page on the next run (call from a widget callback)."""
    st.session_state["page"] = page


def _profile_changed() -> None:
    # A question or exam in progress belongs to the profile (and the document) that started it, and so does a
    # pending "reset or delete this profile?" question on the Settings page.
    for key in ("practise", "exam", "settings_confirm"):
        st.session_state.pop(key, None)


def check_profile_name(name: str) -> str | None:
    """The stored (normalised) name, or None when it cannot be a profile name (the CLI's rule too)."""
    return clean_profile_name(name)


def switch_profile(name: str) -> None:
    st.session_state["profile"] = name
    _profile_changed()


def sidebar(signed_in: bool = False, trainer: bool = False) -> str:
    """Draw the navigation and the profile picker (for a signed-in learner, who they are and a sign-out button);
    return the page to show."""
    with st.sidebar:
        exam = loading.pack().short_title
        coach = f"{exam} quick-review coach" if exam else "Quick-review coach"
        st.markdown(f"### :material/menu_book: StudyAssist\n{coach}")
        pages = (*PAGES, COHORT) if trainer else PAGES
        if st.session_state.get("page") not in pages:
            st.session_state["page"] = PAGES[0]
        page = st.radio("Page", pages, key="page", label_visibility="collapsed")
        st.divider()
        if signed_in:
            st.caption(f"Signed in as **{md_escape(profile())}**")
            st.button("Sign out", on_click=st.logout, icon=":material/logout:")
        else:
            known = set(loading.store().profiles()) | {profile()}
            st.selectbox("Learner profile", sorted(known), key="profile", on_change=_profile_changed,
                         help="Progress, mistakes and reviews are kept per profile. Create one on the Settings page.")
        documents = loading.documents()
        if len(documents) > 1:  # one review needs no picker
            if st.session_state.get("document") not in documents:
                st.session_state["document"] = ALL_DOCUMENTS
            st.selectbox("Study", [ALL_DOCUMENTS, *documents], key="document", on_change=_profile_changed,
                         format_func=lambda d: "All documents" if d == ALL_DOCUMENTS else d,
                         help="Ask, practise, review and progress from one review document only.")
    return page


def index_notice() -> None:
    """Say in the sidebar that the index is being rebuilt in the background, or why it could not be; answers come
    from the previous index meanwhile. While it runs, the notice looks again every few seconds and, once the build
    is over, runs the page again (on the new index, or to show the reason)."""
    state = loading.rebuilding()
    if state is None:
        return
    with st.sidebar:
        if state.error:
            st.warning(f"Re-indexing {state.names} failed, so answers come from the previous index. "
                       f"{md_escape(state.error)}", icon=":material/sync_problem:")
        else:
            _rebuild_progress()


@st.fragment(run_every=REBUILD_POLL_S)
def _rebuild_progress() -> None:
    state = loading.rebuilding()
    if state is None or state.error:
        st.rerun()
    st.info(f"Re-indexing {state.names} in the background; answers come from the previous index until it is done."
            + (f" Embedded {state.done} of {state.total} chunks." if state.total else ""), icon=":material/sync:")


def percent_column():
    """A 0–100 accuracy column drawn as a bar with a whole percentage ("33%", never "33.33%")."""
    return st.column_config.ProgressColumn("Accuracy", format="%d%%", min_value=0, max_value=100)
