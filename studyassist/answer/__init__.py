"""Answering a free-form question: resolve, hybrid retrieval, the grounded composer, citations, the optional LLM."""
