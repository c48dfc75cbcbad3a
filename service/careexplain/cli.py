"""The ``careexplain`` command: ingest, search, inspect and serve."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from careexplain.errors import CareExplainError
from careexplain.evaluation import cli as evaluation_cli
from careexplain.notes import cli as notes_cli
from careexplain.settings import Settings, get_settings

app = typer.Typer(
    help="CareExplain: plain-language, cited explanations of clinical guidance.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
index_app = typer.Typer(help="Inspect and maintain the index.", no_args_is_help=True)
app.add_typer(index_app, name="index")
app.add_typer(notes_cli.app, name="notes")
app.command("eval")(evaluation_cli.run_eval)

console = Console(stderr=True, soft_wrap=True)


def _fail(exc: CareExplainError) -> None:
    console.print(f"[red]error[/red] {exc}")
    raise typer.Exit(code=2)


def _settings(index_dir: Path | None) -> Settings:
    settings = get_settings()
    if index_dir is not None:
        settings = settings.model_copy(update={"data_dir": index_dir})
    return settings


def _embedder(settings: Settings) -> Any:
    from careexplain.index.embeddings import Embedder

    return Embedder.from_settings(settings)


IndexOpt = Annotated[
    Path | None,
    typer.Option(
        "--index", help="Data directory holding the index (default: CAREEXPLAIN_DATA_DIR)."
    ),
]


@app.command()
def ingest(
    path: Annotated[Path, typer.Argument(help="A file or folder of guidance.")],
    fmt: Annotated[
        str | None, typer.Option("--format", help="md | medquad | text | html (default: guess)")
    ] = None,
    index_dir: IndexOpt = None,
    prune: Annotated[
        bool, typer.Option(help="Delete indexed documents from PATH that are no longer there.")
    ] = False,
) -> None:
    """Add or update documents in the index; unchanged documents are skipped."""
    from careexplain.ingest.pipeline import ingest_path

    settings = _settings(index_dir)
    try:
        with Progress(
            TextColumn("{task.description:<10}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=not sys.stderr.isatty(),
        ) as bar:
            tasks: dict[str, Any] = {}

            def progress(stage: str, done: int, total: int) -> None:
                if stage not in tasks:
                    tasks[stage] = bar.add_task(stage, total=total or None)
                bar.update(tasks[stage], completed=done, total=total or None)

            report = ingest_path(
                path, settings, _embedder(settings), fmt=fmt, prune=prune, progress=progress
            )
    except CareExplainError as exc:
        _fail(exc)
        return
    console.print(
        f"[green]ok[/green] {report.added} added, {report.updated} updated, "
        f"{report.unchanged} unchanged, {report.deleted} deleted; {report.chunks_embedded} chunks "
        f"embedded in {report.seconds:.1f}s. Index: {report.documents_total} documents, "
        f"{report.chunks_total} chunks (build {report.build_id})."
    )


@app.command()
def delete(
    doc_ids: Annotated[list[str], typer.Argument(help="Document ids to remove.")],
    index_dir: IndexOpt = None,
) -> None:
    """Remove documents and their chunks from the index."""
    from careexplain.ingest.pipeline import delete_documents

    settings = _settings(index_dir)
    try:
        report = delete_documents(doc_ids, settings, _embedder(settings))
    except CareExplainError as exc:
        _fail(exc)
        return
    console.print(
        f"[green]ok[/green] {report.deleted} deleted. Index: {report.documents_total} documents, "
        f"{report.chunks_total} chunks (build {report.build_id})."
    )


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="What to look for.")],
    k: Annotated[int, typer.Option("-k", min=1, max=50, help="How many hits.")] = 5,
    mode: Annotated[str, typer.Option(help="hybrid | dense | bm25")] = "hybrid",
    as_json: Annotated[bool, typer.Option("--json", help="Print hits as JSON.")] = False,
    index_dir: IndexOpt = None,
) -> None:
    """Search the index and print the best passages."""
    from careexplain.index.reader import IndexHandle
    from careexplain.retrieve.hybrid import HybridRetriever
    from careexplain.retrieve.models import SearchHit

    if mode not in ("hybrid", "dense", "bm25"):
        console.print("[red]error[/red] --mode must be hybrid, dense or bm25.")
        raise typer.Exit(code=2)
    settings = _settings(index_dir)
    embedder = _embedder(settings)
    try:
        retriever = HybridRetriever(IndexHandle(settings.index_root, embedder), embedder, settings)
        hits = [SearchHit.from_retrieved(h) for h in retriever.search(query, k, mode=mode)]  # type: ignore[arg-type]
    except CareExplainError as exc:
        _fail(exc)
        return
    if as_json:
        typer.echo(json.dumps([h.model_dump() for h in hits], indent=2, ensure_ascii=False))
        return
    out = Console()
    if not hits:
        out.print("No matching guidance found.")
    for n, hit in enumerate(hits, start=1):
        out.print(f"[bold]{n}. {hit.title}[/bold] — {hit.section}  [dim]({hit.score:.3f})[/dim]")
        out.print(f"   {hit.text[:300].replace(chr(10), ' ')}")
        if hit.source_url:
            out.print(f"   [blue]{hit.source_url}[/blue]")


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The patient's question.")],
    reading_level: Annotated[int, typer.Option(min=3, max=12, help="School grade, 3 to 12.")] = 6,
    language: Annotated[str, typer.Option(help="en or es")] = "en",
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the whole response as JSON.")
    ] = False,
    index_dir: IndexOpt = None,
) -> None:
    """Answer a question from the guidance, as the chat endpoint would."""
    from pydantic import ValidationError

    from careexplain.api.state import AppState
    from careexplain.chat.models import ChatRequest

    settings = _settings(index_dir)
    try:
        request = ChatRequest(message=question, reading_level=reading_level, language=language)
    except ValidationError as exc:
        console.print(
            f"[red]error[/red] [E422] {exc.errors()[0]['loc'][0]}: {exc.errors()[0]['msg']}"
        )
        raise typer.Exit(code=2) from exc
    try:
        state = AppState.load(settings)
        response = state.chat.answer(request)
    except CareExplainError as exc:
        _fail(exc)
        return
    if as_json:
        typer.echo(response.model_dump_json(indent=2))
        return
    out = Console()
    out.print(response.answer)
    for c in response.citations:
        out.print(f"  [{c.n}] {c.title} — {c.section} [blue]{c.source_url}[/blue]")
    g = response.grounding
    out.print(
        f"[dim]grounding: {g.sentences_kept} kept, {g.sentences_removed} removed "
        f"{g.removed_by_reason or ''}; fallback: {g.fallback}; "
        f"safety: {response.safety.action}[/dim]"
    )


@index_app.command("info")
def index_info(index_dir: IndexOpt = None) -> None:
    """Print the manifest of the published index."""
    from careexplain.index import layout
    from careexplain.index.manifest import Manifest

    settings = _settings(index_dir)
    current = layout.current_build(settings.index_root)
    if current is None:
        console.print(f"No index in {settings.index_root}. Run: careexplain ingest PATH")
        raise typer.Exit(code=1)
    try:
        typer.echo(Manifest.read(current).model_dump_json(indent=2))
    except CareExplainError as exc:
        _fail(exc)


@index_app.command("verify")
def index_verify(index_dir: IndexOpt = None) -> None:
    """Check checksums and the embedding model of the published index."""
    from careexplain.index.reader import open_index

    settings = _settings(index_dir)
    try:
        loaded = open_index(settings.index_root, _embedder(settings))
    except CareExplainError as exc:
        _fail(exc)
        return
    console.print(
        f"[green]ok[/green] build {loaded.build_id}: {loaded.manifest.documents} documents, "
        f"{loaded.manifest.chunks} chunks, checksums and embedding model match."
    )


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address.")] = None,
    port: Annotated[int | None, typer.Option(help="Port.")] = None,
    index_dir: IndexOpt = None,
    bootstrap: Annotated[
        bool, typer.Option(help="Index the bundled guidance first if no index exists.")
    ] = True,
) -> None:
    """Run the HTTP service (OpenAPI docs at /docs)."""
    import uvicorn

    from careexplain.api.app import create_app
    from careexplain.index import layout
    from careexplain.ingest.pipeline import ingest_path

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    settings = _settings(index_dir)
    if bootstrap and layout.current_build(settings.index_root) is None:
        console.print(f"No index yet: indexing the bundled guidance in {settings.guidance_dir} …")
        ingest_path(settings.guidance_dir, settings, _embedder(settings))
    uvicorn.run(
        create_app(settings),
        host=host or settings.host,
        port=port or settings.port,
        log_level="info",
        access_log=False,  # uvicorn logs query strings; our middleware logs paths only
    )


if __name__ == "__main__":
    app()
