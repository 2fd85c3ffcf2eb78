"""The one core the CLI, the app and the Python API share: loads the index and the exam pack once, and owns
the answering pipeline, one solver and one quiz generator (each built on first use)."""
from __future__ import annotations

import copy
import logging
import threading
import time
import unicodedata

from ingest.indexer import changed_files, index_status, ingest, read_manifest, serves_while_stale
from studyassist.answer import llm as llm_module
from studyassist.answer.citations import verify
from studyassist.answer.composer import Composer
from studyassist.answer.confidence import ask_signals, defines, held_back, judge, names_no_answer
from studyassist.answer.documents import routed
from studyassist.answer.labels import decision_label
from studyassist.answer.quantity import no_number_note
from studyassist.answer.resolve import ConceptResolver, Conversation, Turn
from studyassist.answer.retrieval import HybridRetriever
from studyassist.answer.searched import compose_for
from studyassist.answer.types import LIMIT_LEAD, Answer, Claim, render, says_not_covered
from studyassist.embedding.adapter import QueryAdapter
from studyassist.embedding.local import get_embeddings
from studyassist.errors import CorpusError, IndexCorruptError, IndexMissingError, InputError
from studyassist.knowledge.clues import Clues
from studyassist.knowledge.facets import FacetVectors, build_facets, concept_matcher
from studyassist.knowledge.model import KnowledgeBase, Rule
from studyassist.knowledge.notes import NoteIndex
from studyassist.knowledge.paraphrases import ParaphraseIndex
from studyassist.knowledge.store import open_collection
from studyassist.pack import NO_PACK, ExamPack, candidate_pack, pack_named
from studyassist.quiz.generator import QuizGenerator
from studyassist.settings import Settings, get_settings
from studyassist.solve.mcq import PastedQuestion, parse_pasted
from studyassist.solve.notes import PackNotes
from studyassist.solve.solver import Solver
from studyassist.solve.types import Solution
from studyassist.study.names import shown
from studyassist.text import asking_part, listed, looks_foreign, positive_part

log = logging.getLogger(__name__)
_UNLOADED = object()  # a part not loaded yet (None: loaded, and there is none)

FOREIGN_QUESTION = ("This question does not look like English; the review is in English, so ask it in English for an "
                    "answer from the review.")
MAX_QUESTION_CHARS = 4000


def clean_question(text: str | None, what: str = "question") -> str:
    """The question without control characters; one-sentence errors for empty or huge input."""
    if text is None or not str(text).strip():
        raise InputError(f"The {what} is empty; type a question about the review material.")
    if len(text) > 100 * MAX_QUESTION_CHARS:
        raise InputError(f"The {what} is {len(text):,} characters long; keep it under {MAX_QUESTION_CHARS:,}.")
    cleaned = " ".join("".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text).split())
    if not cleaned:
        raise InputError(f"The {what} has no readable characters; type a question about the review material.")
    if len(cleaned) > MAX_QUESTION_CHARS:
        raise InputError(f"The {what} is {len(cleaned):,} characters long; keep it under {MAX_QUESTION_CHARS:,}.")
    return cleaned


class Assistant:
    """Knowledge base, exam pack, embeddings, Chroma, BM25 and concept vectors, loaded once.

    ``ask`` answers a question; ``solver`` and ``quiz`` (built on first use, then kept) solve pasted questions and
    generate practice items. Every expensive part is a parameter with a default from ``settings``."""

    def __init__(self, settings: Settings | None = None, embeddings=None, llm=None, auto_ingest: bool = True,
                 progress=None, rebuild_stale: bool = True):
        """``rebuild_stale=False`` loads an index the corpus changed under as it is, when its vectors still fit the
        embedding model (the app answers from it while it rebuilds the index in the background)."""
        self.settings = s = settings or get_settings()
        self.warnings: list[str] = []
        status = index_status(s)
        if status == "stale" and not rebuild_stale and serves_while_stale(s):
            status = "ready"
        built_before = s.manifest_path.exists()  # ingest writes the manifest, so look before it runs
        changed = changed_files(s) if status == "stale" else []
        if status != "ready":
            if not auto_ingest:
                raise IndexMissingError(f"No index under {s.index_dir}; run `studyassist ingest` first.")
            try:
                ingest(s, embeddings=embeddings, progress=progress)
            except CorpusError as exc:
                if status != "stale" or index_status(s) == "missing":  # no index, or only deleted documents in it
                    raise
                self.warnings.append(str(exc))  # nothing usable left in the corpus: keep serving the last build
            else:
                if status == "stale":
                    named = f" ({listed(changed)})" if changed else ""
                    self.warnings.append(f"The corpus changed since the index was built{named}; it was re-indexed.")
                elif built_before:  # a file was deleted since (a first build is no news: no warning)
                    self.warnings.append("Part of the index was missing; it was rebuilt from the corpus.")
        self.embeddings = embeddings or get_embeddings(str(s.embedding_model) if s.embedding_model else None)
        try:
            self._load_index(s)
        except IndexCorruptError:
            if not auto_ingest or s.chroma_host:  # a shared server is not ours to rebuild
                raise
            log.info("the index under %s is unreadable; rebuilding it", s.index_dir)
            self.warnings.append("The index was damaged or incomplete; it was rebuilt from the corpus.")
            ingest(s, embeddings=self.embeddings, progress=progress)
            self._load_index(s)
        self._llm = llm
        self._llm_lock = threading.Lock()
        self._parts_lock = threading.Lock()  # app sessions run in threads: one solver, one generator
        self._solver: Solver | None = None
        self._quiz: QuizGenerator | None = None
        self._notes: PackNotes | None | object = _UNLOADED
        self._notes_lock = threading.Lock()
        self._views: dict[frozenset[str], Assistant] = {}
        self.scope: frozenset[str] | None = None  # the documents a view answers from (None: all of them)

    def _adapter(self, s: Settings) -> QueryAdapter | None:
        """The query adapter fitted at ingest, unless turned off; an unreadable one is said and left out (it only
        adds a ranking, so answers go on without it)."""
        if not s.adapter:
            return None
        try:
            adapter = QueryAdapter.load(s.index_dir)
        except IndexCorruptError as exc:
            self.warnings.append(str(exc))
            return None
        if adapter is not None and adapter.weights.shape[0] != self.embeddings.dimension:
            return None  # fitted for another embedding model: the next ingest fits it again
        return adapter

    def _load_index(self, s: Settings) -> None:
        self.kb = KnowledgeBase.load(s.kb_path)
        self.pack, problems = pack_named(self.kb.pack, s)
        for warning in problems + (read_manifest(s) or {}).get("pack_warnings", []):
            if warning not in self.warnings:  # said once, also when a damaged index is loaded a second time
                self.warnings.append(warning)
        self.vectors = FacetVectors.load(s.index_dir)
        self.matcher = concept_matcher(self.kb)
        self.facets = build_facets(self.kb, self.matcher)
        self.collection = open_collection(s, create=False)
        self.paraphrases = ParaphraseIndex.load(s.index_dir)
        if self.paraphrases is not None and hasattr(self.embeddings, "remember"):  # made by this model at ingest
            self.embeddings.remember(self.paraphrases.texts, self.paraphrases.vectors)
        self.adapter = self._adapter(s)
        self.retriever = HybridRetriever(self.kb, self.collection, self.embeddings, remote=bool(s.chroma_host),
                                         paraphrases=self.paraphrases, adapter=self.adapter)
        self.clues = Clues(self.pack.clues)
        self.ask_model = self.pack.calibration.ask if self.pack.calibration else None
        self.resolver = ConceptResolver(self.kb, self.matcher, self.vectors, self.clues)
        self.composer = Composer(self.kb, self.retriever, self.matcher, self.facets, self.vectors, self.clues)

    # ---- one document of several -----------------------------------------------------------------
    @property
    def documents(self) -> list[str]:
        """The documents this assistant answers from (file names, in corpus order)."""
        return list(self.kb.documents)

    def documents_named(self, name: str) -> frozenset[str]:
        """The documents ``name`` stands for (see the module's ``documents_named``)."""
        return documents_named(self.kb, self.pack, name)

    def owns(self, rule_id: str) -> bool:
        """Whether progress on ``rule_id`` belongs here: every rule does for the whole index (one no longer in the
        review too), only its documents' rules for a view of one document."""
        return self.scope is None or self.kb.has_rule(rule_id)

    def scoped(self, name: str | None) -> Assistant:
        """This assistant answering, solving and quizzing from one document (or one exam's documents) only: see
        ``documents_named``. None, or a name that covers every document, is this assistant itself. Views share
        the loaded index and are kept, so the second call costs nothing."""
        documents = self.documents_named(name) if name else frozenset(self.kb.documents)
        if documents == set(self.kb.documents):
            return self
        with self._parts_lock:
            if documents not in self._views:
                self._views[documents] = self._view(documents)
            return self._views[documents]

    def _view(self, documents: frozenset[str]) -> Assistant:
        """A shallow copy whose knowledge base, concepts and search are those of ``documents``; the exam pack
        (clues, paraphrases, adapter, calibration) comes along only when it serves one of them."""
        view = copy.copy(self)
        view.scope = documents
        view.kb = self.kb.only(set(documents))
        served = any(self.pack.serves(d) for d in documents)
        view.pack = self.pack if served else NO_PACK
        view.matcher = concept_matcher(view.kb)
        view.facets = build_facets(view.kb, view.matcher)
        view.retriever = self.retriever.scoped(view.kb, documents)
        if not served:  # the pack's ways of asking are about its own review's rows
            view.retriever.paraphrases = view.retriever.adapter = None
            view.clues = Clues(NO_PACK.clues)
            view.ask_model = None
        view.resolver = ConceptResolver(view.kb, view.matcher, self.vectors, view.clues)
        view.composer = Composer(view.kb, view.retriever, view.matcher, view.facets, self.vectors, view.clues)
        view._parts_lock, view._llm_lock, view._notes_lock = threading.Lock(), threading.Lock(), threading.Lock()
        view._solver, view._quiz, view._notes, view._views = None, None, _UNLOADED, {}
        return view

    # ---- solving and practice -----------------------------------------------------------------
    @property
    def solver(self) -> Solver:
        """The solver for pasted questions (built once: it reads every row vector from the store)."""
        if self._solver is None:
            with self._parts_lock:
                if self._solver is None:
                    self._solver = Solver(self.composer, self.pack, self._option_wordings(), self.notes)
        return self._solver

    def _option_wordings(self) -> ParaphraseIndex | None:
        """How the pack's answer options word each rule, embedded at ingest; unreadable, the solver goes without."""
        return self._stored(ParaphraseIndex.load, ParaphraseIndex.OPTION_FILE)

    @property
    def notes(self) -> PackNotes | None:
        """The pack's notes (facts beyond the review), embedded at ingest, loaded on first use; only for the documents
        the pack serves."""
        if self._notes is _UNLOADED:
            with self._notes_lock:
                if self._notes is _UNLOADED:
                    # (not while a stale index built with the pack is served after the pack was turned off)
                    chosen = candidate_pack(self.documents, self.settings)
                    still = chosen is not None and chosen.name == self.kb.pack
                    index = self._stored(NoteIndex.load) if self.pack.notes and still else None
                    self._notes = PackNotes(index) if index is not None and len(index) else None
        return self._notes

    def _stored(self, load, *args):
        """One of the pack's files made at ingest beside the index (``load(index_dir, *args)``); an unreadable one is
        logged and left out."""
        try:
            return load(self.settings.index_dir, *args)
        except IndexCorruptError as exc:
            log.warning("%s", exc)
            return None

    @property
    def quiz(self) -> QuizGenerator:
        """The quiz generator (built once, on the shared solver)."""
        if self._quiz is None:
            solver = self.solver
            with self._parts_lock:
                if self._quiz is None:
                    self._remember_quiz_stems()
                    self._quiz = self.new_quiz_generator(solver)
        return self._quiz

    def _remember_quiz_stems(self) -> None:
        """The quiz's stems as it searches them, embedded at ingest (~17 ms to load, so not at start-up); an
        unreadable file only means they are embedded as they are asked."""
        stems = self._stored(ParaphraseIndex.load, ParaphraseIndex.PRACTICE_FILE)
        if stems is not None and hasattr(self.embeddings, "remember"):
            self.embeddings.remember(stems.texts, stems.vectors)

    def new_quiz_generator(self, solver: Solver | None = None) -> QuizGenerator:
        """A fresh generator (no LLM back-off carried over); ``quiz`` is the one to use."""
        return QuizGenerator(self.composer, solver or self.solver, self.pack, settings=self.settings,
                             chat_model=self.llm, llm_configured=lambda: self.llm_configured)

    def solve(self, question: PastedQuestion | str, chose: str | None = None) -> Solution:
        """Solve a multiple-choice question (a ``PastedQuestion`` or pasted text) and explain ``chose``."""
        q = parse_pasted(question) if isinstance(question, str) else question
        # (a stem or options naming one document's own names, "S3 Glacier": that one)
        return routed(self, "\n".join([q.stem, *q.options])).solver.solve(q, chose)

    def example_questions(self) -> list[str]:
        """Questions to offer a new learner: the exam pack's, or two about the review's own first decision table."""
        if self.pack.examples.ask:
            return list(self.pack.examples.ask)
        for table in self.kb.tables:
            rules = [r for r in self.kb.rules_of(table.id) if r.choice and not r.overview]
            if len(rules) >= 2 and table.orientation != "comparison":
                first, second = (positive_part(r.choice).rstrip(".") for r in rules[:2])
                return [f"When is {first} the right choice?", f"What is the difference between {first} and {second}?"]
        return ["What does the review say I should know first?"]

    # ---- LLM ----------------------------------------------------------------------------------
    @property
    def mode(self) -> str:
        if self.settings.llm_enabled:
            return f"llm:{self.settings.llm}"
        if self._llm is not None:  # a model passed in directly
            name = getattr(self._llm, "model_name", None) or getattr(self._llm, "model", None)
            return f"llm:{name if isinstance(name, str) else type(self._llm).__name__}"
        return "grounded"

    @property
    def llm_configured(self) -> bool:
        """Whether an LLM is set in the settings or was passed in (it may still fail when called)."""
        return self.settings.llm_enabled or self._llm is not None

    def llm(self):
        """The configured chat model (built on first use), or None in grounded mode."""
        if self._llm is None and self.settings.llm_enabled:
            with self._llm_lock:
                if self._llm is None:
                    self._llm = llm_module.build_chat_model(self.settings)
        return self._llm

    # ---- ask ----------------------------------------------------------------------------------
    def ask(self, question: str, conversation: Conversation | None = None) -> Answer:
        """A short cited answer; follow-ups resolve against ``conversation``, which is updated."""
        start = time.perf_counter()
        q = clean_question(question)
        if (view := routed(self, q, conversation)) is not self:  # "… on GCP": the document whose names it uses
            return view.ask(question, conversation)
        vector_of = self.embeddings.query_vector
        first = vector_of(expanded := self.clues.expand(q))  # one embedding serves concept resolution and search
        resolved = self.resolver.resolve(q, conversation, lambda text: first if text == q else vector_of(text))
        previous = conversation.last.decision_concepts if conversation and conversation.last else []  # (its answer)
        found = compose_for(self.composer, self.clues.expand, vector_of, q, resolved, (expanded, first), previous)
        resolved, searched, vector, composed = found.resolved, found.text, found.vector, found.composed
        warnings = list(self.warnings)
        claims, mode, decision = composed.claims, "grounded", composed.decision
        if composed.covered and self.llm_configured:
            try:  # building the model (bad provider, missing key) can fail too: same fallback
                claims, decision, removed = llm_module.llm_answer(self.llm(), q, self.retriever.search(
                    searched, k=8, vector=vector), self.kb, self.settings, self.matcher)
                mode = self.mode
                warnings += removed
            except Exception as exc:  # the model is optional: anything it does wrong falls back
                warnings.append(f"The LLM could not answer ({llm_module.failure_reason(exc)}); showing the grounded "
                                "answer instead.")
        hits = self.retriever.search(searched, k=10, vector=vector)  # the composer's search
        near = {h.rule.id for h in hits if h.rule is not None}
        claims = [c for c in claims if c.heading not in ("Trap:", "Common mistake:") or set(c.rule_ids) & near]
        lead_rule = next((rid for c in claims if c.label for rid in c.rule_ids), None) or next(  # what it decides by
            (rid for c in claims for rid in c.rule_ids), None)  # (a "why" answer's reason cites a note or a trap)
        noted, leads, nearest = self._note_about(resolved.query, vector if searched == resolved.query else None, (
            conversation.last.question if resolved.follow_up and conversation and conversation.last else ""))
        signals = ask_signals(hits, lead_rule, composed.covered, resolved.concepts, composed.decision_concepts,
                              resolved.intent, resolved.follow_up, self.matcher.find(asking_part(q)), nearest)
        level, probability = judge(self.ask_model, signals)
        if level == "unsure" and (signals["named_decision"] or defines(q, composed.decision)) and (  # the asked concept
                signals["decided_top"] or resolved.intent == "versus" or lead_rule and self.kb.rule(lead_rule).sides) \
                and not (self.ask_model is None and (signals["echoes"] or names_no_answer(q))):  # by the top row or a
            level, probability = "likely", None  # side (no model: nor a scene it echoes, 1 in 4 right); no "4%"
        level, probability = held_back(level, probability, signals)
        one_verdict = not resolved.whole_table and (resolved.intent in ("which", "check_first", "capture", "how") or (
            resolved.intent == "verdict" and not (lead_rule and self.kb.rule(lead_rule).anti_pattern or claims and
                                                  claims[0].text.startswith(LIMIT_LEAD))))  # (no mistake, no limit)
        if level == "unsure" and one_verdict and composed.covered and mode == "grounded" and composed.decision:
            rival = self._rival(hits, lead_rule, composed.decision, resolved.table, vector)
            if lead_rule and rival is not None:
                claims = self.composer.side_by_side([self.kb.rule(lead_rule), rival], resolved.query)
        if mode == "grounded" and composed.covered and (number := no_number_note(  # "how many …?", no cited figure
                q, claims, self.kb.rule, self.kb.rules, (self.retriever.row_vector, vector))) is not None:
            claims = [number, *claims]
            level, probability = held_back("likely" if level == "confident" else level, probability, signals, False)
        claims, removed = verify(claims, self.kb, self.matcher)
        warnings += removed
        if noted and leads and level == "unsure" and composed.covered:  # no row fits well and a note is about it:
            # mostly a question beyond the review (30 of 33 such learner dev questions), so the note answers first
            lead = noted[0].model_copy(update={"heading": None, "text": "Beyond the review, the exam's documentation "
                                               f"says: {noted[0].text}"})
            nearest = [] if claims and claims[0].note else [  # ("Not sure which of these fits …" says it already)
                Claim(text="The review's nearest rule, which may not be what you asked:", note=True)]
            claims = [lead, *nearest, *claims]
        else:
            claims += noted
        warnings += [self.retriever.problem] if self.retriever.problem else []
        if not composed.covered and looks_foreign(q):  # the review and its clue words are English
            warnings.append(FOREIGN_QUESTION)
        md, citations = render(claims, self.kb)
        if conversation is not None:
            conversation.add(Turn(q, resolved.intent, resolved.concepts, decision, composed.decision_concepts,
                                  composed.alternatives, [c.id for c in citations]))
        return Answer(question=q, answer=md, decision=decision, citations=citations, mode=mode,
                      warnings=warnings, latency_ms=round((time.perf_counter() - start) * 1000, 2),
                      confidence=level, probability=probability, claims=claims, concepts=resolved.concepts,
                      intent=resolved.intent, signals=signals)

    def _note_about(self, query: str, vector, last: str = "") -> tuple[list[Claim], bool, float]:
        """The pack's note about the question, quoted beside the answer (the review's rows are not all the exam asks:
        which log table, which error, which limit), [] when no note is close enough; whether it is close enough
        to lead an answer no row fits well; and the cosine of the nearest note (0 without notes)."""
        if self.notes is None:
            return [], False, 0.0
        vector = vector if vector is not None else self.embeddings.query_vector(query)
        nearest = self.notes.nearest(vector)  # (a follow-up naming something new: in its place, below)
        if (found := self.notes.about(query, vector, last, self.embeddings.query_vector)) is None:
            return [], False, nearest
        return [self.notes.quote(found[0], "Related, beyond the review:")], found[1], nearest

    def _rival(self, hits, lead: str | None, decision: str, table: str | None, vector) -> Rule | None:
        """The rule an unsure answer shows beside its lead: the best-ranked rule that decides otherwise; when the
        question names a table's column, the row of that table whose situation is closest to the question."""
        same = set(self.kb.rule(lead).choice_concepts) if lead else set()

        def other(r: Rule) -> bool:  # decides otherwise: another label and none of the lead's chosen concepts
            return (not r.anti_pattern and not r.overview and r.id != lead and decision_label(r, self.kb) != decision
                    and not set(r.choice_concepts) & same)

        if table:
            rows = [r for r in self.kb.rules_of(table) if other(r)]
            if rows and self.vectors is not None and vector is not None:
                def closeness(r: Rule) -> float:
                    i = self.vectors.row.get(r.id)
                    return float(self.vectors.situation[i] @ vector) if i is not None else -1.0
                return max(rows, key=closeness)
        return next((h.rule for h in hits if h.rule is not None and other(h.rule)), None)

    def not_covered(self, answer: Answer) -> bool:
        return says_not_covered(answer.answer)


def documents_named(kb: KnowledgeBase, pack: ExamPack, name: str) -> frozenset[str]:
    """The documents of ``kb`` that ``name`` stands for: a file name, a file name without its extension, or the exam
    pack's name or short title (the documents it serves); case does not matter. Anything else is a one-sentence
    error naming the documents there are."""
    wanted = name.strip().casefold()
    found = {d for d in kb.documents if wanted in (d.casefold(), d.rsplit(".", 1)[0].casefold())}
    if not found and pack.present and wanted in (pack.name.casefold(), pack.short_title.casefold()):
        found = {d for d in kb.documents if pack.serves(d)}
    if not found:
        raise InputError(f"No document or exam is called '{shown(name, 80)}'; the index holds "
                         f"{', '.join(kb.documents) or 'no documents'}.")
    return frozenset(found)


__all__ = ["Assistant", "Claim", "clean_question", "documents_named"]
