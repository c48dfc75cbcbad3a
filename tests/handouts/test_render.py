"""Handouts render to print-friendly HTML and to a PDF with ink on every page."""

from __future__ import annotations

from pathlib import Path

from careexplain.handouts.render import render_html, render_pdf
from tests.handouts.pdf import page_ink
from tests.handouts.sample import sample_content


def test_html_has_every_part_and_escapes_text() -> None:
    content = sample_content()
    content.sections[0].what_to_do.append("Check <b>this</b> & that [1].")
    html = render_html(content)
    for part in (
        "The most important things",
        "What it is",
        "What to do",
        'class="check"',
        "When to call your care team",
        "When to get emergency help",
        "Your medicines",
        "2 puffs",
        "Check what you learned",
        "Sources",
        '<sup class="cite">[1]</sup>',
    ):
        assert part in html, part
    assert "<b>this</b>" not in html
    assert "&lt;b&gt;this&lt;/b&gt; &amp; that" in html


def test_pdf_pages_are_not_blank(tmp_path: Path) -> None:
    pdf = render_pdf(sample_content())
    assert pdf.startswith(b"%PDF")
    ink = page_ink(pdf, tmp_path)
    assert ink
    assert all(share > 0.01 for share in ink)
