"""Reading notes: plain text, JSON, FHIR DocumentReference/Bundle, encodings, sizes, errors."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from careexplain.errors import EmptyInputError, NoteFormatError, NoteTooLargeError
from careexplain.notes.input import SourceFormat, decode_bytes, read_note

NOTE = (
    "Patient: Zoë Müller\r\n"
    "Assessment: CHF exacerbation \u2013 start furosemide 40 mg PO daily.\r\n"
)
LIMIT = 100_000


def b64(text: str, encoding: str = "utf-8") -> str:
    return base64.b64encode(text.encode(encoding)).decode("ascii")


def docref(*attachments: dict[str, Any], doc_id: str = "note-1") -> dict[str, Any]:
    return {
        "resourceType": "DocumentReference",
        "id": doc_id,
        "status": "current",
        "content": [{"attachment": a} for a in attachments],
    }


def fhir(obj: dict[str, Any]) -> bytes:
    return json.dumps(obj).encode()


def test_plain_text_keeps_text_and_normalises_line_endings() -> None:
    note = read_note(NOTE.encode(), "text/plain", LIMIT)
    assert note.source_format is SourceFormat.TEXT
    assert note.text == NOTE.replace("\r\n", "\n")
    assert note.encoding == "utf-8"


@pytest.mark.parametrize(
    ("raw", "content_type", "encoding"),
    [
        (b"\xef\xbb\xbf" + NOTE.encode(), "text/plain", "utf-8"),
        (NOTE.encode("utf-16"), "text/plain", "utf-16"),
        (NOTE.encode("utf-16-le"), "text/plain", "utf-16-le"),
        (NOTE.encode("cp1252"), "text/plain", "cp1252"),
        (
            NOTE.replace("\u2013", "-").encode("latin-1"),
            "text/plain; charset=ISO-8859-1",
            "iso8859-1",
        ),
        (NOTE.encode("cp1252"), "text/plain; charset=utf-8", "cp1252"),  # a wrong label
        (NOTE.encode("utf-16-be"), "text/plain; charset=UTF-16BE", "utf-16-be"),
        (NOTE.encode("utf-8"), "text/plain; charset=no-such-charset", "utf-8"),
    ],
)
def test_encodings_decode_to_the_same_text(
    raw: bytes, content_type: str, encoding: str | None
) -> None:
    note = read_note(raw, content_type, LIMIT)
    assert "Zoë Müller" in note.text
    assert "furosemide 40 mg" in note.text
    assert not note.text.startswith("\ufeff")
    if encoding:
        assert note.encoding == encoding


def test_undecodable_bytes_never_crash() -> None:
    text, encoding = decode_bytes(bytes(range(0x80, 0x100)) * 3 + b" note text " * 50)
    assert encoding in ("cp1252", "latin-1")
    assert "note text" in text


def test_json_text_field() -> None:
    note = read_note(json.dumps({"text": NOTE}).encode(), "application/json", LIMIT)
    assert note.source_format is SourceFormat.JSON
    assert note.text.startswith("Patient: Zoë Müller\n")


def test_json_sniffed_without_content_type() -> None:
    note = read_note(json.dumps({"text": "BP 120/80"}).encode(), "", LIMIT)
    assert note.source_format is SourceFormat.JSON
    assert note.text == "BP 120/80"


def test_fhir_document_reference_with_text_attachment() -> None:
    body = fhir(docref({"contentType": "text/plain", "data": b64(NOTE)}))
    note = read_note(body, "application/fhir+json", LIMIT)
    assert note.source_format is SourceFormat.FHIR_DOCUMENT_REFERENCE
    assert note.fhir_ids == ["DocumentReference/note-1"]
    assert "furosemide 40 mg PO daily" in note.text


def test_fhir_attachment_charset_and_pdf_rendition_skipped() -> None:
    body = fhir(
        docref(
            {"contentType": "application/pdf", "data": b64("%PDF-1.4 ...")},
            {"contentType": "text/markdown; charset=utf-16", "data": b64(NOTE, "utf-16")},
        )
    )
    note = read_note(body, "application/json", LIMIT)
    assert note.documents == 1
    assert "Zoë Müller" in note.text
    assert "%PDF" not in note.text


def test_fhir_several_attachments_are_joined_with_separators() -> None:
    body = fhir(
        docref(
            {"contentType": "text/plain", "data": b64("First part: HPI.")},
            {"contentType": "text/plain", "data": b64("Second part: plan.")},
        )
    )
    note = read_note(body, "application/fhir+json", LIMIT)
    assert note.documents == 2
    assert note.text.index("Document 1 of 2") < note.text.index("First part")
    assert note.text.index("Document 2 of 2") < note.text.index("Second part")


def test_fhir_bundle_joins_document_references_and_skips_other_resources() -> None:
    bundle = {
        "resourceType": "Bundle",
        "id": "b1",
        "type": "collection",
        "entry": [
            {"resource": {"resourceType": "Patient", "id": "p1"}},
            {"resource": docref({"contentType": "text/plain", "data": b64("Note A")}, doc_id="a")},
            {"resource": docref({"contentType": "text/plain", "data": b64("Note B")}, doc_id="b")},
        ],
    }
    note = read_note(fhir(bundle), "application/fhir+json", LIMIT)
    assert note.source_format is SourceFormat.FHIR_BUNDLE
    assert note.fhir_ids == ["Bundle/b1", "DocumentReference/a", "DocumentReference/b"]
    assert (
        note.text.index("Note A") < note.text.index("Document 2 of 2") < note.text.index("Note B")
    )


def test_too_large_is_413() -> None:
    with pytest.raises(NoteTooLargeError) as err:
        read_note(b"x" * 2001, "text/plain", 2000)
    assert err.value.http_status == 413
    assert err.value.code == "E501"


@pytest.mark.parametrize("body", [b"", b"   \n\t ", b'{"text": "  "}', b"\xef\xbb\xbf"])
def test_empty_note(body: bytes) -> None:
    with pytest.raises(EmptyInputError):
        read_note(body, "", LIMIT)


@pytest.mark.parametrize(
    ("body", "content_type", "problem"),
    [
        (b'{"text": ', "application/json", "not valid JSON"),
        (b"[1, 2]", "application/json", "must be an object"),
        (b'{"note": "x"}', "application/json", 'no "text" field'),
        (b'{"text": 5}', "application/json", "must be a string"),
        (b'{"resourceType": "Patient"}', "application/fhir+json", "'Patient' is not supported"),
        (
            fhir({"resourceType": "DocumentReference", "status": "current"}),
            "application/fhir+json",
            "content",
        ),
        (
            fhir(docref({"contentType": "text/plain", "url": "https://example.org/n.txt"})),
            "application/fhir+json",
            "DocumentReference.content[0].attachment has no data",
        ),
        (
            fhir(docref({"contentType": "application/pdf", "data": b64("%PDF")})),
            "application/fhir+json",
            "is application/pdf",
        ),
        (
            fhir({"resourceType": "Bundle", "type": "collection", "entry": []}),
            "application/fhir+json",
            "no DocumentReference",
        ),
        (b"%PDF-1.7\x00\x01\x02\x03 binary", "application/octet-stream", "not text"),
        (b"GIF", "image/gif", "not supported"),
    ],
)
def test_malformed_input_names_the_problem(body: bytes, content_type: str, problem: str) -> None:
    with pytest.raises(NoteFormatError) as err:
        read_note(body, content_type, LIMIT)
    assert err.value.code == "E502"
    assert err.value.http_status == 422
    assert problem in err.value.message


def test_invalid_fhir_error_never_echoes_the_note() -> None:
    bad = docref({"contentType": "text/plain", "data": b64("Patient: Ada Lovelace")})
    bad["date"] = "Ada Lovelace"  # not an instant: the error must not quote it
    with pytest.raises(NoteFormatError) as err:
        read_note(fhir(bad), "application/fhir+json", LIMIT)
    assert "Lovelace" not in err.value.message
