"""HTML pages: the main text, split into sections at h2/h3 headings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from bs4 import BeautifulSoup, Tag

from careexplain.documents import Document, Section, SourceRef
from careexplain.errors import DocumentFormatError

_DROP = ("script", "style", "nav", "header", "footer", "aside", "form", "noscript")
_BLOCKS = ("p", "li", "dd", "dt", "td", "blockquote", "pre")


def parse_html(raw: str, origin: Path) -> Document:
    """Parse one HTML page into a document."""
    soup = BeautifulSoup(raw, "lxml")
    for tag in soup(_DROP):
        tag.decompose()
    h1 = soup.find("h1")
    title = (h1.get_text(" ", strip=True) if h1 else "") or (
        soup.title.get_text(strip=True) if soup.title else origin.stem
    )
    canonical = soup.find("link", rel="canonical")
    url = str(canonical.get("href", "")) if isinstance(canonical, Tag) else ""
    main = soup.find("main") or soup.body or soup
    sections: list[Section] = []
    heading: str = "Overview"
    parts: list[str] = []
    for el in main.find_all(["h2", "h3", *_BLOCKS]):
        if el.name in ("h2", "h3"):
            if parts:
                sections.append(Section(title=heading, text="\n".join(parts)))
            heading, parts = el.get_text(" ", strip=True) or heading, []
        elif not el.find_parent(_BLOCKS):
            text = el.get_text(" ", strip=True)
            if text:
                parts.append(f"- {text}" if el.name == "li" else text)
    if parts:
        sections.append(Section(title=heading, text="\n".join(parts)))
    if not sections:
        raise DocumentFormatError(f"{origin}: no readable text found in the page.")
    return Document(
        doc_id=origin.stem,
        title=title[:200],
        sections=sections,
        sources=[SourceRef(title=title[:200], url=url)] if url else [],
        origin=str(origin),
        fmt="html",
    )


def read_html(path: Path) -> Iterator[Document]:
    """Read one HTML file."""
    raw = path.read_bytes().decode("utf-8", errors="replace")
    yield parse_html(raw, path)
