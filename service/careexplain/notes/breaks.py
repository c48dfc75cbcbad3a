"""Where a note's layout ends a sentence: blank lines, list items, headers and new lines."""

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

# One item a line ("No diabetes\nAsthma"): a line that starts with a capital starts a sentence,
# unless the line before ends mid-phrase ("No history of\nHTN", "fever, chills,\nNausea").
_NEW_LINE = re.compile(r"\n[ \t]*(?=[A-Z])")
_LINE_TAIL = re.compile(r"(?:^|\s)(\S+)[ \t]*$")
_CONTINUES = frozenset(
    "and or nor but of with without to for from by in on at as than per no not denies denied "
    "deny the a an any including includes include due secondary".split()
)


def _line_continues(text: str, newline: int) -> bool:
    """Whether the line ending at ``newline`` stops mid-phrase, so the next one goes on."""
    line = text[text.rfind("\n", 0, newline) + 1 : newline]
    tail = _LINE_TAIL.search(line)
    if tail is None:
        return False
    word = tail.group(1)
    return word[-1] in ",;/&-(+" or word.lower() in _CONTINUES


def layout_breaks(text: str, sections: Iterable[Section]) -> list[int]:
    """Character offsets at which a new sentence starts because of the note's layout."""
    found = {m.end() for m in _BLANK_LINE.finditer(text)}
    found.update(m.start("marker") for m in _LIST_ITEM.finditer(text))
    found.update(m.end() for m in _LINE_LABEL.finditer(text))
    found.update(s.start for s in sections)
    found.update(m.end() for m in _NEW_LINE.finditer(text) if not _line_continues(text, m.start()))
    return sorted(pos for pos in found if 0 < pos < len(text))
