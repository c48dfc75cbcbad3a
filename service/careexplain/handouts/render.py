"""Render a handout to print-friendly HTML (Jinja2) and PDF (WeasyPrint)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from careexplain.handouts.models import HandoutContent
from careexplain.text.sentences import CITATION

TEMPLATES = Path(__file__).parent / "templates"


def _cited(text: str) -> Markup:
    """Escape the sentence, then show its [n] marks as small superscripts."""
    safe = str(escape(text))
    return Markup(CITATION.sub(lambda m: f'<sup class="cite">[{m.group(1)}]</sup>', safe))


def _grouped(sentences: list[str]) -> list[tuple[str | None, list[str]]]:
    """Consecutive items that share a lead-in ("Call 911 if: …") print it once above them."""
    groups: list[tuple[str | None, list[str]]] = []
    for sentence in sentences:
        lead, sep, item = sentence.partition(": ")
        if not sep:
            if groups and groups[-1][0] is None:
                groups[-1][1].append(sentence)
            else:
                groups.append((None, [sentence]))
            continue
        item = item[:1].upper() + item[1:]
        if groups and groups[-1][0] == lead + ":":
            groups[-1][1].append(item)
        else:
            groups.append((lead + ":", [item]))
    return groups


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cited"] = _cited
    env.filters["grouped"] = _grouped
    return env


def render_html(content: HandoutContent) -> str:
    return environment().get_template("handout.html.j2").render(c=content)


def render_pdf(content: HandoutContent) -> bytes:
    # Imported here: WeasyPrint loads Pango and fonts, which only PDF requests need.
    from weasyprint import HTML  # type: ignore[import-untyped]

    pdf = HTML(string=render_html(content)).write_pdf()
    assert pdf is not None  # write_pdf returns bytes when no target is given
    return bytes(pdf)
