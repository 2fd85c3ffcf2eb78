"""The eval suite: gold sets, metrics, the tutorial-RAG baseline and the runner behind `studyassist eval`."""
