"""POST /v1/notes/deidentify through the real app: modes, formats, errors, and no PHI in logs."""

from __future__ import annotations

import base64
import json
import logging

import pytest
from fastapi.testclient import TestClient

from careexplain.api.state import AppState

pytestmark = [pytest.mark.integration, pytest.mark.slow]

NOTE = (
    "Patient: Rosalind Quenby   MRN: 00719342   DOB: 04/02/1933\n"
    "Seen 11/03/2025 at Larkfield Community Hospital by Dr. Emeka Obiora.\n"
    "Ms. Quenby is a 92-year-old woman with CHF on furosemide 40 mg PO daily; BP 150/88.\n"
    "Daughter Philippa at (603) 555-0148, philippa.q@wrenmail.example.net.\n"
    "Home: 12 Tanager Lane, Keene, NH 03431.\n"
)
PHI = (
    "Rosalind",
    "Quenby",
    "00719342",
    "04/02/1933",
    "11/03/2025",
    "Larkfield",
    "Obiora",
    "Philippa",
    "555-0148",
    "wrenmail",
    "Tanager",
)


def post(client: TestClient, body: str | bytes, content_type: str, **params: str) -> dict:  # type: ignore[type-arg]
    res = client.post(
        "/v1/notes/deidentify",
        content=body,
        headers={"Content-Type": content_type},
        params=params,
    )
    assert res.status_code == 200, res.text
    data: dict = res.json()  # type: ignore[type-arg]
    return data


def test_tag_mode_by_default_and_no_phi_in_the_response(client: TestClient) -> None:
    body = post(client, NOTE, "text/plain")
    assert body["mode"] == "tag"
    assert body["text"].startswith("Patient: <NAME>   MRN: <MRN>   DOB: <DATE>\n")
    assert "furosemide 40 mg PO daily; BP 150/88" in body["text"]
    assert body["phi_found"]["NAME"] >= 4
    raw = json.dumps(body)
    assert not [p for p in PHI if p in raw]
    assert all("original" not in r for r in body["replacements"])
    for r in body["replacements"]:
        assert body["text"][r["new_start"] : r["new_end"]] == r["replacement"]


@pytest.mark.parametrize(("mode", "marker"), [("redact", "[REDACTED]"), ("fake", "90+")])
def test_modes(client: TestClient, mode: str, marker: str) -> None:
    body = post(client, NOTE, "text/plain", mode=mode)
    assert body["mode"] == mode
    assert marker in body["text"]
    assert not [p for p in PHI if p in body["text"]]


def test_fake_mode_is_consistent(client: TestClient) -> None:
    first = post(client, NOTE, "text/plain", mode="fake")
    second = post(client, NOTE, "text/plain", mode="fake")
    assert first["text"] == second["text"]
    fakes = {
        r["replacement"] for r in first["replacements"] if NOTE[r["start"] : r["end"]] == "Quenby"
    }
    assert len(fakes) == 1


def test_json_body_options_and_include_phi(client: TestClient) -> None:
    payload = json.dumps({"text": NOTE, "mode": "redact", "include_phi": True})
    body = post(client, payload, "application/json")
    assert body["mode"] == "redact"
    originals = {r["original"] for r in body["replacements"]}
    assert {"Rosalind Quenby", "00719342", "(603) 555-0148"} <= originals


def test_fhir_document_reference(client: TestClient) -> None:
    resource = {
        "resourceType": "DocumentReference",
        "id": "doc-77",
        "status": "current",
        "content": [
            {
                "attachment": {
                    "contentType": "text/plain; charset=utf-8",
                    "data": base64.b64encode(NOTE.encode()).decode(),
                }
            }
        ],
    }
    body = post(client, json.dumps(resource), "application/fhir+json")
    assert body["source_format"] == "fhir_document_reference"
    assert body["fhir_ids"] == []  # record ids only with include_phi
    assert "<NAME>" in body["text"]
    with_ids = post(client, json.dumps(resource), "application/fhir+json", include_phi="true")
    assert with_ids["fhir_ids"] == ["DocumentReference/doc-77"]


@pytest.mark.parametrize(
    ("body", "content_type", "status", "code"),
    [
        (b"", "text/plain", 422, "E203"),
        (b'{"text": ', "application/json", 422, "E502"),
        (b'{"text": "x", "mode": "shred"}', "application/json", 422, "E502"),
        (
            b'{"resourceType": "DocumentReference", "status": "current", "content": '
            b'[{"attachment": {"contentType": "text/plain"}}]}',
            "application/fhir+json",
            422,
            "E502",
        ),
        (b"x" * 600_000, "text/plain", 413, "E501"),
    ],
)
def test_errors(client: TestClient, body: bytes, content_type: str, status: int, code: str) -> None:
    res = client.post("/v1/notes/deidentify", content=body, headers={"Content-Type": content_type})
    assert res.status_code == status
    assert res.json()["error"]["code"] == code


def test_bad_mode_query_is_422(client: TestClient) -> None:
    res = client.post("/v1/notes/deidentify", content=NOTE, params={"mode": "shred"})
    assert res.status_code == 422


def test_no_phi_reaches_a_log_line(
    client: TestClient, app_state: AppState, caplog: pytest.LogCaptureFixture
) -> None:
    from tests.notes.extractor import shared_extractor

    if app_state._note_extractor is None:
        app_state.use_note_extractor(shared_extractor())
    with caplog.at_level(logging.DEBUG):
        for mode in ("tag", "redact", "fake"):
            post(client, NOTE, "text/plain", mode=mode)
        post(client, json.dumps({"text": NOTE, "include_phi": True}), "application/json")
        res = client.post("/v1/notes/extract", content=NOTE, headers={"Content-Type": "text/plain"})
        assert res.status_code == 200, res.text
        res = client.post(
            "/v1/notes/extract",
            content=NOTE,
            params={"include_phi": "true"},
            headers={"Content-Type": "text/plain"},
        )
        assert res.status_code == 200, res.text
        client.post(
            "/v1/notes/deidentify",
            content=b'{"text": ',
            headers={"Content-Type": "application/json"},
        )
    logged = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    assert caplog.records  # the request log ran, so the capture works
    assert not [p for p in PHI if p in logged]
