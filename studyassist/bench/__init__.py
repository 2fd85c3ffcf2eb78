"""Performance tooling behind `studyassist bench` (imported only by the CLI)."""
