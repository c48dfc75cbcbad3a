"""Readability measures used everywhere a grade is reported (tests, handouts, evaluation)."""

from __future__ import annotations

import re
from collections.abc import Collection

import textstat

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s.*$", re.MULTILINE)
_LIST_MARK = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?", re.MULTILINE)
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]+\)")
_WORD = re.compile(r"[A-Za-z]+(?:['\u2019-][A-Za-z]+)*")
_CITATION = re.compile(r"\s*\[\d+(?:\s*,\s*\d+)*\]")
# Grades a single shown sentence may sit above the requested reading level.
GRADE_SLACK = 3.0


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


def sentence_grade(sentence: str, known: Collection[str] = ()) -> float:
    """Flesch-Kincaid grade of one shown sentence as it is read (no ``[n]`` marks).

    ``known``: lower-case words the reader used themselves (their question), scored as
    one-syllable words: the name of the condition they asked about is not what makes an
    answer hard for them, and no plain rewrite could remove it.
    """
    text = _CITATION.sub("", sentence)
    if known:
        text = _WORD.sub(lambda m: "word" if m.group(0).lower() in known else m.group(0), text)
    return fk_grade(text)


def known_words(text: str) -> frozenset[str]:
    """The words of a reader's own text that count as known to them (see sentence_grade)."""
    # "Acetaminophen-COD" also makes "acetaminophen" known.
    words = {w.lower() for w in _WORD.findall(text)}
    words |= {part for w in words for part in re.split(r"['\u2019-]", w)}
    return frozenset(w for w in words if len(w) > 3)


def grade_ceiling(requested: float) -> float:
    """The highest grade a single shown sentence may have at the requested reading level.

    Three grades of slack: one sentence's FK grade swings by two or three grades with a
    single unavoidable medical word ("diabetes", "medicine"), so a tighter ceiling would drop
    the condition's own name; beyond that the sentence is technical prose, not plain language.
    """
    return requested + GRADE_SLACK
