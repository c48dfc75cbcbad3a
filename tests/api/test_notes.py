"""POST /v1/notes/extract through the real app: formats, PHI removal, errors."""

from __future__ import annotations

import base64
import json

import pytest
from fastapi.testclient import TestClient

from careexplain.api.state import AppState
from tests.notes.extractor import shared_extractor

pytestmark = [pytest.mark.integration, pytest.mark.slow]

NOTE = (
    "Patient: John Smith, MRN 4829301, seen on 03/14/2024. Phone 555-201-3344.\n"
    "HPI: 72 yo man with HTN and DM2. No chest pain.\n"
    "Medications: metformin 500 mg PO BID. Increase furosemide to 40 mg IV BID.\n"
    "Allergies: penicillin (rash).\n"
)
PHI = ("John Smith", "4829301", "03/14/2024", "555-201-3344")


@pytest.fixture(scope="module")
def notes_client(client: TestClient, app_state: AppState) -> TestClient:
    # Share the pipeline the notes tests already loaded instead of building its vocabulary
    # cache again in this run's temporary data directory.
    app_state.use_note_extractor(shared_extractor())
    return client


def test_extract_removes_phi_by_default(notes_client: TestClient) -> None:
    res = notes_client.post(
        "/v1/notes/extract", content=NOTE, headers={"Content-Type": "text/plain"}
    )
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["redacted"] is True
    assert body["deid_mode"] == "tag"
    raw = json.dumps(body)
    for value in PHI:
        assert value not in raw
    text = body["text"]
    for e in body["entities"]:
        assert text[e["start"] : e["end"]] == e["text"]
    labels = {(e["label"], e["normalized"]) for e in body["entities"]}
    assert ("PROBLEM", "hypertension") in labels
    assert ("MEDICATION", "furosemide") in labels
    assert ("ALLERGY", "penicillins") in labels
    furosemide = next(e for e in body["entities"] if e["normalized"] == "furosemide")
    assert furosemide["medication"]["status"] == "changed"
    assert furosemide["medication"]["route"] == "IV"
    chest = next(e for e in body["entities"] if e["text"] == "chest pain")
    assert chest["context"]["negated"] is True


def test_include_phi_returns_the_original_text(notes_client: TestClient) -> None:
    res = notes_client.post(
        "/v1/notes/extract",
        json={"text": NOTE, "include_phi": True},
    )
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["redacted"] is False
    assert body["deid_mode"] is None
    assert body["text"] == NOTE
    res_q = notes_client.post(
        "/v1/notes/extract?include_phi=true", content=NOTE, headers={"Content-Type": "text/plain"}
    )
    assert res_q.json()["text"] == NOTE


def test_fhir_document_reference(notes_client: TestClient) -> None:
    doc = {
        "resourceType": "DocumentReference",
        "id": "note-1",
        "status": "current",
        "content": [
            {
                "attachment": {
                    "contentType": "text/plain",
                    "data": base64.b64encode(b"History of COPD. Takes albuterol prn.").decode(),
                }
            }
        ],
    }
    res = notes_client.post(
        "/v1/notes/extract",
        content=json.dumps(doc),
        headers={"Content-Type": "application/fhir+json"},
    )
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["source_format"] == "fhir_document_reference"
    assert body["fhir_ids"] == ["DocumentReference/note-1"]
    assert {e["normalized"] for e in body["entities"]} >= {"albuterol"}


@pytest.mark.parametrize(
    ("content", "content_type", "status", "code"),
    [
        (b"{not json", "application/json", 422, "E502"),
        (b'{"text": 5}', "application/json", 422, "E502"),
        (b"   ", "text/plain", 422, "E203"),
        (b"%PDF-1.4 \x00\x01\x02\x03", "application/pdf", 422, "E502"),
    ],
)
def test_bad_input_is_a_clear_4xx(
    notes_client: TestClient, content: bytes, content_type: str, status: int, code: str
) -> None:
    res = notes_client.post(
        "/v1/notes/extract", content=content, headers={"Content-Type": content_type}
    )
    assert res.status_code == status
    assert res.json()["error"]["code"] == code


def test_too_large_is_413(notes_client: TestClient, app_state: AppState) -> None:
    big = b"a" * (app_state.settings.max_note_bytes + 1)
    res = notes_client.post(
        "/v1/notes/extract", content=big, headers={"Content-Type": "text/plain"}
    )
    assert res.status_code == 413
    assert res.json()["error"]["code"] == "E501"
