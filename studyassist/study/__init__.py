"""The learner's record: attempts and FSRS review, practice sessions, pasted picks, card export."""
