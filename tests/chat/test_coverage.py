"""When the guidance covers a question, and when it honestly does not."""

from __future__ import annotations

import pytest

from careexplain.chat.service import _names_found, _passage
from careexplain.retrieve.hybrid import HybridRetriever


@pytest.mark.integration
@pytest.mark.parametrize(
    ("question", "covered"),
    [
        ("Which foods matter when I take warfarin?", True),
        ("What is COPD?", True),
        ("Does metformin cause diarrhea?", True),
        # Near misses in wording: the closest pages name a different medicine or condition.
        ("What are the side effects of methotrexate?", False),
        ("What causes kidney stones?", False),
    ],
)
def test_named_medicines_and_conditions_must_be_in_the_sources(
    retriever: HybridRetriever, question: str, covered: bool
) -> None:
    hits = retriever.search(question, 4, max_per_doc=2)
    sources = [_passage(i, h) for i, h in enumerate(hits, start=1)]
    assert _names_found(question, sources) is covered
