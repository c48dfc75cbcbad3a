"""Where a note's layout ends a sentence: blank lines, list items and section headers."""

from __future__ import annotations

import re
from collections.abc import Iterable

from careexplain.notes.models import Section

# The statistical sentence splitter reads "No fever.\n\nFamily history: ..." as one
# sentence, so a negation or "if" scope ran on into the next section or list item.
_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")
_LIST_ITEM = re.compile(r"^[ \t]*(?P<marker>[-*•▪◦‣]|\d{1,2}[.)])[ \t]+(?=\S)", re.MULTILINE)
# A line that opens with a label ("Problems:", "Diagnosis:") the section rules may lack.
_LINE_LABEL = re.compile(r"^[ \t]*(?=[A-Z][A-Za-z/&' -]{1,40}:)", re.MULTILINE)


def layout_breaks(text: str, sections: Iterable[Section]) -> list[int]:
    """Character offsets at which a new sentence starts because of the note's layout."""
    found = {m.end() for m in _BLANK_LINE.finditer(text)}
    found.update(m.start("marker") for m in _LIST_ITEM.finditer(text))
    found.update(m.end() for m in _LINE_LABEL.finditer(text))
    found.update(s.start for s in sections)
    return sorted(pos for pos in found if 0 < pos < len(text))
