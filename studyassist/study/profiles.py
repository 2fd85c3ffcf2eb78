"""Starting a learner profile over: reset its progress (attempts and review cards) or delete it.

Nothing of another profile is touched, nor the saved items (their ids are shared: two learners may have answered
the same question). One transaction per call, so a failure leaves the profile as it was.
"""
from __future__ import annotations

import logging
from typing import NamedTuple

from studyassist.errors import ProgressStoreError
from studyassist.study.names import profile_key, shown
from studyassist.study.progress import ProgressStore

log = logging.getLogger(__name__)


class Removed(NamedTuple):
    """What a reset or a delete took away."""

    attempts: int
    cards: int


def reset_profile(store: ProgressStore, profile: str) -> Removed:
    """Clear the profile's mistake log and progress (every attempt and review card); the name stays listed."""
    return _remove(store, profile, keep_name=True)


def delete_profile(store: ProgressStore, profile: str) -> Removed:
    """Remove the profile with its attempts and review cards; it is no longer listed."""
    return _remove(store, profile, keep_name=False)


def _remove(store: ProgressStore, profile: str, *, keep_name: bool) -> Removed:
    name = profile_key(profile)
    try:
        with store.transaction() as conn:
            attempts = conn.execute("DELETE FROM attempts WHERE profile = ?", (name,)).rowcount
            cards = conn.execute("DELETE FROM cards WHERE profile = ?", (name,)).rowcount
            if not keep_name:  # after its attempts and cards, which refer to it
                conn.execute("DELETE FROM profiles WHERE name = ?", (name,))
    except ProgressStoreError as exc:
        raise ProgressStoreError(f"Could not {'reset' if keep_name else 'delete'} profile {shown(repr(profile))} "
                                 f"({exc}); close other studyassist windows and try again.") from exc
    log.info("profile %r %s: %d attempts and %d cards removed", name, "reset" if keep_name else "deleted",
             attempts, cards)
    return Removed(attempts, cards)
