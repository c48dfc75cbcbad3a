"""The quality self-check passes a good handout and warns, with reasons, on a poor one."""

from __future__ import annotations

from careexplain.handouts.models import HandoutSection
from careexplain.handouts.quality import check
from tests.handouts.sample import sample_content


def test_good_handout_passes_every_item() -> None:
    report = check(sample_content())
    assert {i.key for i in report.items} == {
        "reading_grade",
        "clear_purpose",
        "common_words",
        "short_sections",
        "active_voice",
        "summary",
        "explicit_action",
        "tangible_tools",
    }
    assert [i.key for i in report.items if i.status == "warn"] == []
    assert 0 < report.fk_grade <= 6.5


def test_poor_handout_warns_with_reasons() -> None:
    hard = (
        "Pharmacological intervention necessitates comprehensive multidisciplinary "
        "evaluation of cardiovascular comorbidities was performed by the institution."
    )
    content = sample_content().model_copy(
        update={
            "purpose": "",
            "summary": [],
            "medicines": [],
            "sections": [
                HandoutSection(
                    topic="heart failure",
                    kind="problem",
                    heading="Heart failure",
                    why_it_matters=[hard] * 6,
                )
            ],
        }
    )
    report = check(content)
    warned = {i.key: i.reason for i in report.items if i.status == "warn"}
    assert set(warned) >= {
        "reading_grade",
        "clear_purpose",
        "common_words",
        "short_sections",
        "active_voice",
        "summary",
        "explicit_action",
        "tangible_tools",
    }
    assert "Not defined: heart failure" in warned["common_words"]
    assert report.fk_grade > 12
