"""Build or update the index: knowledge base JSON + Chroma collection, incrementally by content hash."""
from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from ingest.build import BuildReport, Document, build_knowledge
from ingest.chunks import make_chunks
from ingest.reading import read_document
from studyassist.embedding.adapter import MIN_EXAMPLES, QueryAdapter
from studyassist.embedding.local import bulk_embeddings, default_model_dir
from studyassist.embedding.onnx_model import ensure_onnx
from studyassist.errors import CorpusError, IndexCorruptError, StudyAssistError
from studyassist.knowledge.facets import FacetVectors, build_facets
from studyassist.knowledge.model import KnowledgeBase
from studyassist.knowledge.notes import index_notes
from studyassist.knowledge.paraphrases import ParaphraseIndex, index_bank
from studyassist.knowledge.store import chroma_client, delete_collection, is_damaged, move_aside, open_collection
from studyassist.pack import file_hash, pack_state, select_pack
from studyassist.settings import Settings, get_settings, make_tree_private, private_dir
from studyassist.text import content_hash

log = logging.getLogger(__name__)

MANIFEST_VERSION = 1
DOC_SUFFIXES = (".md", ".markdown", ".txt")

Progress = Callable[[int, int], None]


@dataclass
class IngestResult:
    documents: int
    tables: int
    rules: int
    chunks: int
    embedded: int
    deleted: int
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)


def corpus_files(corpus: Path) -> list[Path]:
    """Review documents directly in the corpus folder; nothing outside it (symlinks included)."""
    if not corpus.is_dir():
        raise CorpusError(f"The corpus folder {corpus} does not exist; create it and put review documents in it.")
    root = corpus.resolve()
    out = []
    for p in sorted(corpus.iterdir()):
        if p.suffix.lower() not in DOC_SUFFIXES or p.name.startswith("."):
            continue
        real = p.resolve()
        if not real.is_relative_to(root):
            log.warning("%s points outside the corpus folder; ignored", p.name)
            continue
        if real.is_file():
            out.append(p)
    return out


def corpus_hash(files: list[Path]) -> tuple[str, dict[str, str]]:
    hashes = {p.name: file_hash(p) for p in files}
    return content_hash(*(f"{k}:{v}" for k, v in sorted(hashes.items()))), hashes


def read_manifest(settings: Settings) -> dict | None:
    try:
        return json.loads(settings.manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def index_status(settings: Settings | None = None) -> str:
    """``missing``, ``stale`` (corpus, exam pack or embedding model changed since the build) or ``ready``."""
    s = settings or get_settings()
    manifest = read_manifest(s)
    if manifest is None or not s.kb_path.exists():
        return "missing"
    if manifest.get("embedding_model", embedding_model_id(s)) != embedding_model_id(s):
        return "stale"
    try:
        files = corpus_files(Path(manifest.get("corpus") or s.corpus))
    except CorpusError:
        return "ready"  # nothing to compare against; keep serving what was built
    if manifest.get("pack") != pack_state([p.name for p in files], s):  # another pack, or its files changed
        return "stale"
    return "ready" if manifest.get("corpus_hash") == corpus_hash(files)[0] else "stale"


def serves_while_stale(settings: Settings | None = None) -> bool:
    """Whether a built index can answer until it is rebuilt: its vectors come from the embedding model set now (a
    changed model makes every vector unusable, and a missing index has nothing to answer from)."""
    s = settings or get_settings()
    manifest = read_manifest(s)
    return manifest is not None and s.kb_path.exists() and \
        manifest.get("embedding_model", embedding_model_id(s)) == embedding_model_id(s)


def changed_files(settings: Settings | None = None) -> list[str]:
    """The corpus files added, changed or removed since the index was built, by name (all of them before a first
    build); empty when only the exam pack or the embedding model changed, or the corpus folder is gone."""
    s = settings or get_settings()
    manifest = read_manifest(s) or {}
    try:
        files = corpus_files(Path(manifest.get("corpus") or s.corpus))
    except CorpusError:
        return []
    now, before = corpus_hash(files)[1], manifest.get("files") or {}
    return sorted(name for name in now.keys() | before.keys() if now.get(name) != before.get(name))


def _sources_dir(settings: Settings) -> Path:
    return settings.index_dir / "sources"


def _prune_sources(s: Settings, corpus: Path, files: list[Path]) -> None:
    """Remove the kept copy of every document that left the corpus, so an unreadable file given a deleted one's name
    cannot bring its text back: a copy stays only for a file in this corpus folder now and at the last build."""
    sources = _sources_dir(s)
    if not sources.is_dir():
        return
    names = {p.name for p in files}
    manifest = read_manifest(s)
    if manifest is not None:
        same_corpus = manifest.get("corpus") == str(corpus.resolve())
        names &= set(manifest.get("files") or {}) if same_corpus else set()
    for kept in sources.iterdir():
        if kept.name not in names and not kept.is_dir():
            log.info("%s left the corpus; its kept copy is removed", kept.name)
            kept.unlink(missing_ok=True)


def _clear_index(s: Settings) -> None:
    """Remove an index that only documents deleted from the corpus are left in: with nothing readable in the corpus,
    no document of the last build is still there (each would have its kept copy), so none may be answered from.
    The manifest goes first, so that the index reads as missing whatever else fails."""
    if read_manifest(s) is None and not s.kb_path.exists():
        return
    log.info("no document of the index under %s is left in the corpus; the index is removed", s.index_dir)
    for path in (s.manifest_path, s.kb_path, s.index_dir / FacetVectors.FILE, s.index_dir / ParaphraseIndex.FILE,
                 s.index_dir / ParaphraseIndex.PRACTICE_FILE, s.index_dir / QueryAdapter.FILE):
        path.unlink(missing_ok=True)
    try:
        delete_collection(s)
    except StudyAssistError as exc:  # a store that cannot be opened serves no one; the next build repairs it
        log.warning("the Chroma collection could not be deleted: %s", exc)


def ingest(settings: Settings | None = None, corpus: Path | None = None, rebuild: bool = False,
           embeddings=None, progress: Progress | None = None) -> IngestResult:
    """Parse the corpus, save the knowledge base and bring the Chroma collection up to date."""
    start = time.perf_counter()
    s = settings or get_settings()
    try:
        private_dir(s.home)  # the knowledge base and the source copies are the learner's: owner-only (settings.py)
    except OSError as exc:
        raise StudyAssistError(f"Cannot create the folder {s.home} ({exc.strerror or exc}); set STUDYASSIST_HOME to "
                               "a folder you can write to.") from exc
    corpus = Path(corpus or s.corpus)
    files = corpus_files(corpus)
    _prune_sources(s, corpus, files)
    if embeddings is None:
        # Export the model to ONNX once per machine (a stat when it exists) so that queries skip torch.
        ensure_onnx(Path(s.embedding_model) if s.embedding_model else default_model_dir())
    hash_all, file_hashes = corpus_hash(files)
    state = pack_state([p.name for p in files], s)  # which pack, and a hash of its files: cheap, unlike loading it
    model = embedding_model_id(s)
    previous_model = (read_manifest(s) or {}).get("embedding_model", model)
    if previous_model != model:  # chunk ids do not change with the model: every vector must be made again
        log.info("the embedding model changed (%s -> %s); re-embedding everything", previous_model, model)
        rebuild = True
    if not rebuild:
        unchanged = _unchanged(s, corpus, hash_all, state)
        if unchanged is not None:
            make_tree_private(s.index_dir)  # an index built before files were kept owner-only is tightened too
            unchanged.seconds = round(time.perf_counter() - start, 3)
            return unchanged
    skipped: list[str] = []
    documents: list[Document] = []
    sources = _sources_dir(s)
    for path in files:
        doc, problem = read_document(path)
        if problem:
            skipped.append(problem)
            kept = sources / path.name
            if kept.exists():  # keep serving the last good version of this file
                documents.append(Document(path.name, kept.read_text(encoding="utf-8")))
                skipped[-1] = skipped[-1].rstrip(".;") + "; the last good version stays indexed."
            continue
        documents.append(doc)
    if not documents:
        _clear_index(s)
        raise CorpusError(f"The corpus folder {corpus} has no readable .md or .txt review document"
                          + (f" ({'; '.join(skipped)})" if skipped else "") + "; add one, saved as UTF-8.")
    pack, pack_warnings = select_pack([p.name for p in files], s)
    report = BuildReport(warnings=list(pack_warnings))
    kb = build_knowledge(documents, corpus_dir=corpus, report=report, pack=pack)
    names = {r.source_file for r in kb.rules}
    for doc in documents:
        if doc.name in names:
            continue
        if any(section.paragraphs for section in kb.sections if section.source_file == doc.name):
            report.warnings.append(f"{doc.name}: no tables or lists were found, so it adds no rules "
                                   "(its paragraphs are still searchable).")
        else:
            report.warnings.append(f"{doc.name}: no table, list or paragraph with a word in it was found, so "
                                   "nothing in it is searchable.")
    kb.corpus_hash = hash_all
    chunks = make_chunks(kb)

    try:
        client = chroma_client(s)
    except IndexCorruptError:
        if not is_damaged(s):
            raise
        # The index is derived data: keep the damaged copy aside and build a fresh one from the corpus.
        report.warnings.append(f"The Chroma index could not be opened; it was moved to {move_aside(s).name} "
                               "and rebuilt.")
        client = chroma_client(s)
    if rebuild:
        try:
            client.delete_collection(s.collection)
        except Exception:  # not there yet
            pass
    collection = open_collection(s, client)
    existing = set(collection.get(include=[])["ids"])
    wanted = {c.id: c for c in chunks}
    to_add = [c for cid, c in wanted.items() if cid not in existing]
    to_delete = sorted(existing - wanted.keys())
    # the ingest's own embedder on every core, loaded on first need (a no-change ingest loads no model)
    emb = _LazyEmbeddings(lambda: embeddings or bulk_embeddings(str(s.embedding_model) if s.embedding_model else None))
    if to_add:
        batch = 64
        for i in range(0, len(to_add), batch):
            part = to_add[i:i + batch]
            vectors = emb.encode([c.text for c in part])
            collection.upsert(ids=[c.id for c in part], documents=[c.text for c in part],
                              metadatas=[c.metadata for c in part], embeddings=vectors)
            if progress:
                progress(min(i + batch, len(to_add)), len(to_add))
    if to_delete:
        collection.delete(ids=to_delete)

    try:
        previous = None if rebuild else FacetVectors.load(s.index_dir)
    except IndexCorruptError:  # unreadable: compute them all again
        previous = None
    vectors = previous
    if previous is None or previous.hashes != [FacetVectors._hash(f) for f in build_facets(kb)] or \
            previous.concept_ids != [c.id for c in kb.concepts]:
        vectors = FacetVectors.build(kb, emb, previous, _passage_vectors(kb, collection, chunks))
        vectors.save(s.index_dir)
    paraphrases = _index_paraphrases(s, kb, pack, emb, rebuild, report)
    index_notes(s.index_dir, pack.notes, emb, rebuild)
    _fit_adapter(s, collection, paraphrases, model, rebuild)
    kb.save(s.kb_path)
    sources.mkdir(parents=True, exist_ok=True)
    for doc in documents:
        (sources / doc.name).write_text(doc.text, encoding="utf-8")
    manifest = {"version": MANIFEST_VERSION, "corpus": str(corpus.resolve()), "corpus_hash": hash_all,
                "files": file_hashes, "collection": s.collection, "chunks": len(chunks),
                "builder": builder_fingerprint(s, state), "embedding_model": model, "documents": len(documents),
                "pack": state, "pack_warnings": pack_warnings,
                "tables": len(kb.tables),
                "rules": len(kb.rules), "skipped": skipped, "warnings": report.warnings,
                "derived": _derived_hashes(s), "built_at": time.time()}
    tmp = s.manifest_path.with_suffix(".tmp")
    tmp.write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    tmp.replace(s.manifest_path)
    make_tree_private(s.index_dir)  # Chroma and numpy create their files with the process umask
    return IngestResult(documents=len(documents), tables=len(kb.tables), rules=len(kb.rules), chunks=len(chunks),
                        embedded=len(to_add), deleted=len(to_delete), skipped=skipped,
                        warnings=report.warnings, seconds=round(time.perf_counter() - start, 3))


def embedding_model_id(settings: Settings) -> str:
    """Which model the vectors come from: the packaged one, or the folder STUDYASSIST_EMBEDDING_MODEL names."""
    return str(Path(settings.embedding_model).absolute()) if settings.embedding_model else "packaged"


def builder_fingerprint(settings: Settings, pack: dict) -> str:
    """What else decides the index besides the corpus: the code that parses and chunks it, the exam pack's
    files, and the embedding model. A no-op ingest is only a no-op while this stays the same."""
    here = Path(__file__).parent
    sources = sorted(here.glob("*.py"))
    package = Path(__file__).parent.parent / "studyassist"
    sources += [package / name for name in ("knowledge/model.py", "text.py", "arrays.py", "knowledge/facets.py",
                                                  "knowledge/paraphrases.py", "knowledge/notes.py",
                                                  "knowledge/clues.py",
                                                  "knowledge/negation.py", "pack/model.py", "pack/loader.py",
                                                  "embedding/adapter.py")]
    parts = [f"{p.name}:{content_hash(p.read_bytes().decode('latin-1'))}" for p in sources if p.is_file()]
    return content_hash(*parts, f"pack={pack['name']}:{pack['fingerprint']}", embedding_model_id(settings),
                        settings.collection)


def _index_paraphrases(s: Settings, kb, pack, embeddings, rebuild: bool, report: BuildReport) -> ParaphraseIndex:
    """The pack's paraphrase bank as search entries and its quiz stems as searched (knowledge/paraphrases.py)."""
    report.warnings.extend(pack.paraphrase_problems)
    searched, warnings = index_bank(s.index_dir, kb, pack, embeddings, rebuild)
    report.warnings.extend(warnings)
    return searched


def _fit_adapter(s: Settings, collection, paraphrases: ParaphraseIndex, model: str, rebuild: bool) -> None:
    """Fit the query adapter (embedding/adapter.py) on the paraphrase bank against the rows' own vectors, unless
    the bank, the rows and the model are what it was last fitted on; without a bank there is no adapter."""
    if len(paraphrases) < MIN_EXAMPLES:
        QueryAdapter.remove(s.index_dir)
        return
    got = collection.get(include=["embeddings", "metadatas"])
    # only the rows of the documents the bank is about: another document's rows (an 8,000-row table beside the
    # review) would multiply the cost of every step and teach the adapter nothing
    banked = set(paraphrases.rules)
    documents = {m.get("source_file") for m in got["metadatas"] if m.get("rule_id") in banked}
    rows = sorted((m["rule_id"], cid, i) for i, (cid, m) in enumerate(zip(got["ids"], got["metadatas"]))
                  if m.get("rule_id") and m.get("source_file") in documents)
    position = {rule: n for n, (rule, _, _) in enumerate(rows)}
    known = [i for i, rule in enumerate(paraphrases.rules) if rule in position]
    bank = [paraphrases.hashes[i] + paraphrases.rules[i] for i in known]
    fitted_on = content_hash(model, QueryAdapter.recipe(), *(cid for _, cid, _ in rows), *bank)
    try:
        previous = None if rebuild else QueryAdapter.load(s.index_dir)
    except IndexCorruptError:
        previous = None
    if previous is not None and previous.fitted_on == fitted_on:
        return
    targets = np.asarray([got["embeddings"][i] for _, _, i in rows], dtype=np.float32)
    labels = np.array([position[paraphrases.rules[i]] for i in known])
    started = time.perf_counter()
    adapter = QueryAdapter.fit(paraphrases.vectors[known], labels, targets, fitted_on)
    adapter.save(s.index_dir)
    log.info("query adapter fitted on %d paraphrases of %d rows in %.1f s", len(known), len(rows),
             time.perf_counter() - started)


def _derived_hashes(s: Settings) -> dict[str, str | None]:
    out = {}
    for path in (s.kb_path, s.index_dir / FacetVectors.FILE, s.index_dir / ParaphraseIndex.FILE,
                 s.index_dir / ParaphraseIndex.PRACTICE_FILE, s.index_dir / QueryAdapter.FILE):
        try:
            out[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            out[path.name] = None
    return out


def _unchanged(s: Settings, corpus: Path, hash_all: str, pack: dict) -> IngestResult | None:
    """The last build's result when neither the corpus nor the builder changed and every part of the
    index is still there; None means do the real work."""
    manifest = read_manifest(s)
    if not manifest or manifest.get("version") != MANIFEST_VERSION or "builder" not in manifest:
        return None
    if manifest.get("corpus") != str(corpus.resolve()) or manifest.get("collection") != s.collection:
        return None
    if manifest["builder"] != builder_fingerprint(s, pack) or manifest.get("corpus_hash") != hash_all:
        return None
    if manifest.get("derived") != _derived_hashes(s):  # knowledge base or vectors missing or changed
        return None
    try:
        if open_collection(s, chroma_client(s), create=False).count() != manifest.get("chunks"):
            return None
    except Exception:  # missing or damaged store: the full path repairs or reports it
        return None
    return IngestResult(documents=manifest["documents"], tables=manifest["tables"], rules=manifest["rules"],
                        chunks=manifest["chunks"], embedded=0, deleted=0, skipped=list(manifest["skipped"]),
                        warnings=list(manifest["warnings"]))


class _LazyEmbeddings:
    """Loads the model only if something actually needs embedding."""

    def __init__(self, factory):
        self._factory, self._emb = factory, None

    def _get(self):
        if self._emb is None:
            self._emb = self._factory()
        return self._emb

    @property
    def dimension(self) -> int:
        return self._get().dimension

    def encode(self, texts):
        return self._get().encode(texts)


def _passage_vectors(kb, collection, chunks) -> dict:
    """A passage of prose → its chunk's stored vector ("heading | passage"): the passage's facet uses it rather than
    embedding the same paragraph again (half of what a long file of prose costs to ingest)."""
    passages = {r.id: r.choice for r in kb.rules if r.kind == "passage"}
    ids = {c.id: passages[c.metadata["rule_id"]] for c in chunks if c.metadata.get("rule_id") in passages}
    if not ids:
        return {}
    got = collection.get(ids=list(ids), include=["embeddings"])
    return {ids[cid]: np.asarray(vec, dtype=np.float32) for cid, vec in zip(got["ids"], got["embeddings"])}


def load_knowledge(settings: Settings | None = None) -> KnowledgeBase:
    s = settings or get_settings()
    return KnowledgeBase.load(s.kb_path)
