"""``careexplain notes …``: extract entities from a note file."""

from __future__ import annotations

import typer

app = typer.Typer(help="Read clinical notes: entities, context and PHI.", no_args_is_help=True)
