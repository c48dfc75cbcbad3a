"""A displaCy view of the entities, with context flags visible, for the nurse page."""

from __future__ import annotations

import re
from typing import Any

from spacy import displacy

from careexplain.notes.models import Entity, EntityLabel, NoteExtraction

COLOURS: dict[str, str] = {
    EntityLabel.PROBLEM.value: "#f4a6a6",
    EntityLabel.MEDICATION.value: "#9fd8a8",
    EntityLabel.ALLERGY.value: "#f6c85f",
    EntityLabel.LAB.value: "#a6c8f4",
    EntityLabel.VITAL.value: "#c3b4f0",
    EntityLabel.PROCEDURE.value: "#9fe0e0",
}

_FLAG_NAMES = ("negated", "historical", "hypothetical", "family", "uncertain")


def display_label(entity: Entity) -> str:
    """The label shown on the page: type plus its context flags, e.g. "PROBLEM · negated"."""
    flags = [name for name in _FLAG_NAMES if getattr(entity.context, name)]
    return " · ".join([entity.label.value, *flags])


def entities_html(extraction: NoteExtraction) -> str:
    """HTML with each entity highlighted in its colour; negated ones are struck through."""
    ents: list[dict[str, Any]] = []
    colours = dict(COLOURS)
    for e in sorted(extraction.entities, key=lambda x: (x.start, -x.end)):
        if ents and e.start < ents[-1]["end"]:
            continue  # displaCy draws no overlapping spans
        label = display_label(e)
        colours.setdefault(label, COLOURS[e.label.value])
        ents.append({"start": e.start, "end": e.end, "label": label})
    data = {"text": extraction.text, "ents": ents, "title": None}
    html: str = displacy.render(
        data, style="ent", manual=True, page=False, options={"colors": colours}
    )
    return _strike_negated(html, ents) + _STYLE


def _strike_negated(html: str, ents: list[dict[str, Any]]) -> str:
    """Wrap the text of negated entities in <s> so a negated finding never reads as present."""
    if not any("negated" in ent["label"] for ent in ents):
        return html
    return _MARK.sub(
        lambda m: (
            f"{m.group(1)}{m.group(2)}<s>{m.group(3)}</s>{m.group(4)}{m.group(5)}"
            if "negated" in m.group(5)
            else m.group(0)
        ),
        html,
    )


_MARK = re.compile(
    r'(<mark class="entity"[^>]*>)(\s*)(.*?)(\s*<span[^>]*>)([^<]*)(?=</span>)', re.DOTALL
)

_STYLE = """
<style>
mark.entity s { text-decoration-thickness: 2px; opacity: 0.8; }
</style>
"""
