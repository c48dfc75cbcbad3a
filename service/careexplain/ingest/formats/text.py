"""Plain text: the first line is the title, blank-line paragraphs form one section."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from careexplain.documents import Document, Section
from careexplain.errors import DocumentFormatError


def read_text(path: Path) -> Iterator[Document]:
    """Read one UTF-8 text file (Latin-1 accepted as a fallback)."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise DocumentFormatError(f"{path}: the file is empty.")
    first, _, rest = text.partition("\n")
    title = first.strip().lstrip("# ") or path.stem
    body = rest.strip() or first.strip()
    yield Document(
        doc_id=path.stem,
        title=title[:200],
        sections=[Section(title="Overview", text=body)],
        origin=str(path),
        fmt="text",
    )
