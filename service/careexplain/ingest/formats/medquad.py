"""MedQuAD XML: one document per answered question/answer pair.

Layout: ``<Document id source url><Focus>…<QAPairs><QAPair pid><Question qid qtype>…<Answer>``.
Pairs without an answer (MedlinePlus subsets withheld for copyright) are skipped.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

from careexplain.documents import Document, Section, SourceRef
from careexplain.errors import DocumentFormatError

_BULLET = re.compile(r"\s{2,}-\s+")
_SPACES = re.compile(r"[ \t]+")
_BLANKS = re.compile(r"\n\s*\n+")
ROOTS = ("Document", "DiseaseFile", "doc")

# Question types as section headings a reader recognises.
QTYPE_HEADINGS = {
    "information": "What it is",
    "symptoms": "Symptoms",
    "treatment": "Treatment",
    "causes": "Causes",
    "inheritance": "Inheritance",
    "frequency": "How common it is",
    "genetic changes": "Genetic changes",
    "exams and tests": "Exams and tests",
    "outlook": "Outlook",
    "susceptibility": "Who is at risk",
    "prevention": "Prevention",
    "research": "Research",
    "complications": "Complications",
    "stages": "Stages",
    "considerations": "Considerations",
    "support groups": "Support groups",
}


def clean_answer(text: str) -> str:
    """Collapse MedQuAD's indentation and inline bullets into readable paragraphs."""
    text = _BULLET.sub("\n- ", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def section_heading(qtype: str) -> str:
    """A readable section heading for a MedQuAD question type."""
    return QTYPE_HEADINGS.get(qtype.lower(), qtype.capitalize() or "Answer")


def _first(el: ET.Element, *tags: str) -> ET.Element | None:
    for tag in tags:
        found = el.find(tag)
        if found is not None:
            return found
    return None


def read_medquad(path: Path) -> Iterator[Document]:
    """Read one MedQuAD XML file (``Document``, ``DiseaseFile`` and ``doc`` layouts)."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise DocumentFormatError(f"{path}: not well-formed XML ({exc}).") from exc
    if root.tag not in ROOTS:
        raise DocumentFormatError(
            f"{path}: expected a MedQuAD <Document> root, found <{root.tag}>."
        )
    collection = path.parent.name
    publisher = root.get("source") or root.get("corpus") or ""
    url = root.get("url", "")
    focus_el = _first(root, "Focus", "doctitle-focus")
    focus = (focus_el.text or "").strip() if focus_el is not None else ""
    seen: dict[str, int] = {}
    for pair in (p for p in root.iter() if p.tag in ("QAPair", "pair")):
        answer_el = _first(pair, "Answer", "answer")
        answer = clean_answer(answer_el.text or "") if answer_el is not None else ""
        if not answer:
            continue
        question_el = _first(pair, "Question", "question")
        question = (question_el.text or "").strip() if question_el is not None else ""
        qtype = question_el.get("qtype", "") if question_el is not None else ""
        pid = pair.get("pid", "1")
        # A few files reuse a pid; later repeats get a suffix so ids stay unique.
        seen[pid] = seen.get(pid, 0) + 1
        suffix = "" if seen[pid] == 1 else f".{seen[pid]}"
        yield Document(
            doc_id=f"{collection}/{path.stem}#{pid}{suffix}",
            title=focus or question,
            sections=[Section(title=section_heading(qtype), text=answer)],
            sources=[SourceRef(publisher=publisher, title=focus, url=url)],
            origin=str(path),
            fmt="medquad",
            extra={
                "collection": collection,
                "focus": focus,
                "qtype": qtype,
                "question": question,
                "qid": question_el.get("qid", "") if question_el is not None else "",
            },
        )
