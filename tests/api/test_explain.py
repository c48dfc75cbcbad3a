"""POST /v1/explain from a note or a profile."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from careexplain.text.sentences import citations, split_sentences
from tests.profile.notes import MIXED_NOTE, NO_ENTITIES_NOTE

pytestmark = pytest.mark.integration


def test_explain_a_note(client: TestClient) -> None:
    response = client.post("/v1/explain", json={"note": MIXED_NOTE, "topics": ["metformin"]})
    assert response.status_code == 200, response.text
    body = response.json()
    assert [t["name"] for t in body["topics"]] == ["metformin"]
    assert {m["name"] for m in body["medicines"]} == {"metformin", "lisinopril"}
    sentences = [s for t in body["topics"] for f in t["facets"] for s in f["sentences"]]
    assert sentences
    for statement in sentences:
        for sentence in split_sentences(statement):
            assert citations(sentence), sentence
    assert body["grounding"]["sentences_kept"] >= len(sentences)


def test_explain_a_profile(client: TestClient) -> None:
    profile = {
        "problems": [{"name": "asthma"}, {"name": "gout"}],
        "preferences": {"language": "es", "reading_level": 5},
    }
    response = client.post("/v1/explain", json={"profile": profile})
    assert response.status_code == 200, response.text
    body = response.json()
    topics = {t["name"]: t for t in body["topics"]}
    assert topics["asthma"]["covered"]
    assert topics["asthma"]["doc_id"] == "asthma"
    assert not topics["gout"]["covered"]
    assert "does not cover gout" in topics["gout"]["not_covered"]
    assert body["reading_level"] == 5
    assert body["language"] == "es"
    assert body["emergency_message"].startswith("Esto podría ser una emergencia")


def test_explain_bad_input(client: TestClient) -> None:
    for body, status, code in [
        ({"note": ""}, 422, "E203"),
        ({"note": NO_ENTITIES_NOTE}, 422, "E503"),
        ({"note": "x" * 2_000_000}, 413, "E501"),
        ({"note": MIXED_NOTE, "profile": {"problems": [{"name": "asthma"}]}}, 422, "E603"),
        ({"profile": {"problems": [{"name": "asthma"}]}, "reading_level": 40}, 422, "E422"),
    ]:
        response = client.post("/v1/explain", json=body)
        assert response.status_code == status, response.text[:200]
        assert response.json()["error"]["code"] == code
