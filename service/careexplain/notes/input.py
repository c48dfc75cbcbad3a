"""Reading a submitted note: plain text, JSON or FHIR R4, in whatever encoding it came in."""

from __future__ import annotations

import codecs
import json
import re
from enum import StrEnum
from typing import Any, TypeVar

from fhir.resources.bundle import Bundle
from fhir.resources.documentreference import DocumentReference
from pydantic import BaseModel, Field, ValidationError

from careexplain.errors import EmptyInputError, NoteFormatError, NoteTooLargeError
from careexplain.phi.models import DeidMode

TEXT_ATTACHMENT_TYPES = frozenset({"text/plain", "text/markdown"})
JSON_MEDIA_TYPES = frozenset({"application/json", "application/fhir+json", "text/json"})
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_M = TypeVar("_M", DocumentReference, Bundle)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class SourceFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    FHIR_DOCUMENT_REFERENCE = "fhir_document_reference"
    FHIR_BUNDLE = "fhir_bundle"


class NoteInput(BaseModel):
    """The note's text (line endings normalised) and where it came from."""

    text: str
    source_format: SourceFormat
    encoding: str  # how the body was decoded, e.g. "utf-8", "utf-16", "cp1252"
    fhir_ids: list[str] = Field(default_factory=list)  # "DocumentReference/abc", "Bundle/xyz"
    documents: int = Field(default=1, ge=1)  # how many documents were joined into ``text``


def read_note(body: bytes, content_type: str, max_bytes: int) -> NoteInput:
    """Decode and parse a submitted note; raise E501, E502 or E203 with a clear reason."""
    if len(body) > max_bytes:
        raise NoteTooLargeError(
            f"The note is {len(body):,} bytes; the limit is {max_bytes:,}. "
            "Send a shorter note or split it."
        )
    media_type, charset = _parse_content_type(content_type)
    text, encoding = decode_bytes(body, charset)
    if media_type in JSON_MEDIA_TYPES or (
        media_type in ("", "application/octet-stream") and text.lstrip().startswith("{")
    ):
        note = _read_json(text, encoding)
    elif media_type.startswith("text/") or media_type in ("", "application/octet-stream"):
        note = NoteInput(text=text, source_format=SourceFormat.TEXT, encoding=encoding)
    else:
        raise NoteFormatError(
            f"Content type {media_type!r} is not supported; send text/plain, application/json "
            "or application/fhir+json."
        )
    note.text = _normalise(note.text)
    if not note.text.strip():
        raise EmptyInputError("The note is empty: send the note text.")
    return note


def decode_bytes(data: bytes, charset: str | None = None) -> tuple[str, str]:
    """Decode text bytes: BOM first, then the declared charset, UTF-8, and cp1252/latin-1."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec.removesuffix("-sig")
            except UnicodeDecodeError as exc:
                raise NoteFormatError(
                    f"The note starts with a {codec} byte-order mark but is not valid {codec} "
                    f"(bad bytes at offset {exc.start})."
                ) from None
    candidates = [c for c in (_known_codec(charset), "utf-8") if c]
    if _looks_utf16(data):
        candidates.insert(
            0, "utf-16-le" if data[1::2].count(0) > data[::2].count(0) else "utf-16-be"
        )
    # cp1252 covers what Windows editors save; latin-1 decodes any byte, so this never fails.
    for codec in [*candidates, "cp1252", "latin-1"]:
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        _check_is_text(text)
        return text, codec
    raise NoteFormatError("The note could not be decoded as text.")  # unreachable: latin-1


def _read_json(text: str, encoding: str) -> NoteInput:
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NoteFormatError(
            f"The body is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}."
        ) from None
    if not isinstance(obj, dict):
        raise NoteFormatError(
            'JSON notes must be an object: {"text": "..."} or a FHIR DocumentReference or Bundle.'
        )
    resource_type = obj.get("resourceType")
    if resource_type == "DocumentReference":
        doc = _validate(DocumentReference, obj, "DocumentReference")
        parts = _document_texts(doc, "DocumentReference")
        return NoteInput(
            text=_join(parts),
            source_format=SourceFormat.FHIR_DOCUMENT_REFERENCE,
            encoding=encoding,
            fhir_ids=[f"DocumentReference/{doc.id}"] if doc.id else [],
            documents=len(parts),
        )
    if resource_type == "Bundle":
        return _read_bundle(obj, encoding)
    if resource_type is not None:
        raise NoteFormatError(
            f"FHIR resource type {str(resource_type)[:40]!r} is not supported; "
            "send a DocumentReference or a Bundle of DocumentReferences."
        )
    note_text = obj.get("text")
    if note_text is None:
        raise NoteFormatError('The JSON object has no "text" field (and no FHIR "resourceType").')
    if not isinstance(note_text, str):
        raise NoteFormatError('The JSON field "text" must be a string.')
    return NoteInput(text=note_text, source_format=SourceFormat.JSON, encoding=encoding)


def _read_bundle(obj: dict[str, Any], encoding: str) -> NoteInput:
    bundle = _validate(Bundle, obj, "Bundle")
    parts: list[str] = []
    ids = [f"Bundle/{bundle.id}"] if bundle.id else []
    for i, entry in enumerate(bundle.entry or []):
        resource = entry.resource
        if not isinstance(resource, DocumentReference):
            continue  # Patients, Encounters and the like carry no note text
        parts.extend(_document_texts(resource, f"Bundle.entry[{i}].resource"))
        if resource.id:
            ids.append(f"DocumentReference/{resource.id}")
    if not parts:
        raise NoteFormatError("The FHIR Bundle has no DocumentReference entries with text.")
    return NoteInput(
        text=_join(parts),
        source_format=SourceFormat.FHIR_BUNDLE,
        encoding=encoding,
        fhir_ids=ids,
        documents=len(parts),
    )


def _document_texts(doc: DocumentReference, where: str) -> list[str]:
    """The text of every text/plain or text/markdown attachment of one DocumentReference."""
    texts: list[str] = []
    skipped: list[str] = []
    for i, content in enumerate(doc.content or []):
        attachment = content.attachment
        at = f"{where}.content[{i}].attachment"
        media_type, charset = _parse_content_type(attachment.contentType or "")
        if media_type and media_type not in TEXT_ATTACHMENT_TYPES:
            skipped.append(f"{at} is {media_type}")
            continue
        if attachment.data is None:
            hint = " (URLs are not fetched)" if attachment.url else ""
            raise NoteFormatError(f"FHIR {at} has no data{hint}; embed the text as base64 data.")
        text, _ = decode_bytes(bytes(attachment.data), charset)
        if text.strip():
            texts.append(text)
    if not texts:
        reason = "; ".join(skipped) if skipped else "its attachments are empty"
        raise NoteFormatError(
            f"FHIR {where} has no text/plain or text/markdown attachment with text ({reason})."
        )
    return texts


def _validate(model: type[_M], obj: dict[str, Any], name: str) -> _M:
    try:
        return model.model_validate(obj)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first.get("loc", ()))
        # Never echo the submitted value: it may hold patient details.
        raise NoteFormatError(
            f"Invalid FHIR {name}: {loc or name}: {first.get('msg', 'invalid')} "
            f"({exc.error_count()} problem(s))."
        ) from None
    except (ValueError, TypeError) as exc:  # fhir.resources raises these for bad base64 etc.
        raise NoteFormatError(f"Invalid FHIR {name}: {type(exc).__name__}.") from None


def _join(parts: list[str]) -> str:
    """Join several documents with a separator line that names each one."""
    if len(parts) == 1:
        return parts[0]
    n = len(parts)
    return "\n\n".join(
        f"===== Document {i} of {n} =====\n{part.strip()}" for i, part in enumerate(parts, 1)
    )


def _parse_content_type(value: str) -> tuple[str, str | None]:
    media_type, _, params = (value or "").partition(";")
    charset = None
    for param in params.split(";"):
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset" and val.strip():
            charset = val.strip().strip('"').lower()
    return media_type.strip().lower(), charset


def _known_codec(charset: str | None) -> str | None:
    if not charset:
        return None
    try:
        return codecs.lookup(charset).name
    except LookupError:
        return None  # an unknown charset label: fall back to detection


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a BOM: ASCII text leaves a zero byte in every other position."""
    sample = data[:2000]
    if len(sample) < 4 or len(sample) % 2:
        return False
    zeros = max(sample[1::2].count(0), sample[::2].count(0))
    return zeros > 0.4 * len(sample) / 2


def _check_is_text(text: str) -> None:
    if text.startswith("%PDF") or len(_CONTROL.findall(text[:4000])) > 0.02 * min(len(text), 4000):
        raise NoteFormatError(
            "The note is not text (binary data or a PDF); send the note as plain text or FHIR JSON."
        )


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


class NoteOptions(BaseModel):
    """Options a plain JSON note may carry beside its text."""

    mode: DeidMode | None = None
    include_phi: bool = False


def note_options(body: bytes, content_type: str) -> NoteOptions:
    """``mode`` and ``include_phi`` from a plain JSON body (not from FHIR resources)."""
    if content_type.partition(";")[0].strip().lower() not in JSON_MEDIA_TYPES:
        return NoteOptions()
    try:
        obj = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return NoteOptions()  # read_note reports malformed JSON with a clear message
    if not isinstance(obj, dict) or "resourceType" in obj:
        return NoteOptions()
    try:
        return NoteOptions.model_validate({k: obj[k] for k in ("mode", "include_phi") if k in obj})
    except ValidationError:
        raise NoteFormatError(
            'JSON "mode" must be redact, tag or fake, and "include_phi" true or false.'
        ) from None
