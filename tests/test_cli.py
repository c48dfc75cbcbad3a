"""The careexplain command, run in-process with Typer's runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from careexplain.cli import app
from careexplain.settings import get_settings
from tests.helpers import write_doc

pytestmark = pytest.mark.integration
runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CAREEXPLAIN_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield tmp_path / "data"
    get_settings.cache_clear()


def test_ingest_search_info_delete(tmp_path: Path, data_dir: Path) -> None:
    src = tmp_path / "src"
    write_doc(src, "gout", "## What it is\nGout is painful swelling in the big toe joint.")
    write_doc(src, "hives", "## What it is\nHives are itchy welts on the skin.")

    result = runner.invoke(app, ["ingest", str(src)])
    assert result.exit_code == 0, result.output
    assert "2 added" in result.output

    result = runner.invoke(app, ["search", "swollen toe", "-k", "1", "--json"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert hits[0]["doc_id"] == "gout"
    assert set(hits[0]) == {"chunk_id", "doc_id", "title", "section", "text", "source_url", "score"}

    result = runner.invoke(app, ["search", "itchy skin", "-k", "1"])
    assert "Hives" in result.stdout

    info = json.loads(runner.invoke(app, ["index", "info"]).stdout)
    assert (info["documents"], info["embedding"]["dimension"]) == (2, 384)
    assert runner.invoke(app, ["index", "verify"]).exit_code == 0

    result = runner.invoke(app, ["delete", "hives"])
    assert result.exit_code == 0
    assert "1 deleted" in result.output
    result = runner.invoke(app, ["delete", "hives"])
    assert result.exit_code == 2
    assert "[E401]" in result.output


def test_errors_are_numbered_and_exit_nonzero(tmp_path: Path, data_dir: Path) -> None:
    result = runner.invoke(app, ["search", "flu"])
    assert result.exit_code == 2
    assert "[E101]" in result.output
    result = runner.invoke(app, ["ingest", str(tmp_path / "missing")])
    assert result.exit_code == 2
    assert "does not exist" in result.output
    result = runner.invoke(app, ["ingest", str(tmp_path), "--format", "pdf"])
    assert result.exit_code == 2
    assert "[E202]" in result.output
    result = runner.invoke(app, ["search", "flu", "-k", "0"])
    assert result.exit_code == 2
