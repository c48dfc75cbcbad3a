"""Grounded plain language: a deterministic rewrite of source-backed sentences.

The rewrite only swaps hard words for common ones from our glossary, drops asides in
parentheses, and splits long sentences at clause boundaries. It never adds a fact, and it
never changes a number, a dose or a negation (tests check this over the whole glossary).
Every result still goes back through the grounding guard before a patient sees it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, Field

from careexplain.settings import REPO_ROOT
from careexplain.text import medical_terms
from careexplain.text.sentences import CITATION, citations, split_sentences, strip_citations

GLOSSARY_PATH = REPO_ROOT / "knowledge_base" / "glossary" / "en.yaml"

# Longer than this (in words) and a sentence is split at a clause boundary if it has one.
LONG_SENTENCE_WORDS = 18
MIN_PART_WORDS = 5
# A clause after ", and" / ", but" / ";" that starts like this has its own subject.
_SUBJECT_START = re.compile(
    r"^(?:it|they|you|we|this|that|these|those|he|she|your|the|a|an|some|many|most|people|"
    r"there|if|when|call|ask|take|do|don't|never|always|keep|tell)\b",
    re.IGNORECASE,
)
_JOINER = re.compile(r"(?:;\s+|,\s+(?:and|but|so)\s+|\s+-{1,2}\s+|\s+—\s+)")
_PARENTHETICAL = re.compile(r"\s*\(([^()]*)\)")
_HAS_NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
    r"forty|fifty|hundred|thousand|half|once|twice|dozen)\b",
    re.IGNORECASE,
)
_NEGATION = re.compile(r"\b(?:not|no|never|without|none|nor|n't)\b|n't\b", re.IGNORECASE)
_ARTICLE = re.compile(r"\b([Aa]n?)\s+$")
# Words that may follow a swapped term inside a condition's name: "kidney failure" is still
# the condition, "kidney cell carcinoma" is a new name nobody uses.
_GENERIC_HEADS = frozenset(
    "disease diseases disorder disorders failure damage infection infections problem problems "
    "condition conditions stone stones injury injuries cancer cancers pain".split()
)


class GlossaryEntry(BaseModel):
    term: str
    plain: str
    keep_term: bool = False
    forms: list[str] = Field(default_factory=list)


class PlainSentence(BaseModel):
    """One rewritten sentence (or a part of a split one), with what was swapped."""

    text: str
    original: str
    replaced: list[tuple[str, str]] = Field(default_factory=list)


@dataclass
class Glossary:
    """Term → plain mapping with one compiled, longest-first matcher."""

    entries: dict[str, GlossaryEntry]
    pattern: re.Pattern[str]

    @classmethod
    def load(cls, path: Path = GLOSSARY_PATH) -> Glossary:
        raw = yaml.safe_load(path.read_text("utf-8")) or []
        entries: dict[str, GlossaryEntry] = {}
        for item in raw:
            entry = GlossaryEntry.model_validate(item)
            for form in [entry.term, *entry.forms]:
                entries.setdefault(form.lower(), entry)
        # Longest first, so "abdominal aortic aneurysm" wins over "abdominal".
        alternatives = sorted(entries, key=len, reverse=True)
        pattern = re.compile(
            r"(?<![\w-])(" + "|".join(re.escape(a) for a in alternatives) + r")(?![\w-])",
            re.IGNORECASE,
        )
        return cls(entries, pattern)

    def __len__(self) -> int:
        return len({id(e) for e in self.entries.values()})


@lru_cache(maxsize=1)
def glossary() -> Glossary:
    """The bundled glossary, loaded once."""
    return Glossary.load()


@dataclass
class Rewriter:
    """Rewrites sentences of one answer; remembers which terms it has already taught."""

    glossary: Glossary = field(default_factory=glossary)
    taught: set[str] = field(default_factory=set)
    # Off for matching: swap terms without showing any in brackets.
    teach: bool = True

    def swap_terms(self, text: str) -> tuple[str, list[tuple[str, str]]]:
        """Glossary swaps only (no splitting), with a/an fixed and the first use taught."""
        replaced: list[tuple[str, str]] = []
        out: list[str] = []
        last = 0
        matches = list(self.glossary.pattern.finditer(text))
        names = _name_spans(text) if matches else []
        for match in matches:
            found = match.group(1)
            # "polycythemia vera" is one name: swapping its first word would make "high red
            # blood cell count vera". Inside a name, a term is swapped only where the rest is
            # a plain word ("renal failure" -> "kidney failure").
            if any(
                s <= match.start() < match.end() < e
                and not _GENERIC_HEADS.issuperset(text[match.end() : e].lower().split())
                for s, e in names
            ):
                continue
            entry = self.glossary.entries[found.lower()]
            plain = entry.plain
            if self.teach and entry.keep_term and entry.term not in self.taught:
                self.taught.add(entry.term)
                # Abbreviations keep their case ("COPD"); words are shown in lower case.
                shown = found if found.isupper() and len(found) > 1 else found.lower()
                plain = f"{plain} ({shown})"
            at_start = match.start() == 0
            if (found[:1].isupper() and not found.isupper()) or (found.isupper() and at_start):
                plain = plain[:1].upper() + plain[1:]
            before = text[last : match.start()]
            before = _fix_article(before, plain)
            out.append(before)
            out.append(plain)
            replaced.append((found, entry.plain))
            last = match.end()
        out.append(text[last:])
        return "".join(out), replaced

    def rewrite(self, sentence: str) -> list[PlainSentence]:
        """Plain-language sentences for one cited statement; each keeps its own citations.

        A statement may hold two sentences ("X [1]. It also Y [1]."): each is rewritten on
        its own so no citation moves to another sentence.
        """
        out: list[PlainSentence] = []
        for part in split_sentences(sentence):
            marks = citations(part)
            suffix = " [" + ", ".join(str(n) for n in marks) + "]" if marks else ""
            claim = drop_parentheticals(strip_citations(part))
            swapped, replaced = self.swap_terms(claim)
            out.extend(
                PlainSentence(text=_with_citation(p, suffix), original=part, replaced=replaced)
                for p in split_long(swapped)
            )
        return out


def _name_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` names a condition in more than one word (packaged disease vocabulary)."""
    spans: list[tuple[int, int]] = []
    for words in medical_terms.condition_mentions(text).values():
        parts = words.split()
        if len(parts) > 1:
            pattern = r"(?<![\w-])" + r"[\s-]+".join(map(re.escape, parts)) + r"(?![\w-])"
            spans.extend(m.span() for m in re.finditer(pattern, text, re.IGNORECASE))
    return spans


@lru_cache(maxsize=16384)
def plain_terms(text: str) -> str:
    """The text with every glossary term swapped, nothing taught or split (for matching)."""
    return Rewriter(teach=False).swap_terms(text)[0]


def drop_parentheticals(text: str) -> str:
    """Remove asides in parentheses, but never one with a number or negation in it."""

    def keep_or_drop(match: re.Match[str]) -> str:
        inner = match.group(1)
        if _HAS_NUMBER.search(inner) or _NEGATION.search(inner) or CITATION.fullmatch(f"[{inner}]"):
            return match.group(0)
        return ""

    return re.sub(r"\s+([.,;!?])", r"\1", _PARENTHETICAL.sub(keep_or_drop, text)).strip()


def split_long(text: str) -> list[str]:
    """Split a long sentence where a clause with its own subject starts."""
    if len(text.split()) <= LONG_SENTENCE_WORDS:
        return [text]
    for match in _JOINER.finditer(text):
        left, right = text[: match.start()].strip(), text[match.end() :].strip()
        if (
            len(left.split()) >= MIN_PART_WORDS
            and len(right.split()) >= MIN_PART_WORDS
            and _SUBJECT_START.match(right)
            and "(" not in left[-20:]
        ):
            first = left.rstrip(",;") + "."
            second = right[:1].upper() + right[1:]
            if match.group(0).strip(" ,").lower() == "but":
                second = "But " + right
            elif match.group(0).strip(" ,").lower() == "so":
                second = "So " + right
            return [first, *split_long(second)]
    return [text]


def _fix_article(before: str, plain: str) -> str:
    """Make "a"/"an" before a swapped word agree with the new word."""
    match = _ARTICLE.search(before)
    if not match:
        return before
    article = match.group(1)
    wants_an = plain[:1].lower() in "aeiou"
    new = "an" if wants_an else "a"
    if article[0].isupper():
        new = new.capitalize()
    return before[: match.start(1)] + new + before[match.end(1) :]


def _with_citation(text: str, suffix: str) -> str:
    if not suffix:
        return text
    end = len(text.rstrip(".!?"))
    return text[:end] + suffix + text[end:]


Checker = Callable[[str], bool]


def simplify_checked(
    sentences: Iterable[str], keeps: Checker, rewriter: Rewriter | None = None
) -> list[str]:
    """Rewrite each supported sentence; keep a rewrite only if the guard still supports it.

    ``keeps`` is the grounding check (sentence → kept?). A sentence whose rewrite fails is
    shown as it was, so plain language never costs a fact or a citation.
    """
    rewriter = rewriter or Rewriter()
    out: list[str] = []
    for sentence in sentences:
        taught_before = set(rewriter.taught)
        parts = [p.text for p in rewriter.rewrite(sentence)]
        if all(keeps(p) for p in parts):
            out.extend(parts)
        else:
            rewriter.taught = taught_before
            out.append(sentence)
    return out
