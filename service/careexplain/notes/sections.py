"""Note sections with medspaCy's Sectionizer, plus headers its stock rules miss."""

from __future__ import annotations

import warnings
from typing import Any

from medspacy.section_detection import (
    Sectionizer,
    SectionRule,
)
from spacy.language import Language
from spacy.tokens import Doc

from careexplain.notes.models import Section

# medspaCy's categories mapped to ours; unlisted ones are kept as they are.
_CATEGORY = {"allergy": "allergies", "observation_and_plan": "assessment_and_plan"}

# Headers notes use that the stock rules lack ("Review of Systems" among them).
_EXTRA_HEADERS: dict[str, list[str]] = {
    "review_of_systems": ["Review of Systems:", "Review of Systems", "ROS:", "REVIEW OF SYSTEMS"],
    "allergies": ["Allergies:", "Allergy:", "ALLERGIES", "Drug Allergies:", "Allergies/ADRs:"],
    "medications": [
        "Medications:",
        "Meds:",
        "MEDS:",
        "Current Medications:",
        "Home Medications:",
        "Medications on Admission:",
        "Discharge Medications:",
        "Outpatient Medications:",
    ],
    "past_medical_history": [
        "Past Medical History:",
        "PMH:",
        "PMHx:",
        "Past Medical History",
        "Medical History:",
    ],
    "past_surgical_history": ["Past Surgical History:", "PSH:", "Surgical History:"],
    "family_history": ["Family History:", "FH:", "FHx:", "Family Hx:", "Family History"],
    "social_history": ["Social History:", "SH:", "Social Hx:"],
    "history_of_present_illness": ["History of Present Illness:", "HPI:", "HPI"],
    "chief_complaint": ["Chief Complaint:", "CC:", "Reason for visit:", "Reason for Visit:"],
    "assessment_and_plan": [
        "Assessment and Plan:",
        "Assessment/Plan:",
        "A/P:",
        "Impression/Plan:",
        "Plan:",
        "Assessment:",
        "Impression:",
        "A&P:",
    ],
    "problem_list": ["Problems:", "Active Problems:", "Problem list:"],
    "diagnoses": ["Diagnosis:", "Diagnoses:"],
    "physical_exam": ["Physical Exam:", "PE:", "Exam:", "Physical Examination:"],
    "vital_signs": ["Vital Signs:", "Vitals:", "VS:", "VITALS:"],
    "labs_and_studies": ["Labs:", "Laboratory:", "Lab Results:", "LABS", "Results:"],
    "hospital_course": ["Hospital Course:"],
    "patient_instructions": ["Discharge Instructions:", "Instructions:", "Follow-up:"],
}


def build_sectionizer(nlp: Language) -> Any:
    """The stock header rules (those that end in ':' or are multi-word) plus ours."""
    sectionizer = Sectionizer(nlp, rules=None, name="careexplain_sections")
    stock = SectionRule.from_json(sectionizer.DEFAULT_RULES_FILEPATH)
    # One-word stock headers without a colon ("Allergies", "Consult") fire inside sentences.
    rules = [r for r in stock if r.literal.endswith(":") or " " in r.literal.strip()]
    for category, literals in _EXTRA_HEADERS.items():
        rules.extend(SectionRule(literal=lit, category=category) for lit in literals)
    sectionizer.add(rules)
    return sectionizer


def read_sections(sectionizer: Any, doc: Doc, starts: list[int], ends: list[int]) -> list[Section]:
    """Sections of ``doc`` with character offsets; text before the first header has none.

    Uses the Sectionizer's rules and matcher but not its ``__call__``, which sets a custom
    attribute on every token and took as long as the rest of the pipeline.
    """
    matcher: Any = sectionizer._Sectionizer__matcher
    with warnings.catch_warnings():
        # The Sectionizer keeps an empty token Matcher beside its phrase rules; spaCy warns
        # about it (W036) on every note.
        warnings.filterwarnings("ignore", message=r"\[W036\]")
        matches = sorted(matcher(doc), key=lambda m: m[1])
    text = doc.text
    out: list[Section] = []
    for i, (match_id, start, end) in enumerate(matches):
        rule = matcher.rule_map[doc.vocab.strings[match_id]]
        title_start, title_end = starts[start], ends[end - 1]
        body_end = starts[matches[i + 1][1]] if i + 1 < len(matches) else len(text)
        out.append(
            Section(
                name=_CATEGORY.get(rule.category, rule.category),
                title=text[title_start:title_end],
                start=title_start,
                end=len(text[:body_end].rstrip()) if body_end > title_end else title_end,
            )
        )
    return out


def section_at(sections: list[Section], char: int) -> str | None:
    """The name of the section holding character offset ``char``."""
    for sec in sections:
        if sec.start <= char < sec.end:
            return sec.name
    return None
