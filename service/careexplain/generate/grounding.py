"""The grounding guard: every sentence a patient sees must be supported by a cited source.

One guard serves chat, explanations and handouts. A sentence is kept only if
1. it cites at least one of the numbered sources that were retrieved;
2. every number, drug and condition in it occurs in the cited sources or the patient context;
3. a sentence (or two adjacent sentences) of a cited source supports it: enough shared content
   words and a high enough embedding similarity, with negation, comparisons and certainty
   agreeing.
Failing sentences are removed and counted by reason, so evaluators can see what happened.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import Stemmer
from pydantic import BaseModel, Field

from careexplain.index.embeddings import Embedder
from careexplain.text import medical_terms
from careexplain.text.sentences import citations, cite, split_sentences, statements, strip_citations

Reason = Literal[
    "ok",
    "fragment",
    "no_citation",
    "bad_citation",
    "unsupported_number",
    "unsupported_drug",
    "unsupported_condition",
    "low_support",
    "negation_mismatch",
    "comparison_unsupported",
    "qualifier_mismatch",
]

_STEM = Stemmer.Stemmer("english")
_WORD = re.compile(r"[a-z][a-z'-]*|\d+(?:[.,]\d+)*")
_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
STOPWORDS = frozenset(
    """a an the and or but if then than so of to in on at by for from with without into onto
    about as is are was were be been being am do does did done doing have has had having it its
    this that these those there here your you yours we our us they them their i me my he she his
    her him who whom which what when where why how can could may might will would should shall
    must also just very too more most less least some any all each every other such only own same
    not no nor never up down out over under again further once both few many much one two get
    gets got make makes made use used using like well way ways help helps thing things""".split()
)
NEGATIONS = frozenset(
    """not no never without cannot can't don't doesn't didn't won't isn't aren't wasn't weren't
    shouldn't mustn't none nothing neither nor""".split()
)
COMPARATIVES = frozenset(
    """more less fewer most least better worse best worst higher lower greater smaller larger
    likelier than faster slower stronger weaker safer riskier""".split()
)
ABSOLUTES = frozenset(
    """always never all every everyone everybody will cure cures cured guarantee guaranteed
    definitely certainly completely permanently""".split()
)
MIN_CONTENT_WORDS = 3
HEDGES = frozenset("may might can could some sometimes often usually most many possibly".split())


class SourcePassage(BaseModel):
    """A numbered source given to the model and cited as [n]."""

    n: int
    chunk_id: int
    doc_id: str
    title: str
    section: str
    text: str
    source_url: str = ""
    publisher: str = ""


class SentenceVerdict(BaseModel):
    text: str
    kept: bool
    reason: Reason
    citations: list[int] = Field(default_factory=list)
    support: float | None = Field(default=None, description="Best embedding similarity.")
    overlap: float | None = Field(default=None, description="Share of content words found.")
    detail: str = ""


class GroundingReport(BaseModel):
    """What the guard did to one answer (returned with every response)."""

    sentences_total: int = 0
    sentences_kept: int = 0
    sentences_removed: int = 0
    removed_by_reason: dict[str, int] = Field(default_factory=dict)
    fallback: Literal["none", "extractive", "not_covered"] = "none"
    verdicts: list[SentenceVerdict] = Field(default_factory=list)


@dataclass(frozen=True)
class Thresholds:
    """Calibrated on eval/data/support_set.jsonl (see `careexplain eval support`)."""

    min_overlap: float = 0.5
    min_similarity: float = 0.6
    # Very close paraphrases may share fewer words.
    high_similarity: float = 0.8
    min_overlap_at_high_similarity: float = 0.3


def content_stems(text: str) -> set[str]:
    words = [w for w in _WORD.findall(text.lower()) if w not in STOPWORDS]
    return set(_STEM.stemWords(words))


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in _NUMBER.findall(text)}


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower().replace("\u2019", "'")))


@dataclass
class _SourceSentences:
    """Source sentences with embeddings, plus adjacent pairs for claims that merge two."""

    texts: list[str] = field(default_factory=list)
    owners: list[int] = field(default_factory=list)
    # The single statements a unit is made of (one, or two for an adjacent pair).
    parts: list[tuple[str, ...]] = field(default_factory=list)
    stems: list[set[str]] = field(default_factory=list)
    vectors: np.ndarray | None = None
    # Numbers, drugs and conditions of the cited sources (+ context), per set of citations.
    facts: dict[tuple[int, ...], tuple[set[str], set[str], set[str]]] = field(default_factory=dict)


class GroundingGuard:
    """Checks answers against their sources; the same guard for chat, explanations, handouts."""

    def __init__(
        self,
        embedder: Embedder,
        thresholds: Thresholds | None = None,
        repair_citations: bool = True,
    ) -> None:
        self.embedder = embedder
        self.thresholds = thresholds or Thresholds()
        self.repair_citations = repair_citations

    def prepare(
        self, sources: Sequence[SourcePassage], patient_context: str = ""
    ) -> GroundingCheck:
        """A checker for one answer: sources are indexed once, sentences checked as they come."""
        return GroundingCheck(self, sources, self._index(sources), patient_context)

    def check_answer(
        self, answer: str, sources: Sequence[SourcePassage], patient_context: str = ""
    ) -> tuple[list[str], GroundingReport]:
        """Kept sentences (with their [n] marks) and the report."""
        check = self.prepare(sources, patient_context)
        verdicts = [check.check(s) for s in split_sentences(answer)]
        return [v.text for v in verdicts if v.kept], self.report(verdicts)

    @staticmethod
    def report(verdicts: Sequence[SentenceVerdict]) -> GroundingReport:
        removed = Counter(v.reason for v in verdicts if not v.kept)
        kept = sum(v.kept for v in verdicts)
        return GroundingReport(
            sentences_total=len(verdicts),
            sentences_kept=kept,
            sentences_removed=len(verdicts) - kept,
            removed_by_reason=dict(removed),
            verdicts=list(verdicts),
        )

    # -- internals ---------------------------------------------------------------------------
    def _index(self, sources: Sequence[SourcePassage]) -> _SourceSentences:
        idx = _SourceSentences()
        for src in sources:
            # Standalone statements (list items with their lead-in), plus adjacent pairs for
            # claims that merge two of them.
            units = statements(src.text)
            seen: set[str] = set()
            for i, unit in enumerate(units):
                candidates: list[tuple[str, ...]] = [(unit,)]
                if i + 1 < len(units):
                    candidates.append((unit, units[i + 1]))
                for parts in candidates:
                    text = " ".join(parts)
                    if text not in seen:
                        seen.add(text)
                        idx.texts.append(text)
                        idx.owners.append(src.n)
                        idx.parts.append(parts)
                        idx.stems.append(content_stems(text))
        if idx.texts:
            idx.vectors = self.embedder.encode(idx.texts)
        return idx

    def _check(
        self,
        sentence: str,
        sources: Sequence[SourcePassage],
        index: _SourceSentences,
        context: str,
    ) -> SentenceVerdict:
        cited = citations(sentence)
        verdict = SentenceVerdict(text=sentence.strip(), kept=False, reason="ok", citations=cited)
        claim = strip_citations(sentence)
        # A list lead-in ("The signs are:") or a two-word scrap says nothing on its own.
        if claim.endswith(":") or len(content_stems(claim)) < MIN_CONTENT_WORDS:
            verdict.reason = "fragment"
            return verdict
        valid = {s.n for s in sources}
        if not cited:
            return self._repair_citation(sentence, sources, index, context, verdict)
        if any(n not in valid for n in cited):
            verdict.reason = "bad_citation"
            verdict.detail = f"cites {cited}, sources are 1 to {len(sources)}"
            return verdict
        numbers, drugs, conditions = self._facts(cited, sources, index, context)
        missing_numbers = _numbers(claim) - numbers
        if missing_numbers:
            verdict.reason = "unsupported_number"
            verdict.detail = ", ".join(sorted(missing_numbers))
            return verdict
        missing_drugs = medical_terms.drugs(claim) - drugs
        if missing_drugs:
            verdict.reason = "unsupported_drug"
            verdict.detail = ", ".join(sorted(missing_drugs))
            return verdict
        missing_conditions = medical_terms.conditions(claim) - conditions
        if missing_conditions:
            verdict.reason = "unsupported_condition"
            verdict.detail = ", ".join(sorted(missing_conditions))
            return verdict

        row, similarity, overlap = self._best_support(claim, cited, index)
        verdict.support, verdict.overlap = round(similarity, 3), round(overlap, 3)
        t = self.thresholds
        supported = (similarity >= t.min_similarity and overlap >= t.min_overlap) or (
            similarity >= t.high_similarity and overlap >= t.min_overlap_at_high_similarity
        )
        if not supported or row is None:
            verdict.reason = "low_support"
            return verdict
        best = index.texts[row]
        claim_words = _words(claim)
        # Polarity, comparisons and certainty are judged on the statement(s) that carry the
        # claim, not on a neighbour that happens to share its unit.
        carriers = [_words(p) for p in self._carriers(claim, row, index)]
        source_words = set().union(*carriers)
        negated = bool(claim_words & NEGATIONS)
        if all(bool(words & NEGATIONS) != negated for words in carriers):
            verdict.reason = "negation_mismatch"
            verdict.detail = best
            return verdict
        if (claim_words & COMPARATIVES) - source_words:
            verdict.reason = "comparison_unsupported"
            verdict.detail = ", ".join(sorted((claim_words & COMPARATIVES) - source_words))
            return verdict
        if (claim_words & ABSOLUTES) - source_words and source_words & HEDGES:
            verdict.reason = "qualifier_mismatch"
            verdict.detail = ", ".join(sorted((claim_words & ABSOLUTES) - source_words))
            return verdict
        verdict.kept = True
        return verdict

    def _repair_citation(
        self,
        sentence: str,
        sources: Sequence[SourcePassage],
        index: _SourceSentences,
        context: str,
        verdict: SentenceVerdict,
    ) -> SentenceVerdict:
        """An uncited sentence is checked against every source; if one supports it fully, the
        guard cites that source (and says so) instead of dropping a correct sentence."""
        claim = strip_citations(sentence)
        row, _, _ = self._best_support(claim, [s.n for s in sources], index)
        if row is None or not self.repair_citations:
            verdict.reason = "no_citation"
            return verdict
        repaired = self._check(cite(claim, index.owners[row]), sources, index, context)
        if not repaired.kept:
            verdict.reason = "no_citation"
            verdict.detail = f"no source supports it ({repaired.reason})"
            return verdict
        repaired.detail = "citation added by the guard"
        return repaired

    @staticmethod
    def _facts(
        cited: Sequence[int],
        sources: Sequence[SourcePassage],
        index: _SourceSentences,
        context: str,
    ) -> tuple[set[str], set[str], set[str]]:
        """Numbers, drugs and conditions the cited sources and the context allow, computed once
        per set of citations for the whole answer."""
        key = tuple(sorted(cited))
        if key not in index.facts:
            allowed = " ".join(s.text for s in sources if s.n in cited) + f" {context}"
            index.facts[key] = (
                _numbers(allowed),
                medical_terms.drugs(allowed),
                medical_terms.conditions(allowed),
            )
        return index.facts[key]

    @staticmethod
    def _carriers(claim: str, row: int, index: _SourceSentences) -> list[str]:
        """The parts of the supporting unit that share the most content words with the claim."""
        parts = index.parts[row]
        stems = content_stems(claim)
        shared = [len(stems & content_stems(p)) for p in parts]
        return [p for p, n in zip(parts, shared, strict=True) if n == max(shared)]

    def _best_support(
        self, claim: str, cited: Sequence[int], index: _SourceSentences
    ) -> tuple[int | None, float, float]:
        """The cited source unit that best supports ``claim``: (row, similarity, overlap)."""
        rows = [i for i, owner in enumerate(index.owners) if owner in cited]
        if not rows or index.vectors is None:
            return None, 0.0, 0.0
        claim_vec = self.embedder.encode([claim])[0]
        sims = index.vectors[rows] @ claim_vec
        claim_stems = content_stems(claim)
        best: tuple[float, float, float, int | None] = (-1.0, 0.0, 0.0, None)
        for row, sim in zip(rows, sims.tolist(), strict=True):
            overlap = len(claim_stems & index.stems[row]) / len(claim_stems) if claim_stems else 1.0
            # Rank candidates by both signals so one strong signal can't hide a weak one.
            score = min(sim, overlap + 0.2)
            if score > best[0]:
                best = (score, sim, overlap, row)
        return best[3], best[1], best[2]


class GroundingCheck:
    """The guard bound to one answer's sources."""

    def __init__(
        self,
        guard: GroundingGuard,
        sources: Sequence[SourcePassage],
        index: _SourceSentences,
        context: str,
    ) -> None:
        self.guard, self.sources, self.index, self.context = guard, sources, index, context

    def check(self, sentence: str) -> SentenceVerdict:
        return self.guard._check(sentence, self.sources, self.index, self.context)

    def check_all(self, sentences: Sequence[str]) -> list[SentenceVerdict]:
        return [self.check(s) for s in sentences]
