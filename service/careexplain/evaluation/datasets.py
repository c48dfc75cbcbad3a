"""Third-party evaluation data read from ``shared_data_dir``: MedQuAD, RQE, MeQSum."""

from __future__ import annotations

import json
import random
import xml.etree.ElementTree as ET
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel

from careexplain.documents import Document, Section, SourceRef
from careexplain.evaluation.target import UnavailableError
from careexplain.ingest.formats import read_documents


class Query(BaseModel):
    """A query and the graded relevance of documents to it."""

    id: str
    text: str
    gains: dict[str, float]


def require(path: Path) -> Path:
    if not path.exists():
        raise UnavailableError(f"data not found at {path} (set CAREEXPLAIN_SHARED_DATA_DIR)")
    return path


@lru_cache(maxsize=2)
def _medquad_all(folder: Path) -> tuple[Document, ...]:
    return tuple(read_documents(require(folder), "medquad"))


def medquad_sample(folder: Path, documents: int, seed: int) -> list[Document]:
    """A seeded sample of answered pairs (sorted by id, so the index key is stable)."""
    pool = _medquad_all(folder)
    picked = random.Random(seed).sample(range(len(pool)), min(documents, len(pool)))
    return [pool[i] for i in sorted(picked)]


def medquad_queries(docs: list[Document], n: int, seed: int) -> list[Query]:
    """Question → own answer; pairs with an identical answer text count as relevant too."""
    same_answer: dict[str, set[str]] = defaultdict(set)
    for d in docs:
        same_answer[d.sections[0].text].add(d.doc_id)
    pool = [d for d in docs if d.extra.get("question")]
    picked = random.Random(seed + 1).sample(pool, min(n, len(pool)))
    return [
        Query(
            id=d.doc_id,
            text=d.extra["question"],
            gains=dict.fromkeys(same_answer[d.sections[0].text], 1.0),
        )
        for d in picked
    ]


def rqe_test(folder: Path) -> tuple[list[Document], list[Query]]:
    """RQE test pairs: each distinct FAQ a document; each consumer question a query whose
    relevant documents are the FAQs it entails."""
    path = require(folder / "RQE_Test_302_pairs_AMIA2016.xml")
    root = ET.parse(path).getroot()
    faq_ids: dict[str, str] = {}
    gains: dict[str, dict[str, float]] = {}
    order: list[str] = []
    for pair in root.iter("pair"):
        chq = (pair.findtext("chq") or "").strip()
        faq = (pair.findtext("faq") or "").strip()
        if not chq or not faq:
            continue
        doc_id = faq_ids.setdefault(faq, f"rqe-faq-{len(faq_ids) + 1:03d}")
        if chq not in gains:
            gains[chq] = {}
            order.append(chq)
        if pair.get("value", "").lower() == "true":
            gains[chq][doc_id] = 1.0
    docs = [
        Document(
            doc_id=doc_id,
            title=faq,
            sections=[Section(title="Question", text=faq)],
            sources=[SourceRef(publisher="NIH (RQE AMIA 2016)")],
            fmt="text",
        )
        for faq, doc_id in faq_ids.items()
    ]
    queries = [
        Query(id=f"rqe-chq-{i:03d}", text=chq, gains=gains[chq])
        for i, chq in enumerate(order, start=1)
        if gains[chq]
    ]
    return docs, queries


def meqsum_questions(folder: Path, n: int, seed: int) -> list[tuple[str, str]]:
    """(id, consumer question) pairs: real, messy questions from MeQSum, seeded sample."""
    path = require(folder / "meqsum.json")
    rows = json.loads(path.read_text(encoding="utf-8"))
    picked = random.Random(seed).sample(range(len(rows)), min(n, len(rows)))
    out = []
    for i in sorted(picked):
        text = " ".join(str(rows[i]["CHQ"]).split())
        out.append((str(rows[i].get("File", i)), text[:3900]))
    return out
