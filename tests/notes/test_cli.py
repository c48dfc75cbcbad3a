"""``careexplain notes extract FILE [--json]`` with the real pipeline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from careexplain.cli import app

pytestmark = pytest.mark.slow

NOTE = "PMH: HTN. Meds: lisinopril 10 mg PO daily. Allergies: sulfa (rash).\n"


@pytest.fixture
def note_file(tmp_path: Path) -> Path:
    path = tmp_path / "note.txt"
    path.write_text(NOTE, encoding="utf-8")
    return path


def test_extract_json(note_file: Path) -> None:
    result = CliRunner().invoke(app, ["notes", "extract", str(note_file), "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    by_text = {e["text"]: e for e in body["entities"]}
    assert by_text["HTN"]["context"]["historical"] is True
    assert by_text["lisinopril"]["medication"]["frequency"] == "daily"
    assert by_text["sulfa"]["label"] == "ALLERGY"


def test_extract_table(note_file: Path) -> None:
    result = CliRunner().invoke(app, ["notes", "extract", str(note_file)])
    assert result.exit_code == 0, result.output
    assert "lisinopril" in result.stdout
    assert "MEDICATION" in result.stdout


def test_empty_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("  \n", encoding="utf-8")
    result = CliRunner().invoke(app, ["notes", "extract", str(path)])
    assert result.exit_code == 1
    assert "E203" in result.output
