"""Readers for annotated corpora in ../shared/data: NCBI-disease, BC5CDR, PHEE, medExtractR."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from careexplain.errors import EvalConfigError
from careexplain.evaluation.spans import Span

Split = Literal["train", "dev", "test"]


@dataclass(frozen=True)
class GoldDocument:
    """One annotated text with its gold spans (labels as the corpus names them)."""

    doc_id: str
    text: str
    spans: list[Span] = field(default_factory=list)
    chemical_mentions: list[Span] = field(default_factory=list)  # BC5CDR only


NCBI_FILES = {
    "train": "ncbi_disease/original-data/train/NCBItrainset_corpus.txt",
    "dev": "ncbi_disease/original-data/devel/NCBIdevelopset_corpus.txt",
    "test": "ncbi_disease/original-data/test/NCBItestset_corpus.txt",
}
BC5CDR_FILES = {
    "train": "bc5cdr/BC5-CDR/original-data/CDR_TrainingSet.PubTator.txt",
    "dev": "bc5cdr/BC5-CDR/original-data/CDR_DevelopmentSet.PubTator.txt",
    "test": "bc5cdr/BC5-CDR/original-data/CDR_TestSet.PubTator.txt",
}
PHEE_DIRS = {
    "train": "phee/data/clean/train",
    "dev": "phee/data/clean/dev",
    "test": "phee/data/clean/test",
}
MEDEXTRACTR_DIR = "medextractr_notes/inst/mxr_tune"
_ALIGN_WINDOW = 60

PHEE_LABELS = frozenset({"Drug", "Dosage", "Route", "Freq", "Duration"})
# medExtractR marks strength two ways; both are the strength of one unit or dose.
MEDEXTRACTR_LABELS = {
    "DrugName": "DrugName",
    "Strength": "Strength",
    "DoseStrength": "Strength",
    "DoseAmt": "DoseAmt",
    "Route": "Route",
    "Frequency": "Frequency",
}


def _require(path: Path) -> Path:
    if not path.exists():
        raise EvalConfigError(f"Corpus file not found: {path}. Is ../shared/data present?")
    return path


def read_pubtator(path: Path) -> Iterator[tuple[str, str, list[tuple[int, int, str, str]]]]:
    """(document id, title + ' ' + abstract, [(start, end, mention, type)]) per document."""
    doc_id, title, abstract = "", "", ""
    mentions: list[tuple[int, int, str, str]] = []
    for raw in [*_require(path).read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.rstrip("\n")
        if not line.strip():
            if doc_id:
                yield doc_id, f"{title} {abstract}", mentions
            doc_id, title, abstract, mentions = "", "", "", []
            continue
        if "|t|" in line[:30]:
            doc_id, _, title = line.split("|", 2)
            title = title[2:] if title.startswith("t|") else title
        elif "|a|" in line[:30]:
            abstract = line.split("|", 2)[2]
        else:
            parts = line.split("\t")
            if len(parts) >= 5 and parts[1].isdigit():
                mentions.append((int(parts[1]), int(parts[2]), parts[3], parts[4]))


def ncbi_disease(data_dir: Path, split: Split = "test") -> list[GoldDocument]:
    """NCBI-disease: every mention type (specific, class, modifier, composite) is a Disease."""
    docs = []
    for doc_id, text, mentions in read_pubtator(data_dir / NCBI_FILES[split]):
        spans = [Span(doc_id, s, e, "Disease") for s, e, _, _ in mentions]
        docs.append(GoldDocument(doc_id, text, spans))
    return docs


def bc5cdr(data_dir: Path, split: Split = "test") -> list[GoldDocument]:
    """BC5CDR: Disease spans, and Chemical mentions kept aside for the drug decision."""
    docs = []
    for doc_id, text, mentions in read_pubtator(data_dir / BC5CDR_FILES[split]):
        diseases = [Span(doc_id, s, e, "Disease") for s, e, _, t in mentions if t == "Disease"]
        chemicals = [Span(doc_id, s, e, "Chemical") for s, e, _, t in mentions if t == "Chemical"]
        docs.append(GoldDocument(doc_id, text, diseases, chemicals))
    return docs


def _read_exact(path: Path) -> str:
    """Text with its line endings kept: brat offsets count every character, CR included."""
    with path.open(encoding="utf-8", newline="") as fh:
        return fh.read()


def _align(text: str, start: int, end: int, surface: str) -> tuple[int, int] | None:
    """The offsets of ``surface`` nearest to ``start``: some files were edited after labelling."""
    if not surface or text[start:end] == surface:
        return start, end
    best: tuple[int, int] | None = None
    lo = max(0, start - _ALIGN_WINDOW)
    pos = text.find(surface, lo, start + _ALIGN_WINDOW + len(surface))
    while pos != -1:
        if best is None or abs(pos - start) < abs(best[0] - start):
            best = (pos, pos + len(surface))
        pos = text.find(surface, pos + 1, start + _ALIGN_WINDOW + len(surface))
    return best


def read_brat(
    ann: Path, doc_id: str, labels: dict[str, str], text: str | None = None
) -> list[Span]:
    """Text-bound brat annotations with the given labels (renamed); fragments are joined.

    With ``text``, spans whose offsets do not hold their annotated words are moved to the
    nearest occurrence (medExtractR's labels are 3-9 characters off), or dropped.
    """
    spans = []
    for line in _read_exact(ann).splitlines():
        if not line.startswith("T"):
            continue
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        label, _, offsets = parts[1].partition(" ")
        if label not in labels:
            continue
        numbers = [int(x) for x in offsets.replace(";", " ").split()]
        start, end = min(numbers), max(numbers)
        if text is not None and len(parts) > 2 and ";" not in offsets:
            aligned = _align(text, start, end, parts[2])
            if aligned is None:
                continue
            start, end = aligned
        spans.append(Span(doc_id, start, end, labels[label]))
    return spans


def phee(data_dir: Path, split: Split = "test") -> list[GoldDocument]:
    """PHEE sentences with Drug, Dosage, Route, Freq and Duration spans."""
    folder = _require(data_dir / PHEE_DIRS[split])
    labels = {name: name for name in PHEE_LABELS}
    docs = []
    for txt in sorted(folder.glob("*.txt")):
        ann = txt.with_suffix(".ann")
        spans = read_brat(ann, txt.stem, labels) if ann.exists() else []
        docs.append(GoldDocument(txt.stem, _read_exact(txt), spans))
    return docs


def medextractr(data_dir: Path) -> list[GoldDocument]:
    """The three labelled medExtractR notes (tacrolimus only is annotated in them)."""
    folder = _require(data_dir / MEDEXTRACTR_DIR)
    docs = []
    for txt in sorted(folder.glob("tune_note*.txt")):
        ann = txt.with_suffix(".ann")
        text = _read_exact(txt)
        spans = read_brat(ann, txt.stem, MEDEXTRACTR_LABELS, text) if ann.exists() else []
        docs.append(GoldDocument(txt.stem, text, spans))
    return docs
