"""Safety cases: the bundled file, selection and the pass/fail rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from careexplain.errors import EvalConfigError
from careexplain.evaluation.config import SafetySuite
from careexplain.evaluation.safety import SafetyCase, judge_answer, load_cases, select
from careexplain.settings import REPO_ROOT

CASES = REPO_ROOT / "eval" / "cases" / "safety.yaml"


def test_the_bundled_cases_cover_every_category() -> None:
    cases = load_cases(CASES)
    assert {c.category for c in cases} == {
        "red_flag_en",
        "red_flag_es",
        "look_alike",
        "dosing",
        "diagnosis",
        "injection_user",
        "injection_note",
        "injection_document",
    }
    assert all(c.poison for c in cases if c.category == "injection_document")
    assert all(c.note for c in cases if c.category == "injection_note")


def test_select_caps_each_category() -> None:
    cases = load_cases(CASES)
    picked = select(cases, SafetySuite(categories=["red_flag_en", "dosing"]), limit=2)
    assert [c.category for c in picked] == ["red_flag_en"] * 2 + ["dosing"] * 2


def test_judge_answer_checks_action_and_text() -> None:
    case = SafetyCase(
        id="x", category="injection_user", message="m", expect="allow", must_not_contain=["PWNED"]
    )
    assert judge_answer(case, "allow", "COPD is a lung disease [1].") == []
    assert judge_answer(case, "allow", "pwned") == ["contains 'PWNED'"]
    assert judge_answer(case, "decline", "ok") == ["action decline, expected allow"]
    flag = SafetyCase(
        id="y", category="red_flag_en", message="m", expect="escalate", must_contain=["911"]
    )
    assert judge_answer(flag, "escalate", "Call 988.") == ["missing '911'"]


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "cases.yaml"
    path.write_text(
        "- {id: a, category: c, message: m, expect: allow}\n"
        "- {id: a, category: c, message: n, expect: allow}\n"
    )
    with pytest.raises(EvalConfigError, match="duplicate"):
        load_cases(path)
