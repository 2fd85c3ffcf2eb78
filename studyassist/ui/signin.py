"""Sign-in for a cohort's deployment (issue 18): when the app's secrets have an ``[auth]`` section (Streamlit's
OpenID Connect sign-in, ``st.login``), a visitor sees only the sign-in page, a signed-in learner's identity is their
profile (no picker, no other profile to open), and the identities listed in ``STUDYASSIST_TRAINERS``, or members of
a group or app role listed in ``STUDYASSIST_TRAINER_GROUPS`` (the token's "groups" or "roles" claim), also see the
cohort's numbers. Without ``[auth]`` nothing changes: one learner, profiles picked in the sidebar.
"""
from __future__ import annotations

import hashlib

import streamlit as st

from studyassist.settings import get_settings
from studyassist.study.names import clean_profile_name
from studyassist.ui import session


def configured() -> bool:
    """Whether sign-in is set up (an ``[auth]`` section in the app's secrets)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all: the embedded default
        return False


def _identity() -> str:
    return str(st.user.get("email") or st.user.get("sub") or "")


def identity_profile() -> str:
    """The profile of the signed-in learner: their e-mail address when it can be a profile name, else a stable
    name made from their subject (two identities never share a profile)."""
    who = _identity()
    return clean_profile_name(who) or "user-" + hashlib.sha256(who.encode()).hexdigest()[:16]


def _listed(value: str) -> set[str]:
    return {t.strip().lower() for t in value.split(",") if t.strip()}


def _claimed(name: str) -> set[str]:
    """A claim's values: providers send groups and roles as a list of strings, some as one string."""
    value = st.user.get(name) or []
    return {str(v).strip().lower() for v in ([value] if isinstance(value, str) else value)}


def is_trainer() -> bool:
    """A signed-in identity listed as a trainer, or a member of a trainers' group or role."""
    if not (configured() and st.user.is_logged_in):
        return False
    s = get_settings()
    return _identity().lower() in _listed(s.trainers) or bool(
        _listed(s.trainer_groups) & (_claimed("groups") | _claimed("roles")))


def gate() -> bool:
    """Show the sign-in page and stop when sign-in is set up and nobody is signed in; set the session's profile to
    the signed-in learner's. True when the session belongs to a signed-in learner."""
    if not configured():
        return False
    if not st.user.is_logged_in:
        st.title("StudyAssist")
        st.write("Sign in to practise and see your own progress; each learner sees only their own.")
        st.button("Sign in", type="primary", on_click=st.login, icon=":material/login:")
        st.stop()
    mine = identity_profile()
    if session.profile() != mine:  # nothing of another profile's practice, exam or pending question carries over
        session.switch_profile(mine)
    return True
