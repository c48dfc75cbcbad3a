"""Suite files: every bundled one validates; mistakes give E701 naming the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from careexplain.errors import EvalConfigError
from careexplain.evaluation.config import SUITES_DIR, load, load_file
from careexplain.evaluation.runner import target_settings
from careexplain.settings import Settings


@pytest.mark.parametrize("path", sorted(SUITES_DIR.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_bundled_suite_file_validates(path: Path) -> None:
    config = load_file(path)
    assert config.enabled()


def test_full_includes_every_suite_and_their_thresholds() -> None:
    full = load(["full"])
    assert full.enabled() == ["retrieval", "answers", "safety", "notes", "support"]
    assert "retrieval.guidance.hybrid.recall@5" in full.thresholds
    assert "safety.red_flag_en.pass_rate" in full.thresholds


def test_several_files_merge() -> None:
    merged = load(["retrieval", "support"])
    assert merged.enabled() == ["retrieval", "support"]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_unknown_field_is_named(tmp_path: Path) -> None:
    path = _write(tmp_path, "suites:\n  retrieval:\n    datasets: []\n    kk: [1]\n")
    with pytest.raises(EvalConfigError, match=r"E701.*suites\.retrieval\.kk") as info:
        load_file(path)
    assert "datasets" in str(info.value)  # also: at least one dataset is required


def test_a_bad_threshold_rule_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "suites:\n  support: {}\nthresholds:\n  support.cases: 'lots'\n")
    with pytest.raises(EvalConfigError, match="'lots'"):
        load_file(path)


def test_an_unknown_suite_name_lists_the_known_ones() -> None:
    with pytest.raises(EvalConfigError, match="smoke"):
        load(["nonsense"])


def test_settings_overrides_are_validated() -> None:
    base = Settings()
    assert target_settings(base, {"retrieval_k": 3}).retrieval_k == 3
    with pytest.raises(EvalConfigError, match=r"settings\.retrieval_k"):
        target_settings(base, {"retrieval_k": 99})
    with pytest.raises(EvalConfigError, match=r"settings\.no_such_thing"):
        target_settings(base, {"no_such_thing": 1})
