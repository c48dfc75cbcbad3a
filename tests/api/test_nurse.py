"""The nurse page, its script and its note preview."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.profile.notes import MIXED_NOTE

pytestmark = pytest.mark.integration


def test_page_and_script(client: TestClient) -> None:
    page = client.get("/nurse")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    for part in ('id="note"', 'id="preview"', 'id="generate"', 'id="save"', "/nurse/nurse.js"):
        assert part in page.text
    script = client.get("/nurse/nurse.js")
    assert script.status_code == 200
    assert "javascript" in script.headers["content-type"]
    assert "/v1/handouts" in script.text


def test_preview_highlights_entities_and_lists_active_topics(client: TestClient) -> None:
    response = client.post("/nurse/preview", json={"note": MIXED_NOTE})
    assert response.status_code == 200, response.text
    body = response.json()
    assert "<mark" in body["entities_html"]
    assert "asthma" in body["entities_html"]
    assert {t["name"] for t in body["topics"]} == {
        "type 2 diabetes mellitus",
        "hypertension",
        "metformin",
        "lisinopril",
    }
    empty = client.post("/nurse/preview", json={"note": " "})
    assert empty.status_code == 422
    assert empty.json()["error"]["code"] == "E203"
