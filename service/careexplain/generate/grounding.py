"""The grounding guard: every sentence a patient sees must be supported by a cited source.

One guard serves chat, explanations and handouts. A sentence is kept only if
1. it cites at least one of the numbered sources that were retrieved;
2. every number, drug and condition in it occurs in the cited sources or the patient context;
3. a sentence (or two adjacent sentences) of a cited source supports it: enough shared content
   words and a high enough embedding similarity, with negation, comparisons and certainty
   agreeing.
Failing sentences are removed and counted by reason, so evaluators can see what happened.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import ClassVar, Literal, Protocol

import numpy as np
import Stemmer
from pydantic import BaseModel, Field, PrivateAttr

from careexplain.documents import Chunk
from careexplain.index.embeddings import Embedder
from careexplain.text import medical_terms
from careexplain.text.plain_language import plain_terms
from careexplain.text.sentences import (
    citations,
    cite,
    dangling_lead_ins,
    split_sentences,
    statements,
    strip_citations,
)
from careexplain.text.synonyms import base_forms, broader, noun_kind, same_sense, synonyms

Reason = Literal[
    "ok",
    "fragment",
    "no_citation",
    "bad_citation",
    "unsupported_number",
    "unsupported_drug",
    "unsupported_condition",
    "low_support",
    "negation_mismatch",
    "comparison_unsupported",
    "qualifier_mismatch",
    "unsupported_clause",
    "unsupported_thing",
    "unsupported_action",
    "judge_rejected",
]


# "As time goes on" says when, not that anything goes: it must not meet "does not go away".
_AS_TIME_GOES = re.compile(r"\bas time (?:goes|went) (?:on|by)\b")


class _Stems:
    """Snowball stems, with the forms of "go" it leaves apart ("goes" → "goe", "went")
    joined: "It does not go away" must meet "heart failure goes away"."""

    _SAME: ClassVar[dict[str, str]] = {
        "goes": "go",
        "went": "go",
        "gone": "go",
        "undergoes": "undergo",
    }

    def __init__(self) -> None:
        self._snowball = Stemmer.Stemmer("english")

    def stemWord(self, word: str) -> str:  # noqa: N802 - the PyStemmer interface
        return str(self._snowball.stemWord(self._SAME.get(word, word)))

    def stemWords(self, words: Iterable[str]) -> list[str]:  # noqa: N802
        return [str(w) for w in self._snowball.stemWords([self._SAME.get(w, w) for w in words])]


_STEM = _Stems()
_WORD = re.compile(r"[a-z][a-z'-]*|\d+(?:[.,]\d+)*")
_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
STOPWORDS = frozenset(
    """a an the and or but if then than so of to in on at by for from with without into onto
    about as is are was were be been being am do does did done doing have has had having it its
    this that these those there here your you yours we our us they them their i me my he she his
    her him who whom which what when where why how can could may might will would should shall
    must also just very too more most less least some any all each every other such only own same
    not no nor never up down out over under again further once both few many much one two get
    gets got make makes made use used using like well way ways help helps thing things""".split()
)
NEGATIONS = frozenset(
    """not no never without cannot can't don't doesn't didn't won't isn't aren't wasn't weren't
    shouldn't mustn't none nothing neither nor""".split()
)
COMPARATIVES = frozenset(
    """more less fewer most least better worse best worst higher lower greater smaller larger
    likelier than faster slower stronger weaker safer riskier strongest weakest safest
    riskiest highest lowest fastest slowest biggest largest greatest smallest easiest hardest
    earliest healthiest""".split()
)
ABSOLUTES = frozenset(
    """always never all every everyone everybody will cure cures cured guarantee guaranteed
    definitely certainly completely permanently forever lifelong""".split()
)
MIN_CONTENT_WORDS = 3
# Kinds of things (WordNet's noun categories) a sentence may not bring in unless its sources
# name them or a synonym: "cheese" where the source says "yogurt", "give them water".
CONCRETE_KINDS = frozenset("food body substance animal plant person".split())
# Objects are named in too many ways ("pills", "tablets", "a pen") to check in a free
# paraphrase; in a sentence that repeats this share of a source's words they are.
VERBATIM_OVERLAP = 0.7
# What may never be added to a source: changing how a medicine is taken. ("Skip" is a
# negation, checked against the source's own "do not"; "skip it" told to someone is an
# action, see _new_actions.)
MEDICINE_ACTIONS = frozenset(
    """stop stops stopped stopping start starts started starting double doubles doubled
    doubling halve halves halved quit quits quitting switch switches switched switching
    discontinue discontinued restart restarted resume resumed""".split()
)
# "Your doctor" is how many people say "your care team".
CARE_ROLES = frozenset(
    "doctor doctors physician physicians provider providers nurse nurses".split()
)
_CARE_STEMS = frozenset("team doctor physician provid nurs".split())
# A clause as short as "so switch to condoms" can carry a whole added claim.
MIN_CLAUSE_CONTENT_WORDS = 2
HEDGES = frozenset("may might can could some sometimes often usually most many possibly".split())
MODALS = frozenset("may might can could".split())
# Polarity cues beyond plain negation: "skip X" and "avoid X" say "do not X".
NEGATION_CUES = NEGATIONS | frozenset("skip avoid avoids absence absent poor poorly minus".split())
# Words that narrow or widen how often or to whom something applies.
FREQUENCY_QUALIFIERS = frozenset(
    """almostall only always usually normally generally typically mostly everyone everybody
    anyone rarely seldom all every each""".split()
)
# A claim word whose opposite, not itself, is in the supporting source sentence.
ANTONYMS: dict[str, frozenset[str]] = {
    w: frozenset(opposites.split())
    for w, opposites in {
        "increase": "decrease lower reduce drop fall less",
        "increases": "decreases lowers reduces drops falls",
        "raise": "lower reduce decrease drop",
        "raises": "lowers reduces decreases drops",
        "higher": "lower less fewer",
        "high": "low",
        "more": "less fewer",
        "decrease": "increase raise rise more",
        "lower": "raise higher increase upper",
        "lowers": "raises increases",
        "low": "high",
        "less": "more",
        "fewer": "more",
        "before": "after",
        "away": "back toward",
        "back": "away",
        "same": "new different",
        "new": "same old used",
        "often": "rare rarely seldom",
        "usually": "rare rarely seldom",
        "rare": "often common usually",
        "rarely": "often usually",
        "after": "before",
        "start": "stop",
        "stop": "start continue keep",
        "safe": "unsafe harmful dangerous",
        "unsafe": "safe",
        "common": "rare uncommon",
        "early": "late",
        "late": "early",
        "fast": "slow",
        "faster": "slower",
        "slower": "faster",
        "stronger": "weaker",
        "weaker": "stronger",
        "larger": "smaller",
        "bigger": "smaller",
        "smaller": "larger bigger",
        "slow": "fast quick quickly rapid rapidly",
        "slowly": "fast quick quickly rapidly",
        "quick": "slow slowly",
        "quickly": "slow slowly",
        "rapid": "slow slowly",
        "rapidly": "slow slowly",
        "hot": "cold cool",
        "cold": "hot warm",
        "better": "worse",
        "worse": "better",
        "easier": "harder",
        "harder": "easier",
        "easy": "hard difficult",
        "hard": "easy simple",
        "difficult": "easy simple",
        "enough": "little",
        "little": "enough",
        # Kinds that are easily swapped: "whole milk" is not "fat-free milk".
        "whole": "skim fat-free low-fat reduced-fat",
        "skim": "whole",
        "fat-free": "whole",
        "low-fat": "whole",
        "regular": "diet",
        "diet": "regular",
        # Groups of people: "older adults" are not the "young adults" a source names.
        "older": "young younger",
        "elderly": "young younger",
        "young": "old older elderly",
        "younger": "old older elderly",
        "mild": "severe serious",
        "severe": "mild",
        "left": "right",
        "right": "left wrong",
        "upper": "lower",
        "short-acting": "long-acting",
        "long-acting": "short-acting",
        "short-term": "long-term lasting chronic",
        "long-term": "short-term",
        "raw": "cooked",
        "cooked": "raw undercooked",
        "inside": "outside",
        "outside": "inside",
        "empty": "full",
        "full": "empty half",
        "half": "full whole",
        "upright": "lie lying flat",
        "lie": "upright",
        "dry": "wet moist damp",
        "wet": "dry",
        "sick": "fine",
        "ill": "fine",
        "unwell": "fine",
        "fine": "sick ill unwell",
    }.items()
}
# Opposites that name a kind or an amount of a thing, swapped wherever the thing is named.
_KINDS = frozenset(
    """whole skim fat-free low-fat regular diet half full empty young younger old older
    elderly mild severe""".split()
)
NUMBER_WORDS = {
    "zero": "0",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
    "fifteen": "15",
    "twenty": "20",
    "thirty": "30",
    "forty": "40",
    "fifty": "50",
    "hundred": "100",
    "twice": "2",
    "half": "0.5",
    "quarter": "0.25",
    "dozen": "12",
}
ORDINALS = "second third fourth fifth sixth seventh eighth ninth tenth".split()
_ORDINAL = re.compile(rf"\b({'|'.join(ORDINALS)})\b")
# "150 minutes of activity a week", "twice a day": after an amount, "a" is "per", not one.
_PER_UNIT = re.compile(
    r"(\b(?:\d[\d,.]*|once|twice|"
    + "|".join(NUMBER_WORDS)
    + r")\b(?:\s+[a-z-]+){0,4}?\s+)an?(?=\s+(?:minute|hour|day|week|month|year)\b)",
    re.IGNORECASE,
)
# "one" is a number only before a unit ("one hour"), not as a pronoun ("the one you take").
_ONE_UNIT = re.compile(
    r"\b(?:one|a|an|once)\s+(?:full\s+)?(minute|hour|day|week|month|year|time)s?\b", re.IGNORECASE
)
_BODY_PLACE = (
    r"(?:food\s+pipe|esophagus|stomach|back|spine|leg|arm|belly|abdomen|colon|bowel|"
    r"intestines?|body|heart|lungs?|throat|airway|face|chest)"
)
_NOT_COMPARING = re.compile(
    r"\b(?:rather|other)\s+than\b|\b(?:more|less|fewer)\s+than\s+(?=\d|one\b|two\b|"
    r"three\b|four\b|five\b|six\b|ten\b|half\b)|\bat\s+(?:least|most)\b"
    # "more than you need" is "too much": an amount, not a comparison of two things.
    r"|\b(?:more|less)\s+(?:[a-z]+\s+){0,2}?than\s+(?:you|your\s+body|it|they)\s+needs?\b"
    # "Pumps weaker than it should" measures against what should be, as "not as well as it
    # should" does: no second thing is compared.
    r"|\b[a-z]+er\s+than\s+(?:you|your\s+body|it|they)\s+(?:should|needs?\s+to)\b"
    # "The lower end of your food pipe", "lower back": a place in the body, not a comparison
    # (but "the lower end of your target range" and "lower body weight" compare).
    r"|\blower\s+(?=(?:back|leg|legs|arm|arms|belly|abdomen|lip|jaw|chest|airway|airways|"
    r"body(?!\s+(?:temperature|weight|fat|mass))|"
    rf"(?:end|part|half|side)\s+of\s+(?:your|the)\s+{_BODY_PLACE})\b)"
)
# "The most common", "is most likely" rank; "most people", "most surgery wounds" count.
_SUPERLATIVE = re.compile(
    r"\b(?:the|is|are|was|were|be|being|become|becomes|get|gets)\s+(most|least)\s+([a-z]+)"
)
# "Most widely used" ranks what "most common" ranks.
_MOST_USED = re.compile(r"\b(most|least)\s+(?:widely\s+used|frequent|prevalent|often\s+used)\b")
_SAME_COMPARISON = {"greater": "higher", "larger": "higher", "bigger": "higher", "smaller": "lower"}
# Negations said in more than one word, rewritten to "not" before polarity is compared:
# "keep it from dropping", "instead of squeezing", "out of reach of children", "leaves out".
_MULTIWORD_NEGATION = re.compile(
    r"\b(?:keep|stop|prevent)(?:s|ing|ped)?\s+(?:[a-z']+\s+){0,3}?from\b"
    r"|\bkept\s+(?:[a-z']+\s+){0,3}?from\b"
    r"|\bstop(?:s|ped|ping)?\s+[a-z]+ing\b|\bno\s+longer(?:\s+[a-z]+)?\b"
    r"|\bhold(?:s|ing)?\s+off(?:\s+on)?\b|\brefrain(?:s|ing)?\s+from\b"
    r"|\bstay(?:s|ing)?\s+away\s+from\b|\bsteer(?:s|ing)?\s+clear\s+of\b"
    r"|\b(?:instead|free)\s+of\b|\bin\s+place\s+of\b|\b(?:rather|other)\s+than\b"
    r"|\bout\s+of\s+(?:the\s+)?reach(?:\s+of)?\b|\bleaves?\s+out\b|\bleaving\s+out\b|\bnon-[a-z]+",
    re.IGNORECASE,
)
# "Not enough" said five ways, all rewritten to "too little": "does not make enough hormone",
# "lacks (enough) insulin", "without enough insulin", "too few". A negation of the amount does
# not deny the thing itself ("Sugar is your main fuel" agrees with "not enough sugar").
_NOT_ENOUGH = re.compile(
    r"\b(?:do|does|did|can|could)(?:\s*not|n't)\s+(have|make|get|produce|eat|drink|take|"
    r"contain|use)s?\s+enough\b"
    r"|\b(?:lack(?:s|ing)?|without|not)\s+enough\b|\btoo\s+few\b|\binsufficient\b"
    r"|\black(?:s|ing|ed)?(?:\s+of)?\b",
    re.IGNORECASE,
)
# "feel nothing" denies the feeling, as "do not feel anything" does; "cause no symptoms" is
# "do not cause symptoms".
_VERB_NOTHING = re.compile(r"(?<!['\w])([a-z]+)\s+(nothing|no)\b")
# A comma before a subject, or "and"/"but"/"or" before a subject or a modal, starts a new
# clause, where a negation ends: "when your body lacks insulin, | it burns fat", "might not
# have these signs | and may instead become confused" (a list goes on: "do not open, chew,
# or crush them").
_NEW_CLAUSE = re.compile(
    r",\s+(?=(?:it|they|you|we|he|she|this|these|those|there|i)\b)"
    r"|\s+(?:and|but|or)\s+(?=(?:may|might|can|could|will|would|should|must|then|they|it|you|"
    r"we|he|she)\b)"
)
# "Do not stop it without talking to your care team" allows it after talking: "unless".
_NOT_WITHOUT = re.compile(r"(\b(?:not|never)\b|n't\b)([^,;.]*?)\bwithout\s+(?=[a-z]+ing\b)")
# "Only take aspirin if a doctor tells you to" forbids it otherwise, as "do not take aspirin
# unless a doctor tells you to" does: "only … if/when" is rewritten to "not … unless".
_ONLY_IF = re.compile(
    r"(^|[,;:]\s*|\b(?:and|then|so)\s+)((?:[a-z']+,?\s+){0,6}?)only\s+((?:[a-z']+,?\s+){0,8}?)"
    r"(?:if|when)\b"
)
# "Talk to your care team before you stop it" forbids stopping it without talking to them
# first, as "do not stop it without talking to your care team" does.
_ASK_BEFORE = re.compile(
    r"\b((?:talk|speak|check|ask)(?:s|ing)?\s+(?:with|to)\s+(?:your|a|the)\s+(?:[a-z]+\s+){0,3}?)"
    r"(?:first\s+)?before\s+(?:you\s+)?(stop|quit|skip|change|cut|switch)"
)
# "You do not feel sick" is "you feel fine", and "fine" is the opposite of "sick".
_FEEL_FINE = re.compile(
    r"\b(?:(?:do|does|did|may|might|can|could|will)(?:\s+not|n't)|never)\s+feel\s+(?:sick|ill|unwell)\b"
    r"|\bfeel\s+(?:well|okay|ok|good)\b"
)
# Two negations that cancel: "you do not need to avoid these foods" allows them.
_NO_NEED_TO_AVOID = re.compile(
    r"(?:\bnot|n't|\bnever|\bno)\s+(?:need|needs|have|has)\s+to\s+"
    r"(?:avoid|skip|stop|quit|give\s+up|cut\s+out|cut\s+back\s+on)\b"
)
# Verbs whose "to" carries the negation on: "you do not NEED TO call 911".
_LEADS_ON = frozenset("need needs have has longer want try able going ought".split())
# Common verbs that are stopwords elsewhere but are what a negation right before them denies:
# "will not HELP you get well from a cold" says nothing against "colds are caused by viruses".
_CORE_VERBS = frozenset("help helps".split())
# "Not every", "not always": what follows holds for some, not for none.
_NOT_EVERY = re.compile(r"\bnot\s+(?:every|all|everyone|everybody|always|each)\b", re.I)
_NONE_AT_ALL = re.compile(r"\b(?:never|nobody|none|no\s+one)\b", re.I)
_EVERY = frozenset("every all everyone everybody always each".split())
# Words that only frame what follows them: "not the kind of infection that spreads", "does
# not mean your heart has stopped".
_LIGHT_NOUNS = frozenset("kind kinds type types sort sorts".split())
_LIGHT_WORDS = _LIGHT_NOUNS | frozenset("mean means meant".split())
# How many content words after a negation cue it governs ("do not open, chew, or crush them").
NEGATION_SCOPE = 3
# More content words than any phrase holds: the negation reaches to the phrase's end.
_WHOLE_PHRASE = 1_000
# Ends a negation's scope where a rewritten negation says exactly what it denies.
_SCOPE_BREAK = "scopebreak"
# A negation stops at the next subordinate clause ("do not drive | when your sugar is low")
# or preposition ("without talking | to your care team": the care team is not denied).
_CLAUSE_STARTS = frozenset(
    "when whenever if unless until while because since so where after before".split()
) | {_SCOPE_BREAK}
_SCOPE_ENDS = _CLAUSE_STARTS | frozenset("to for with by".split())
# Clause boundaries inside one sentence, where an added claim usually starts.
_CLAUSE = re.compile(
    r"(?:;\s*|,\s+(?:and|but|so|since|because|who|which|while|as well as|though|although|"
    r"even though|whereas|then|and then)\s+|"
    r"\s+(?:because|since|so that|while|and also)\s+|"
    # "… can affect other medicines and must be taken with food": a second predicate.
    r"\s+and\s+(?=(?:must|should|may|might|can|could|will|would)\s))",
    re.IGNORECASE,
)


class SourcePassage(BaseModel):
    """A numbered source given to the model and cited as [n]."""

    n: int
    chunk_id: int
    doc_id: str
    title: str
    section: str
    text: str
    source_url: str = ""
    publisher: str = ""

    @classmethod
    def from_chunk(cls, n: int, chunk: Chunk) -> SourcePassage:
        """Source ``[n]`` made from a retrieved chunk."""
        return cls(
            n=n,
            chunk_id=chunk.chunk_id,
            doc_id=chunk.doc_id,
            title=chunk.title,
            section=chunk.section,
            text=chunk.text,
            source_url=chunk.source_url,
            publisher=chunk.publisher,
        )


class SentenceVerdict(BaseModel):
    text: str
    kept: bool
    reason: Reason
    citations: list[int] = Field(default_factory=list)
    support: float | None = Field(default=None, description="Best embedding similarity.")
    overlap: float | None = Field(default=None, description="Share of content words found.")
    detail: str = ""
    judge: float | None = Field(
        default=None, description="The support judge's score, where it was asked (> 0 leans yes)."
    )
    # Rejected only on wording (JUDGE_MAY_RESCUE), every other check passed: the support judge
    # may overturn it.
    _wording_only: bool = PrivateAttr(default=False)


class GroundingReport(BaseModel):
    """What the guard did to one answer (returned with every response)."""

    sentences_total: int = 0
    sentences_kept: int = 0
    sentences_removed: int = 0
    removed_by_reason: dict[str, int] = Field(default_factory=dict)
    fallback: Literal["none", "extractive", "not_covered"] = "none"
    verdicts: list[SentenceVerdict] = Field(default_factory=list)


@dataclass(frozen=True)
class Thresholds:
    """Chosen on eval/data/support_set.jsonl: the most paraphrases kept while rejecting at
    least 95% of unsupported sentences (`careexplain eval support`; the README has the
    cross-validated figures)."""

    min_overlap: float = 0.3
    min_similarity: float = 0.6
    # Very close paraphrases may share fewer words.
    high_similarity: float = 0.7
    min_overlap_at_high_similarity: float = 0.0
    # Every clause with enough content must be supported on its own.
    clause_similarity: float = 0.55
    clause_overlap: float = 0.2
    clause_high_similarity: float = 0.65
    clause_overlap_alone: float = 0.7
    # A clause restates a source clause (so its certainty must match) above this overlap.
    same_statement_overlap: float = 0.5
    # The support judge (when there is one) must lean yes on every sentence the rules keep,
    # and may keep a sentence the rules reject on wording alone when it is this sure (chosen
    # on the calibration, held-out and dev2-dev5 sets with the judge reading each source's
    # title, session 9).
    judge_veto: float = 2.5
    judge_rescue: float = 3.5


class SupportScorer(Protocol):
    """Reads whether a source says all of a sentence; higher is surer (``SupportJudge``).
    None means it cannot read now (its model did not load): the rules decide alone."""

    def score(self, source: str, sentence: str, title: str = "") -> float | None: ...


# The judge was measured on sources of one to three sentences (at most 215 characters) and
# grows unsure on long ones: it scored a chunk's own sentence +0.8 against the whole
# 1,000-character chunk and +6.1 against the statement it came from. A longer cited text is
# cut to the statement (or adjacent pair) closest to the sentence.
JUDGE_WHOLE_SOURCE_CHARS = 300
# Rejections a model that reads meaning may overturn: they come from wording (how much is
# shared, which words are negated or hedged), where rewording fools the rules. Numbers, drugs,
# conditions, things the sources never name, comparisons, citations and medicine actions are
# never the judge's to overturn: it reads an added list item ("and tomato sauce") as fine.
# Nor is certainty: it kept "will keep it from getting worse" for "may help keep it from
# getting worse" and "means your dose is too high" for "can mean" (as many wrong hedges as
# right ones were overturned on the development sets).
JUDGE_MAY_RESCUE: frozenset[str] = frozenset(
    {"low_support", "unsupported_clause", "negation_mismatch"}
)


def content_stems(text: str) -> set[str]:
    words = [w for w in _WORD.findall(text.lower()) if w not in STOPWORDS]
    return set(_STEM.stemWords(words))


def claim_stems(text: str) -> set[str]:
    """Content stems with glossary terms in their plain form, so "renal" meets "kidney"."""
    return content_stems(plain_terms(text))


@lru_cache(maxsize=8192)
def _synonym_stems(text: str, strict: bool = False) -> dict[str, frozenset[str]]:
    """Each content stem of a claim → the stems of its WordNet synonyms; ``strict``: only
    those that share each other's first sense."""
    lookup = same_sense if strict else synonyms
    found: dict[str, set[str]] = {}
    for word in _WORD.findall(plain_terms(text).lower()) + _WORD.findall(text.lower()):
        if word in STOPWORDS or not word[0].isalpha():
            continue
        alike = [w for w in lookup(word) if w not in STOPWORDS]
        found.setdefault(_STEM.stemWord(word), set()).update(_STEM.stemWords(alike))
    return {stem: frozenset(alike) for stem, alike in found.items()}


def _overlap(text: str, source_stems: set[str]) -> float:
    """Share of the content stems of ``text`` that a source holds, itself or as a synonym."""
    stems = claim_stems(text)
    if not stems:
        return 1.0
    alike = _synonym_stems(text)
    found = sum(1 for s in stems if s in source_stems or alike.get(s, frozenset()) & source_stems)
    return found / len(stems)


# A word and whether an object or particle follows it, as after a verb ("face a risk").
_VERB_BEFORE_OBJECT = re.compile(
    r"\b([a-z][a-z'-]*)\b(?=(\s+(?:a|an|the|your|their|his|her|its|against|off|up)\b)?)"
)


_YOUR_BODY = re.compile(r"\byour\s+body\b", re.IGNORECASE)
_ON_THE_BODY = re.compile(
    r"\b(?:on|over|onto|to|across|whole|entire)\s+(?:your\s+)?(?:whole\s+|entire\s+)?body\b",
    re.IGNORECASE,
)
# "Use it as a stand-in for epinephrine" is "use it instead of epinephrine": no new person.
_STANDS_IN = re.compile(
    r"\bas\s+an?\s+(?:stand-in|substitute|replacement|stand\s+in)\s+for\b", re.IGNORECASE
)


def _new_things(claim: str, allowed_stems: set[str], verbatim: bool = False) -> set[str]:
    """Foods, body parts, people… a claim names that its sources do not, by the word or a
    synonym: "orange juice" where the source warns of "grapefruit juice". In a near-verbatim
    restatement (``verbatim``) objects count too: "the freezer" for "the refrigerator"."""
    kinds = CONCRETE_KINDS | {"artifact"} if verbatim else CONCRETE_KINDS
    not_things = _leading_or_partitive(claim) if verbatim else set()
    claim = _STANDS_IN.sub("instead of", claim)
    alike = _synonym_stems(claim)
    new = set()
    for word, after in _VERB_BEFORE_OBJECT.findall(claim.lower()):
        if word in STOPWORDS or after:
            continue  # "face a greater risk", "guard against the flu": a verb, not a thing
        stem = _STEM.stemWord(word)
        if stem in allowed_stems or alike.get(stem, frozenset()) & allowed_stems:
            continue
        if word in CARE_ROLES and allowed_stems & _CARE_STEMS:
            continue
        # "Give your body nicotine": the patient's own body is no new thing (but "apply it
        # all over your body" says where, and "foreign bodies" are things).
        if word == "body" and _YOUR_BODY.search(claim) and not _ON_THE_BODY.search(claim):
            continue
        # "Pain relievers" are pain medicines, not people who relieve.
        if word in _RELIEVERS and re.search(rf"\bpain\s+{word}\b", claim.lower()):
            continue
        if noun_kind(word) in kinds and word not in not_things:
            new.add(word)
    return new


_RELIEVERS = frozenset({"reliever", "relievers"})


# An action done to something ("stop the blood thinner", "double your dose", "start taking
# it"), not "help stop flare-ups before they start".
_ACTION_ON_SOMETHING = re.compile(
    r"\b([a-z]+)\s+(?=(?:the|your|it|them|this|that|these|those|taking|using|any|all|a|an)\b)"
)
_PRONOUN_LED = re.compile(r"\s*(?:it|they|this|these|those|he|she)\b", re.IGNORECASE)


def _new_actions(claim: str, allowed_stems: set[str]) -> set[str]:
    """Medicine actions ("stop", "double") a claim tells someone to do that its sources do
    not give, by the word or a synonym in the same sense: "…, and stop the blood thinner
    after a fall"."""
    alike = _synonym_stems(claim, strict=True)
    # "Never double up" forbids, and "stop germs from growing" is a negation: only an action
    # the claim tells someone to do counts.
    # Sentence by sentence: "Do not worry. Stop the blood thinner." tells you to stop it.
    told: set[str] = set()
    for part in split_sentences(claim):
        said, denied = polarity(part)
        told |= said - denied
    new = set()
    for word in set(_ACTION_ON_SOMETHING.findall(_negations_as_not(claim))) & MEDICINE_ACTIONS:
        stem = _STEM.stemWord(word)
        if stem not in told:
            continue
        if stem not in allowed_stems and not alike.get(stem, frozenset()) & allowed_stems:
            new.add(word)
    # "Skip" is a negation cue ("skip salty snacks" is "do not eat them"), but "skip it" or
    # "skip the dose", told to someone, is itself a medicine action ("if you skip a dose"
    # and "skipping doses" only speak of one).
    if "skip" not in allowed_stems:
        new.update(m.group(1).lower() for m in _SKIP_A_DOSE.finditer(claim))
    return new


_SKIP_A_DOSE = re.compile(
    r"(?<!not )(?<!n't )(?<!never )(?<!you )\b(skip)\s+(?:it|them|a\s+dose|the\s+dose|"
    r"your\s+dose|this\s+dose|that\s+dose|the\s+missed\s+dose|doses)\b",
    re.IGNORECASE,
)


def _leading_or_partitive(claim: str) -> set[str]:
    """Words that open the sentence or follow a semicolon or colon ("Store it …", an
    imperative) or come before "of" ("a piece of"): not things the claim brings in."""
    plain = claim.lower()
    leading = {m.group(1) for m in re.finditer(r"(?:^|[;:]\s*)([a-z]+)", plain)}
    return leading | set(re.findall(r"\b([a-z]+)\s+of\b", plain))


def _named_stems(text: str) -> set[str]:
    """Content stems of a text, with the stems of irregular nouns' base forms ("children" →
    "child") and of the wider kinds its nouns belong to: a claim may say "fluid" for the
    source's "water" or "the gland" for its "thyroid", never the other way round."""
    stems = claim_stems(text) | content_stems(text)
    for word in _words(text) - STOPWORDS:
        stems.update(_STEM.stemWords(base_forms(word, "noun")))
        stems.update(_STEM.stemWords(list(broader(word))))
    return stems


def _rank(candidate: tuple[int, float, float]) -> float:
    """Rank support by both signals, so one strong signal can't hide a weak one."""
    _, similarity, overlap = candidate
    return min(similarity, overlap + 0.2)


_HALF_HOUR = re.compile(r"\b(?:a\s+)?half\s+(?:an\s+)?hour\b|\ba\s+half[- ]hour\b", re.I)
_QUARTER_HOUR = re.compile(r"\ba\s+quarter\s+(?:of\s+)?(?:an\s+)?hour\b", re.I)


_HOURS_AND_A_HALF = re.compile(
    r"\b(one|two|three|four|[1-4])\s+and\s+a\s+half\s+hours\b|\ban\s+hour\s+and\s+a\s+half\b", re.I
)
_HOURS = {"one": 1, "two": 2, "three": 3, "four": 4}


def _as_minutes(match: re.Match[str]) -> str:
    whole = match.group(1)
    hours = 1 if whole is None else _HOURS.get(whole.lower()) or int(whole)
    return f"{hours * 60 + 30} minutes"


def _in_minutes(text: str) -> str:
    """ "Half an hour" as "30 minutes" and "two and a half hours" as "150 minutes", so either
    says the same amount."""
    text = _HOURS_AND_A_HALF.sub(_as_minutes, text)
    return _QUARTER_HOUR.sub("15 minutes", _HALF_HOUR.sub("30 minutes", text))


def _numbers(text: str) -> set[str]:
    """Numbers in digits or words ("three" is 3), so a changed amount in words is caught."""
    text = _in_minutes(text)
    found = {n.replace(",", "") for n in _NUMBER.findall(text)}
    found.update(NUMBER_WORDS[w] for w in _WORD.findall(text.lower()) if w in NUMBER_WORDS)
    # "A third dose" is no "second dose". "First" is left out: it also orders steps ("First,
    # wash your hands") where a source may not.
    found.update(str(ORDINALS.index(w) + 2) for w in _ORDINAL.findall(text.lower()))
    if _ONE_UNIT.search(_PER_UNIT.sub(r"\1per", text)):
        found.add("1")
    return found


_SPLIT = r"(?:break|breaks|broke|broken|breaking|split|splits|splitting|cut|cuts|cutting)"
_IN_HALF = re.compile(rf"\b{_SPLIT}\s+(?:[a-z]+\s+){{0,2}}?(in\s+half)\b", re.I)
# A source that speaks of splitting pills ("Do not crush, chew, or split them").
_SPLITS_PILLS = re.compile(
    rf"\b{_SPLIT}\s+(?:[a-z]+\s+){{0,2}}?(?:it|them|pills?|tablets?|capsules?)\b", re.I
)


def _split_in_half(claim: str, source: str) -> str:
    """The claim less "in half" after a verb of splitting where the source speaks of
    splitting: "never broken in half" says how, not how much, for "do not split them"."""
    if not _SPLITS_PILLS.search(source):
        return claim
    return _IN_HALF.sub(
        lambda m: (
            m.group(0) if "dose" in m.group(0).lower() else m.group(0)[: m.start(1) - m.start(0)]
        ),
        claim,
    )


_DURATION = re.compile(
    r"\b(\d+(?:\.\d+)?|[a-z]+)(?:\s+or\s+more|\s+to\s+\d+|\s+full)?\s+"
    r"(minute|hour|day|week|month|year)s?\b"
)


def _changed_counts(claim: str, source: str) -> set[str]:
    """How many of a thing, where the source counts the same thing otherwise: "carry one
    auto-injector" where the source says "two auto-injectors" ("one" alone is no number)."""
    held: dict[str, set[str]] = {}
    for number, thing in _COUNT.findall(source.lower()):
        held.setdefault(_STEM.stemWord(thing), set()).add(_count(number))
    return {
        f"{number} {thing}"
        for number, thing in _COUNT.findall(claim.lower())
        if thing not in STOPWORDS
        and _count(number) not in held.get(_STEM.stemWord(thing), {_count(number)})
    }


def _count(number: str) -> str:
    return "1" if number in ("one", "single") else NUMBER_WORDS.get(number, number)


_COUNT = re.compile(r"\b(\d+|one|single|" + "|".join(NUMBER_WORDS) + r")\s+([a-z][a-z-]*[a-z])\b")


def _time_units(text: str) -> set[str]:
    """Units of time a text speaks of, "daily" as "day": "test again in a week" is not what
    "in a day or two" says, with or without a number."""
    plain = _OVER_TIME.sub(" over time ", _in_minutes(text.lower()))
    return {_TIME_UNITS[w] for w in _words(plain) if w in _TIME_UNITS}


# Ways of saying "over time" or "a long time" that name a unit without meaning one.
_OVER_TIME = re.compile(
    r"\b(?:over|through)\s+the\s+(?:years|months)\b|\bas\s+the\s+years\s+go\s+by\b"
    r"|\b(?:for|over)\s+(?:many\s+)?(?:years|months)\b"
    r"|\bin\s+the\s+years\s+ahead\b|\bday\s+to\s+day\b|\bday-to-day\b"
)


_TIME_UNITS = {
    word: unit
    for unit, words in {
        "minute": "minute minutes",
        "hour": "hour hours hourly",
        "day": "day days daily",
        "week": "week weeks weekly",
        "month": "month months monthly",
        "year": "year years yearly annual annually",
    }.items()
    for word in words.split()
}


def _durations(text: str) -> set[tuple[str, str]]:
    """(number, time unit) pairs: "two weeks" is ("2", "week")."""
    found = set()
    for number, unit in _DURATION.findall(_in_minutes(text.lower())):
        value = NUMBER_WORDS.get(number, number)
        if value[0].isdigit():
            found.add((value, unit))
    return found


def _changed_units(claim: str, source: str) -> set[str]:
    """Amounts of time whose number the source has, but with another unit ("two months" where
    the source says "two weeks")."""
    held = _durations(source)
    return {
        f"{n} {unit}"
        for n, unit in _durations(claim) - held
        if any(m == n and other != unit for m, other in held)
    }


def clauses(text: str) -> list[str]:
    """The clauses of a sentence, split where an added or flipped claim usually starts.

    A text of several sentences is split at each sentence end first: a negation never reaches
    into the next sentence ("cannot use it well. Insulin is a hormone that moves sugar").
    """
    pieces = [p.strip(" ,.;") for s in split_sentences(text) for p in _CLAUSE.split(s)]
    return [p for p in pieces if content_stems(p)] or [text]


def _superlatives(text: str) -> set[str]:
    """What a text ranks first or last: "most effective" is not "most common"."""
    plain = _MOST_USED.sub(r"\1 common", _NOT_COMPARING.sub(" ", text.lower()))
    return {f"{a} {_STEM.stemWord(b)}" for a, b in _SUPERLATIVE.findall(plain)}


def _comparatives(text: str) -> set[str]:
    """Comparison words of a text, synonyms as one ("greater risk" is "more likely", "more
    quickly" is "faster"); "rather than" and "more than" a number compare nothing, and "at
    least", "or more" and "65 and older" are one bound ("atleast")."""
    plain = _MORE_QUICKLY.sub(_as_faster, _AT_LEAST.sub(" atleast ", text.lower()))
    plain = _LIKELIER.sub(" likelier ", _NOT_COMPARING.sub(" ", plain))
    found = {_SAME_COMPARISON.get(w, w) for w in _words(plain) & COMPARATIVES}
    return found | (_words(plain) & {"atleast"})


# "150 minutes or more" is "at least 150 minutes": a bound the source must set too.
_AT_LEAST = re.compile(
    r"\bat\s+least\b|\bor\s+(?:more|longer|greater|higher)\b"
    r"|\b\d+(?:\s+[a-z]+){0,2}?\s+(?:and|or)\s+(?:older|over|up)\b"
)
# "At greater risk of falling" is "more likely to fall" (and only that).
_LIKELIER = re.compile(
    r"\bmore\s+likely\b|\b(?:higher|greater|bigger|increased)\s+(?:risk|chance|odds)\b"
    r"|\b(?:risk|chance|odds)\s+(?:is|are|gets|becomes)\s+(?:higher|greater)\b"
    r"|\b(?:raise|raises|raising|increase|increases|increasing)\s+(?:your\s+|the\s+)?"
    r"(?:risk|chance|odds)\b"
)


# "Lost more quickly than it is replaced" compares as "lose it faster than you build it".
_MORE_QUICKLY = re.compile(r"\bmore\s+(quickly|slowly)\b")


def _as_faster(match: re.Match[str]) -> str:
    return "faster" if match.group(1) == "quickly" else "slower"


# "Heal more slowly" says what "slows healing" says: a comparison made by a verb.
_MORE_LY = re.compile(r"\bmore\s+([a-z]+?)ly\b")


_THAN = re.compile(
    r"^(?P<a>.*?\b(?:more|less|fewer|[a-z]{3,}er)\b.*?)\bthan\s+(?P<b>[^,.;]+)", re.I
)


def _compared(text: str) -> tuple[set[str], set[str]] | None:
    """What a comparison puts first and what it compares it with: "Women get UTIs more
    often than men" → ({women, get, uti, often}, {men})."""
    match = _THAN.search(text)
    if match is None:
        return None
    return content_stems(match["a"]), content_stems(match["b"])


def _reversed(claim: str, source: str) -> bool:
    """Does the claim make the source's comparison the other way round?"""
    said, held = _compared(claim), _compared(source)
    if said is None or held is None:
        return False
    (first, second), (source_first, source_second) = said, held
    return bool((second & source_first) - first) and bool((first & source_second) - second)


_EXCEPTION = re.compile(r"\b(?:unless|except|until)\s+([^,;.]+)")


def _same_exception(claim: str, source: str) -> bool:
    """Does the source make the claim's exception, on the same condition ("unless you have
    talked to your care team" for "without talking to your care team")?"""
    # Each branch on its own: "unless you bleed or your doctor tells you to" adds a reason.
    said = [
        _told(branch)
        for c in _EXCEPTION.findall(_negations_as_not(claim))
        for branch in re.split(r"\s+or\s+", c)
    ]
    held = set().union(*(_told(c) for c in _EXCEPTION.findall(_negations_as_not(source))))
    return all(not stems or stems & held for stems in said) and bool(held or not said)


_TOLD = re.compile(r"\b(?:tells?|told|instruct(?:s|ed)?|direct(?:s|ed)?|advise[sd]?)\b")


def _told(text: str) -> set[str]:
    """Content stems of an exception, being told in any words as one: "unless instructed"
    is "unless you are told to"."""
    return content_stems(_TOLD.sub("told", text))


_REDUCES = re.compile(
    r"\b(?:cut(?:s|ting)?\s+(?:back|down)(?:\s+on)?|reduc(?:e|es|ed|ing)|limit(?:s|ed|ing)?|"
    r"lessen(?:s|ed|ing)?|decreas(?:e|es|ed|ing))\s+((?:[a-z'-]+\s*){1,3})",
    re.IGNORECASE,
)
_LESS = re.compile(r"\b(?:less|fewer)\s+((?:[a-z'-]+\s*){1,3})", re.IGNORECASE)


def _reduced(source: str) -> set[str]:
    """Content stems of what a source says to cut back on ("cut back on caffeine")."""
    return {s for m in _REDUCES.finditer(source) for s in content_stems(m.group(1))}


def _lessened(claim: str) -> set[str]:
    """The first content stem after each "less"/"fewer" of a claim ("have less caffeine")."""
    found = set()
    for m in _LESS.finditer(claim):
        words = [w for w in _WORD.findall(m.group(1).lower()) if w not in STOPWORDS]
        found.add(_STEM.stemWord(words[0]) if words else "")
    return found


def _novel_comparisons(claim: str, *sources: str) -> set[str]:
    """Comparison words of a claim that no source compares with or uses at all; "lower your
    blood pressure" restates "lowers your blood pressure" (a verb, no comparison)."""
    held = set().union(*(_comparatives(s) | _words(s) for s in sources))
    stems = set(_STEM.stemWords(list(held)))
    # "Have less caffeine" is what "cut back on caffeine" says, of the caffeine only.
    reduced = set().union(*(_reduced(s) for s in sources))
    lessened = _lessened(claim)
    if reduced and lessened and lessened <= reduced:
        stems |= {"less", "fewer"}
    verbs = {f"{base}{end}" for base in _MORE_LY.findall(claim.lower()) for end in ("s", "ed")}
    if verbs & held:
        claim = _MORE_LY.sub(" ", claim.lower())
    return {w for w in _comparatives(claim) - held if _STEM.stemWord(w) not in stems}


def _frequency(text: str) -> set[str]:
    """Frequency qualifiers, with "each", "every", "all" and "everyone" as one and "mostly",
    "most of the time" and "most of it" as "usually"."""
    # "Only … if" is an exception ("not … unless"), compared as one, not a frequency.
    text = _ONLY_IF.sub(_as_not_unless, text.lower())
    found = {_SAME_FREQUENCY.get(w, w) for w in _counted(text) & FREQUENCY_QUALIFIERS}
    if _MOSTLY.search(text):
        found.add("usually")
    if re.search(_ALL_THE_TIME, text, re.IGNORECASE):
        found.add("always")
    return found


def _counted(text: str) -> set[str]:
    """Words of a text, less "at all" and "between each", which count nobody: "do not feel
    anything at all", "a minute between each reading"."""
    plain = _NEARLY_ALL.sub(" almostall ", text.lower())
    return _words(_FOR_LIFE.sub(" forever ", _COUNTS_NOBODY.sub(" between ", plain)))


# "Nearly every infection" is "almost any infection": a qualifier of its own, not "every".
# "Everyone …, with rare exceptions" says it too.
_NEARLY_ALL = re.compile(
    r"\b(?:nearly|almost)\s+(?:every|all|any)(?:one|body|thing)?\b"
    r"|\b(?:every|all)(?:one|body)?\b(?=[^.;]*\bwith\s+(?:rare|few|very\s+few)\s+exceptions\b)"
)
_SAME_FREQUENCY = {
    "each": "every",
    "all": "every",
    "everyone": "every",
    "everybody": "every",
    "mostly": "usually",
    "normally": "usually",
    "typically": "usually",
    "generally": "usually",
}
_ALL_THE_TIME = r"\ball\s+the\s+time\b|\bat\s+all\s+times\b"
_COUNTS_NOBODY = re.compile(rf"\bat\s+all\b(?!\s+times)|\bbetween\s+each\b|{_ALL_THE_TIME}")
# "Most people do not need it": what a claim may say "usually" for, unless it says "most
# people" itself ("Most people get better, mostly those who had the shot" adds a group).
_MOST_PEOPLE = re.compile(r"\bmost\s+(?:people|adults|patients|children|kids|men|women)\b", re.I)
_FOR_LIFE = re.compile(r"\bfor\s+(?:life|good|the\s+rest\s+of\s+your\s+life)(?![\w-])")
_MOSTLY = re.compile(
    r"\bmost\s+of\s+(?:the\s+time|it|them)\b|\bmost\s+often\b|\bin\s+most\s+cases\b",
    re.I,
)


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower().replace("\u2019", "'")))


@dataclass
class _SourceSentences:
    """Source sentences with embeddings, plus adjacent pairs for claims that merge two."""

    texts: list[str] = field(default_factory=list)
    owners: list[int] = field(default_factory=list)
    stems: list[set[str]] = field(default_factory=list)
    # Rows that are a pronoun-led sentence without the sentence it refers back to.
    pronoun_led: list[bool] = field(default_factory=list)
    vectors: np.ndarray | None = None
    # Clauses of every source sentence: polarity and qualifiers are compared clause to clause.
    clause_texts: list[str] = field(default_factory=list)
    clause_owners: list[int] = field(default_factory=list)
    clause_stems: list[set[str]] = field(default_factory=list)
    clause_sentences: list[str] = field(default_factory=list)
    clause_vectors: np.ndarray | None = None
    encoded: dict[str, np.ndarray] = field(default_factory=dict)
    # Each source's whole text and its document's title by its number, for the support judge.
    passages: dict[int, str] = field(default_factory=dict)
    titles: dict[int, str] = field(default_factory=dict)
    # Numbers, drugs and conditions of the cited sources (+ context), per set of citations.
    facts: dict[tuple[int, ...], tuple[set[str], set[str], set[str], set[str]]] = field(
        default_factory=dict
    )


class GroundingGuard:
    """Checks answers against their sources; the same guard for chat, explanations, handouts."""

    def __init__(
        self,
        embedder: Embedder,
        thresholds: Thresholds | None = None,
        repair_citations: bool = True,
        judge: SupportScorer | None = None,
    ) -> None:
        self.embedder = embedder
        self.thresholds = thresholds or Thresholds()
        self.repair_citations = repair_citations
        self.judge = judge

    def prepare(
        self, sources: Sequence[SourcePassage], patient_context: str = ""
    ) -> GroundingCheck:
        """A checker for one answer: sources are indexed once, sentences checked as they come."""
        return GroundingCheck(self, sources, self._index(sources), patient_context)

    def check_answer(
        self, answer: str, sources: Sequence[SourcePassage], patient_context: str = ""
    ) -> tuple[list[str], GroundingReport]:
        """Kept sentences (with their [n] marks) and the report."""
        check = self.prepare(sources, patient_context)
        verdicts = [check.check(s) for s in split_sentences(answer)]
        return [v.text for v in verdicts if v.kept], self.report(verdicts)

    @staticmethod
    def report(verdicts: Sequence[SentenceVerdict]) -> GroundingReport:
        removed = Counter(v.reason for v in verdicts if not v.kept)
        kept = sum(v.kept for v in verdicts)
        return GroundingReport(
            sentences_total=len(verdicts),
            sentences_kept=kept,
            sentences_removed=len(verdicts) - kept,
            removed_by_reason=dict(removed),
            verdicts=list(verdicts),
        )

    # -- internals ---------------------------------------------------------------------------
    def _index(self, sources: Sequence[SourcePassage]) -> _SourceSentences:
        idx = _SourceSentences()
        for src in sources:
            idx.passages[src.n] = src.text
            idx.titles[src.n] = " ".join(src.title.split())
            # Standalone statements (list items with their lead-in), plus adjacent pairs for
            # claims that merge two of them.
            units = statements(src.text) + [
                f"{lead_in[:-1]}." for lead_in in dangling_lead_ins(src.text)
            ]
            seen: set[str] = set()
            for i, unit in enumerate(units):
                candidates: list[tuple[str, ...]] = [(unit,)]
                if i + 1 < len(units) and not units[i + 1].startswith(unit):
                    candidates.append((unit, units[i + 1]))
                # A sentence that kept the one before it ("They can harm new skin.") also
                # stands as itself, for a claim clause that says it with the same pronoun.
                bare = split_sentences(unit)[1:]
                for parts in candidates + [(part,) for part in bare]:
                    text = " ".join(parts)
                    if text not in seen:
                        seen.add(text)
                        idx.texts.append(text)
                        idx.owners.append(src.n)
                        idx.stems.append(claim_stems(text) | content_stems(text))
                        idx.pronoun_led.append(len(parts) == 1 and parts[0] in bare)
            for unit in units:
                for sentence in split_sentences(unit):
                    for clause in clauses(strip_citations(sentence)):
                        idx.clause_texts.append(clause)
                        idx.clause_owners.append(src.n)
                        idx.clause_stems.append(claim_stems(clause) | content_stems(clause))
                        idx.clause_sentences.append(sentence)
        if idx.texts:
            vectors = self.embedder.encode(idx.texts + idx.clause_texts)
            idx.vectors = vectors[: len(idx.texts)]
            idx.clause_vectors = vectors[len(idx.texts) :]
        return idx

    def _check(
        self,
        sentence: str,
        sources: Sequence[SourcePassage],
        index: _SourceSentences,
        context: str,
    ) -> SentenceVerdict:
        cited = citations(sentence)
        verdict = SentenceVerdict(text=sentence.strip(), kept=False, reason="ok", citations=cited)
        claim = strip_citations(sentence)
        # A list lead-in ("The signs are:") or a two-word scrap says nothing on its own.
        if claim.endswith(":") or len(content_stems(claim)) < MIN_CONTENT_WORDS:
            verdict.reason = "fragment"
            return verdict
        valid = {s.n for s in sources}
        if not cited:
            return self._repair_citation(sentence, sources, index, context, verdict)
        if any(n not in valid for n in cited):
            verdict.reason = "bad_citation"
            verdict.detail = f"cites {cited}, sources are 1 to {len(sources)}"
            return verdict
        numbers, drugs, conditions, named_stems = self._facts(cited, sources, index, context)
        allowed_text = " ".join(s.text for s in sources if s.n in cited) + f" {context}"
        missing_numbers = (
            (_numbers(_split_in_half(claim, allowed_text)) - numbers)
            | _changed_units(claim, allowed_text)
            | _changed_counts(claim, allowed_text)
        )
        missing_numbers |= _time_units(claim) - _time_units(allowed_text)
        if missing_numbers:
            verdict.reason = "unsupported_number"
            verdict.detail = ", ".join(sorted(missing_numbers))
            return verdict
        missing_drugs = _unnamed(medical_terms.drug_mentions(claim), drugs, index, cited)
        if missing_drugs:
            verdict.reason = "unsupported_drug"
            verdict.detail = ", ".join(sorted(missing_drugs))
            return verdict
        missing_conditions = _unnamed(
            medical_terms.condition_mentions(claim), conditions, index, cited
        )
        if missing_conditions:
            verdict.reason = "unsupported_condition"
            verdict.detail = ", ".join(sorted(missing_conditions))
            return verdict
        new_actions = _new_actions(claim, named_stems)
        if new_actions:
            verdict.reason = "unsupported_action"
            verdict.detail = (
                f"an instruction its sources do not give: {', '.join(sorted(new_actions))}"
            )
            return verdict
        candidates = self._candidates(claim, cited, index)
        closest = max((ov for _, _, ov in candidates), default=0.0)
        new_things = _new_things(claim, named_stems, verbatim=closest >= VERBATIM_OVERLAP)
        if new_things:
            verdict.reason = "unsupported_thing"
            verdict.detail = ", ".join(sorted(new_things))
            return verdict

        row, similarity, overlap = max(candidates, key=_rank, default=(None, 0.0, 0.0))
        verdict.support, verdict.overlap = round(similarity, 3), round(overlap, 3)
        t = self.thresholds
        supported = (similarity >= t.min_similarity and overlap >= t.min_overlap) or (
            similarity >= t.high_similarity and overlap >= t.min_overlap_at_high_similarity
        )
        if row is None:
            verdict.reason = "low_support"
            return verdict
        # A failure on wording alone is one the support judge may overturn, but only if every
        # other check passes: the checks go on, and any other failure decides.
        wording: list[tuple[Reason, str]] = [] if supported else [("low_support", "")]
        novel = _novel_comparisons(claim, index.texts[row], *self._related(claim, cited, index))
        if novel:
            verdict.reason = "comparison_unsupported"
            verdict.detail = ", ".join(sorted(novel))
            return verdict
        # Meaning is judged clause by clause: an added clause ("…, so cut your dose in half")
        # or a flipped one hides easily inside an otherwise well-supported sentence.
        for clause in clauses(claim):
            reason, detail = self._check_clause(clause, claim, row, cited, index)
            if reason is None:
                continue
            # A clause that drops a negation altogether ("heart failure often goes away" for
            # "It does not go away") stays rejected: the judge has read such flips as fine.
            dropped = reason == "negation_mismatch" and not _negated(clause)
            if reason not in JUDGE_MAY_RESCUE or dropped:
                verdict.reason, verdict.detail = reason, detail
                return verdict
            wording.append((reason, detail))
        if wording:
            verdict.reason, verdict.detail = wording[0]
            verdict._wording_only = True
            return verdict
        verdict.kept = True
        return verdict

    def _judged(self, verdict: SentenceVerdict, index: _SourceSentences) -> SentenceVerdict:
        """The rules' verdict, confirmed or overturned by the support judge (if there is one)."""
        claim = strip_citations(verdict.text)
        rescuable = not verdict.kept and verdict._wording_only
        if self.judge is None or not verdict.citations or not (verdict.kept or rescuable):
            return verdict
        # The title says what "it" is about ("Many people first learn they have it…" in the
        # guide on osteoporosis), as it does for a patient reading the guide.
        source, shown = self._judge_source(claim, verdict.citations, index)
        titles = dict.fromkeys(index.titles.get(n, "") for n in shown)
        score = self.judge.score(source, claim, "; ".join(t for t in titles if t))
        if score is None:
            return verdict
        verdict.judge = score
        t = self.thresholds
        if verdict.kept and score <= t.judge_veto:
            verdict.kept, verdict.reason = False, "judge_rejected"
            verdict.detail = f"the support judge does not find it in the source ({score:+.2f})"
        elif rescuable and score > t.judge_rescue:
            rules = f"{verdict.reason}: {verdict.detail}" if verdict.detail else verdict.reason
            verdict.kept, verdict.reason = True, "ok"
            verdict.detail = f"kept by the support judge ({score:+.2f}) over the rules ({rules})"
        return verdict

    def _judge_source(
        self, claim: str, cited: Sequence[int], index: _SourceSentences
    ) -> tuple[str, list[int]]:
        """What the judge reads, and the sources it comes from: the cited text if short, else
        its statement closest to the claim (a long prompt is slow and buries the sentence that
        matters)."""
        shown = [n for n in cited if n in index.passages]
        whole = " ".join(index.passages[n] for n in shown)
        if len(whole) <= JUDGE_WHOLE_SOURCE_CHARS:
            return whole, shown
        row, _, _ = self._best_support(claim, cited, index)
        if row is None:
            return "", []
        # A pair of statements repeats the sentence a pronoun leans on: shown once.
        return " ".join(dict.fromkeys(split_sentences(index.texts[row]))), [index.owners[row]]

    def _repair_citation(
        self,
        sentence: str,
        sources: Sequence[SourcePassage],
        index: _SourceSentences,
        context: str,
        verdict: SentenceVerdict,
    ) -> SentenceVerdict:
        """An uncited sentence is checked against every source; if one supports it fully, the
        guard cites that source (and says so) instead of dropping a correct sentence."""
        claim = strip_citations(sentence)
        row, _, _ = self._best_support(claim, [s.n for s in sources], index)
        if row is None or not self.repair_citations:
            verdict.reason = "no_citation"
            return verdict
        repaired = self._check(cite(claim, index.owners[row]), sources, index, context)
        if not repaired.kept:
            verdict.reason = "no_citation"
            verdict.detail = f"no source supports it ({repaired.reason})"
            return verdict
        repaired.detail = "citation added by the guard"
        return repaired

    @staticmethod
    def _facts(
        cited: Sequence[int],
        sources: Sequence[SourcePassage],
        index: _SourceSentences,
        context: str,
    ) -> tuple[set[str], set[str], set[str], set[str]]:
        """Numbers, drugs, conditions and content stems the cited sources and the context
        allow, computed once per set of citations for the whole answer."""
        key = tuple(sorted(cited))
        if key not in index.facts:
            allowed = " ".join(s.text for s in sources if s.n in cited) + f" {context}"
            named = allowed + " " + " ".join(s.title for s in sources if s.n in cited)
            # A chunk's title names its topic ("Warfarin (blood thinner)"): a sentence may name
            # it even where the chunk's own text says only "your dose". Numbers in a title
            # ("Type 2 diabetes") are no amounts, so they do not count.
            index.facts[key] = (
                _numbers(allowed),
                medical_terms.drugs(named),
                medical_terms.conditions(named),
                _named_stems(named),
            )
        return index.facts[key]

    def _encode(self, text: str, index: _SourceSentences) -> np.ndarray:
        """One embedding per distinct text per answer (a clause may be the whole claim)."""
        if text not in index.encoded:
            index.encoded[text] = self.embedder.encode([text])[0]
        return index.encoded[text]

    def _check_clause(
        self, clause: str, claim: str, unit: int, cited: Sequence[int], index: _SourceSentences
    ) -> tuple[Reason | None, str]:
        """Is this clause of ``claim`` supported, and does it agree with the source clause it
        restates? ``unit`` is the source row that best supports the whole claim."""
        t = self.thresholds
        rows = [i for i, owner in enumerate(index.clause_owners) if owner in cited]
        if not rows or index.clause_vectors is None:
            return "unsupported_clause", clause
        sims = index.clause_vectors[rows] @ self._encode(clause, index)
        similarity = dict(zip(rows, sims.tolist(), strict=True))
        overlaps = {row: _overlap(clause, index.clause_stems[row]) for row in rows}
        # The source's units, and its clauses on their own: a short clause ("check labels")
        # is closest to a short source clause ("Read labels"), not to the sentence around it.
        candidates = self._candidates(clause, cited, index) + [
            (row, sim, overlaps[row]) for row, sim in similarity.items()
        ]
        if len(content_stems(clause)) >= MIN_CLAUSE_CONTENT_WORDS and not any(
            (sim >= t.clause_similarity and overlap >= t.clause_overlap)
            or sim >= t.clause_high_similarity
            or overlap >= t.clause_overlap_alone
            for _, sim, overlap in candidates
        ):
            _, sim, overlap = max(candidates, key=_rank, default=(None, 0.0, 0.0))
            return "unsupported_clause", f"{clause} (similarity {sim:.2f}, overlap {overlap:.2f})"
        best, best_score, best_overlap = rows[0], -1.0, 0.0
        for row, sim_c in similarity.items():
            ov = overlaps[row]
            score = min(sim_c, ov + 0.2)
            if score > best_score:
                best, best_score, best_overlap = row, score, ov
        stems = claim_stems(clause)
        if _flipped_polarity(clause, index.clause_texts[best]):
            # A source clause as close to the claim, in shared words and in meaning, that says
            # it the same way is the one it restates: "does not mean your heart has stopped"
            # beside "Heart failure means your heart does not pump well" (but "tell you which
            # medicines to stop" is further from "stop your medicines on your own" than "do
            # not stop any medicine on your own").
            close = len(stems & index.clause_stems[best])
            for row in rows:
                if (
                    len(stems & index.clause_stems[row]) >= close
                    and similarity[row] >= similarity[best]
                    and not _flipped_polarity(clause, index.clause_texts[row])
                ):
                    best, best_overlap = row, overlaps[row]
                    break
        same_statement = best_overlap >= t.same_statement_overlap
        # Words the source clause this one restates says the same way: another clause of the
        # source that says one of them the other way ("Colds are caused by viruses" beside
        # "Antibiotics do not work on viruses") speaks of something else.
        agreed = _agreed(clause, index.clause_texts[best]) if same_statement else set()
        # Every source clause about the same thing on its own: "Do not stop any medicine on
        # your own" is contradicted by "You can stop blood thinners on your own" even when
        # another clause says "your team will tell you which medicines to stop".
        related = self._related(clause, cited, index)
        for text in related:
            if _flipped_polarity(clause, text, agreed) - agreed:
                return "negation_mismatch", f"{clause} | {text}"
        reason = _disagreement(
            clause,
            claim,
            index.clause_texts[best],
            index.clause_sentences[best],
            index.texts[unit],
            same_statement=same_statement,
            agreed=agreed,
            related=related,
        )
        return reason, f"{clause} | {index.clause_texts[best]}" if reason else ""

    @staticmethod
    def _related(text: str, cited: Sequence[int], index: _SourceSentences) -> list[str]:
        """Cited source clauses about the same things as ``text``."""
        stems = claim_stems(text)
        return [
            clause
            for clause, owner, clause_stems in zip(
                index.clause_texts, index.clause_owners, index.clause_stems, strict=True
            )
            if owner in cited and _about_the_same(stems, clause_stems)
        ]

    def _candidates(
        self, claim: str, cited: Sequence[int], index: _SourceSentences
    ) -> list[tuple[int, float, float]]:
        """Every cited source unit with how well it supports ``claim``: (row, similarity,
        overlap)."""
        led = bool(_PRONOUN_LED.match(claim))
        rows = [
            i
            for i, owner in enumerate(index.owners)
            if owner in cited and (led or not index.pronoun_led[i])
        ]
        if not rows or index.vectors is None:
            return []
        sims = index.vectors[rows] @ self._encode(claim, index)
        return [
            (row, sim, _overlap(claim, index.stems[row]))
            for row, sim in zip(rows, sims.tolist(), strict=True)
        ]

    def _best_support(
        self, claim: str, cited: Sequence[int], index: _SourceSentences
    ) -> tuple[int | None, float, float]:
        """The cited source unit that best supports ``claim``: (row, similarity, overlap)."""
        best = max(self._candidates(claim, cited, index), key=_rank, default=None)
        return best if best is not None else (None, 0.0, 0.0)


def _as_negation(match: re.Match[str]) -> str:
    said = match.group(0).lower()
    # "out of reach of children" denies the reaching, not the children ("where" ends the scope).
    if "reach" in said:
        return " not reach where "
    # "no longer work well enough" denies the working, as "stop working well enough" does;
    # "no longer need to take it" denies the taking too.
    if said.startswith("no "):
        verb = said.split()[-1]
        if verb == "longer" or verb in _LEADS_ON or verb in STOPWORDS:
            return f" not {'' if verb == 'longer' else verb} "
        return f" not {verb} {_SCOPE_BREAK} "
    # "non-diet soda" denies the diet, not the soda.
    if said.startswith("non-"):
        return f" not {said[4:]} {_SCOPE_BREAK} "
    words = said.split()
    if said.startswith("stop") and words[-1] != "from":
        # "has stopped pumping" denies the pumping, and still says "stopped" ("it does not
        # mean your heart has stopped" must contradict it). Only the stopped action is
        # denied: "part of the heart stops getting blood" says what "blood stops flowing to
        # part of your heart" says.
        return f" {words[0]} not {words[1]} {_SCOPE_BREAK} "
    # "stop germs from growing" denies the growing, and still speaks of the germs.
    if words[0].startswith(("keep", "stop", "prevent")) and words[-1] == "from":
        return f" {' '.join(words[1:-1])} not "
    return " not "


@lru_cache(maxsize=8192)
def polarity(
    text: str, scope: int = NEGATION_SCOPE, ends: frozenset[str] = _SCOPE_ENDS
) -> tuple[frozenset[str], frozenset[str]]:
    """Content stems a clause states, and those under a negation ("do not RUB it").

    A negation governs ``scope`` content words. Cached: every claim clause is compared with
    the same source clauses again and again.
    """
    plain = _negations_as_not(text)
    said: list[str] = []
    denied: list[str] = []
    left = 0
    partly = False
    previous = ""
    for word in _WORD.findall(plain):
        if (
            word in ends
            and not (word == "to" and previous in _LEADS_ON)
            and not (partly and word not in _CLAUSE_STARTS)
        ):
            left = 0
            previous = word
            continue
        if word in NEGATION_CUES:
            # "do not skip it": a cue right after another cancels it ("do not stop or skip
            # it", "do not use them instead of it" do not: there the second cue goes on).
            left = 0 if previous in NEGATION_CUES else scope
            partly = False
            previous = word
            continue
        if left and previous == "not" and word in _EVERY:
            # "Not everyone with the flu has a fever": some do and some do not, to the end
            # of the clause.
            partly, left = True, _WHOLE_PHRASE
        previous = word
        if word not in STOPWORDS:
            (denied if left else said).append(word)
            if left and partly and word not in _EVERY:
                said.append(word)
            left = max(0, left - 1)
    return frozenset(_STEM.stemWords(said)), frozenset(_STEM.stemWords(denied))


@lru_cache(maxsize=8192)
def denials(text: str) -> tuple[tuple[frozenset[str], frozenset[str]], ...]:
    """Each negation of a clause: the stems it denies first, and the rest of its scope.

    "do not RUB it" denies the rubbing; "do not WORK on viruses" denies the working, and the
    viruses only as what it works on. A word that only frames what follows passes the denial
    on: "do not NEED to CALL", "not the KIND of INFECTION that SPREADS", "does not MEAN your
    HEART has STOPPED".
    """
    groups: list[tuple[list[str], list[str]]] = []
    left = 0
    passing = False
    previous = ""
    for word in _WORD.findall(_negations_as_not(text)):
        if word in NEGATION_CUES:
            left, passing = NEGATION_SCOPE, False
            groups.append(([], []))
        elif word == "to" and previous in _LEADS_ON:
            passing = True
        elif word in _SCOPE_ENDS:
            left = 0
        elif left and (
            word not in STOPWORDS or (previous in NEGATION_CUES and word in _CORE_VERBS)
        ):
            first, rest = groups[-1]
            # "not the KIND of infection that SPREADS": the kind's complement goes with the
            # rest of the scope, what it is said to do is denied.
            complement = previous == "of" and bool(first) and first[-1] in _LIGHT_NOUNS
            (first if (passing or not first) and not complement else rest).append(word)
            passing = passing or word in _LIGHT_WORDS
            left -= 1
        previous = word
    return tuple(
        (frozenset(_STEM.stemWords(first)), frozenset(_STEM.stemWords(rest)))
        for first, rest in groups
    )


def _anchored(
    negations: Sequence[tuple[frozenset[str], frozenset[str]]], other_says: frozenset[str]
) -> set[str]:
    """Denied stems that can flip against a clause stating ``other_says``: what a negation
    denies first, and the rest of its scope where the other clause states that first word
    ("do not take it on an empty stomach" against "take it on an empty stomach")."""
    anchored: set[str] = set()
    for first, rest in negations:
        anchored |= first
        if first & other_says:
            anchored |= rest
    return anchored


def _negations_as_not(text: str) -> str:
    """Lower-cased text with multi-word negations rewritten to "not"."""
    plain = _NOT_WITHOUT.sub(r"\1\2unless ", _AS_TIME_GOES.sub("over time", _too_little(text)))
    plain = _FEEL_FINE.sub("feel fine", plain)
    plain = _ASK_BEFORE.sub(_as_not_before_asking, _ONLY_IF.sub(_as_not_unless, plain))
    plain = _MULTIWORD_NEGATION.sub(_as_negation, _NO_NEED_TO_AVOID.sub(" may ", plain))
    plain = _NEW_CLAUSE.sub(f" {_SCOPE_BREAK} ", plain)
    return _VERB_NOTHING.sub(_verb_nothing, plain)


def _as_not_before_asking(match: re.Match[str]) -> str:
    # "You don't have to check with your doctor before you stop" forbids nothing.
    clause = re.split(r"[,;:.?!]", match.string[: match.start()])[-1]
    if _NEGATED_LEAD.search(clause):
        return match.group(0)
    return f"{match.group(1)} {_SCOPE_BREAK} not {match.group(2)}"


_NEGATED_LEAD = re.compile(r"\b(?:not|no|never|don't|doesn't|needn't)\b|n't\b")


def _as_not_unless(match: re.Match[str]) -> str:
    lead, before, after = match.groups()
    # "The only way to know if you have it" sets no condition.
    if before.endswith(("the ", "an ", "one ", "your ")):
        return match.group(0)
    # The whole clause is under the condition: "medicine only works when you take it" and
    # "medicine works only when you take it" are one.
    return f"{lead}not {before}{after}unless"


def _too_little(text: str) -> str:
    """Lower-cased text with every way of saying "not enough" rewritten to "too little"."""
    return _NOT_ENOUGH.sub(_as_too_little, text.lower().replace("\u2019", "'"))


def _as_too_little(match: re.Match[str]) -> str:
    verb = match.group(1)
    if verb:
        return f"{verb} too little"
    said = match.group(0).lower()
    if said.startswith("without"):
        return "with too little"
    return "have too little" if said.startswith("lack") else "too little"


def _verb_nothing(match: re.Match[str]) -> str:
    verb, cue = match.groups()
    if verb in STOPWORDS or verb in NEGATION_CUES or verb.endswith("ing"):
        return match.group(0)
    return f"not {verb} anything" if cue == "nothing" else f"not {verb}"


@lru_cache(maxsize=8192)
def _negated(text: str) -> bool:
    """Does the text hold a negation cue at all?"""
    return any(word in NEGATION_CUES for word in _WORD.findall(_negations_as_not(text)))


def _phrase_polarity(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """Polarity with each negation reaching to the end of its phrase (the next comma or
    subordinate clause), not a fixed number of words: "do not clean it with alcohol" denies
    the alcohol too."""
    said: set[str] = set()
    denied: set[str] = set()
    for phrase in re.split(r"[,;:]", text):
        stated, negated = polarity(phrase, scope=_WHOLE_PHRASE, ends=_CLAUSE_STARTS)
        said |= stated
        denied |= negated
    return frozenset(said), frozenset(denied)


def _unnamed(
    mentions: dict[str, str], allowed: set[str], index: _SourceSentences, cited: Sequence[int]
) -> set[str]:
    """Drugs or conditions a claim names that its cited sources do not.

    A name of two or more words counts as named when half its words are in the sources:
    "flu vaccine" for a source's "flu shot", "nasal spray" for "nose spray". A one-word name
    must be there itself: the harness's independent check reads "numbness" as hypesthesia,
    which a source's "numb" does not name.
    """
    if not mentions.keys() - allowed:
        return set()
    rows = zip(index.stems, index.owners, strict=True)
    source_stems: set[str] = set().union(*(stems for stems, owner in rows if owner in cited))
    missing = set()
    for name, words in mentions.items():
        if name in allowed:
            continue
        stems = content_stems(words)
        if len(stems) < 2 or len(stems & source_stems) * 2 < len(stems):
            missing.add(name)
    return missing


def _about_the_same(stems: set[str], source_stems: set[str]) -> bool:
    """Does a source clause speak of the same things as a claim clause (at least two shared
    content words, half of its own)? Only then can its polarity contradict the claim."""
    shared = stems & source_stems
    return len(shared) >= 2 and len(shared) >= len(source_stems) / 2


def _flipped_polarity(
    clause: str, source: str, agreed: set[str] | frozenset[str] = frozenset()
) -> set[str]:
    """Words the clause states that the source clause only denies, or denies where the source
    only states them: "Do not rub it" → "Rub it dry", "have no signs" → "notice signs".

    Where both clauses carry a negation, each is often said in other words ("skip red drinks"
    for "do not have red drinks"), and word counts misplace the scope: the flip must then
    also hold with every negation reaching to the end of its phrase. ``agreed``: words the
    claim says as another source clause does, which anchor no flip.
    """
    # Only a synonym in the same first sense can flip: "set up a ride home" does not deny
    # what "you will not be able to drive" denies.
    alike = _synonym_stems(clause, strict=True)
    source_polarity = polarity(source)
    claim_polarity = _as_source_says(polarity(clause), source_polarity, alike)
    flipped = _flips(claim_polarity, source_polarity)
    # Only what a negation is about can flip: "do not RUB it" → "rub it dry", but "do not
    # work on viruses" says nothing against "colds are caused by viruses". Where both
    # clauses state the same thing besides ("ANTIBIOTICS do not work against viruses" and
    # "ANTIBIOTICS kill viruses"), they speak of one subject and the whole scope flips,
    # unless both deny the same thing and differ only in word order ("do not need regular
    # tests" and "regular tests are not needed").
    claim_says = claim_polarity[0]
    claim_denials = [
        (
            _as_source_says((first, frozenset()), source_polarity, alike)[0],
            _as_source_says((rest, frozenset()), source_polarity, alike)[0],
        )
        for first, rest in denials(clause)
    ]
    source_denials = denials(source)
    claim_first = set().union(*(first for first, _ in claim_denials))
    source_first = set().union(*(first for first, _ in source_denials))
    same_denial = bool(
        (claim_first & (source_polarity[1] | source_first))
        | (source_first & (claim_polarity[1] | claim_first))
    )
    if same_denial or not (claim_says & source_polarity[0]) - flipped:
        flipped &= _anchored(claim_denials, source_polarity[0] - agreed) | _anchored(
            source_denials, claim_says - agreed
        )
    if flipped and _negated(clause) and _negated(source):
        phrase_source = _phrase_polarity(source)
        phrase_clause = _as_source_says(_phrase_polarity(clause), phrase_source, alike)
        if not _flips(phrase_clause, phrase_source):
            return set()
    return flipped


def _as_source_says(
    claim: tuple[frozenset[str], frozenset[str]],
    source: tuple[frozenset[str], frozenset[str]],
    alike: dict[str, frozenset[str]],
) -> tuple[frozenset[str], frozenset[str]]:
    """A claim's polarity with each word the source lacks put as the source's synonym of it:
    "you can halt your statin" states the "stop" of "do not stop your statin"."""
    held = source[0] | source[1]

    def words(stems: frozenset[str]) -> frozenset[str]:
        return frozenset(
            w
            for s in stems
            for w in ((s,) if s in held else (alike.get(s, frozenset()) & held) or (s,))
        )

    return words(claim[0]), words(claim[1])


def _agreed(clause: str, source: str) -> set[str]:
    """Words a clause states, or denies, just as the source clause does (none if any flips)."""
    if _flipped_polarity(clause, source):
        return set()
    (said, negated), (stated, denied) = polarity(clause), polarity(source)
    return set((said & stated) - denied | (negated & denied) - stated)


def _flips(
    claim: tuple[frozenset[str], frozenset[str]], source: tuple[frozenset[str], frozenset[str]]
) -> set[str]:
    (said, negated), (stated, denied) = claim, source
    # A word each side both states and denies somewhere ("heart failure … does not mean your
    # heart has stopped") flips nothing.
    return set(((said - negated) & (denied - stated)) | ((negated - said) & (stated - denied)))


_TAKES_TIME_BEFORE = re.compile(
    r"\b(it\s+(?:(?:can|may|might|could|will|would)\s+)?(?:take|takes|be|is)\s+"
    r"(?:[a-z0-9]+\s+){0,2}?(?:days?|weeks?|months?))\s+before\s+"
    r"(?=(?:you|it)\s+(?:feel|feels|see|sees|notice|notices|start\s+to\s+feel|works?)\b)",
    re.IGNORECASE,
)


def _disagreement(
    clause: str,
    claim: str,
    source: str,
    sentence: str,
    unit: str,
    same_statement: bool,
    agreed: set[str] | frozenset[str] = frozenset(),
    related: Sequence[str] = (),
) -> Reason | None:
    """Why a clause says something other than the source clause it restates, if it does.

    ``claim`` is the whole sentence the clause belongs to, ``sentence`` the source sentence
    holding ``source``, and ``unit`` the source text that best supports the whole claim.
    """
    # Each clause of the supporting text on its own: "may not show up until the kidneys are
    # hurt" denies what "notice signs before the kidneys are hurt" states.
    unit_clauses = [c for s in split_sentences(unit) for c in clauses(strip_citations(s))]
    if any(_flipped_polarity(clause, c, agreed) - agreed for c in [source, *unit_clauses]):
        return "negation_mismatch"
    source_words, sentence_words = _words(source), _words(sentence)
    # An opposite word in the source clause, with the claim's own word nowhere near it
    # ("safe" ↔ "unsafe"); both "too low" and "too high" can be in the supporting pair.
    # Negations said in several words are read as "not" first: "stop your body from taking it
    # in" is no opposite of "keep your body from absorbing it".
    near = set().union(*(_words(_negations_as_not(t)) for t in (sentence, unit, *related)))
    opposed = _words(_negations_as_not(source))
    # A kind swapped anywhere in the clauses about the same things ("a full cup of juice"
    # where one says "half a cup of juice") is swapped, not only in the closest clause.
    kinds = set().union(*(_words(t) for t in related)) & _KINDS
    # "It can take a few weeks BEFORE you feel better" says what "… to feel better AFTER you
    # start" says: the wait comes before, not the thing it waits for.
    waited = _TAKES_TIME_BEFORE.sub(r"\1 to ", _split_in_half(clause, f"{sentence} {unit}"))
    for word in _words(_negations_as_not(waited)) - near:
        if ANTONYMS.get(word, frozenset()) & (opposed | kinds):
            return "negation_mismatch"
    # "Men get UTIs more often than women" where the source compares the other way round.
    if any(_reversed(clause, s) for s in [sentence, *split_sentences(unit)]):
        return "negation_mismatch"
    if _novel_comparisons(clause, sentence, unit, *related):
        return "comparison_unsupported"
    # Each text apart: joined bare, one's exception or qualifier would run on into the next.
    held = ". ".join([sentence, unit, *related])
    if _superlatives(clause) - _superlatives(held):
        return "comparison_unsupported"
    added = _frequency(clause) - _frequency(held)
    if added == {"usually"} and _MOST_PEOPLE.search(held) and not _MOST_PEOPLE.search(claim):
        added = set()
    if added:
        return "qualifier_mismatch"
    if (_counted(clause) & ABSOLUTES) - _counted(f"{sentence} {unit}") and sentence_words & HEDGES:
        return "qualifier_mismatch"
    # "Never" where the source says "not always": some, not none.
    if _NOT_EVERY.search(held) and _NONE_AT_ALL.search(clause) and not _words(clause) & HEDGES:
        return "qualifier_mismatch"
    # An exception the source does not make: "call 911 …, unless the signs go away" where the
    # source says "even if the signs go away".
    if "unless" in _words(_negations_as_not(clause)) and not _same_exception(clause, held):
        return "qualifier_mismatch"
    # "can mean" → "means": a possibility restated as a fact (the hedge may sit in another
    # clause of the same sentence: "A negative test, while you feel ill, may mean …").
    if same_statement and source_words & MODALS and not _words(claim) & (MODALS | HEDGES):
        return "qualifier_mismatch"
    return None


class GroundingCheck:
    """The guard bound to one answer's sources."""

    def __init__(
        self,
        guard: GroundingGuard,
        sources: Sequence[SourcePassage],
        index: _SourceSentences,
        context: str,
    ) -> None:
        self.guard, self.sources, self.index, self.context = guard, sources, index, context
        # The same sentence is checked more than once per answer (to choose it, to grade its
        # rewrite, to show it): the verdict is the same every time, so it is worked out once.
        self._verdicts: dict[str, SentenceVerdict] = {}

    def check(self, sentence: str) -> SentenceVerdict:
        if sentence not in self._verdicts:
            verdict = self.guard._check(sentence, self.sources, self.index, self.context)
            self._verdicts[sentence] = self.guard._judged(verdict, self.index)
        # A copy: callers may put it in their report and edit it there.
        return self._verdicts[sentence].model_copy(deep=True)

    def check_all(self, sentences: Sequence[str]) -> list[SentenceVerdict]:
        return [self.check(s) for s in sentences]
