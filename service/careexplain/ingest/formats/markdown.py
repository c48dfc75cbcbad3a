"""Markdown guidance with YAML front matter, split into sections by its headings."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from langchain_text_splitters import MarkdownHeaderTextSplitter

from careexplain.documents import Document, Section, SourceRef
from careexplain.errors import DocumentFormatError

_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)
_H1 = re.compile(r"^#\s+(.+)$", re.MULTILINE)
_SPLITTER = MarkdownHeaderTextSplitter(
    headers_to_split_on=[("#", "h1"), ("##", "h2"), ("###", "h3")], strip_headers=True
)


def split_front_matter(raw: str, origin: Path) -> tuple[dict[str, Any], str]:
    """Separate YAML front matter (if any) from the markdown body."""
    match = _FRONT_MATTER.match(raw)
    if not match:
        return {}, raw
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        raise DocumentFormatError(f"{origin}: front matter is not valid YAML ({exc}).") from exc
    if not isinstance(meta, dict):
        raise DocumentFormatError(f"{origin}: front matter must be a mapping of fields.")
    return meta, raw[match.end() :]


def _as_list(value: Any, field: str, origin: Path) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return [str(v) for v in value]
    raise DocumentFormatError(f"{origin}: '{field}' must be a list of strings.")


def _sources(value: Any, origin: Path) -> list[SourceRef]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise DocumentFormatError(
            f"{origin}: 'sources' must be a list of {{publisher, title, url}}."
        )
    refs = []
    for item in value:
        if isinstance(item, str):
            refs.append(SourceRef(url=item))
        elif isinstance(item, dict):
            refs.append(
                SourceRef(**{k: str(v) for k, v in item.items() if k in SourceRef.model_fields})
            )
        else:
            raise DocumentFormatError(f"{origin}: each source needs a url, publisher and title.")
    return refs


def parse_markdown(raw: str, origin: Path) -> Document:
    """Parse one markdown document; front matter is optional for user files."""
    meta, body = split_front_matter(raw, origin)
    if not body.strip():
        raise DocumentFormatError(f"{origin}: the document has no text.")
    h1 = _H1.search(body)
    title = str(meta.get("title") or (h1.group(1).strip() if h1 else origin.stem))
    sections: list[Section] = []
    for part in _SPLITTER.split_text(body):
        text = part.page_content.strip()
        if not text:
            continue
        heading = part.metadata.get("h3") or part.metadata.get("h2") or "Overview"
        if part.metadata.get("h3") and part.metadata.get("h2"):
            heading = f"{part.metadata['h2']}: {part.metadata['h3']}"
        sections.append(Section(title=str(heading), text=text))
    if not sections:
        raise DocumentFormatError(f"{origin}: the document has headings but no text under them.")
    last_reviewed = meta.get("last_reviewed", "")
    if isinstance(last_reviewed, (dt.date, dt.datetime)):
        last_reviewed = last_reviewed.isoformat()
    return Document(
        doc_id=str(meta.get("id") or origin.stem),
        title=title,
        sections=sections,
        sources=_sources(meta.get("sources"), origin),
        language=str(meta.get("language", "en")),
        icd10=_as_list(meta.get("icd10"), "icd10", origin),
        drugs=_as_list(meta.get("drugs"), "drugs", origin),
        summary=str(meta.get("summary", "")),
        last_reviewed=str(last_reviewed),
        origin=str(origin),
        fmt="md",
    )


def read_markdown(path: Path) -> Iterator[Document]:
    """Read one markdown file."""
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DocumentFormatError(f"{path}: not UTF-8 text ({exc.reason}).") from exc
    yield parse_markdown(raw, path)
