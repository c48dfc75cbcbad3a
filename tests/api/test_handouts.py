"""Handouts over HTTP: from a real note, versions and 409, restart, HTML and PDF, bad input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from careexplain.api.app import create_app
from careexplain.api.state import AppState
from careexplain.explain.doses import states_dose
from careexplain.text.sentences import citations, split_sentences
from tests.handouts.pdf import page_ink
from tests.profile.notes import ACTIVE_DOCS, INACTIVE, MIXED_NOTE, NO_ENTITIES_NOTE, NOTE_DOSES

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def handout(client: TestClient) -> dict[str, Any]:
    response = client.post("/v1/handouts", json={"note": MIXED_NOTE})
    assert response.status_code == 201, response.text
    assert response.headers["location"] == f"/v1/handouts/{response.json()['id']}"
    assert response.headers["etag"] == '"1"'
    body: dict[str, Any] = response.json()
    return body


def _sentences(content: dict[str, Any]) -> list[str]:
    keys = ("what_it_is", "why_it_matters", "what_to_do", "when_to_call", "emergency")
    out = list(content["summary"])
    for section in content["sections"]:
        for key in keys:
            out.extend(section[key])
    return out


def test_handout_is_only_about_active_entities(handout: dict[str, Any]) -> None:
    sections = handout["content"]["sections"]
    topics = {s["topic"] for s in sections}
    assert topics == {"type 2 diabetes mellitus", "hypertension", "metformin", "lisinopril"}
    assert not any(term in topic for topic in topics for term in INACTIVE)
    docs = {src["doc_id"] for src in handout["content"]["sources"]}
    assert docs == ACTIVE_DOCS
    assert all(s["what_it_is"] and s["what_to_do"] for s in sections)


def test_doses_equal_the_note(handout: dict[str, Any]) -> None:
    rows = {m["name"]: m for m in handout["content"]["medicines"]}
    assert set(rows) == set(NOTE_DOSES)
    for name, (strength, frequency) in NOTE_DOSES.items():
        assert (rows[name]["strength"], rows[name]["frequency"]) == (strength, frequency)
        assert rows[name]["route"] == "by mouth"
    for sentence in _sentences(handout["content"]):
        assert not states_dose(sentence), sentence


def test_every_generated_sentence_is_cited(handout: dict[str, Any]) -> None:
    sources = {s["n"] for s in handout["content"]["sources"]}
    sentences = _sentences(handout["content"])
    assert len(sentences) > 20
    for statement in sentences:
        for sentence in split_sentences(statement):
            assert citations(sentence), sentence
            assert set(citations(sentence)) <= sources


def test_quality_check_is_included(handout: dict[str, Any]) -> None:
    quality = handout["quality"]
    assert quality["target_grade"] == 6.0
    assert 0 < quality["fk_grade"] <= 6.5
    items = {i["key"]: i for i in quality["items"]}
    assert len(items) == 8
    for key in ("summary", "explicit_action", "tangible_tools", "clear_purpose"):
        assert items[key]["status"] == "pass", items[key]


def test_edits_versions_and_conflict(client: TestClient, handout: dict[str, Any]) -> None:
    hid = handout["id"]
    first = {**handout["content"], "title": "First nurse"}
    second = {**handout["content"], "title": "Second nurse"}
    ok = client.put(f"/v1/handouts/{hid}", json={"content": first, "version": 1})
    assert ok.status_code == 200, ok.text
    assert ok.json()["version"] == 2
    assert ok.headers["etag"] == '"2"'
    stale = client.put(f"/v1/handouts/{hid}", json={"content": second, "version": 1})
    assert stale.status_code == 409
    error = stale.json()["error"]
    assert error["code"] == "E602"
    detail = error["details"][0]
    assert detail["current_version"] == 2
    kept = client.get(detail["revision_url"])
    assert kept.status_code == 200
    assert kept.json()["content"]["title"] == "Second nurse"
    current = client.get(f"/v1/handouts/{hid}")
    assert current.json()["content"]["title"] == "First nurse"
    statuses = [r["status"] for r in client.get(f"/v1/handouts/{hid}/revisions").json()]
    assert statuses == ["accepted", "accepted", "rejected"]
    # If-Match works as the version too; no version at all is refused.
    third = {**handout["content"], "title": "Third nurse"}
    matched = client.put(
        f"/v1/handouts/{hid}", json={"content": third}, headers={"If-Match": '"2"'}
    )
    assert matched.status_code == 200
    assert matched.json()["version"] == 3
    missing = client.put(f"/v1/handouts/{hid}", json={"content": third})
    assert missing.status_code == 428


def test_drafts_survive_a_restart(app_state: AppState, handout: dict[str, Any]) -> None:
    fresh = AppState(app_state.settings, app_state.embedder, app_state.index, app_state.retriever)
    with TestClient(create_app(app_state.settings, fresh)) as restarted:
        again = restarted.get(f"/v1/handouts/{handout['id']}")
    assert again.status_code == 200
    assert again.json()["content"]["sections"] == handout["content"]["sections"]


def test_html_and_pdf(client: TestClient, handout: dict[str, Any], tmp_path: Path) -> None:
    html = client.get(f"/v1/handouts/{handout['id']}.html")
    assert html.status_code == 200
    assert html.headers["content-type"].startswith("text/html")
    for part in ("What to do", "When to call your care team", "When to get emergency help"):
        assert part in html.text
    assert "500 mg" in html.text
    assert "twice daily" in html.text
    pdf = client.get(f"/v1/handouts/{handout['id']}.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    ink = page_ink(pdf.content, tmp_path)
    assert len(ink) >= 2
    assert all(share > 0.01 for share in ink)


@pytest.mark.parametrize(
    "path", ["/v1/handouts/nope", "/v1/handouts/nope.html", "/v1/handouts/nope.pdf"]
)
def test_unknown_handout(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "E601"


def test_bad_input(client: TestClient) -> None:
    cases = [
        ({"note": "   "}, 422, "E203"),
        ({"note": NO_ENTITIES_NOTE}, 422, "E503"),
        ({"note": "Type 2 diabetes. " * 120_000}, 413, "E501"),
        ({}, 422, "E603"),
        ({"profile": {"problems": []}}, 422, "E603"),
        ({"note": MIXED_NOTE, "topics": ["gout"]}, 422, "E603"),
    ]
    for body, status, code in cases:
        response = client.post("/v1/handouts", json=body)
        assert response.status_code == status, (code, response.text[:200])
        error = response.json()["error"]
        assert error["code"] == code
        assert error["message"]
    put = client.put("/v1/handouts/nope", json={"content": {"title": "x"}, "version": 1})
    assert put.status_code == 404
