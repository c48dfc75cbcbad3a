"""``careexplain eval``: run evaluation suites and write results.json and report.html."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from rich.console import Console
from rich.table import Table

from careexplain.errors import CareExplainError, EvalConfigError
from careexplain.evaluation import config as eval_config
from careexplain.evaluation.runner import REPORT_NAME, run
from careexplain.settings import Settings


def _overrides(pairs: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise EvalConfigError(f"--set {pair!r}: use KEY=VALUE, e.g. --set retrieval_k=3")
        out[key.strip()] = yaml.safe_load(value)
    return out


def run_eval(
    suites: Annotated[
        list[str] | None,
        typer.Argument(
            help="Suite names under eval/suites (smoke, full, retrieval, …) or .yaml files."
        ),
    ] = None,
    base_url: Annotated[
        str | None, typer.Option("--base-url", help="Evaluate a deployed service instead.")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Output folder for this run.")] = None,
    baseline: Annotated[
        Path | None, typer.Option("--baseline", help="A previous results.json or run folder.")
    ] = None,
    model: Annotated[
        str | None, typer.Option("--model", help="Generator model (overrides the suite file).")
    ] = None,
    settings_set: Annotated[
        list[str] | None, typer.Option("--set", help="Setting override KEY=VALUE (repeatable).")
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="At most N items per data set.")
    ] = None,
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
) -> None:
    """Run evaluation suites; exit 1 when a threshold fails."""
    console = Console(stderr=True)
    try:
        config = eval_config.load(suites or ["smoke"])
        overrides = _overrides(settings_set or [])
        if model:
            overrides["generator_model"] = model
        results, folder = run(
            config,
            Settings(),
            out_dir=out,
            base_url=base_url,
            baseline=baseline,
            limit=limit,
            overrides=overrides,
            progress=progress,
        )
    except CareExplainError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(code=2) from exc
    table = Table(title=f"careexplain eval {config.name}")
    for column in ("suite", "status", "seconds", "note"):
        table.add_column(column)
    for name, suite in results.suites.items():
        table.add_row(name, suite.status, f"{suite.seconds:.0f}", suite.reason[:80])
    console.print(table)
    failed = [t for t in results.thresholds if not t.passed]
    for t in failed:
        console.print(
            f"[red]threshold failed: {t.metric} {t.rule} (got {t.value}) {t.reason}[/red]"
        )
    regressions = [d.metric for d in results.diff if d.regression]
    if regressions:
        console.print(f"[yellow]{len(regressions)} regression(s) against the baseline[/yellow]")
    typer.echo(str(folder / REPORT_NAME))
    if failed:
        raise typer.Exit(code=1)
