"""The guard measured on labelled sentence/source pairs."""

from __future__ import annotations

from careexplain.evaluation.support import SupportCase, evaluate, load_cases
from careexplain.generate.grounding import GroundingGuard
from careexplain.index.embeddings import Embedder
from careexplain.settings import REPO_ROOT

SOURCE = "Check your blood sugar again after 15 minutes. Do not drive when your blood sugar is low."


def _case(i: int, sentence: str, label: str, keep: bool) -> SupportCase:
    return SupportCase(
        id=f"t{i}",
        doc_id="low-blood-sugar",
        source=SOURCE,
        sentence=sentence,
        label=label,
        keep=keep,
    )


def test_counts_and_rates_on_hand_made_cases(embedder: Embedder) -> None:
    cases = [
        _case(1, "Check your blood sugar again after 15 minutes.", "supported", True),
        _case(2, "Check your blood sugar again after 30 minutes.", "number_changed", False),
        _case(3, "You can drive when your blood sugar is low.", "negation_flipped", False),
    ]
    result = evaluate(GroundingGuard(embedder), cases)
    assert result.cases == 3
    assert result.kept_supported == 1.0
    assert result.rejected_unsupported == 1.0
    assert result.precision_keep == 1.0
    assert result.reasons == {"unsupported_number": 1, "negation_mismatch": 1}
    assert result.errors == []


def test_the_bundled_support_set_loads() -> None:
    cases = load_cases(REPO_ROOT / "eval" / "data" / "support_set.jsonl")
    assert len(cases) >= 200
    assert {c.label for c in cases} >= {
        "supported",
        "paraphrased",
        "partial",
        "fabricated_comparison",
        "negation_flipped",
        "number_changed",
    }
    assert all(c.keep == (c.label in ("supported", "paraphrased")) for c in cases)


def test_guard_on_the_labelled_set_holds_its_measured_figures(embedder: Embedder) -> None:
    """A regression gate at the figures the README reports (rounded down)."""
    cases = load_cases(REPO_ROOT / "eval" / "data" / "support_set.jsonl")
    result = evaluate(GroundingGuard(embedder), cases)
    assert result.rejected_unsupported >= 0.95
    assert result.kept_supported >= 0.85
    assert result.kept_paraphrased >= 0.40
