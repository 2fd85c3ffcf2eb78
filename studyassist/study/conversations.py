"""Conversations kept between CLI calls, so `studyassist ask --continue "and why not the other one?"` resolves
against the previous question as the app's chat does. One JSON file per session name under the home folder,
written whole and atomically; the index and the review are not in it, only what follow-ups need (the turns)."""
from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import asdict
from pathlib import Path

from studyassist.answer.resolve import Conversation, Turn
from studyassist.errors import InputError
from studyassist.settings import private_dir
from studyassist.study.names import shown

FOLDER = "conversations"
DEFAULT = "default"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def session_name(text: str) -> str:
    """A session name as typed, or an InputError saying what a name may contain."""
    name = (text or "").strip()
    if not _NAME.fullmatch(name) or name.endswith("."):
        raise InputError(f"The session name {shown(repr(text))} is not usable; use up to 64 letters, digits, '-', "
                         "'_' or '.', starting with a letter or digit.")
    return name


class ConversationFiles:
    """The saved conversations of one home folder, by session name."""

    def __init__(self, home: Path):
        self.folder = Path(home) / FOLDER

    def path(self, session: str) -> Path:
        return self.folder / f"{session_name(session)}.json"

    def load(self, session: str = DEFAULT) -> Conversation:
        """The saved conversation, or an InputError when there is none to continue or it cannot be read."""
        path = self.path(session)
        named = "" if session == DEFAULT else f" in session '{session}'"
        if not path.exists():
            raise InputError(f"There is no previous question to continue{named}; ask one without --continue first.")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return Conversation([Turn(**turn) for turn in data["turns"]])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise InputError(f"The previous conversation{named} could not be read ({type(exc).__name__}); ask "
                             "without --continue to start a new one.") from exc

    def save(self, conversation: Conversation, session: str = DEFAULT) -> Path:
        path = self.path(session)
        private_dir(path.parent.parent)  # the home folder
        private_dir(path.parent)
        data = json.dumps({"turns": [asdict(t) for t in conversation.turns]}, ensure_ascii=False).encode()
        # mkstemp: a new owner-only file (O_EXCL, random name), so nothing planted beside it is written through
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return path
