"""The quality self-check shown to the nurse: reading grade and automatable PEMAT-P items."""

from __future__ import annotations

import re

import textstat

from careexplain.handouts.models import HandoutContent, QualityItem, QualityReport
from careexplain.text.readability import fk_grade
from careexplain.text.sentences import split_sentences, strip_citations

# PEMAT-P asks for short sections; more than this many sentences per part is not short.
MAX_SENTENCES_PER_PART = 5
# Words printed under one topic heading (its call and emergency items go in the boxes).
MAX_WORDS_PER_SECTION = 150
# Words of three or more syllables, as a share of all words, above which words are not common.
MAX_HARD_WORD_SHARE = 0.15
MAX_PASSIVE_SHARE = 0.2
_PASSIVE = re.compile(
    r"\b(?:is|are|was|were|be|been|being|get|gets|got|gotten)\s+(?:\w+ly\s+)?"
    r"(?:\w+ed|known|given|taken|made|done|seen|shown|written|born|caught|held|kept|told|found)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_ACTION = re.compile(
    r"^(?:take|call|check|ask|tell|eat|drink|move|walk|get|keep|use|stop|avoid|limit|"
    r"bring|carry|write|wear|weigh|learn|go|do|don't|do not|never|always|make|plan|store|"
    r"find|try|choose|cut|quit|follow|see|read|watch|set|put|wash)\b",
    re.IGNORECASE,
)


def handout_sentences(content: HandoutContent) -> list[str]:
    """Every sentence a patient reads, without citation marks."""
    texts = [content.purpose, *content.summary]
    for s in content.sections:
        texts += [*s.what_it_is, *s.why_it_matters, *s.what_to_do, *s.when_to_call, *s.emergency]
        if s.not_covered:
            texts.append(s.not_covered)
    texts += [content.emergency_message, *content.teach_back]
    out: list[str] = []
    for text in texts:
        out.extend(strip_citations(x) for x in split_sentences(text))
    return [s if s[-1:] in ".!?" else s + "." for s in out if s]


def check(content: HandoutContent) -> QualityReport:
    """Each item passes or warns with its reason."""
    sentences = handout_sentences(content)
    prose = " ".join(sentences)
    grade = round(fk_grade(prose), 1)
    target = content.reading_level
    items = [
        _item(
            "reading_grade",
            "Reading grade",
            grade <= target + 0.5,
            f"Flesch-Kincaid grade {grade} (target {target:g} or lower).",
        ),
        _purpose(content),
        _common_words(content, prose),
        _short_sections(content),
        _active_voice(sentences),
        _item(
            "summary",
            "Has a summary",
            bool(content.summary),
            "A summary of key points is at the top."
            if content.summary
            else "Add a short summary of the key points.",
        ),
        _actions(content),
        _tools(content),
    ]
    return QualityReport(fk_grade=grade, target_grade=target, items=items)


def _item(key: str, label: str, ok: bool, reason: str) -> QualityItem:
    return QualityItem(key=key, label=label, status="pass" if ok else "warn", reason=reason)


def _purpose(content: HandoutContent) -> QualityItem:
    topics = [s.topic.lower() for s in content.sections]
    ok = bool(content.purpose.strip()) and any(t in content.purpose.lower() for t in topics)
    return _item(
        "clear_purpose",
        "Clear purpose",
        ok,
        "The opening says what the handout is about."
        if ok
        else "Start with one sentence that says which problems and medicines this is about.",
    )


def _common_words(content: HandoutContent, prose: str) -> QualityItem:
    words = _WORD.findall(prose)
    hard = sum(textstat.syllable_count(w) >= 3 for w in words)
    share = hard / len(words) if words else 0.0
    # A medical name is defined when its section says what it is.
    undefined = [s.topic for s in content.sections if not s.what_it_is and not s.not_covered]
    ok = share <= MAX_HARD_WORD_SHARE and not undefined
    reason = f"{share:.0%} of words have three or more syllables"
    reason += f" (at most {MAX_HARD_WORD_SHARE:.0%})."
    if undefined:
        reason += f" Not defined: {', '.join(undefined)}."
    return _item("common_words", "Common words, terms defined", ok, reason)


def _short_sections(content: HandoutContent) -> QualityItem:
    problems: list[str] = []
    for s in content.sections:
        if not s.heading.strip():
            problems.append(f"{s.topic}: no heading")
        parts = (s.what_it_is, s.why_it_matters, s.what_to_do, s.when_to_call, s.emergency)
        if any(len(p) > MAX_SENTENCES_PER_PART for p in parts):
            problems.append(f"{s.topic}: a part has more than {MAX_SENTENCES_PER_PART} sentences")
        printed = (s.what_it_is, s.why_it_matters, s.what_to_do)
        words = sum(len(x.split()) for p in printed for x in p)
        if words > MAX_WORDS_PER_SECTION:
            problems.append(f"{s.topic}: {words} words")
    ok = bool(content.sections) and not problems
    return _item(
        "short_sections",
        "Short sections with headers",
        ok,
        "Every section has a heading and short parts."
        if ok
        else "; ".join(problems) or "No sections.",
    )


def _active_voice(sentences: list[str]) -> QualityItem:
    passive = [s for s in sentences if _PASSIVE.search(s)]
    share = len(passive) / len(sentences) if sentences else 0.0
    ok = share <= MAX_PASSIVE_SHARE
    reason = f"{len(passive)} of {len(sentences)} sentences look passive ({share:.0%})."
    if not ok:
        reason += " Rewrite some as 'you do X'."
    return _item("active_voice", "Active voice", ok, reason)


def _actions(content: HandoutContent) -> QualityItem:
    actions = [
        x
        for s in content.sections
        for x in (*s.what_to_do, *s.when_to_call)
        if _ACTION.match(strip_citations(x))
    ]
    ok = bool(actions)
    return _item(
        "explicit_action",
        "At least one explicit action",
        ok,
        f"{len(actions)} steps tell the reader what to do."
        if ok
        else "Add at least one step that starts with what to do (Take…, Call…, Check…).",
    )


def _tools(content: HandoutContent) -> QualityItem:
    checklist = any(s.what_to_do for s in content.sections)
    table = bool(content.medicines)
    tools = [name for name, has in (("checklist", checklist), ("medicine table", table)) if has]
    return _item(
        "tangible_tools",
        "Tangible tools (checklist, table)",
        bool(tools),
        f"Has a {' and a '.join(tools)}." if tools else "Add a checklist or a medicine table.",
    )
