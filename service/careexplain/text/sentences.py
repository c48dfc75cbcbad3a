"""Sentence splitting and ``[n]`` citation parsing for answers and source passages."""

from __future__ import annotations

import re

CITATION = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")
# Words whose period does not end a sentence ("Dr. Lee"). Units are absent on purpose:
# "take 2.5 mg." usually does end one.
_ABBREVIATIONS = ("dr", "mr", "mrs", "ms", "st", "vs", "e.g", "i.e", "approx", "fig", "jr", "sr")
# "U.S." ends a sentence only before a word that starts one ("in the U.S. The …"), not
# before a name ("the U.S. Food and Drug Administration").
_COUNTRY_ABBREVIATIONS = ("u.s", "u.k")
_SENTENCE_STARTERS = frozenset(
    "the a an it its this that these those they there in about most many some each every "
    "people for if when while after before you your we our he she his her".split()
)
# A sentence ends at . ! ? (plus closing quotes/brackets/citations) followed by space.
_END = re.compile(r"(?<=[.!?])[\"')\]]*(?:\s*\[\d+(?:\s*[,;]\s*\d+)*\])*\s+")
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")


def split_sentences(text: str) -> list[str]:
    """Sentences of prose or markdown; list items and lines are sentences of their own."""
    out: list[str] = []
    for line in text.splitlines():
        line = _BULLET.sub("", line).strip()
        if not line:
            continue
        start = 0
        for match in _END.finditer(line):
            piece = line[start : match.end()].strip()
            last_word = piece.rstrip(".!?\"')] 0123456789[,;").rsplit(" ", 1)[-1].lower()
            if last_word.rstrip(".") in _ABBREVIATIONS:
                continue
            following = line[match.end() :].split(maxsplit=1)
            if (
                last_word.rstrip(".") in _COUNTRY_ABBREVIATIONS
                and following
                and following[0].lower() not in _SENTENCE_STARTERS
            ):
                continue
            # A germ's initial ("C. diff", "E. coli") goes on in lower case.
            initial = len(last_word.rstrip(".")) == 1 and last_word[0].isalpha()
            if initial and following and following[0][:1].islower():
                continue
            out.append(piece)
            start = match.end()
        tail = line[start:].strip()
        if tail:
            out.append(tail)
    return out


def citations(sentence: str) -> list[int]:
    """The source numbers a sentence cites, in order, without repeats."""
    found: list[int] = []
    for group in CITATION.findall(sentence):
        for part in re.split(r"\s*[,;]\s*", group):
            n = int(part)
            if n not in found:
                found.append(n)
    return found


def strip_citations(sentence: str) -> str:
    """The claim without its ``[n]`` marks."""
    text = re.sub(r"\s{2,}", " ", CITATION.sub("", sentence))
    return re.sub(r"\s+([.,;!?])", r"\1", text).strip()


_REFERRING_START = re.compile(
    r"^(?:it|its|this|that|these|those|they|them|their|he|she|both|such)\b", re.IGNORECASE
)
# Words that leave a lead-in open for its list: "Call 911 if:", "Signs include:".
_OPEN_ENDED = "if|when|while|after|before|unless|include|includes|are|is"
_LEAD_IN_JOIN = re.compile(rf"\b(?:{_OPEN_ENDED})\s*:$")


def statements(text: str) -> list[str]:
    """Sentences that stand on their own, made only of the passage's own words.

    A list item takes its lead-in ("Call your care team if:" + "You feel dizzy." →
    "Call your care team if you feel dizzy."), and a sentence that starts with a pronoun
    keeps the sentence before it, so a quoted statement never loses what it is about.
    """
    out: list[str] = []
    lead_in: str | None = None
    previous: str | None = None
    for raw in text.splitlines():
        is_item = bool(_BULLET.match(raw))
        line = raw.strip()
        if not line:
            continue
        if not is_item:
            lead_in = None
        for sentence in split_sentences(line):
            if sentence.endswith(":") and not is_item:
                lead_in = sentence
                continue
            if is_item and lead_in:
                out.append(_join_lead_in(lead_in, sentence))
            elif previous and _REFERRING_START.match(sentence):
                out.append(f"{previous} {sentence}")
            else:
                out.append(sentence)
            previous = sentence
    return out


# A lead-in whose condition or examples are in the list it lost, the open word anywhere in it.
_CONDITION_LEFT_OPEN = re.compile(
    rf"\b(?:{_OPEN_ENDED}|whenever|until|such\s+as|like|including)\b[^.]*:$", re.IGNORECASE
)


def dangling_lead_ins(text: str) -> list[str]:
    """Lead-ins ("It can damage your blood vessels and lead to other problems:") that no list
    item follows, as where a passage was cut before its list: statements() drops them, yet
    they still say something a claim may rest on."""
    found: list[str] = []
    lead_in: str | None = None
    for raw in text.splitlines():
        if not raw.strip():
            continue
        if _BULLET.match(raw):
            lead_in = None
            continue
        if lead_in:
            found.append(lead_in)
        last = split_sentences(raw.strip())[-1:]
        lead_in = last[0] if last and last[0].endswith(":") else None
    if lead_in:
        found.append(lead_in)
    # "Stop taking it and call your doctor if you have:" says nothing without its list.
    return [s for s in found if not _CONDITION_LEFT_OPEN.search(s)]


def _join_lead_in(lead_in: str, item: str) -> str:
    first = item.split(" ", 1)[0]
    # Lower-case an article or an ordinary capitalised word; keep acronyms and letters
    # ("BE FAST", "B is for balance").
    if first in ("A", "An", "The") or (
        len(first) > 1 and first[0].isupper() and first[1:].islower()
    ):
        item = item[0].lower() + item[1:]
    if _LEAD_IN_JOIN.search(lead_in):
        return f"{lead_in[:-1].rstrip()} {item}"
    return f"{lead_in} {item}"


def cite(text: str, n: int) -> str:
    """'Eat 15 grams of sugar.' → 'Eat 15 grams of sugar [1].' (each sentence of ``text``)."""
    marked = []
    for sentence in split_sentences(text) or [text]:
        # 'call it "blood poisoning."' → 'call it "blood poisoning" [1].'
        match = _TAIL.match(sentence.rstrip())
        assert match is not None  # the pattern matches any string
        core, inner, closers, outer = match.groups()
        marked.append(f"{core.rstrip()}{closers} [{n}]{outer or inner or '.'}")
    return " ".join(marked)


_TAIL = re.compile(r"^(.*?)([.!?]?)([\"')\]\u201d]*)([.!?]?)$", re.DOTALL)
