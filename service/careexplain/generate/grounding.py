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

from careexplain.documents import Chunk
from careexplain.index.embeddings import Embedder
from careexplain.text import medical_terms
from careexplain.text.plain_language import plain_terms
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
    "unsupported_clause",
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
MODALS = frozenset("may might can could".split())
# Polarity cues beyond plain negation: "skip X" and "avoid X" say "do not X".
NEGATION_CUES = NEGATIONS | frozenset(
    "skip avoid avoids lack lacks lacking absence absent rather instead poor poorly".split()
)
# Words that narrow or widen how often or to whom something applies.
FREQUENCY_QUALIFIERS = frozenset(
    """only always usually generally typically mostly everyone everybody anyone rarely seldom
    all every each""".split()
)
# A claim word whose opposite, not itself, is in the supporting source sentence.
ANTONYMS: dict[str, frozenset[str]] = {
    w: frozenset(opposites.split())
    for w, opposites in {
        "increase": "decrease lower reduce drop fall less",
        "increases": "decreases lowers reduces drops falls",
        "raise": "lower reduce decrease drop",
        "raises": "lowers reduces decreases drops",
        "higher": "lower less fewer",
        "high": "low",
        "more": "less fewer",
        "decrease": "increase raise rise more",
        "lower": "raise higher increase",
        "lowers": "raises increases",
        "low": "high",
        "less": "more",
        "fewer": "more",
        "before": "after",
        "after": "before",
        "start": "stop",
        "stop": "start continue keep",
        "safe": "unsafe harmful dangerous",
        "unsafe": "safe",
        "common": "rare uncommon",
        "rare": "common",
        "early": "late",
        "late": "early",
        "fast": "slow",
        "slow": "fast quick",
        "hot": "cold cool",
        "cold": "hot warm",
        "better": "worse",
        "worse": "better",
        "easier": "harder",
        "harder": "easier",
    }.items()
}
NUMBER_WORDS = {
    "zero": "0",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
    "fifteen": "15",
    "twenty": "20",
    "thirty": "30",
    "forty": "40",
    "fifty": "50",
    "hundred": "100",
    "twice": "2",
    "half": "0.5",
    "dozen": "12",
}
# "one" is a number only before a unit ("one hour"), not as a pronoun ("the one you take").
_ONE_UNIT = re.compile(
    r"\b(?:one|a|an|once)\s+(?:full\s+)?(minute|hour|day|week|month|year|time)s?\b", re.IGNORECASE
)
# Clause boundaries inside one sentence, where an added claim usually starts.
_CLAUSE = re.compile(
    r"(?:;\s*|,\s+(?:and|but|so|since|because|who|which|while|as well as)\s+|"
    r"\s+(?:because|since|so that|while)\s+)",
    re.IGNORECASE,
)


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

    @classmethod
    def from_chunk(cls, n: int, chunk: Chunk) -> SourcePassage:
        """Source ``[n]`` made from a retrieved chunk."""
        return cls(
            n=n,
            chunk_id=chunk.chunk_id,
            doc_id=chunk.doc_id,
            title=chunk.title,
            section=chunk.section,
            text=chunk.text,
            source_url=chunk.source_url,
            publisher=chunk.publisher,
        )


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
    """Chosen on eval/data/support_set.jsonl: the most paraphrases kept while rejecting at
    least 95% of unsupported sentences (`careexplain eval support`; the README has the
    cross-validated figures)."""

    min_overlap: float = 0.3
    min_similarity: float = 0.6
    # Very close paraphrases may share fewer words.
    high_similarity: float = 0.7
    min_overlap_at_high_similarity: float = 0.0
    # Every clause with enough content must be supported on its own.
    clause_similarity: float = 0.55
    clause_overlap: float = 0.2
    clause_high_similarity: float = 0.65
    clause_overlap_alone: float = 0.7
    # A clause restates a source clause (so its certainty must match) above this overlap.
    same_statement_overlap: float = 0.5


def content_stems(text: str) -> set[str]:
    words = [w for w in _WORD.findall(text.lower()) if w not in STOPWORDS]
    return set(_STEM.stemWords(words))


def claim_stems(text: str) -> set[str]:
    """Content stems with glossary terms in their plain form, so "renal" meets "kidney"."""
    return content_stems(plain_terms(text))


def _numbers(text: str) -> set[str]:
    """Numbers in digits or words ("three" is 3), so a changed amount in words is caught."""
    found = {n.replace(",", "") for n in _NUMBER.findall(text)}
    found.update(NUMBER_WORDS[w] for w in _WORD.findall(text.lower()) if w in NUMBER_WORDS)
    if _ONE_UNIT.search(text):
        found.add("1")
    return found


# The word a negation governs: "do not RUB", "never SHARE", "cannot GET".
_NEGATED_HEAD = re.compile(
    r"\b(?:not|never|don't|cannot|can't|won't|doesn't|shouldn't)\s+(?:\w+ly\s+)?([a-z]+)"
)


def clauses(text: str) -> list[str]:
    """The clauses of a sentence, split where an added or flipped claim usually starts."""
    pieces = [p.strip(" ,.;") for p in _CLAUSE.split(text)]
    return [p for p in pieces if content_stems(p)] or [text]


def _comparatives(text: str) -> set[str]:
    """Comparison words of a text; "rather than" and "more than" a number compare nothing."""
    plain = re.sub(r"\b(?:rather|other|more|less|fewer)\s+than\b", " ", text.lower())
    return _words(plain) & COMPARATIVES


def _frequency(words: set[str]) -> set[str]:
    """Frequency qualifiers, with "each", "every" and "all" as one."""
    return {"every" if w in ("each", "all") else w for w in words & FREQUENCY_QUALIFIERS}


def _negated(words: set[str]) -> bool:
    return bool(words & NEGATION_CUES)


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower().replace("\u2019", "'")))


@dataclass
class _SourceSentences:
    """Source sentences with embeddings, plus adjacent pairs for claims that merge two."""

    texts: list[str] = field(default_factory=list)
    owners: list[int] = field(default_factory=list)
    stems: list[set[str]] = field(default_factory=list)
    vectors: np.ndarray | None = None
    # Clauses of every source sentence: polarity and qualifiers are compared clause to clause.
    clause_texts: list[str] = field(default_factory=list)
    clause_owners: list[int] = field(default_factory=list)
    clause_stems: list[set[str]] = field(default_factory=list)
    clause_sentences: list[set[str]] = field(default_factory=list)
    clause_vectors: np.ndarray | None = None
    encoded: dict[str, np.ndarray] = field(default_factory=dict)
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
                        idx.stems.append(claim_stems(text) | content_stems(text))
            for unit in units:
                for sentence in split_sentences(unit):
                    sentence_words = _words(sentence)
                    for clause in clauses(strip_citations(sentence)):
                        idx.clause_texts.append(clause)
                        idx.clause_owners.append(src.n)
                        idx.clause_stems.append(claim_stems(clause) | content_stems(clause))
                        idx.clause_sentences.append(sentence_words)
        if idx.texts:
            vectors = self.embedder.encode(idx.texts + idx.clause_texts)
            idx.vectors = vectors[: len(idx.texts)]
            idx.clause_vectors = vectors[len(idx.texts) :]
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
        novel = _comparatives(claim) - _words(index.texts[row])
        if novel:
            verdict.reason = "comparison_unsupported"
            verdict.detail = ", ".join(sorted(novel))
            return verdict
        # Meaning is judged clause by clause: an added clause ("…, so cut your dose in half")
        # or a flipped one hides easily inside an otherwise well-supported sentence.
        for clause in clauses(claim):
            reason, detail = self._check_clause(clause, cited, index)
            if reason is not None:
                verdict.reason, verdict.detail = reason, detail
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

    def _encode(self, text: str, index: _SourceSentences) -> np.ndarray:
        """One embedding per distinct text per answer (a clause may be the whole claim)."""
        if text not in index.encoded:
            index.encoded[text] = self.embedder.encode([text])[0]
        return index.encoded[text]

    def _check_clause(
        self, clause: str, cited: Sequence[int], index: _SourceSentences
    ) -> tuple[Reason | None, str]:
        """Is this clause supported, and does it agree with the source clause it restates?"""
        t = self.thresholds
        _, sim, overlap = self._best_support(clause, cited, index)
        if len(content_stems(clause)) >= MIN_CONTENT_WORDS and not (
            (sim >= t.clause_similarity and overlap >= t.clause_overlap)
            or sim >= t.clause_high_similarity
            or overlap >= t.clause_overlap_alone
        ):
            return "unsupported_clause", f"{clause} (similarity {sim:.2f}, overlap {overlap:.2f})"
        rows = [i for i, owner in enumerate(index.clause_owners) if owner in cited]
        if not rows or index.clause_vectors is None:
            return "unsupported_clause", clause
        flipped = _flipped_polarity(clause, [index.clause_texts[r] for r in rows])
        if flipped:
            return "negation_mismatch", f"{clause} | {flipped}"
        sims = index.clause_vectors[rows] @ self._encode(clause, index)
        stems = claim_stems(clause)
        best, best_score, best_overlap = rows[0], -1.0, 0.0
        for row, sim_c in zip(rows, sims.tolist(), strict=True):
            ov = len(stems & index.clause_stems[row]) / len(stems) if stems else 1.0
            score = min(sim_c, ov + 0.2)
            if score > best_score:
                best, best_score, best_overlap = row, score, ov
        reason = _disagreement(
            _words(clause),
            _words(index.clause_texts[best]),
            index.clause_sentences[best],
            same_statement=best_overlap >= t.same_statement_overlap,
        )
        return reason, f"{clause} | {index.clause_texts[best]}" if reason else ""

    def _best_support(
        self, claim: str, cited: Sequence[int], index: _SourceSentences
    ) -> tuple[int | None, float, float]:
        """The cited source unit that best supports ``claim``: (row, similarity, overlap)."""
        rows = [i for i, owner in enumerate(index.owners) if owner in cited]
        if not rows or index.vectors is None:
            return None, 0.0, 0.0
        sims = index.vectors[rows] @ self._encode(claim, index)
        stems = claim_stems(claim)
        best: tuple[float, float, float, int | None] = (-1.0, 0.0, 0.0, None)
        for row, sim in zip(rows, sims.tolist(), strict=True):
            overlap = len(stems & index.stems[row]) / len(stems) if stems else 1.0
            # Rank candidates by both signals so one strong signal can't hide a weak one.
            score = min(sim, overlap + 0.2)
            if score > best[0]:
                best = (score, sim, overlap, row)
        return best[3], best[1], best[2]


def _flipped_polarity(clause: str, source_clauses: Sequence[str]) -> str:
    """An action the source only ever forbids, here allowed ("Do not rub it" → "Rub it dry"),
    or a clause negating what the source only ever states positively."""
    positive: set[str] = set()
    negative: set[str] = set()
    forbidden: set[str] = set()
    for text in source_clauses:
        if _negated(_words(text)):
            negative.update(content_stems(text))
            forbidden.update(_STEM.stemWords(_NEGATED_HEAD.findall(text.lower())))
        else:
            positive.update(content_stems(text))
    stems = content_stems(clause)
    if not _negated(_words(clause)):
        return ", ".join(sorted(stems & (forbidden - positive)))
    known = stems & (positive | negative)
    if known and known <= positive - negative:
        return ", ".join(sorted(known))
    return ""


def _disagreement(
    clause: set[str], source: set[str], sentence: set[str], same_statement: bool
) -> Reason | None:
    """Why a clause says something other than the source clause it restates, if it does."""
    if _negated(clause) != _negated(source):
        return "negation_mismatch"
    for word in clause - source:
        if ANTONYMS.get(word, frozenset()) & source:
            return "negation_mismatch"
    if (clause & COMPARATIVES) - sentence:
        return "comparison_unsupported"
    if _frequency(clause) - _frequency(sentence):
        return "qualifier_mismatch"
    if (clause & ABSOLUTES) - sentence and sentence & HEDGES:
        return "qualifier_mismatch"
    # "can mean" → "means": a possibility restated as a fact.
    if same_statement and source & MODALS and not clause & (MODALS | HEDGES):
        return "qualifier_mismatch"
    return None


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
