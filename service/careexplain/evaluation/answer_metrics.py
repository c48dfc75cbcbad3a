"""Per-answer quality measures: citations, unsupported claims, relevance, readability."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from careexplain.evaluation.claims import unsupported_claims
from careexplain.index.embeddings import Embedder
from careexplain.text.readability import fk_grade, reading_ease
from careexplain.text.sentences import citations, split_sentences, strip_citations


def citation_coverage(answer: str, valid: set[int]) -> float | None:
    """Share of the answer's sentences that cite at least one source in ``valid``."""
    sentences = split_sentences(answer)
    if not sentences:
        return None
    cited = sum(1 for s in sentences if any(n in valid for n in citations(s)))
    return cited / len(sentences)


def unsupported_claim_rate(answer: str, sources: Mapping[int, str]) -> float | None:
    """Unsupported facts (independent check, claims.py) per answer sentence."""
    sentences = split_sentences(answer)
    if not sentences:
        return None
    return len(unsupported_claims(answer, sources)) / len(sentences)


def plain_answer(answer: str) -> str:
    """The answer as a reader reads it: no citation marks."""
    return " ".join(strip_citations(s) for s in split_sentences(answer))


def relevance(embedder: Embedder, question: str, answer: str) -> float | None:
    """Cosine similarity of question and answer embeddings (MiniLM, unit vectors)."""
    text = plain_answer(answer)
    if not text.strip() or not question.strip():
        return None
    vecs = embedder.encode([question, text])
    return float(np.dot(vecs[0], vecs[1]))


def readability(answer: str, requested_grade: float) -> dict[str, float]:
    """FK grade, reading ease, and the grade's distance above the requested level."""
    text = plain_answer(answer)
    grade = fk_grade(text)
    return {
        "fk_grade": round(grade, 2),
        "reading_ease": round(reading_ease(text), 2),
        "grade_over_requested": round(max(0.0, grade - requested_grade), 2),
    }
