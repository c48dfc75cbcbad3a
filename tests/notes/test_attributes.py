"""Medication signature and measurement patterns, on phrases written for these tests."""

from __future__ import annotations

import pytest

from careexplain.notes.attributes import find_attributes, measurement_after, status_in
from careexplain.notes.models import MedicationStatus


def kinds(text: str) -> dict[str, str]:
    return {f.kind: f.text for f in find_attributes(text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (" to 40 mg IV BID", {"strength": "40 mg", "route": "IV", "frequency": "BID"}),
        (" 20 units at bedtime", {"dose": "20 units", "frequency": "at bedtime"}),
        (
            " 1 mg Cap 3 capsules by mouth twice a day",
            {
                "strength": "1 mg",
                "dose": "3 capsules",
                "route": "by mouth",
                "frequency": "twice a day",
            },
        ),
        (
            " 500 mg PO b.i.d. x 7 days",
            {"strength": "500 mg", "route": "PO", "frequency": "b.i.d.", "duration": "x 7 days"},
        ),
        (
            " 2 puffs inhaled q4h prn",
            {"dose": "2 puffs", "route": "inhaled", "frequency": "q4h", "prn": "prn"},
        ),
        (" 400 mg/day orally", {"strength": "400 mg/day", "route": "orally"}),
        (
            " 0.5 mg SL every 5 minutes",
            {"strength": "0.5 mg", "route": "SL", "frequency": "every 5 minutes"},
        ),
        ("high-dose", {"dose": "high-dose"}),
        (" injection.", {"route": "injection"}),
        (
            " 10 mg daily for 2 weeks",
            {"strength": "10 mg", "frequency": "daily", "duration": "for 2 weeks"},
        ),
    ],
)
def test_signature_parts(text: str, expected: dict[str, str]) -> None:
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    ["a 53-year-old man", "chronic renal failure", "im fine", "sl", "the plan is pr"],
)
def test_no_false_signature_parts(text: str) -> None:
    assert kinds(text) == {}


def test_prn_reason() -> None:
    found = [f for f in find_attributes(" 5 mg q6h as needed for pain.") if f.kind == "prn"]
    assert found[0].extra == "pain"


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Increase ", MedicationStatus.CHANGED),
        ("Will hold ", MedicationStatus.STOPPED),
        ("d/c ", MedicationStatus.STOPPED),
        ("Start ", MedicationStatus.NEW),
        ("continue ", MedicationStatus.CONTINUED),
        ("Takes ", None),
    ],
)
def test_status(text: str, status: MedicationStatus | None) -> None:
    assert status_in(text) == status


@pytest.mark.parametrize(
    ("text", "value", "unit", "flag"),
    [
        ("BP 158/92 today", "158/92", None, None),
        ("K 3.2 mmol/L", "3.2", "mmol/L", None),
        ("HbA1c of 7.9%", "7.9%", None, None),
        ("troponin negative", "negative", None, None),
        ("creatinine 2.1 mg/dL (H)", "2.1", "mg/dL", "high"),
        ("WBC elevated", "elevated", None, "high"),
    ],
)
def test_measurement_values(text: str, value: str, unit: str | None, flag: str | None) -> None:
    name_end = text.index(" ")
    found = measurement_after(text, name_end)
    assert found is not None
    assert (found.value, found.unit, found.flag) == (value, unit, flag)
    assert value in text[name_end : found.end]
    assert (unit or value) in text[name_end : found.end]


def test_measurement_needs_a_value() -> None:
    assert measurement_after("K was not checked", 1) is None
