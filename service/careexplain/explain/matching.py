"""Which guidance document explains a problem or a medicine (or none: then we say so)."""

from __future__ import annotations

import re

from careexplain.profile.models import ProfileMedicine, ProfileProblem
from careexplain.retrieve.hybrid import HybridRetriever
from careexplain.retrieve.models import RetrievedChunk, SearchFilters

_WORD = re.compile(r"[a-z][a-z0-9-]+")
# Below this dense similarity a problem name is not what the document is about.
MIN_PROBLEM_SIMILARITY = 0.45
# A problem named in the document title needs less (short names embed poorly).
MIN_TITLED_SIMILARITY = 0.3


class GuidanceMatcher:
    """Finds the guidance document for a topic through the one retriever."""

    def __init__(self, retriever: HybridRetriever) -> None:
        self.retriever = retriever

    def problem(self, problem: ProfileProblem) -> RetrievedChunk | None:
        """The best chunk of the document about ``problem``: ICD-10 first, then meaning."""
        if problem.code:
            # The three-character category (E11, I10) is what guidance documents share.
            coded = self.retriever.search(
                problem.name, 3, filters=SearchFilters(icd10=problem.code[:3])
            )
            if coded:
                return coded[0]
        hits = self.retriever.search(problem.name, 5)
        words = set(_WORD.findall(problem.name.lower()))
        for hit in hits:
            similarity = hit.dense_score or 0.0
            titled = bool(words & set(_WORD.findall(hit.chunk.title.lower())))
            if similarity >= MIN_PROBLEM_SIMILARITY or (
                titled and similarity >= MIN_TITLED_SIMILARITY
            ):
                return hit
        return None

    def medicine(self, medicine: ProfileMedicine) -> RetrievedChunk | None:
        """A document that names the drug: one about the drug itself before one about a class."""
        words = set(_WORD.findall(medicine.name.lower()))
        hits = self.retriever.search(medicine.name, 10, max_per_doc=1)
        listing = [h for h in hits if words & {d.lower() for d in _drugs(h)}]
        for hit in listing:
            if words & set(_WORD.findall(hit.chunk.title.lower())):
                return hit
        return listing[0] if listing else None


def _drugs(hit: RetrievedChunk) -> list[str]:
    drugs = hit.chunk.metadata.get("drugs") or []
    return [str(d) for d in drugs]
