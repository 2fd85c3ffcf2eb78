"""Exam packs: what the engine knows about one exam beyond its review document, loaded from ``packs/<name>/``.

A pack is a manifest (``pack.toml``: title, the documents it serves, exam areas and weights, the overview table,
quiz distractor families, examples) and data files: ``concepts.toml``, ``areas.toml``, ``clues.toml``,
``anti_patterns.toml``, ``scenarios.toml``, ``paraphrases.jsonl``, ``notes.jsonl``, ``overrides/<document>.json``
and ``gold/``. This module is the one
loader: every file is validated here, and a broken file is one sentence naming the file and the key. The
engine asks an ``ExamPack`` for exam knowledge and never keeps its own; ``NO_PACK`` is the engine without one,
which falls back on ``general_wording`` (``wording.toml``: cloud and IT phrases that mean the same in any exam).
"""
from __future__ import annotations

from studyassist.pack.loader import (
    area_ids,
    candidate_pack,
    file_hash,
    general_wording,
    load_pack,
    pack_fingerprint,
    pack_named,
    pack_state,
    select_pack,
)
from studyassist.pack.model import (
    ANSWER_VOICE,
    CALIBRATION,
    FRAME_KINDS,
    FRAME_PLACEHOLDERS,
    MANIFEST,
    MISTAKE_VOICE,
    NO_PACK,
    NOTES,
    OPTION_VOICES,
    PARAPHRASES,
    PRACTICE_VOICE,
    AreaSpec,
    Calibration,
    ClueSpec,
    ConceptSpec,
    ExamPack,
    Examples,
    Level,
    LogisticModel,
    MistakeWording,
    Note,
    OptionWording,
    Overview,
    PackError,
    Paraphrase,
    QuizSpec,
    Rewording,
    Scenarios,
    WrongAction,
)

__all__ = ["ANSWER_VOICE", "CALIBRATION", "FRAME_KINDS", "FRAME_PLACEHOLDERS", "MANIFEST", "MISTAKE_VOICE",
           "NO_PACK", "NOTES", "OPTION_VOICES", "PARAPHRASES", "PRACTICE_VOICE", "AreaSpec", "Calibration",
           "ClueSpec", "ConceptSpec", "ExamPack", "Examples", "Level", "LogisticModel", "MistakeWording", "Note",
           "OptionWording", "Overview", "PackError", "Paraphrase", "QuizSpec", "Rewording", "Scenarios",
           "WrongAction", "area_ids", "candidate_pack", "file_hash", "general_wording", "load_pack",
           "pack_fingerprint", "pack_named", "pack_state", "select_pack"]
