"""The `studyassist` command line: one entry that registers every command group."""
