"""The answering parts built by hand over a small index, the way the Assistant wires them (for unit tests)."""
from __future__ import annotations

from dataclasses import dataclass

from studyassist.answer.composer import Composer
from studyassist.answer.resolve import ConceptResolver
from studyassist.answer.retrieval import HybridRetriever
from studyassist.embedding.local import get_embeddings
from studyassist.knowledge.clues import Clues
from studyassist.knowledge.facets import FacetVectors, build_facets, concept_matcher
from studyassist.knowledge.model import KnowledgeBase
from studyassist.knowledge.paraphrases import ParaphraseIndex
from studyassist.knowledge.store import open_collection
from studyassist.settings import Settings


@dataclass
class Parts:
    kb: KnowledgeBase
    retriever: HybridRetriever
    resolver: ConceptResolver
    composer: Composer

    def vector(self, text: str):
        return self.retriever.embeddings.query_vector(text)


def build_parts(settings: Settings) -> Parts:
    kb = KnowledgeBase.load(settings.kb_path)
    embeddings = get_embeddings()
    retriever = HybridRetriever(kb, open_collection(settings, create=False), embeddings,
                                paraphrases=ParaphraseIndex.load(settings.index_dir))
    matcher = concept_matcher(kb)
    vectors = FacetVectors.load(settings.index_dir)
    composer = Composer(kb, retriever, matcher, build_facets(kb, matcher), vectors, Clues())
    return Parts(kb, retriever, ConceptResolver(kb, matcher, vectors), composer)
