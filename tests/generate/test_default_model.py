"""The default model (Qwen2.5-Coder-1.5B-Instruct): digest-verified, exported, answering."""

from __future__ import annotations

import pytest

from careexplain.api.state import AppState
from careexplain.chat.models import ChatRequest
from careexplain.generate.models import MODELS, is_exported
from careexplain.generate.registry import load_generator
from careexplain.text.sentences import citations, split_sentences

pytestmark = [pytest.mark.slow, pytest.mark.integration]


def test_default_model_is_verified_and_answers_a_question(app_state: AppState) -> None:
    settings = app_state.settings.model_copy(
        update={
            "generator_model": "qwen2.5-coder-1.5b-instruct",
            "generator_dtype": "int8",  # the default configuration
            "max_new_tokens": 48,
        }
    )
    # Joins the 22 package parts, checks the official SHA-256 (fail closed), exports once.
    generator = load_generator(settings)
    assert is_exported(
        settings.models_dir / "qwen2.5-coder-1.5b-instruct", MODELS["qwen2.5-coder-1.5b-instruct"]
    )
    state = AppState(settings, app_state.embedder, app_state.index, app_state.retriever)
    state.use_generator(generator)
    response = state.chat.answer(ChatRequest(message="How should I store my insulin?"))
    assert response.model == "qwen2.5-coder-1.5b-instruct"
    assert response.grounding.fallback in ("none", "extractive")
    assert response.grounding.sentences_total >= 1, "the model produced text"
    assert all(citations(s) for s in split_sentences(response.answer))
