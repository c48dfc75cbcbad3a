"""The displaCy view: colours per type, flags visible, negated struck through."""

from __future__ import annotations

from careexplain.notes.models import ContextFlags, Entity, EntityLabel, NoteExtraction
from careexplain.notes.render import COLOURS, display_label, entities_html


def _note() -> NoteExtraction:
    text = "No fever. Takes metformin. History of MI."
    return NoteExtraction(
        text=text,
        entities=[
            Entity(
                label=EntityLabel.PROBLEM,
                text="fever",
                start=3,
                end=8,
                context=ContextFlags(negated=True),
            ),
            Entity(label=EntityLabel.MEDICATION, text="metformin", start=16, end=25),
            Entity(
                label=EntityLabel.PROBLEM,
                text="MI",
                start=38,
                end=40,
                context=ContextFlags(historical=True),
            ),
        ],
    )


def test_labels_show_flags() -> None:
    note = _note()
    assert [display_label(e) for e in note.entities] == [
        "PROBLEM · negated",
        "MEDICATION",
        "PROBLEM · historical",
    ]


def test_html_colours_and_strike_through() -> None:
    html = entities_html(_note())
    assert COLOURS["MEDICATION"] in html
    assert COLOURS["PROBLEM"] in html
    assert "<s>fever</s>" in html.replace("\n", "").replace("    ", "")
    assert "<s>metformin" not in html
    assert "PROBLEM · historical" in html


def test_text_is_escaped() -> None:
    note = NoteExtraction(text="<script>x</script> fever", entities=[])
    assert "<script>" not in entities_html(note)
