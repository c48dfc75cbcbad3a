"""Numbered, helpful errors: each says what went wrong and what to do about it."""

from __future__ import annotations


class CareExplainError(Exception):
    """Base class: ``code`` is stable (documented), ``message`` is for people."""

    code = "E000"
    http_status = 500

    def __init__(self, message: str) -> None:
        super().__init__(f"[{self.code}] {message}")
        self.message = message


class IndexNotFoundError(CareExplainError):
    code = "E101"
    http_status = 503


class IndexCorruptedError(CareExplainError):
    code = "E102"
    http_status = 503


class IndexModelMismatchError(CareExplainError):
    code = "E103"
    http_status = 503


class IndexLockedError(CareExplainError):
    code = "E104"
    http_status = 409


class DocumentFormatError(CareExplainError):
    code = "E201"
    http_status = 422


class UnknownFormatError(CareExplainError):
    code = "E202"
    http_status = 422


class EmptyInputError(CareExplainError):
    code = "E203"
    http_status = 422


class EmbeddingModelError(CareExplainError):
    code = "E301"
    http_status = 503


class UnknownDocumentError(CareExplainError):
    code = "E401"
    http_status = 404


class ModelNotAvailableError(CareExplainError):
    code = "E302"
    http_status = 503


class ModelIntegrityError(CareExplainError):
    code = "E303"
    http_status = 503


class GeneratorBusyError(CareExplainError):
    code = "E304"
    http_status = 503


class GeneratorFailedError(CareExplainError):
    code = "E305"
    http_status = 503


class LexiconMissingError(CareExplainError):
    """The WordNet files the grounding guard reads synonyms from are not installed."""

    code = "E306"
    http_status = 503


# Clinical notes (E5xx).
class NoteTooLargeError(CareExplainError):
    code = "E501"
    http_status = 413


class NoteFormatError(CareExplainError):
    """Malformed FHIR JSON, an unreadable encoding, or an attachment we cannot read."""

    code = "E502"
    http_status = 422


class NoEntitiesError(CareExplainError):
    """The note has nothing we can explain: no active problem or medicine was found."""

    code = "E503"
    http_status = 422


# Handouts and profiles (E6xx).
class HandoutNotFoundError(CareExplainError):
    code = "E601"
    http_status = 404


class HandoutVersionConflictError(CareExplainError):
    code = "E602"
    http_status = 409


class ProfileError(CareExplainError):
    code = "E603"
    http_status = 422


# Evaluation harness (E7xx).
class EvalConfigError(CareExplainError):
    """A suite file, a baseline or a threshold that cannot be used."""

    code = "E701"
    http_status = 422
