"""Extractive answers: the source sentences that best answer the question, each cited.

Used when the model's answer does not survive the grounding guard: grounded by construction.
Only sentences a patient can use are candidates: no questions, headings, lists, resource
boilerplate or lead-ins cut off from their list.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field

import numpy as np

from careexplain.generate.grounding import SourcePassage
from careexplain.index.embeddings import Embedder
from careexplain.text.plain_language import Rewriter, simplify_checked
from careexplain.text.readability import grade_ceiling, known_words, sentence_grade
from careexplain.text.sentences import cite, statements

# Pointers to other material ("These resources address …", "See X for more information"),
# registry and ontology listings, contact details: true, but no answer to a question.
_BOILERPLATE = re.compile(
    r"\bthese resources\b|\bresources? (?:from|about|on)\b|\bmore information\b|"
    r"\bfor information\b|\blearn (?:more )?about\b|\bsee (?:the )?\S.* for\b|"
    r"\bregistry\b|\bontology\b|\borphanet\b|\bgenereviews\b|\bmedlineplus\b|"
    r"\bclinicaltrials\.gov\b|\bPDQ\b|\bthis (?:summary|fact sheet|page|section|publication)\b|"
    r"\bwebsite\b|\bweb site\b|www\.|https?://|\be-?mail\b|@|\bhotline\b|\bTTY\b|"
    r"\bclick\b|\bapproximate number of patients\b|\bthe following (?:list|table)\b",
    re.IGNORECASE,
)
_PHONE = re.compile(r"\b1-8\d\d-|\(?\b\d{3}\)?[-. ]\d{3}[-. ]\d{4}\b")
# A sentence that stops where its list was ("Two types of hernias are", "…include the following").
_LEAD_IN_END = re.compile(
    r"(?:\b(?:are|is|include|includes|including|such as|like|following|with|of|by|the|and|or|to|"
    r"for|from|a|an|these|as)|:)\s*[.]?$",
    re.IGNORECASE,
)
# Two sentences glued without a space ("…the rash.Treatment with …"): the split is wrong.
_GLUED = re.compile(r"[a-z]\.[A-Z][a-z]")
_BLANK = re.compile(r"_{2,}")
# Leans on a sentence the candidate does not carry ("It controls …", "However, …"),
# or announces a list that is not there ("Here are some ways …").
_DANGLING_START = re.compile(
    r"^(?:it|its|they|them|their|this|these|those|he|she|his|her|each|both|such|however|"
    r"also|therefore|thus|and|but|or|here (?:are|is))\b",
    re.IGNORECASE,
)
# Points at material around it in the source, which a single shown sentence lacks ("… are of
# this type", "the steps listed above"); "a family history of this type of disorder" is fine.
_POINTS_ELSEWHERE = re.compile(
    r"\b(?:are|is|be) (?:all )?of (?:this|these|that|those) (?:types?|kinds?|forms?)\W*$|"
    r"\b(?:listed|mentioned|described|shown|noted|given) (?:above|below|earlier)\b|"
    r"\bthe above\b|\bas follows\b",
    re.IGNORECASE,
)
_TITLE_WORD = re.compile(r"^[A-Z][a-z'\u2019]+[:,]?$")
# Relevance (cosine) a candidate gives up per grade its plain rewrite is above the target:
# 0.02 lets a sentence five grades easier win over one 0.1 more similar.
GRADE_PENALTY = 0.02
# Leading Title-Case words that make a heading, not the start of a sentence.
HEADING_WORDS = 3


Checker = Callable[[str], bool]


def _always(_: str) -> bool:
    return True


@dataclass(frozen=True)
class Candidate:
    """One source statement that may be shown."""

    n: int
    position: int
    text: str
    similarity: float = 0.0
    grade: float = 0.0


@dataclass
class ExtractiveChoice:
    """The chosen sentences, and how many relevant ones were too hard to read."""

    sentences: list[str] = field(default_factory=list)
    too_hard: int = 0


def usable(sentence: str) -> str | None:
    """The sentence as it may be shown (a glued heading removed), or None if it is junk."""
    text = _strip_repeated_heading(sentence.strip())
    if len(text.split()) < 4 or not text[:1].isupper():
        return None  # a fragment: a list item without its lead-in, a cut sentence
    if "?" in text or _GLUED.search(text) or _BLANK.search(text) or _DANGLING_START.match(text):
        return None
    if text.count(" - ") >= 2 or text.count(";") >= 3:
        return None  # a table or a list flattened into one line
    if _BOILERPLATE.search(text) or _PHONE.search(text) or _POINTS_ELSEWHERE.search(text):
        return None
    if _LEAD_IN_END.search(text) or _starts_with_heading(text):
        return None
    return text


def _strip_repeated_heading(text: str) -> str:
    """'Surgery Surgery may include …' → 'Surgery may include …' (a heading fused in front)."""
    words = text.split()
    for k in range(1, min(7, len(words) // 2)):
        head = words[:k]
        if all(_TITLE_WORD.match(w) for w in head) and words[k].lower() == words[0].lower():
            return " ".join(words[k:])
    return text


def _starts_with_heading(text: str) -> bool:
    """'Take Your Diabetes Medicines People with …': a run of Title-Case words in front."""
    words = text.split()[: HEADING_WORDS + 1]
    run = 0
    for word in words:
        if not _TITLE_WORD.match(word):
            break
        run += 1
    return run >= HEADING_WORDS


def plain_grade(sentence: str, keeps: Checker | None = None, known: Collection[str] = ()) -> float:
    """The grade of a sentence after the plain-language rewrite (its hardest part).

    With ``keeps`` (the guard), the rewrite is the checked one the patient would see;
    ``known``: the reader's own words (see :func:`sentence_grade`).
    """
    parts = simplify_checked([sentence], keeps or _always, Rewriter())
    return max((sentence_grade(p, known) for p in parts), default=0.0)


def candidates(
    question: str,
    sources: Sequence[SourcePassage],
    embedder: Embedder,
    min_similarity: float = 0.45,
    target_grade: float | None = None,
) -> list[Candidate]:
    """Usable, distinct source statements relevant to the question, best first.

    With ``target_grade``, a sentence loses rank for each grade its plain rewrite stays
    above the target: of two sentences that answer about as well, the readable one comes first.
    """
    found: list[Candidate] = []
    seen: set[str] = set()
    for src in sources:
        for pos, sent in enumerate(statements(src.text)):
            text = usable(sent)
            if text is None or (key := dedupe_key(text)) in seen:
                continue
            seen.add(key)
            found.append(Candidate(src.n, pos, text))
    if not found:
        return []
    known = known_words(question)
    vectors = embedder.encode([question] + [c.text for c in found])
    sims = vectors[1:] @ vectors[0]
    ranked: list[tuple[float, Candidate]] = []
    vecs: list[np.ndarray] = []
    for i in np.argsort(-sims):
        if sims[i] < min_similarity:
            break
        # Skip near-duplicates of a more similar sentence.
        if any(float(vectors[1 + i] @ v) > 0.9 for v in vecs):
            continue
        vecs.append(vectors[1 + i])
        c = found[int(i)]
        grade = plain_grade(c.text, known=known) if target_grade is not None else 0.0
        score = float(sims[i])
        if target_grade is not None:
            score -= GRADE_PENALTY * max(0.0, grade - target_grade)
        ranked.append((score, Candidate(c.n, c.position, c.text, float(sims[i]), grade)))
    ranked.sort(key=lambda pair: -pair[0])
    return [c for _, c in ranked]


def choose(
    ranked: Sequence[Candidate],
    max_sentences: int = 4,
    max_grade: float | None = None,
    keeps: Checker | None = None,
    known: Collection[str] = (),
) -> ExtractiveChoice:
    """The first ``max_sentences`` candidates the guard keeps and a patient can read,
    shown in source order.

    ``max_grade``: a candidate whose checked plain rewrite is still above it is not shown
    (counted in ``too_hard``).
    """
    picked: list[Candidate] = []
    too_hard = 0
    for c in ranked:
        if len(picked) == max_sentences:
            break
        cited = cite(c.text, c.n)
        if keeps is not None and not keeps(cited):
            continue
        if max_grade is not None and plain_grade(cited, keeps, known) > max_grade:
            too_hard += 1
            continue
        picked.append(c)
    picked.sort(key=lambda c: (c.n, c.position))
    out: list[str] = []
    last_lead_in = ""
    for c in picked:
        text = c.text
        lead_in, sep, rest = text.partition(": ")
        # A lead-in shared with the previous sentence is said once ("Store insulin safely:").
        if sep and lead_in == last_lead_in:
            text = rest[0].upper() + rest[1:]
        last_lead_in = lead_in if sep else ""
        out.append(cite(text, c.n))
    return ExtractiveChoice(out, too_hard)


def extractive_answer(
    question: str,
    sources: Sequence[SourcePassage],
    embedder: Embedder,
    max_sentences: int = 4,
    min_similarity: float = 0.45,
    reading_level: float | None = None,
) -> list[str]:
    """Up to ``max_sentences`` cited source sentences, in source order.

    With ``reading_level``, readable sentences are preferred and none above the grade
    ceiling for that level is chosen.
    """
    ranked = candidates(question, sources, embedder, min_similarity, reading_level)
    ceiling = None if reading_level is None else grade_ceiling(reading_level)
    return choose(ranked, max_sentences, ceiling, known=known_words(question)).sentences


def dedupe_key(sentence: str) -> str:
    """What two sentences share when they say the same thing (case, marks, spacing aside)."""
    return " ".join(re.sub(r"\[\d+(?:\s*[,;]\s*\d+)*\]|[^\w\s]", " ", sentence.lower()).split())
