"""``careexplain notes …``: extract entities from a note file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from careexplain.errors import CareExplainError
from careexplain.notes.models import Entity, NoteExtraction
from careexplain.settings import Settings

app = typer.Typer(help="Read clinical notes: entities, context and PHI.", no_args_is_help=True)

_CONTENT_TYPES = {".json": "application/json", ".txt": "text/plain", ".md": "text/plain"}


def _details(e: Entity) -> str:
    if e.medication is not None:
        m = e.medication
        parts = [m.dose, m.route, m.frequency, m.duration, "PRN" if m.prn else None]
        return " ".join(p for p in parts if p) + f" [{m.status.value}]"
    if e.allergy is not None:
        return f"reaction: {e.allergy.reaction}" if e.allergy.reaction else ""
    if e.measurement is not None:
        v = e.measurement
        return " ".join(p for p in (v.value, v.unit, v.flag) if p)
    return ""


def _flags(e: Entity) -> str:
    names = ("negated", "historical", "hypothetical", "family", "uncertain")
    return ", ".join(n for n in names if getattr(e.context, n))


def render_table(extraction: NoteExtraction) -> Table:
    """A readable table of the entities."""
    table = Table(title=f"{len(extraction.entities)} entities")
    for col in ("type", "text", "normalised", "code", "section", "context", "details"):
        table.add_column(col)
    for e in extraction.entities:
        table.add_row(
            e.label.value,
            e.text,
            e.normalized or "",
            e.code or "",
            e.section or "",
            _flags(e),
            _details(e),
        )
    return table


@app.command("extract")
def extract(
    file: Annotated[Path, typer.Argument(help="A note: plain text or FHIR JSON.", exists=True)],
    as_json: Annotated[bool, typer.Option("--json", help="Print the extraction as JSON.")] = False,
) -> None:
    """Find problems, medications, allergies, labs, vitals and procedures in FILE."""
    from careexplain.notes.input import read_note
    from careexplain.notes.pipeline import NoteExtractor

    console = Console(soft_wrap=True)
    if not console.is_terminal:
        console = Console(width=160)  # piped output: wide rows rather than wrapped words
    settings = Settings()
    try:
        content_type = _CONTENT_TYPES.get(file.suffix.lower(), "")
        note = read_note(file.read_bytes(), content_type, settings.max_note_bytes)
        extraction = NoteExtractor.from_settings(settings).extract(note.text)
    except CareExplainError as exc:
        Console(stderr=True).print(f"[red]error[/red] {exc}")
        raise typer.Exit(1) from None
    if as_json:
        typer.echo(extraction.model_dump_json(indent=2))
    else:
        console.print(render_table(extraction))
