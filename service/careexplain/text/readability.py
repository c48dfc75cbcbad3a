"""Readability measures used everywhere a grade is reported (tests, handouts, evaluation)."""

from __future__ import annotations

import re

import textstat

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s.*$", re.MULTILINE)
_LIST_MARK = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?", re.MULTILINE)
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]+\)")
_CITATION = re.compile(r"\s*\[\d+(?:\s*,\s*\d+)*\]")


def markdown_to_prose(markdown: str) -> str:
    """Turn markdown into the prose a reader reads: no headings, list marks or link targets.

    Each list item and paragraph line becomes its own sentence so that bullet lists are
    not scored as one endless sentence.
    """
    text = _HEADING.sub("", markdown)
    text = _LINK.sub(r"\1", text)
    text = _LIST_MARK.sub("", text)
    text = _EMPHASIS.sub("", text)
    text = _CITATION.sub("", text)
    lines = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line[-1] not in ".!?:;":
            line += "."
        lines.append(line)
    return " ".join(lines)


def fk_grade(text: str) -> float:
    """Flesch-Kincaid grade level of plain text (textstat)."""
    if not text.strip():
        return 0.0
    return float(textstat.flesch_kincaid_grade(text))


def reading_ease(text: str) -> float:
    """Flesch reading ease of plain text (textstat); higher is easier."""
    if not text.strip():
        return 100.0
    return float(textstat.flesch_reading_ease(text))
