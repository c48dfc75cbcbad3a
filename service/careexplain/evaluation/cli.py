"""``careexplain eval``: run evaluation suites and write results.json and report.html."""

from __future__ import annotations

import typer


def run_eval() -> None:
    """Run evaluation suites (being built)."""
    raise typer.Exit(code=2)
