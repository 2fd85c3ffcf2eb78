"""Streamlit rendering for app.py: one module per page, plus loading, session and citation helpers.

Nothing here computes an answer, a question or a score; it calls the core and shows the result.
"""
