"""medspaCy ConText with the fixes notes need, run only on sentences that hold a mention."""

from __future__ import annotations

import warnings
from bisect import bisect_right
from typing import Any

from medspacy.context import ConText, ConTextRule
from medspacy.context.context_graph import ConTextGraph
from medspacy.context.context_modifier import (
    ConTextModifier,
)
from spacy.language import Language
from spacy.tokens import Doc, Span

from careexplain.notes.models import ContextFlags

_YEARS = range(1940, 2041)

# Stock rules that mislabel notes: PRN is a medication attribute, not a hypothetical.
_DROPPED_LITERALS = frozenset({"as needed", "risks of"})


def _extra_rules() -> list[ConTextRule]:
    """Rules for the known misses of stock medspaCy."""
    return [
        # "MI in 2015", "CABG (2012)", "stroke 3 years ago": a dated event is history.
        # Years are spelled out as phrases: one PhraseMatcher pass instead of token patterns.
        *(
            ConTextRule(f"{prep} {year}", "HISTORICAL", direction="BACKWARD", max_scope=4)
            for prep in ("in", "since", "from", "during")
            for year in _YEARS
        ),
        *(
            ConTextRule(f"({year})", "HISTORICAL", direction="BACKWARD", max_scope=4)
            for year in _YEARS
        ),
        *(
            ConTextRule(f"{unit} ago", "HISTORICAL", direction="BACKWARD", max_scope=5)
            for unit in ("year", "years", "yrs", "months", "decades", "decade")
        ),
        ConTextRule(
            "status post",
            "HISTORICAL",
            pattern=[{"LOWER": "status"}, {"LOWER": "post"}],
            direction="FORWARD",
            max_scope=6,
        ),
        ConTextRule("s/p", "HISTORICAL", direction="FORWARD", max_scope=6),
        # "58-year-old man with diabetes": an age, not "old" meaning a past problem.
        *(
            ConTextRule(f"{unit}{sep}old", "PSEUDO", direction="PSEUDO")
            for unit in ("year", "years", "month", "months", "week", "weeks", "day", "days")
            for sep in ("-", " ")
        ),
        ConTextRule(
            "prior",
            "HISTORICAL",
            pattern=[{"LOWER": {"IN": ["prior", "previous", "remote", "old"]}}],
            direction="FORWARD",
            max_scope=3,
        ),
        # "troponin negative", "COVID test neg", "blood cultures not detected".
        ConTextRule(
            "negative",
            "NEGATED_EXISTENCE",
            pattern=[{"LOWER": {"IN": ["negative", "neg", "undetectable", "absent"]}}],
            direction="BACKWARD",
            max_scope=3,
        ),
        ConTextRule(
            "not detected",
            "NEGATED_EXISTENCE",
            pattern=[{"LOWER": "not"}, {"LOWER": {"IN": ["detected", "seen", "present"]}}],
            direction="BACKWARD",
            max_scope=4,
        ),
        ConTextRule("denies", "NEGATED_EXISTENCE", direction="FORWARD"),
        ConTextRule("risk of", "HYPOTHETICAL", direction="FORWARD", max_scope=5),
        ConTextRule("risks of", "HYPOTHETICAL", direction="FORWARD", max_scope=5),
        ConTextRule(
            "in case of",
            "HYPOTHETICAL",
            pattern=[{"LOWER": "in"}, {"LOWER": "case"}, {"LOWER": "of"}],
            direction="FORWARD",
        ),
        ConTextRule(
            "watch for",
            "HYPOTHETICAL",
            pattern=[
                {"LOWER": {"IN": ["watch", "monitor", "call"]}},
                {"LOWER": {"IN": ["for", "if"]}},
            ],
            direction="FORWARD",
        ),
        ConTextRule(
            "questionable",
            "POSSIBLE_EXISTENCE",
            pattern=[{"LOWER": {"IN": ["questionable", "suspected", "probable", "presumed"]}}],
            direction="FORWARD",
            max_scope=4,
        ),
        # A clause ends a scope: "no fever; has diabetes" must not negate diabetes.
        ConTextRule(";", "CLAUSE_END", direction="TERMINATE"),
    ]


def _expand(pattern: list[dict[str, Any]]) -> list[str] | None:
    """The phrases a token pattern of plain LOWER / LOWER-IN tokens matches, else None.

    spaCy's token Matcher tries every pattern at every token and was most of the pipeline's
    time; the same rules as phrases go through one PhraseMatcher pass.
    """
    phrases: list[list[str]] = [[]]
    for token in pattern:
        if set(token) - {"LOWER", "OP"} or token.get("OP") not in (None, "?"):
            return None
        lower = token["LOWER"]
        words = lower["IN"] if isinstance(lower, dict) and set(lower) == {"IN"} else lower
        options = [words] if isinstance(words, str) else list(words)
        if not all(isinstance(w, str) and w and " " not in w for w in options):
            return None
        nxt = [[*p, w] for p in phrases for w in options]
        if token.get("OP") == "?":
            nxt += phrases
        phrases = nxt
        if len(phrases) > 400:
            return None
    return [" ".join(p) for p in phrases if p]


def _as_phrase_rules(rules: list[ConTextRule]) -> list[ConTextRule]:
    out: list[ConTextRule] = []
    for rule in rules:
        expanded = _expand(rule.pattern) if isinstance(rule.pattern, list) else None
        if expanded is None:
            out.append(rule)
            continue
        for phrase in expanded:
            out.append(
                ConTextRule(
                    phrase,
                    rule.category,
                    direction=rule.direction,
                    allowed_types=rule.allowed_types,
                    excluded_types=rule.excluded_types,
                    max_scope=rule.max_scope,
                    max_targets=rule.max_targets,
                    terminated_by=rule.terminated_by,
                )
            )
    return out


class ClauseConText(ConText):  # type: ignore[misc]
    """ConText whose modifiers act within the sentence of each target, sentence by sentence."""

    def __init__(self, nlp: Language) -> None:
        super().__init__(nlp, rules=None, name="careexplain_context")
        default = ConTextRule.from_json(self.DEFAULT_RULES_FILEPATH)
        rules = [r for r in default if r.literal not in _DROPPED_LITERALS] + _extra_rules()
        self.add(_as_phrase_rules(rules))

    def flags(
        self, doc: Doc, targets: list[Span], sent_starts: list[int]
    ) -> dict[tuple[int, int], ContextFlags]:
        """Context flags for each target, keyed by its token offsets."""
        by_sent: dict[int, tuple[list[Span], list[Any]]] = {}
        for target in targets:
            idx = bisect_right(sent_starts, target.start) - 1
            by_sent.setdefault(idx, ([], []))[0].append(target)
        matcher: Any = self._ConText__matcher
        with warnings.catch_warnings():
            # Every rule is a phrase now; spaCy warns (W036) that the token Matcher is empty.
            warnings.filterwarnings("ignore", message=r"\[W036\]")
            matches = matcher(doc)
        for match_id, start, end in matches:
            group = by_sent.get(bisect_right(sent_starts, start) - 1)
            if group is None:
                continue  # no mention in this sentence: nothing to modify
            rule = matcher.rule_map[self.nlp.vocab[match_id].text]
            group[1].append(ConTextModifier(rule, start, end, doc, max_scope=self.max_scope))
        found: dict[tuple[int, int], set[str]] = {}
        # Scopes never cross a sentence, so one small graph per sentence gives the same edges
        # as one graph over the note, without comparing every mention with every modifier.
        for sent_targets, modifiers in by_sent.values():
            if not modifiers:
                continue
            graph = ConTextGraph(prune_on_modifier_overlap=self.prune_on_target_overlap)
            graph.targets = sent_targets
            graph.modifiers = modifiers
            graph.update_scopes()
            graph.apply_modifiers()
            for target, modifier in graph.edges:
                found.setdefault((target.start, target.end), set()).add(modifier.category.upper())
        return {
            key: ContextFlags(
                negated="NEGATED_EXISTENCE" in cats,
                historical="HISTORICAL" in cats,
                hypothetical="HYPOTHETICAL" in cats,
                family="FAMILY" in cats,
                uncertain="POSSIBLE_EXISTENCE" in cats,
            )
            for key, cats in found.items()
        }
