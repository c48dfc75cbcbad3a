"""Medication signature parts and measurement values, found by patterns near the mention."""

from __future__ import annotations

import re
from dataclasses import dataclass

from careexplain.notes.models import MedicationStatus

_NUM = r"\d+(?:[.,]\d+)?(?:\s*(?:-|to)\s*\d+(?:\.\d+)?)?"
_WORDNUM = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|half|1/2)"
_MASS = (
    r"(?:mg|mgs|mcg|µg|ug|g|gm|grams?|milligrams?|micrograms?|kg|meq|mEq|mmol|"
    r"iu|IU|ml|mL|cc|%)"
)
_PER = r"(?:\s*/\s*(?:kg|m2|m²|day|d|dose|ml|mL|h|hr|hour|week|wk|min))*"
_UNITS = r"(?:units?|u)\b"
_FORM = (
    r"(?:tab(?:let)?s?|cap(?:sule)?s?|puffs?|drops?|patch(?:es)?|sprays?|inhalations?|pills?|"
    r"suppositor(?:y|ies)|vials?|teaspoons?|tsp|tablespoons?|tbsp|applications?)"
)

_STRENGTH = re.compile(rf"\b{_NUM}\s*{_MASS}{_PER}(?:\s*-\s*{_NUM}\s*{_MASS})?(?![A-Za-z])")
_DOSE = re.compile(
    rf"\b(?:{_NUM}|{_WORDNUM})\s*(?:{_FORM}|{_UNITS})(?![A-Za-z])"
    r"|\b(?:(?:single|high|low|higher|lower|normal|therapeutic|toxic|standard|maximum|"
    r"max|increased|excessive|large|small|full|loading|maintenance|first|second|third|"
    r"cumulative|prophylactic|regular|conventional|moderate|multiple|repeated|\d+)[- ]?)+"
    r"(?:doses?|dosages?|dosing)\b|\boverdos(?:es?|age)\b",
    re.IGNORECASE,
)
_ROUTE = re.compile(
    r"\b(?:by mouth|per os|orally|oral|intravenous(?:ly)?|i\.v\.|intramuscular(?:ly)?|i\.m\.|"
    r"subcutaneous(?:ly)?|subq|sub-q|subcut|s\.c\.|sublingual(?:ly)?|topical(?:ly)?|"
    r"inhaled|inhalation|nebuli[sz]ed|per rectum|rectal(?:ly)?|transdermal(?:ly)?|"
    r"intrathecal(?:ly)?|intravitreal(?:ly)?|intraperitoneal(?:ly)?|intraventricular|"
    r"intranasal(?:ly)?|nasal|ophthalmic|otic|epidural|parenteral(?:ly)?|intra-arterial|"
    r"intravesical|intradermal|intravaginal(?:ly)?|intralesional|"
    r"(?:continuous |intravenous |iv |subcutaneous )?(?:bolus|infusions?|injections?)|"
    r"(?:eye |ear )?drops|(?:nasal )?sprays?|enemas?|creams?|ointments?|gels?|lotions?|"
    r"irrigations?|instillations?|infiltrations?|"
    r"ingestion|ingested|po|p\.o\.|iv|ivp|ivpb)(?!\w)"
    r"|\b(?:IM|SC|SQ|SL|PR|NG|PEG)\b",
    re.IGNORECASE,
)
_UPPER_ONLY_ROUTES = frozenset({"im", "sc", "sq", "sl", "pr", "ng", "peg"})
_FREQ = re.compile(
    r"\b(?:(?:once|twice|thrice|one time|two times|three times|four times|\d+ times|"
    r"\d+\s*x)(?:[\s-]*(?:a|per|each|/))?[\s-]*(?:day|daily|week|weekly|month|night)"
    r"|per (?:day|week)|tiw|biw|qow|q\.o\.d\."
    r"|\d+\s*times/day|(?:every|q)\s*\d+(?:\s*(?:-|to)\s*\d+)?\s*(?:hours?|hrs?|h|minutes|"
    r"min|days?|weeks?|months?)"
    r"|every (?:other )?(?:morning|evening|night|day|week|month)"
    r"|(?:at|before|with|after) (?:bedtime|night|meals|breakfast|dinner|supper|lunch)"
    r"|in the (?:morning|evening)|nightly|daily|weekly|monthly|biweekly|hourly|"
    r"bid|b\.i\.d\.|tid|t\.i\.d\.|qid|q\.i\.d\.|qd|q\.d\.|qhs|qam|qpm|qod|qweek|hs|"
    r"a single dose|single dose)(?!\w)",
    re.IGNORECASE,
)
_DURATION = re.compile(
    rf"\b(?:for|x|times|over|during)\s*(?:the\s+(?:next|following|first|last)\s+)?"
    rf"(?:{_NUM}|{_WORDNUM}|another|one more|a|several)\s*"
    r"(?:more\s+)?(?:days?|d|weeks?|wks?|months?|years?|yrs?|doses?|cycles?|courses?)\b"
    rf"|\b{_NUM}[- ](?:day|week|month)\s+(?:course|regimen|treatment)\b"
    r"|\b(?:long|short)[- ]term\b",
    re.IGNORECASE,
)
# "prn" counts on its own ("prn at bedtime", "prn pain"); the reason after "for" only when a
# clause end closes it. A reason without "for" is read by the pipeline from its mentions.
_PRN = re.compile(
    r"(?<![\w.])(?:prn|p\.r\.n\.|as needed|as necessary|when needed|if needed)(?![\w])"
    r"(?:\s+for\s+([a-z][a-z ]{1,30}?)(?=[,.;)\n]|\s+(?:and|or|max|up)\b|$))?",
    re.IGNORECASE,
)
_STATUS_WORDS: list[tuple[MedicationStatus, re.Pattern[str]]] = [
    (
        MedicationStatus.STOPPED,
        re.compile(
            r"\b(?:stop(?:ped|ping|s)?|discontinu(?:e|ed|ing|es)|d/c(?:'?d)?|dc'?d|hold|held|"
            r"holding|cease[ds]?|off)\b",
            re.IGNORECASE,
        ),
    ),
    (
        MedicationStatus.CHANGED,
        re.compile(
            r"\b(?:increas(?:e|ed|ing)|decreas(?:e|ed|ing)|reduc(?:e|ed|ing)|titrat(?:e|ed|ing)|"
            r"chang(?:e|ed|ing)|adjust(?:ed|ing)?|switch(?:ed|ing)?|uptitrat(?:e|ed)|"
            r"wean(?:ed|ing)?|taper(?:ed|ing)?|incr\.?|decr\.?)\b",
            re.IGNORECASE,
        ),
    ),
    (
        MedicationStatus.NEW,
        re.compile(
            r"\b(?:start(?:ed|ing|s)?|begin|began|initiat(?:e|ed|ing)|new|add(?:ed)?|"
            r"prescrib(?:e|ed)|commence[ds]?)\b",
            re.IGNORECASE,
        ),
    ),
    (
        MedicationStatus.CONTINUED,
        re.compile(r"\b(?:continu(?:e|ed|ing)|cont\.?|resume[ds]?|same)\b", re.IGNORECASE),
    ),
]


@dataclass(frozen=True, slots=True)
class Found:
    """One attribute match: kind, offsets in the note and the text."""

    kind: str  # strength | dose | route | frequency | duration | prn
    start: int
    end: int
    text: str
    extra: str | None = None  # the PRN reason


def find_attributes(
    text: str, start: int = 0, end: int | None = None, kinds: frozenset[str] | None = None
) -> list[Found]:
    """Signature parts in ``text[start:end]``, non-overlapping, earliest and longest first."""
    end = len(text) if end is None else end
    window = text[start:end]
    found: list[Found] = []
    for kind, pattern in (
        ("strength", _STRENGTH),
        ("dose", _DOSE),
        ("duration", _DURATION),
        ("frequency", _FREQ),
        ("route", _ROUTE),
    ):
        for m in pattern.finditer(window):
            word = m.group(0)
            if kind == "route" and word.lower() in _UPPER_ONLY_ROUTES and not word.isupper():
                continue
            found.append(Found(kind, start + m.start(), start + m.end(), m.group(0)))
    for m in _PRN.finditer(window):
        reason = m.group(1).strip() if m.group(1) else None
        found.append(Found("prn", start + m.start(), start + m.end(), m.group(0), reason))
    if kinds is not None:
        found = [f for f in found if f.kind in kinds]
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[Found] = []
    last_end = -1
    for f in found:
        if f.start >= last_end:
            kept.append(f)
            last_end = f.end
    return kept


_STRENGTH_BEFORE = re.compile(rf"({_STRENGTH.pattern})\s*(?:of\s+)?(?:the\s+)?$")


def strength_before(text: str, start: int, end: int) -> Found | None:
    """A strength written right before the drug ("500 mg of ticlopidine"), if any."""
    m = _STRENGTH_BEFORE.search(text, start, end)
    if m is None:
        return None
    return Found("strength", m.start(1), m.end(1), m.group(1))


def status_in(text: str) -> MedicationStatus | None:
    """The medication status a clause states ("stop", "increase", "start"), if any."""
    for status, pattern in _STATUS_WORDS:
        if pattern.search(text):
            return status
    return None


_MEAS_VALUE = re.compile(
    r"\s*(?:\(\s*)?(?:of|was|is|were|are|at|:|=|-)?\s*(?:of|was|is|:|=)?\s*"
    r"(?P<value>\d{1,3}\s*/\s*\d{1,3}|[<>≤≥]?\s*\d+(?:\.\d+)?(?:\s*%)?"
    r"|negative|positive|neg|pos|normal|abnormal|elevated|undetectable|pending|"
    r"unremarkable|high|low|within normal limits|wnl)"
    r"(?:\s*(?P<unit>mmHg|mm Hg|mmol/L|mEq/L|mg/dL|g/dL|ng/mL|ng/L|pg/mL|U/L|IU/L|"
    r"bpm|beats per minute|breaths/min|/min|°F|°C|F|C|kg|lbs?|cm|in|K/uL|x10\^9/L|"
    r"mL/min(?:/1\.73\s*m2)?|%|kg/m2))?"
    r"(?P<flag>\s*(?:\((?:H|L|high|low)\)|\b(?:high|low|elevated)\b))?",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class MeasurementValue:
    end: int  # end offset of value/unit/flag in the note
    value: str
    unit: str | None
    flag: str | None


def measurement_after(text: str, pos: int) -> MeasurementValue | None:
    """The value, unit and flag written right after a measurement name at ``pos``."""
    m = _MEAS_VALUE.match(text, pos, min(len(text), pos + 60))
    if not m:
        return None
    value = re.sub(r"\s+", "", m.group("value")) if "/" in m.group("value") else m.group("value")
    unit = m.group("unit")
    flag_text = (m.group("flag") or "").strip().strip("()").lower()
    flag = {"h": "high", "high": "high", "elevated": "high", "l": "low", "low": "low"}.get(
        flag_text
    )
    if flag is None and value.lower() in ("elevated", "high"):
        flag = "high"
    elif flag is None and value.lower() == "low":
        flag = "low"
    elif flag is None and value.lower() in ("positive", "pos", "abnormal"):
        flag = "abnormal"
    end = m.end("flag") if m.group("flag") else (m.end("unit") if unit else m.end("value"))
    return MeasurementValue(end, value, unit, flag)
