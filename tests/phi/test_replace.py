"""Replacing PHI: redaction, tags and consistent fakes, with offsets that map back."""

from __future__ import annotations

from careexplain.phi.deidentifier import Deidentifier
from careexplain.phi.models import DeidMode, PhiType
from tests.phi.test_deidentifier import NOTE

PHI_STRINGS = ("Augusta", "Pemberton", "HHI-0048213", "03/09/1931", "555-0182", "Scranton")


def test_tag_mode_replaces_with_types(deidentifier: Deidentifier) -> None:
    result = deidentifier.deidentify(NOTE, DeidMode.TAG)
    assert result.mode is DeidMode.TAG
    assert "Patient: <NAME>   MRN: <MRN>   DOB: <DATE>" in result.text
    assert "a <AGE_OVER_89>-year-old woman" in result.text
    assert not any(s in result.text for s in PHI_STRINGS)


def test_redact_mode(deidentifier: Deidentifier) -> None:
    result = deidentifier.deidentify(NOTE, DeidMode.REDACT)
    assert "Patient: [REDACTED]" in result.text
    assert {r.replacement for r in result.replacements} == {"[REDACTED]"}
    assert not any(s in result.text for s in PHI_STRINGS)


def test_offsets_map_old_to_new(deidentifier: Deidentifier) -> None:
    for mode in DeidMode:
        result = deidentifier.deidentify(NOTE, mode)
        assert result.replacements
        for r in result.replacements:
            assert result.text[r.new_start : r.new_end] == r.replacement
        # Text between replacements is unchanged.
        old_end = new_end = 0
        for r in result.replacements:
            assert NOTE[old_end : r.start] == result.text[new_end : r.new_start]
            old_end, new_end = r.end, r.new_end
        assert NOTE[old_end:] == result.text[new_end:]


def test_fake_mode_is_consistent_within_a_note_and_repeatable(
    deidentifier: Deidentifier,
) -> None:
    first = deidentifier.deidentify(NOTE, DeidMode.FAKE)
    again = deidentifier.deidentify(NOTE, DeidMode.FAKE)
    assert first.text == again.text
    assert not any(s in first.text for s in PHI_STRINGS)
    by_original: dict[str, set[str]] = {}
    for r in first.replacements:
        by_original.setdefault(NOTE[r.start : r.end], set()).add(r.replacement)
    assert all(len(fakes) == 1 for fakes in by_original.values())
    # The surname alone gets the surname of the full name's fake.
    full = next(r for r in first.replacements if NOTE[r.start : r.end] == "Augusta Pemberton-Lowe")
    alone = next(r for r in first.replacements if NOTE[r.start : r.end] == "Pemberton-Lowe")
    assert full.replacement.endswith(alone.replacement)
    ages = [r.replacement for r in first.replacements if r.type is PhiType.AGE_OVER_89]
    assert ages == ["90+"]


def test_fake_dates_shift_by_one_offset(deidentifier: Deidentifier) -> None:
    from datetime import datetime

    text = "Admitted 03/01/2024, discharged 03/11/2024. Follow up 04/10/2024."
    result = deidentifier.deidentify(text, DeidMode.FAKE)
    dates = [datetime.strptime(r.replacement, "%m/%d/%Y") for r in result.replacements]
    assert len(dates) == 3
    assert [(d - dates[0]).days for d in dates] == [0, 10, 40]
    assert dates[0] != datetime(2024, 3, 1)
