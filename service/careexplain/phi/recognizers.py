"""Presidio recognisers for clinical PHI: our patterns, and the stock ones we keep."""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from careexplain.phi.models import PhiType
from careexplain.phi.patterns import RULES, Rule

# Presidio's names for what it finds, mapped to ours; anything else is dropped.
PRESIDIO_TYPES: dict[str, PhiType] = {
    "PERSON": PhiType.NAME,
    "LOCATION": PhiType.LOCATION,
    "ORGANIZATION": PhiType.LOCATION,  # kept only when it names a facility (see filters)
    "EMAIL_ADDRESS": PhiType.EMAIL,
    "PHONE_NUMBER": PhiType.PHONE,
    "URL": PhiType.URL,
    "US_SSN": PhiType.ID,
    "IP_ADDRESS": PhiType.ID,
    "CREDIT_CARD": PhiType.ID,
    "IBAN_CODE": PhiType.ID,
}
# Stock recognisers worth running on notes; bank, licence and passport numbers fire on MRNs,
# lab values and lead names ("V4"), and our own rules cover what they are for. The stock phone
# recogniser (libphonenumber) took 60% of the time and found nothing our pattern missed; the
# stock URL recogniser backtracks for a minute on 10 kB of "a.a.a." (our URL rule is linear).
STOCK_RECOGNIZERS = frozenset(
    {
        "SpacyRecognizer",
        "EmailRecognizer",
        "UsSsnRecognizer",
        "IpRecognizer",
        "CreditCardRecognizer",
        "IbanRecognizer",
    }
)


class ClinicalPatternRecognizer(EntityRecognizer):
    """Context-aware regular expressions: MRNs, addresses, dates, ages over 89, ids, names."""

    def __init__(self, rules: tuple[Rule, ...] = RULES) -> None:
        self.rules = rules
        super().__init__(
            supported_entities=sorted({r.type.value for r in rules}),
            name="ClinicalPatternRecognizer",
            supported_language="en",
        )

    def load(self) -> None:
        """Nothing to load: the patterns are compiled at import."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Every match of every rule, with the rule's name as the recogniser."""
        results: list[RecognizerResult] = []
        for rule in self.rules:
            if rule.type.value not in entities:
                continue
            for match in rule.regex.finditer(text):
                group = "value" if "value" in rule.regex.groupindex else 0
                start, end = match.span(group)
                if end > start:
                    results.append(
                        RecognizerResult(
                            rule.type.value,
                            start,
                            end,
                            rule.score,
                            recognition_metadata={
                                RecognizerResult.RECOGNIZER_NAME_KEY: rule.name,
                                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                            },
                        )
                    )
        return results
