"""Answers a patient can read: the grade ceiling, no repeats, and an honest 'too technical'."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from careexplain.api.state import AppState
from careexplain.chat.models import ChatRequest, ChatResponse
from careexplain.chat.service import NOT_COVERED, TOO_TECHNICAL
from careexplain.generate.backends.base import ChatMessage, GenerationParams
from careexplain.index.embeddings import Embedder
from careexplain.index.reader import IndexHandle
from careexplain.ingest.pipeline import ingest_path
from careexplain.retrieve.hybrid import HybridRetriever
from careexplain.settings import Settings
from careexplain.text.readability import grade_ceiling, known_words, sentence_grade
from careexplain.text.sentences import split_sentences
from tests.helpers import write_doc

pytestmark = pytest.mark.integration

PLAIN_1 = "Gout is a kind of arthritis that causes pain and swelling in your joints."
PLAIN_2 = "Medicines can treat gout attacks and help prevent new ones."
TECHNICAL_1 = (
    "Gout is characterized by hyperuricemia with monosodium urate crystal deposition "
    "precipitating recurrent inflammatory arthritis of peripheral articulations."
)
TECHNICAL_2 = (
    "Gout pathogenesis involves inflammasome activation by phagocytosed monosodium urate "
    "crystals and consequent interleukin-1 beta secretion."
)


class Scripted:
    """A model that always says the same thing (what it says decides the test)."""

    name = "scripted"

    def __init__(self, text: str) -> None:
        self.text = text

    def stream(self, messages: Sequence[ChatMessage], params: GenerationParams) -> Iterator[str]:
        yield from self.text.split(" ")[:1]
        for word in self.text.split(" ")[1:]:
            yield " " + word

    def info(self) -> dict[str, Any]:
        return {"name": self.name}


def _state(data: Path, embedder: Embedder, doc_id: str, body: str, model: str) -> AppState:
    settings = Settings(data_dir=data / "data")
    write_doc(data / "docs", doc_id, body, title="Gout")
    ingest_path(data / "docs", settings, embedder)
    handle = IndexHandle(settings.index_root, embedder)
    state = AppState(settings, embedder, handle, HybridRetriever(handle, embedder, settings))
    state.use_generator(Scripted(model))
    return state


def _ask(state: AppState, question: str, level: int = 6) -> ChatResponse:
    return state.chat.answer(ChatRequest(message=question, reading_level=level))


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> AppState:
    """Plain and technical sentences on one page; the model copies all of them, twice."""
    body = "\n\n".join([PLAIN_1, TECHNICAL_1, PLAIN_2])
    model = " ".join(f"{s[:-1]} [1]." for s in [PLAIN_1, TECHNICAL_1, PLAIN_2, PLAIN_1])
    return _state(tmp_path_factory.mktemp("mixed"), embedder, "gout", body, model)


@pytest.fixture(scope="module")
def technical(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> AppState:
    """A page with nothing a patient could read; the model says nothing useful."""
    body = "\n\n".join([TECHNICAL_1, TECHNICAL_2])
    return _state(tmp_path_factory.mktemp("technical"), embedder, "gout", body, "I am not sure")


def test_a_model_sentence_above_the_ceiling_is_not_shown(mixed: AppState) -> None:
    response = _ask(mixed, "What is gout?")
    assert response.grounding.fallback == "none"
    assert "hyperuricemia" not in response.answer
    assert "arthritis" in response.answer
    assert "Medicines can treat gout" in response.answer
    for sentence in split_sentences(response.answer):
        assert sentence_grade(sentence, known_words("What is gout?")) <= grade_ceiling(6)


def test_the_same_sentence_is_shown_once(mixed: AppState) -> None:
    response = _ask(mixed, "What is gout?")
    sentences = split_sentences(response.answer)
    assert len(sentences) == len(set(sentences))
    assert sum("causes pain and swelling" in s for s in sentences) == 1


def test_above_the_plain_language_grade_nothing_is_held_back(mixed: AppState) -> None:
    response = _ask(mixed, "What is gout?", level=12)
    assert "hyperuricemia" in response.answer


def test_relevant_but_technical_sources_get_the_honest_answer(technical: AppState) -> None:
    response = _ask(technical, "What is gout?")
    assert response.grounding.fallback == "not_covered"
    assert response.answer.startswith(TOO_TECHNICAL["en"])
    assert "Gout" in response.answer  # the closest topic
    assert response.citations == []


def test_a_true_miss_is_still_not_covered(technical: AppState) -> None:
    response = _ask(technical, "How do I renew my passport?")
    assert response.grounding.fallback == "not_covered"
    assert response.answer.startswith(NOT_COVERED["en"])
