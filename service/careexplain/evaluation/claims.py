"""An independent check for unsupported claims: facts in an answer that its sources lack.

Deliberately separate from the grounding guard (different code, stricter matching), so the
harness measures the guard instead of repeating it: every number (with its unit), drug and
condition in a sentence must appear in the text of the sources that sentence cites.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from pydantic import BaseModel

from careexplain.text import medical_terms
from careexplain.text.sentences import citations, split_sentences, strip_citations

_QUANTITY = re.compile(
    r"(\d+(?:,\d{3})*(?:\.\d+)?)\s*(mg/dl|mg|mcg|g|grams?|ml|units?|%|percent|minutes?|hours?|"
    r"days?|weeks?|months?|years?|times?|pounds?|lbs?|kg|degrees?|°f|°c)?\b",
    re.IGNORECASE,
)


class UnsupportedClaim(BaseModel):
    sentence: str
    kind: str
    value: str


def _quantities(text: str) -> set[str]:
    out = set()
    for number, unit in _QUANTITY.findall(text):
        number = number.replace(",", "")
        out.add(number)
        if unit:
            out.add(f"{number} {unit.lower().rstrip('s')}")
    return out


def unsupported_claims(
    answer: str, sources: Mapping[int, str], context: str = ""
) -> list[UnsupportedClaim]:
    """Facts in cited sentences that the cited sources (or the context) do not contain.

    Sentences without a citation are reported as a whole (kind ``uncited``).
    """
    found: list[UnsupportedClaim] = []
    for sentence in split_sentences(answer):
        cited = [n for n in citations(sentence) if n in sources]
        claim = strip_citations(sentence)
        if not cited:
            found.append(UnsupportedClaim(sentence=sentence, kind="uncited", value=claim))
            continue
        evidence = " ".join(sources[n] for n in cited) + " " + context
        for value in sorted(_quantities(claim) - _quantities(evidence)):
            found.append(UnsupportedClaim(sentence=sentence, kind="number", value=value))
        for value in sorted(medical_terms.drugs(claim) - medical_terms.drugs(evidence)):
            found.append(UnsupportedClaim(sentence=sentence, kind="drug", value=value))
        for value in sorted(medical_terms.conditions(claim) - medical_terms.conditions(evidence)):
            found.append(UnsupportedClaim(sentence=sentence, kind="condition", value=value))
    return found
