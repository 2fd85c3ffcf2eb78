"""Generated exam-style questions: drafting from a rule, verifying the key, optional LLM rewording."""
