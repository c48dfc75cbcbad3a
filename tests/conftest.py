"""Shared fixtures: the real embedding model and a real guidance index, each built once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from careexplain.api.app import create_app
from careexplain.api.state import AppState
from careexplain.generate.support_judge import SupportJudge
from careexplain.index.embeddings import Embedder
from careexplain.index.reader import IndexHandle
from careexplain.ingest.pipeline import ingest_path
from careexplain.retrieve.hybrid import HybridRetriever
from careexplain.settings import Settings
from tests.helpers import FAST_MODEL, GUIDANCE, make_settings


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The bundled MiniLM, loaded once for the whole run."""
    return Embedder()


@pytest.fixture(scope="session")
def support_judge(tmp_path_factory: pytest.TempPathFactory) -> SupportJudge:
    """The default model as the guard's support judge, loaded once (bf16). The first run joins
    and verifies its package files and exports it, shared with `make serve` under data/."""
    settings = make_settings(
        tmp_path_factory.mktemp("judge-data"),
        support_judge_model="qwen2.5-coder-1.5b-instruct",
        models_cache=FAST_MODEL["models_cache"],
    )
    return SupportJudge.from_settings(settings)


@pytest.fixture(scope="session")
def guidance_settings(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Settings:
    """Settings whose index holds the bundled guidance (built once, never modified)."""
    settings = make_settings(tmp_path_factory.mktemp("guidance-data"), **FAST_MODEL)
    ingest_path(GUIDANCE, settings, embedder)
    return settings


@pytest.fixture(scope="session")
def retriever(guidance_settings: Settings, embedder: Embedder) -> HybridRetriever:
    handle = IndexHandle(guidance_settings.index_root, embedder)
    return HybridRetriever(handle, embedder, guidance_settings)


@pytest.fixture(scope="session")
def app_state(guidance_settings: Settings, retriever: HybridRetriever) -> AppState:
    return AppState(guidance_settings, retriever.embedder, retriever.handle, retriever)


@pytest.fixture(scope="session")
def client(app_state: AppState) -> Iterator[TestClient]:
    """Real HTTP through the ASGI app, on the real guidance index."""
    with TestClient(create_app(app_state.settings, app_state)) as test_client:
        yield test_client


@pytest.fixture
def small_settings(tmp_path: Path) -> Settings:
    """A fresh, empty data dir for tests that change the index."""
    return make_settings(tmp_path / "data")
