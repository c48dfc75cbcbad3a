"""Text normalisation and typo-tolerant phrase matching shared by the safety rules."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# Clauses end at sentence punctuation and at contrastive conjunctions ("no fever but chest pain").
_CLAUSE = re.compile(
    r"[.;!?\n]+|,\s*(?:but|pero|though|aunque)\b|\b(?:but|pero|however|sin embargo)\b"
)


def fold(text: str) -> str:
    """Lower-case, strip accents, straighten curly quotes: 'Dolor de PECHO' → 'dolor de pecho'."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokens(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def clauses(text: str) -> list[str]:
    """Split into clauses so that a negation in one does not reach into the next."""
    return [c.strip() for c in _CLAUSE.split(fold(text)) if c and c.strip()]


@lru_cache(maxsize=65536)
def close_enough(word: str, target: str) -> bool:
    """Equal, or one edit away (two for long words): catches 'chset', 'pian', 'breathe'."""
    if word == target:
        return True
    if len(target) < 4 or abs(len(word) - len(target)) > 2:
        return False
    budget = 1 if len(target) < 8 else 2
    return _damerau(word, target) <= budget


def _damerau(a: str, b: str) -> int:
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb and prev2:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def find_phrase(words: list[str], phrase: tuple[str, ...], gap: int = 2) -> int | None:
    """Index where ``phrase`` starts in ``words``, or None.

    Up to ``gap`` filler words may stand between its parts: ('chest', 'hurt*') matches
    "chest really hurts".
    """
    first = phrase[0]
    for start, word in enumerate(words):
        if not _word_matches(word, first):
            continue
        pos, ok = start, True
        for part in phrase[1:]:
            for step in range(1, gap + 2):
                if pos + step < len(words) and _word_matches(words[pos + step], part):
                    pos += step
                    break
            else:
                ok = False
                break
        if ok:
            return start
    return None


def _word_matches(word: str, part: str) -> bool:
    if part.endswith("*"):
        stem = part[:-1]
        return word.startswith(stem) or any(
            close_enough(word[: len(stem) + extra], stem) for extra in (-1, 0, 1)
        )
    return close_enough(word, part)
