"""Whether a question is about the material at all, or gets the not-covered sentence."""
from __future__ import annotations

from studyassist.answer.retrieval import Hit, HybridRetriever

# Below this dense cosine to every row, and this one to every way of asking about a row (the pack's paraphrase
# bank), with no concept named, the question is taken as outside the material. Set on the dev sets: a learner's
# covered question in their own words is often far from the row's text (0.24-0.37) yet near a paraphrase
# (0.52-0.78), while 37 of 40 questions from other domains stay below 0.56 to every paraphrase.
COVERAGE_SIMILARITY, PARAPHRASE_COVERAGE = 0.38, 0.56
# A question naming a concept needs less, not nothing: "renew the TLS certificate on a Kubernetes ingress" is
# outside the material (0.27 / 0.46); learner questions naming a concept reach 0.27 / 0.48 or 0.40 / 0.45.
NAMED_COVERAGE_SIMILARITY, NAMED_PARAPHRASE_COVERAGE = 0.30, 0.47
# Without a bank (a document no pack serves) a question nearly as close to a row, half of whose words the review
# uses, is about the material too. Set on the first review without its exam pack (learner dev): learner questions
# wrongly called not covered 0.197 -> 0.149 (locked 0.177 -> 0.081), questions from other domains refused 36 -> 35
# of 40 (their median: 0.31 of their words are the review's; learner questions' 0.50).
VOCABULARY_SIMILARITY, VOCABULARY_SHARE = 0.33, 0.5
# Without a bank, also: a question this close to a row (learner dev's covered questions refused at stop 49 reach
# 0.35-0.38 where 35 refused questions from other domains stay below 0.34), or one whose closest row by meaning is
# also its closest by words at this cosine ("split my customers into groups, I have no labels" and AI-900's
# "Clustering: group similar items without predefined labels", 0.31; one off-topic question agrees, at 0.16).
NO_BANK_SIMILARITY, AGREED_SIMILARITY = 0.345, 0.25


def covered(hits: list[Hit], concepts: list[str], query: str, retriever: HybridRetriever) -> bool:
    """Whether ``query`` (which names ``concepts``; ``hits`` its rule hits) is about the indexed documents."""
    if not hits:
        return bool(concepts)
    row, asked = (NAMED_COVERAGE_SIMILARITY, NAMED_PARAPHRASE_COVERAGE) if concepts else (
        COVERAGE_SIMILARITY, PARAPHRASE_COVERAGE)
    best = max(h.similarity for h in hits)
    if best >= row or max(h.paraphrase for h in hits) >= asked:
        return True
    if retriever.paraphrases is not None:
        return False
    agreed = hits[0].dense_rank == 1 and hits[0].lexical_rank == 1 and hits[0].similarity >= AGREED_SIMILARITY
    return agreed or best >= NO_BANK_SIMILARITY or best >= VOCABULARY_SIMILARITY and \
        retriever.known_share(query) >= VOCABULARY_SHARE
