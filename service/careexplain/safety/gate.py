"""The safety gate: runs before retrieval and decides escalate, decline or allow."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel

from careexplain.safety import messages, rules
from careexplain.safety.normalize import clauses, find_phrase, tokens

Action = Literal["allow", "escalate", "decline"]

_NUMBER = re.compile(r"\b(\d{2,3})\b")
_YEAR = re.compile(r"\b(?:in|en|since|desde)\s+(?:19|20)\d\d\b")
_AGE_MONTHS = re.compile(r"\b(\d{1,2})\s*(?:-\s*)?(?:month|mes)")


class SafetyAssessment(BaseModel):
    """What the gate decided and why (reported with every chat response)."""

    action: Action
    category: str | None = None
    message: str | None = None
    language: Literal["en", "es"] = "en"
    matched: list[str] = []


def guess_language(text: str) -> Literal["en", "es"]:
    words = tokens(text)
    hits = sum(w in rules.SPANISH_HINTS for w in words)
    return "es" if words and (hits / len(words) >= 0.3 or any(c in text for c in "¿¡ñ")) else "en"


def _has_any(words: list[str], phrases: tuple[rules.Phrase, ...]) -> bool:
    return any(find_phrase(words, p) is not None for p in phrases)


def _negated(words: list[str], start: int) -> bool:
    window = words[max(0, start - 4) : start]
    return any(w in rules.NEGATIONS for w in window)


def _resolved(clause: str, words: list[str]) -> bool:
    past = _has_any(words, rules.RESOLVED) or _YEAR.search(clause) is not None
    return past and not any(w in rules.STILL for w in words)


def _informational(words: list[str], personal: bool) -> bool:
    """A general question ("what are the signs of a stroke?") from nobody in particular."""
    return not personal and _has_any(words, rules.INFORMATIONAL)


def _is_personal(words: list[str]) -> bool:
    """Does the message speak of someone's own situation? The "I" of a question frame
    ("what should I do if…", "how do I know if…") does not count."""
    words = list(words)
    for frame in rules.INFORMATIONAL:
        start = find_phrase(words, frame, gap=0)
        if start is not None:
            del words[start : start + len(frame)]
    return any(w in rules.FIRST_PERSON for w in words)


def _red_flag(clause: str, personal: bool) -> tuple[str, str] | None:
    """(category, matched phrase) of the first current red flag in one clause.

    ``personal``: the message speaks of someone's own situation anywhere ("I", "my dad").
    """
    words = tokens(clause)
    informational = _informational(words, personal)
    for category, phrases in rules.RED_FLAGS.items():
        for phrase in phrases:
            start = find_phrase(words, phrase)
            if start is None or _negated(words, start) or _resolved(clause, words):
                continue
            if category not in rules.ALWAYS_ESCALATE and informational:
                continue
            return category, " ".join(phrase)
    if (
        _has_any(words, rules.FEVER)
        and _young_infant(clause, words, informational)
        and not _negated(words, len(words))
        and not _resolved(clause, words)
    ):
        return "infant_fever", "fever in a young infant"
    if _has_any(words, rules.SUGAR) and not informational:
        low = [int(n) for n in _NUMBER.findall(clause) if 10 <= int(n) < rules.VERY_LOW_SUGAR_MG_DL]
        if low:
            return "low_blood_sugar", f"blood sugar {low[0]}"
    return None


def _young_infant(clause: str, words: list[str], informational: bool) -> bool:
    months = [int(m) for m in _AGE_MONTHS.findall(clause)]
    if months:
        return min(months) < 3
    return _has_any(words, rules.INFANT) and not informational


def assess(message: str, language: str | None = None) -> SafetyAssessment:
    """Escalate red flags, decline personal dose or diagnosis requests, otherwise allow."""
    lang: Literal["en", "es"] = "es" if (language or guess_language(message)) == "es" else "en"
    personal = _is_personal(tokens(message))
    for clause in clauses(message):
        found = _red_flag(clause, personal)
        if found:
            category, matched = found
            return SafetyAssessment(
                action="escalate",
                category=category,
                language=lang,
                matched=[matched],
                message=messages.emergency_message(category, lang),
            )
    words = tokens(message)
    for category, phrases, text in (
        ("personal_dose", rules.PERSONAL_DOSE, messages.DECLINE_DOSE),
        ("personal_diagnosis", rules.PERSONAL_DIAGNOSIS, messages.DECLINE_DIAGNOSIS),
    ):
        for phrase in phrases:
            if find_phrase(words, phrase) is not None:
                return SafetyAssessment(
                    action="decline",
                    category=category,
                    language=lang,
                    matched=[" ".join(phrase)],
                    message=text[lang],
                )
    return SafetyAssessment(action="allow", language=lang)
