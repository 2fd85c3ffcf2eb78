"""Settings: which LLM is configured and whether it answers; the learner profile; where data lives."""
from __future__ import annotations

import streamlit as st

from studyassist.settings import get_settings, mask_secrets
from studyassist.study.profiles import delete_profile, reset_profile
from studyassist.ui import loading, session, signin
from studyassist.ui.answers import mode_badge
from studyassist.ui.markup import md_escape, safe_markdown


def _create_profile() -> None:
    name = session.check_profile_name(st.session_state.get("settings_new_profile", ""))
    if name is None:
        st.session_state["settings_profile_error"] = True
        return
    st.session_state["settings_new_profile"] = ""
    session.switch_profile(name)


def _ask_to_confirm(action: str | None) -> None:
    st.session_state["settings_confirm"] = action


def _start_over(action: str) -> None:
    """Reset or delete the current profile (the confirmation's button); say what went, after the rerun."""
    profile = session.profile()
    removed = (reset_profile if action == "reset" else delete_profile)(loading.store(), profile)
    answers = f"{removed.attempts} answer{'s' if removed.attempts != 1 else ''}"
    if action == "reset":
        session.switch_profile(profile)  # drops the question or exam in progress, which counted towards it
        done = f"Profile “{profile}” starts over: {answers} and its review schedule were cleared."
    else:
        session.switch_profile(session.DEFAULT_PROFILE if profile != session.DEFAULT_PROFILE else profile)
        done = f"Profile “{profile}” was deleted with its {answers}; you are on “{session.profile()}” now."
    st.session_state["settings_confirm"] = None
    st.session_state["settings_done"] = done


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
    if signin.configured():  # a signed-in learner has one profile, their own: it can be started over, nothing else
        st.markdown(f"Your profile: **{md_escape(profile)}** ({answered} answers recorded).")
        _reset_or_delete(profile, answered, delete=False)
        return
    st.markdown(f"Current profile: **{md_escape(profile)}** ({answered} answers recorded). Switch profiles in the "
                "sidebar.")
    with st.form("settings_profile_form", border=False):
        st.text_input("Create a profile", key="settings_new_profile", placeholder="a name, e.g. sam")
        st.form_submit_button("Create and switch", on_click=_create_profile)
    if st.session_state.pop("settings_profile_error", False):
        st.error("A profile name is 1–40 letters, digits, spaces, dots, @, - or _; type another name.")
    _reset_or_delete(profile, answered)


def _reset_or_delete(profile: str, answered: int, delete: bool = True) -> None:
    done = st.session_state.pop("settings_done", None)
    if done:
        st.success(md_escape(done), icon=":material/check_circle:")
    action = st.session_state.get("settings_confirm")
    if action is None:
        left, right = st.columns(2)
        left.button("Reset progress…", key="settings_reset", on_click=_ask_to_confirm, args=("reset",),
                    icon=":material/restart_alt:", help="Clear this profile's mistake log, scores and reviews.")
        if delete:
            right.button("Delete profile…", key="settings_delete", on_click=_ask_to_confirm, args=("delete",),
                         icon=":material/delete:", help="Remove this profile and everything it recorded.")
        return
    what = "clears the mistake log, scores and review schedule of" if action == "reset" else "deletes"
    st.warning(f"This {what} profile **{md_escape(profile)}** ({answered} answers recorded); other profiles and "
               "the index are kept. It cannot be undone.", icon=":material/warning:")
    left, right = st.columns(2)
    left.button("Yes, reset it" if action == "reset" else "Yes, delete it", key="settings_confirm_yes",
                type="primary", on_click=_start_over, args=(action,))
    right.button("Cancel", key="settings_confirm_no", on_click=_ask_to_confirm, args=(None,))


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
