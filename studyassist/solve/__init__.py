"""Solving a pasted multiple-choice question and explaining a pick: parser, solver, explainer, known mistakes."""
