"""Extractive answers: the source sentences that best answer the question, each cited.

Used when the model's answer does not survive the grounding guard: grounded by construction.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from careexplain.generate.grounding import SourcePassage
from careexplain.index.embeddings import Embedder
from careexplain.text.sentences import cite, statements


def extractive_answer(
    question: str,
    sources: Sequence[SourcePassage],
    embedder: Embedder,
    max_sentences: int = 4,
    min_similarity: float = 0.45,
) -> list[str]:
    """Up to ``max_sentences`` cited source sentences, in source order."""
    candidates: list[tuple[int, int, str]] = []
    for src in sources:
        for pos, sent in enumerate(statements(src.text)):
            if len(sent.split()) >= 4:
                candidates.append((src.n, pos, sent))
    if not candidates:
        return []
    vectors = embedder.encode([question] + [c[2] for c in candidates])
    sims = vectors[1:] @ vectors[0]
    chosen: list[int] = []
    for i in np.argsort(-sims):
        if sims[i] < min_similarity or len(chosen) == max_sentences:
            break
        # Skip near-duplicates of a sentence already chosen.
        if any(float(vectors[1 + i] @ vectors[1 + j]) > 0.9 for j in chosen):
            continue
        chosen.append(int(i))
    chosen.sort(key=lambda i: (candidates[i][0], candidates[i][1]))
    out: list[str] = []
    last_lead_in = ""
    for i in chosen:
        text = candidates[i][2]
        lead_in, sep, rest = text.partition(": ")
        # A lead-in shared with the previous sentence is said once ("Store insulin safely:").
        if sep and lead_in == last_lead_in:
            text = rest[0].upper() + rest[1:]
        last_lead_in = lead_in if sep else ""
        out.append(cite(text, candidates[i][0]))
    return out
