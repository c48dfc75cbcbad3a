"""Build a personalised explanation: per topic and facet, guidance statements that pass the
grounding guard, each cited; doses only from the note."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from careexplain.chat.service import ENGLISH_ONLY
from careexplain.errors import ProfileError
from careexplain.explain.doses import states_dose
from careexplain.explain.matching import GuidanceMatcher
from careexplain.explain.models import (
    FACETS,
    Explanation,
    Facet,
    FacetKey,
    MedicineRow,
    SourceRef,
    TopicExplanation,
)
from careexplain.generate.grounding import (
    GroundingCheck,
    GroundingGuard,
    SentenceVerdict,
    SourcePassage,
)
from careexplain.profile.models import PatientProfile
from careexplain.retrieve.hybrid import HybridRetriever
from careexplain.retrieve.models import RetrievedChunk, SearchFilters
from careexplain.safety.messages import EMERGENCY
from careexplain.settings import Settings
from careexplain.text.plain_language import Rewriter as PlainRewriter
from careexplain.text.plain_language import simplify_checked
from careexplain.text.readability import fk_grade
from careexplain.text.sentences import (
    CITATION,
    citations,
    cite,
    split_sentences,
    statements,
    strip_citations,
)

# Sentences per facet: short sections are easier to read and to print.
FACET_SIZE: dict[FacetKey, int] = {
    "what_it_is": 3,
    "why_it_matters": 2,
    "what_to_do": 4,
    "when_to_call": 4,
    "emergency": 3,
}
QUESTIONS: dict[FacetKey, str] = {
    "what_it_is": "What is {name}?",
    "why_it_matters": "Why does {name} matter for my health{others}?",
    "what_to_do": "What should I do each day to take care of my {name}?",
    "when_to_call": "When should I call my care team about {name}?",
    "emergency": "When do I need emergency help because of {name}?",
}
NOT_COVERED = "Our guidance does not cover {name}. Please ask your care team to explain it to you."
MIN_WORDS = 4
# A lead-in whose list did not come with it ("Call 911 if you have any of these.").
_DANGLING = re.compile(r"(?:\bthese|\bthe following|:)\W*$", re.IGNORECASE)
# How much a grade above the target costs a candidate sentence, against its relevance.
GRADE_PENALTY = 0.04


@dataclass
class _Numbering:
    """Global [n] numbers for the sources of one explanation."""

    sources: dict[int, SourcePassage] = field(default_factory=dict)

    def number(self, chunk: RetrievedChunk) -> SourcePassage:
        for passage in self.sources.values():
            if passage.chunk_id == chunk.chunk.chunk_id:
                return passage
        n = len(self.sources) + 1
        passage = SourcePassage.from_chunk(n, chunk.chunk)
        self.sources[n] = passage
        return passage


@dataclass
class _Run:
    """What one explanation accumulates across its topics."""

    level: float
    context: str
    plain: PlainRewriter
    numbering: _Numbering = field(default_factory=_Numbering)
    verdicts: list[SentenceVerdict] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    dropped_doses: int = 0


class Explainer:
    """Explains a patient's active problems and medicines from the guidance index."""

    def __init__(
        self,
        settings: Settings,
        retriever: HybridRetriever,
        guard: GroundingGuard,
        plain_language: bool = True,
    ) -> None:
        self.settings = settings
        self.retriever = retriever
        self.guard = guard
        self.matcher = GuidanceMatcher(retriever)
        self.plain_language = plain_language

    def explain(
        self,
        profile: PatientProfile,
        topics: Sequence[str] | None = None,
        reading_level: float | None = None,
    ) -> Explanation:
        """One section per active problem and medicine (or the chosen ``topics``)."""
        if profile.is_empty():
            raise ProfileError("The profile has no active problem or medicine to explain.")
        level = reading_level or profile.preferences.reading_level or self.settings.reading_grade
        lang = profile.preferences.language
        wanted = _topic_filter(profile, topics)
        # One rewriter per explanation: a term is explained the first time only.
        run = _Run(level=level, context=patient_context(profile), plain=PlainRewriter())
        out: list[TopicExplanation] = []
        problems = [p.name for p in profile.problems]
        for problem in profile.problems:
            if wanted is None or problem.name.lower() in wanted:
                others = [o for o in problems if o != problem.name]
                hit = self.matcher.problem(problem)
                out.append(self._topic(problem.name, "problem", hit, others, run))
        for medicine in profile.medicines:
            if wanted is None or medicine.name.lower() in wanted:
                hit = self.matcher.medicine(medicine)
                out.append(self._topic(medicine.name, "medicine", hit, problems, run))
        sources = _renumber(out, run.numbering)
        return Explanation(
            profile=profile,
            reading_level=level,
            language=lang,
            topics=out,
            medicines=medicine_rows(profile),
            emergency_message=EMERGENCY[lang],
            language_note=ENGLISH_ONLY.get(lang),
            sources=sources,
            grounding=self.guard.report(run.verdicts),
            dropped_dose_sentences=run.dropped_doses,
        )

    # -- one topic -------------------------------------------------------------------------
    def _topic(
        self,
        name: str,
        kind: Literal["problem", "medicine"],
        hit: RetrievedChunk | None,
        others: Sequence[str],
        run: _Run,
    ) -> TopicExplanation:
        topic = TopicExplanation(name=name, kind=kind, covered=False)
        if hit is None:
            topic.not_covered = NOT_COVERED.format(name=name)
            return topic
        doc_id = hit.chunk.doc_id
        topic.doc_id, topic.guidance_title = doc_id, hit.chunk.title
        # Pick first, then number only the passages that give a sentence.
        picked: list[tuple[FacetKey, RetrievedChunk, str]] = []
        for key in FACETS:
            picked.extend((key, c, s) for c, s in self._pick(name, key, doc_id, others, run))
        passages = {c.chunk.chunk_id: run.numbering.number(c) for _, c, _ in picked}
        check = self.guard.prepare(list(passages.values()), run.context)
        facets: dict[FacetKey, list[str]] = {key: [] for key in FACETS}
        last_lead_in: dict[FacetKey, str] = {}
        for key, chunk, sentence in picked:
            n = passages[chunk.chunk.chunk_id].n
            verdict = _check_statement(check, cite(sentence, n))
            lead_in, sep, item = sentence.partition(": ")
            # A lead-in shared with the previous item is said once; the short item must still
            # pass the guard on its own.
            if verdict.kept and sep and last_lead_in.get(key) == lead_in:
                short = check.check(cite(item[0].upper() + item[1:], n))
                if short.kept:
                    verdict = short
            last_lead_in[key] = lead_in if sep else ""
            run.verdicts.append(verdict)
            if verdict.kept:
                facets[key].append(verdict.text)
        if self.plain_language:
            # Plain words where the guard still supports them; otherwise the source's words.
            # The report then holds the verdict of every sentence shown, rewritten or not.
            for key, sentences in facets.items():
                shown: list[str] = []
                for sentence in sentences:
                    checked: dict[str, SentenceVerdict] = {}

                    def keeps(text: str, checked: dict[str, SentenceVerdict] = checked) -> bool:
                        checked[text] = _check_statement(check, text)
                        return checked[text].kept

                    parts = simplify_checked([sentence], keeps, run.plain)
                    if parts != [sentence]:
                        at = next(
                            i for i, v in enumerate(run.verdicts) if v.kept and v.text == sentence
                        )
                        run.verdicts[at : at + 1] = [checked[p] for p in parts]
                    shown.extend(parts)
                facets[key] = [_cite_each(s) for s in shown]
        topic.facets = [
            Facet(key=key, heading=FACETS[key][1], sentences=sentences)
            for key, sentences in facets.items()
            if sentences
        ]
        topic.covered = bool(topic.facets)
        if not topic.covered:
            topic.not_covered = NOT_COVERED.format(name=name)
        return topic

    def _pick(
        self, name: str, key: FacetKey, doc_id: str, others: Sequence[str], run: _Run
    ) -> list[tuple[RetrievedChunk, str]]:
        """The facet's best statements from the document, in the document's order."""
        section = FACETS[key][0]
        question = QUESTIONS[key].format(
            name=name, others=f", with {' and '.join(others[:2])}" if others else ""
        )
        hits = self.retriever.search(
            f"{name} {section}", 12, filters=SearchFilters(doc_ids=[doc_id]), max_per_doc=12
        )
        candidates: list[tuple[RetrievedChunk, int, str]] = []
        for hit in hits:
            if hit.chunk.section != section:
                continue
            for pos, sentence in enumerate(statements(hit.chunk.text)):
                if len(sentence.split()) < MIN_WORDS or _DANGLING.search(sentence):
                    continue
                if states_dose(sentence):
                    run.dropped_doses += 1
                    continue
                if sentence.lower() in run.seen or any(
                    p.lower() in run.seen for p in split_sentences(sentence)
                ):
                    continue
                candidates.append((hit, pos, sentence))
        if not candidates:
            return []
        vectors = self.guard.embedder.encode([question] + [c[2] for c in candidates])
        sims = vectors[1:] @ vectors[0]
        scores = [
            float(sim) - GRADE_PENALTY * max(0.0, fk_grade(c[2]) - run.level)
            for sim, c in zip(sims.tolist(), candidates, strict=True)
        ]
        chosen: list[int] = []
        for i in np.argsort(-np.asarray(scores)):
            if len(chosen) == FACET_SIZE[key]:
                break
            if any(float(vectors[1 + i] @ vectors[1 + j]) > 0.9 for j in chosen):
                continue
            parts = set(split_sentences(candidates[i][2]))
            if any(parts & set(split_sentences(candidates[j][2])) for j in chosen):
                continue
            chosen.append(int(i))
        chosen.sort(key=lambda i: (candidates[i][0].chunk.ordinal, candidates[i][1]))
        for i in chosen:
            # A pronoun sentence carries its antecedent: neither part may repeat later.
            run.seen.update(p.lower() for p in split_sentences(candidates[i][2]))
            run.seen.add(candidates[i][2].lower())
        return [(candidates[i][0], candidates[i][2]) for i in chosen]


def _check_statement(check: GroundingCheck, statement: str) -> SentenceVerdict:
    """The guard's verdict on a statement; one of two sentences (a pronoun and its referent)
    also passes when each of its sentences passes on its own."""
    verdict = check.check(statement)
    parts = split_sentences(statement)
    if verdict.kept or len(parts) < 2:
        return verdict
    if all(check.check(p).kept for p in parts):
        return verdict.model_copy(update={"kept": True, "reason": "ok", "detail": "per sentence"})
    return verdict


def _cite_each(text: str) -> str:
    """A statement of two sentences (a pronoun and its referent) cites both of them."""
    marks = citations(text)
    if len(marks) != 1 or len(split_sentences(text)) < 2:
        return text
    return cite(strip_citations(text), marks[0])


def patient_context(profile: PatientProfile) -> str:
    """What the note says, so the guard accepts the patient's own drugs and conditions."""
    parts = [p.name for p in profile.problems]
    for m in profile.medicines:
        d = m.details
        parts.append(" ".join(x for x in (m.name, d.strength, d.dose, d.frequency) if x))
    return "; ".join(parts)


def medicine_rows(profile: PatientProfile) -> list[MedicineRow]:
    """The medicine table, every value copied from the note."""
    rows = []
    for m in profile.medicines:
        d = m.details
        rows.append(
            MedicineRow(
                name=m.name,
                strength=d.strength,
                dose=d.dose,
                route=d.route,
                frequency=d.frequency,
                duration=d.duration,
                as_needed=(d.prn_reason or "yes") if d.prn else None,
                status=d.status.value,
            )
        )
    return rows


def _topic_filter(profile: PatientProfile, topics: Sequence[str] | None) -> set[str] | None:
    if not topics:
        return None
    wanted = {t.strip().lower() for t in topics if t.strip()}
    names = {p.name.lower() for p in profile.problems} | {m.name.lower() for m in profile.medicines}
    if not wanted & names:
        raise ProfileError(
            "None of the chosen topics is an active problem or medicine of this patient. "
            f"Choose from: {', '.join(sorted(names))}."
        )
    return wanted & names


def _renumber(topics: Sequence[TopicExplanation], numbering: _Numbering) -> list[SourceRef]:
    """Number the cited sources 1…k in order of first citation, and rewrite the marks."""
    order: dict[int, int] = {}
    for topic in topics:
        for facet in topic.facets:
            for sentence in facet.sentences:
                for group in CITATION.findall(sentence):
                    for part in re.split(r"\s*[,;]\s*", group):
                        order.setdefault(int(part), len(order) + 1)

    def mark(match: re.Match[str]) -> str:
        parts = re.split(r"\s*[,;]\s*", match.group(1))
        return "[" + ", ".join(str(order[int(p)]) for p in parts) + "]"

    for topic in topics:
        for facet in topic.facets:
            facet.sentences = [CITATION.sub(mark, s) for s in facet.sentences]
    refs = []
    for old, new in sorted(order.items(), key=lambda item: item[1]):
        p = numbering.sources[old]
        refs.append(
            SourceRef(
                n=new,
                doc_id=p.doc_id,
                title=p.title,
                section=p.section,
                source_url=p.source_url,
                publisher=p.publisher,
            )
        )
    return refs
