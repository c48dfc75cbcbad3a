"""Explanations: grounded per facet, every sentence cited, no doses, honest when not covered."""

from __future__ import annotations

import pytest

from careexplain.errors import ProfileError
from careexplain.explain.builder import Explainer
from careexplain.explain.doses import states_dose
from careexplain.explain.models import Explanation
from careexplain.generate.grounding import GroundingGuard
from careexplain.notes.models import MedicationDetails
from careexplain.profile.models import (
    PatientProfile,
    Preferences,
    ProfileMedicine,
    ProfileProblem,
)
from careexplain.retrieve.hybrid import HybridRetriever
from careexplain.text.sentences import citations, split_sentences

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def explainer(retriever: HybridRetriever) -> Explainer:
    return Explainer(retriever.settings, retriever, GroundingGuard(retriever.embedder))


@pytest.fixture(scope="module")
def profile() -> PatientProfile:
    return PatientProfile(
        problems=[
            ProfileProblem(name="type 2 diabetes mellitus", code="E11.9"),
            ProfileProblem(name="migraine"),
        ],
        medicines=[
            ProfileMedicine(
                name="metformin",
                details=MedicationDetails(strength="850 mg", frequency="twice daily"),
            )
        ],
    )


@pytest.fixture(scope="module")
def explanation(explainer: Explainer, profile: PatientProfile) -> Explanation:
    return explainer.explain(profile)


def _sentences(explanation: Explanation) -> list[str]:
    return [s for t in explanation.topics for f in t.facets for s in f.sentences]


def test_each_topic_has_the_five_facets(explanation: Explanation) -> None:
    topics = {t.name: t for t in explanation.topics}
    assert topics["type 2 diabetes mellitus"].doc_id == "type-2-diabetes"
    assert topics["metformin"].doc_id == "metformin"
    for name in ("type 2 diabetes mellitus", "metformin"):
        keys = [f.key for f in topics[name].facets]
        assert keys == ["what_it_is", "why_it_matters", "what_to_do", "when_to_call", "emergency"]


def test_every_sentence_is_cited_and_sources_are_listed(explanation: Explanation) -> None:
    numbers = {s.n for s in explanation.sources}
    assert numbers == set(range(1, len(numbers) + 1))
    sentences = _sentences(explanation)
    assert len(sentences) >= 15
    for statement in sentences:
        for sentence in split_sentences(statement):
            cited = citations(sentence)
            assert cited, sentence
            assert set(cited) <= numbers
    assert explanation.grounding.sentences_kept >= len(sentences) - 1


def test_no_dose_comes_from_guidance(explanation: Explanation) -> None:
    for sentence in _sentences(explanation):
        assert not states_dose(sentence), sentence
        assert "850" not in sentence
    row = explanation.medicines[0]
    assert (row.name, row.strength, row.frequency) == ("metformin", "850 mg", "twice daily")


def test_uncovered_topic_says_so(explanation: Explanation) -> None:
    migraine = next(t for t in explanation.topics if t.name == "migraine")
    assert not migraine.covered
    assert not migraine.facets
    assert migraine.not_covered
    assert "does not cover migraine" in migraine.not_covered


def test_emergency_message_is_the_fixed_safety_text(explanation: Explanation) -> None:
    assert explanation.emergency_message.startswith("This could be a medical emergency. Call 911")


def test_topics_and_language(explainer: Explainer, profile: PatientProfile) -> None:
    spanish = profile.model_copy(update={"preferences": Preferences(language="es")})
    only = explainer.explain(spanish, topics=["Metformin"], reading_level=5)
    assert [t.name for t in only.topics] == ["metformin"]
    assert only.reading_level == 5
    assert only.emergency_message.startswith("Esto podría ser una emergencia médica")
    assert only.language_note
    with pytest.raises(ProfileError):
        explainer.explain(profile, topics=["gout"])
    with pytest.raises(ProfileError):
        explainer.explain(PatientProfile())
