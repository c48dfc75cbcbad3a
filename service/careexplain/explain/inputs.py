"""From a request (a note or a profile) to the patient profile that gets explained."""

from __future__ import annotations

from collections.abc import Callable

from careexplain.errors import NoEntitiesError, ProfileError
from careexplain.explain.models import ExplainRequest
from careexplain.notes.input import read_note
from careexplain.notes.models import NoteExtraction
from careexplain.profile.builder import profile_from_extraction
from careexplain.profile.models import PatientProfile, Preferences

Extract = Callable[[str], NoteExtraction]


def note_text(note: str, max_bytes: int) -> str:
    """The note as the notes pipeline reads it: size limit (E501), empty (E203), normalised."""
    return read_note(note.encode("utf-8"), "text/plain; charset=utf-8", max_bytes).text


def resolve_profile(
    request: ExplainRequest, extract: Callable[[], Extract], max_note_bytes: int
) -> tuple[PatientProfile, NoteExtraction | None]:
    """The profile to explain, and the note's extraction when a note was sent."""
    if (request.note is None) == (request.profile is None):
        raise ProfileError("Send either a note or a profile (one of them, not both).")
    preferences = request.preferences
    if request.profile is not None:
        profile = request.profile
        if preferences is not None:
            profile = profile.model_copy(update={"preferences": preferences})
        if profile.is_empty():
            raise ProfileError("The profile lists no problem or medicine to explain.")
        return profile, None
    assert request.note is not None
    text = note_text(request.note, max_note_bytes)
    extraction = extract()(text)
    profile = profile_from_extraction(extraction, preferences or Preferences())
    if profile.is_empty():
        raise NoEntitiesError(
            "We found no current health problem or medicine in this note, so there is nothing "
            "to explain. Check that the note lists problems or medicines, or send a profile."
        )
    return profile, extraction
