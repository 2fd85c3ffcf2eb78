"""Settings: which LLM is configured and whether it answers; the learner profile; where data lives."""
from __future__ import annotations

import streamlit as st

from studyassist.settings import get_settings, mask_secrets
from studyassist.ui import loading, session
from studyassist.ui.answers import mode_badge
from studyassist.ui.markup import md_escape, safe_markdown


def _create_profile() -> None:
    name = session.check_profile_name(st.session_state.get("settings_new_profile", ""))
    if name is None:
        st.session_state["settings_profile_error"] = True
        return
    st.session_state["settings_new_profile"] = ""
    session.switch_profile(name)


def _llm() -> None:
    s = get_settings()
    st.subheader("Answer mode")
    mode_badge(f"llm:{s.llm}" if s.llm_enabled else "grounded")
    if not s.llm_enabled:
        st.markdown("No LLM is configured, so answers are **grounded**: composed from the review's rows and "
                    "cited, with no network needed. To add one, set `STUDYASSIST_LLM=provider:model` (for example "
                    "`ollama:llama3.1:8b` or `openai:gpt-4o-mini`) and, for a local server, "
                    "`STUDYASSIST_LLM_BASE_URL`, then restart the app.")
        return
    # a base URL may carry user:password@ or ?api-key=…: shown masked, never verbatim
    st.markdown(f"Configured LLM: {md_escape(s.llm)}" + (f" at {md_escape(mask_secrets(s.llm_base_url))}"
                                                         if s.llm_base_url else ""))
    ok, message = loading.llm_status()
    if ok:
        st.success("The LLM answers. Its answers are checked against the review like grounded ones.",
                   icon=":material/check_circle:")
    else:
        st.warning(f"The LLM is not reachable ({safe_markdown(mask_secrets(message))}); answers fall back to "
                   "grounded mode.",
                   icon=":material/cloud_off:")
    st.button("Check again", on_click=loading.recheck_llm, icon=":material/refresh:")


def _profile() -> None:
    st.subheader("Learner profile")
    store = loading.store()
    profile = session.profile()
    answered = sum(t for _, t in store.area_accuracy(profile).values())
    st.markdown(f"Current profile: **{profile}** ({answered} answers recorded). Switch profiles in the sidebar.")
    with st.form("settings_profile_form", border=False):
        st.text_input("Create a profile", key="settings_new_profile", placeholder="a name, e.g. sam")
        st.form_submit_button("Create and switch", on_click=_create_profile)
    if st.session_state.pop("settings_profile_error", False):
        st.error("A profile name is 1–40 letters, digits, spaces, dots, @, - or _; type another name.")


def _data() -> None:
    s = get_settings()
    st.subheader("Data")
    kb = loading.assistant().kb
    st.markdown(f"- Index and progress: `{s.home}`\n- Corpus: `{s.corpus}` ({len(kb.documents)} document(s), "
                f"{len(kb.tables)} tables, {len(kb.rules)} rules)\n"
                f"- Embeddings: `{s.embedding_model or 'packaged all-MiniLM-L6-v2'}`")


def render() -> None:
    st.title("Settings")
    _llm()
    _profile()
    _data()
