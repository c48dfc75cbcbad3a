"""Readers that turn files into :class:`~careexplain.documents.Document` objects, one per format."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Literal

from careexplain.documents import Document
from careexplain.errors import DocumentFormatError, UnknownFormatError
from careexplain.ingest.formats.html import read_html
from careexplain.ingest.formats.markdown import read_markdown
from careexplain.ingest.formats.medquad import read_medquad
from careexplain.ingest.formats.text import read_text

Format = Literal["md", "medquad", "text", "html"]

Reader = Callable[[Path], Iterator[Document]]

READERS: dict[str, Reader] = {
    "md": read_markdown,
    "medquad": read_medquad,
    "text": read_text,
    "html": read_html,
}

PATTERNS: dict[str, tuple[str, ...]] = {
    "md": ("*.md", "*.markdown"),
    "medquad": ("*.xml",),
    "text": ("*.txt",),
    "html": ("*.html", "*.htm"),
}


def detect_format(path: Path) -> str:
    """Guess the format of a file or folder from file extensions."""
    if not path.exists():
        raise DocumentFormatError(f"{path} does not exist.")
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    for fmt, patterns in PATTERNS.items():
        if any(f.match(p) for f in files for p in patterns):
            return fmt
    raise UnknownFormatError(
        f"Cannot tell the format of {path}: no .md, .xml, .txt or .html files found. "
        "Pass --format md|medquad|text|html."
    )


def iter_files(path: Path, fmt: str) -> list[Path]:
    """The files under ``path`` that the format reads, in a stable order."""
    if fmt not in READERS:
        raise UnknownFormatError(f"Unknown format {fmt!r}; choose one of {', '.join(READERS)}.")
    if not path.exists():
        raise DocumentFormatError(f"{path} does not exist.")
    if path.is_file():
        return [path]
    files: set[Path] = set()
    for pattern in PATTERNS[fmt]:
        files.update(p for p in path.rglob(pattern) if p.is_file())
    # README-style files describe a folder; they are not guidance.
    return sorted(f for f in files if f.stem.lower() not in {"readme", "license", "licence"})


def read_documents(path: Path, fmt: str | None = None) -> Iterator[Document]:
    """Yield every document under ``path``; a duplicate document id is an error."""
    fmt = fmt or detect_format(path)
    reader = READERS.get(fmt)
    if reader is None:
        raise UnknownFormatError(f"Unknown format {fmt!r}; choose one of {', '.join(READERS)}.")
    seen: dict[str, Path] = {}
    for file in iter_files(path, fmt):
        for doc in reader(file):
            if doc.doc_id in seen:
                raise DocumentFormatError(
                    f"Document id {doc.doc_id!r} appears in both {seen[doc.doc_id]} and {file}; "
                    "ids must be unique."
                )
            seen[doc.doc_id] = file
            yield doc
