"""medspaCy ConText with the fixes notes need, run only on sentences that hold a mention."""

from __future__ import annotations

from typing import Any

from medspacy.context import ConText, ConTextRule  # type: ignore[import-untyped]
from medspacy.context.context_graph import ConTextGraph  # type: ignore[import-untyped]
from medspacy.context.context_modifier import (  # type: ignore[import-untyped]
    ConTextModifier,
)
from spacy.language import Language
from spacy.tokens import Doc, Span

from careexplain.notes.models import ContextFlags

_YEAR = {"TEXT": {"REGEX": r"^(19|20)\d\d$"}}

# Stock rules that mislabel notes: PRN is a medication attribute, not a hypothetical.
_DROPPED_LITERALS = frozenset({"as needed"})


def _extra_rules() -> list[ConTextRule]:
    """Rules for the known misses of stock medspaCy."""
    return [
        # "MI in 2015", "CABG (2012)", "stroke 3 years ago": a dated event is history.
        ConTextRule(
            "in YEAR",
            "HISTORICAL",
            pattern=[{"LOWER": {"IN": ["in", "since", "from", "during"]}}, _YEAR],
            direction="BACKWARD",
            max_scope=4,
        ),
        ConTextRule(
            "(YEAR)",
            "HISTORICAL",
            pattern=[{"ORTH": "("}, _YEAR, {"ORTH": ")"}],
            direction="BACKWARD",
            max_scope=4,
        ),
        ConTextRule(
            "years ago",
            "HISTORICAL",
            pattern=[
                {"LIKE_NUM": True, "OP": "?"},
                {"LOWER": {"IN": ["year", "years", "yrs", "months", "decades"]}},
                {"LOWER": "ago"},
            ],
            direction="BACKWARD",
            max_scope=5,
        ),
        ConTextRule(
            "status post",
            "HISTORICAL",
            pattern=[{"LOWER": "status"}, {"LOWER": "post"}],
            direction="FORWARD",
            max_scope=6,
        ),
        ConTextRule(
            "s/p",
            "HISTORICAL",
            pattern=[{"LOWER": "s"}, {"ORTH": "/"}, {"LOWER": "p"}],
            direction="FORWARD",
            max_scope=6,
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


class ClauseConText(ConText):  # type: ignore[misc]
    """ConText whose modifiers are matched only in sentences that contain a target."""

    def __init__(self, nlp: Language) -> None:
        super().__init__(nlp, rules=None, name="careexplain_context")
        self._rules_loaded = True
        default = ConTextRule.from_json(self.DEFAULT_RULES_FILEPATH)
        self.add([r for r in default if r.literal not in _DROPPED_LITERALS] + _extra_rules())

    def flags(self, doc: Doc, targets: list[Span]) -> dict[tuple[int, int], ContextFlags]:
        """Context flags for each target, keyed by its token offsets."""
        graph = ConTextGraph(prune_on_modifier_overlap=self.prune_on_target_overlap)
        graph.targets = targets
        graph.modifiers = []
        matcher: Any = self._ConText__matcher
        seen: set[int] = set()
        for target in targets:
            sent = target.sent
            if sent.start in seen:
                continue
            seen.add(sent.start)
            # Matching on a copy of the sentence keeps the cost linear in mention sentences.
            for match_id, start, end in matcher(sent.as_doc()):
                rule = matcher.rule_map[self.nlp.vocab[match_id].text]
                graph.modifiers.append(
                    ConTextModifier(
                        rule, start + sent.start, end + sent.start, doc, max_scope=self.max_scope
                    )
                )
        graph.update_scopes()
        graph.apply_modifiers()
        found: dict[tuple[int, int], set[str]] = {}
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
