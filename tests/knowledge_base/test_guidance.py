"""The bundled guidance: complete, cited from public-domain sources, plain, and well-formed."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest
import simple_icd_10_cm as icd

from careexplain.documents import Document
from careexplain.ingest.formats.markdown import parse_markdown, split_front_matter
from careexplain.text.readability import fk_grade, markdown_to_prose
from tests.helpers import GUIDANCE

FILES = sorted(GUIDANCE.glob("*.md"))
SECTIONS = [
    "What it is",
    "Why it matters",
    "What you can do",
    "Medicines",
    "When to call your care team",
    "When to get emergency help",
]
REQUIRED = {"id", "title", "summary", "sources", "last_reviewed", "language", "icd10", "drugs"}
PUBLIC_DOMAIN_HOSTS = ("nih.gov", "cdc.gov", "medlineplus.gov", "fda.gov", "988lifeline.org")
REQUIRED_TOPICS = {
    "type-2-diabetes",
    "high-blood-pressure",
    "heart-failure",
    "atrial-fibrillation",
    "asthma",
    "copd",
    "chronic-kidney-disease",
    "high-cholesterol",
    "depression",
    "anxiety",
    "osteoarthritis",
    "gerd",
    "hypothyroidism",
    "osteoporosis",
    "sleep-apnea",
    "obesity",
    "urinary-tract-infection",
    "pneumonia",
    "influenza",
    "covid-19",
    "cellulitis",
    "heart-attack",
    "stroke",
    "sepsis",
    "low-blood-sugar",
    "insulin",
    "metformin",
    "warfarin",
    "doac-blood-thinners",
    "opioids",
    "antibiotics",
    "statins",
    "ace-inhibitors",
    "diuretics",
    "wound-care-after-surgery",
    "colonoscopy-preparation",
    "fall-prevention",
    "quitting-smoking",
    "taking-medicines-as-prescribed",
}


def _load(path: Path) -> tuple[dict[str, object], Document]:
    raw = path.read_text(encoding="utf-8")
    meta, _ = split_front_matter(raw, path)
    return meta, parse_markdown(raw, path)


def test_the_knowledge_base_covers_the_required_topics() -> None:
    assert len(FILES) >= 40
    assert {p.stem for p in FILES} >= REQUIRED_TOPICS


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_front_matter_is_complete(path: Path) -> None:
    meta, doc = _load(path)
    assert set(meta) >= REQUIRED, f"missing: {REQUIRED - set(meta)}"
    assert doc.doc_id == path.stem
    assert doc.language == "en"
    assert doc.summary.strip()
    assert len(str(meta["last_reviewed"])) == 10


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_sources_are_public_domain_pages(path: Path) -> None:
    _, doc = _load(path)
    assert doc.sources, "every document cites at least one source"
    for src in doc.sources:
        host = urlparse(src.url).hostname or ""
        assert src.url.startswith("https://"), src.url
        assert host.endswith(PUBLIC_DOMAIN_HOSTS), f"{src.url} is not an NIH/CDC/MedlinePlus page"
        assert src.publisher.strip()


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_same_sections_in_the_same_order(path: Path) -> None:
    _, doc = _load(path)
    assert [s.title for s in doc.sections] == SECTIONS


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_written_at_or_below_grade_6(path: Path) -> None:
    _, body = split_front_matter(path.read_text(encoding="utf-8"), path)
    grade = fk_grade(markdown_to_prose(body))
    assert grade <= 6.0, f"{path.name} reads at grade {grade:.1f}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_icd10_codes_are_valid_and_drugs_are_mentioned(path: Path) -> None:
    _, doc = _load(path)
    for code in doc.icd10:
        assert icd.is_valid_item(code), f"{code} is not an ICD-10-CM code"
    text = " ".join(s.text for s in doc.sections).lower()
    for drug in doc.drugs:
        assert drug.lower() in text, f"front matter lists {drug} but the text never mentions it"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_emergency_section_sends_people_to_emergency_care(path: Path) -> None:
    _, doc = _load(path)
    emergency = doc.sections[-1].text
    assert "911" in emergency or "988" in emergency


def test_markdown_to_prose_scores_bullets_as_sentences() -> None:
    prose = markdown_to_prose("## Heading\n- Take it with food\n- **Call** [us](https://x) [1]")
    assert prose == "Take it with food. Call us."
