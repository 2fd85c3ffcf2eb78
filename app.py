"""StudyAssist in the browser: ask, practise, take a mock exam, paste a question, review, progress, sources, settings.

This file only renders; the studyassist core answers, quizzes, explains and keeps progress.
Run it with `make run` (or `streamlit run app.py`).
"""
from __future__ import annotations

import os

# Nothing may reach a model hub at run time; set before any Hugging Face library is imported.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import logging  # noqa: E402

import streamlit as st  # noqa: E402

from studyassist.errors import StudyAssistError  # noqa: E402
from studyassist.logs import quiet_libraries  # noqa: E402
from studyassist.settings import keep_private, mask_log_records, mask_secrets  # noqa: E402
from studyassist.ui import (  # noqa: E402
    ask_page,
    cohort_page,
    exam_page,
    loading,
    paste_page,
    practise_page,
    progress_page,
    review_page,
    session,
    settings_page,
    signin,
    sources_page,
)
from studyassist.ui.markup import safe_markdown  # noqa: E402

log = logging.getLogger("studyassist.app")

RENDER = {"Ask": ask_page.render, "Practise": practise_page.render, "Mock exam": exam_page.render,
          "Paste a question": paste_page.render, "Review": review_page.render, "Progress": progress_page.render,
          "Sources": sources_page.render, "Settings": settings_page.render, session.COHORT: cohort_page.render}


def _llm_banner() -> None:
    status = loading.llm_status()
    if status is not None and not status[0]:
        reason = safe_markdown(mask_secrets(status[1]))
        st.warning(f"The configured LLM is not reachable ({reason}); answers fall back to grounded mode, "
                   "composed from the review's rows.", icon=":material/cloud_off:")


def main() -> None:
    mask_log_records()  # a base URL's user:password@ or ?key= never reaches the server log
    keep_private()  # progress (with pasted questions) and the index are the learner's own: 0600 files, 0700 folders
    loading.begin_run()
    exam = loading.pack().short_title
    # no page_icon: a :material/…: favicon is fetched from fonts.gstatic.com, and the app asks nothing of other hosts
    st.set_page_config(page_title=f"StudyAssist · {exam}" if exam else "StudyAssist", layout="wide")
    quiet_libraries()
    session.init()
    try:
        signed_in = signin.gate()  # with sign-in set up: the sign-in page, or the learner's own profile
        page = session.sidebar(signed_in, trainer=signed_in and signin.is_trainer())
        session.index_notice()
        _llm_banner()
        RENDER[page]()
    except StudyAssistError as exc:  # every user-facing error is one sentence saying what to do
        st.error(str(exc), icon=":material/error:")
        st.stop()
    except Exception as exc:  # never a traceback in the page; the log has it
        log.exception("unexpected error on the page")
        st.error(f"Something went wrong ({type(exc).__name__}); the details are in the server log. "
                 "Reload the page to try again.", icon=":material/error:")
        st.stop()


main()
