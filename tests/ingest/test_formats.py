"""Readers for each ingest format, including their error messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from careexplain.errors import DocumentFormatError, UnknownFormatError
from careexplain.ingest.formats import detect_format, read_documents
from careexplain.ingest.formats.html import parse_html
from careexplain.ingest.formats.markdown import parse_markdown
from careexplain.ingest.formats.medquad import clean_answer, read_medquad
from tests.helpers import GUIDANCE, shared_data, write_doc

MEDQUAD_XML = """<?xml version="1.0" encoding="UTF-8"?>
<Document id="0000042" source="NIHSeniorHealth" url="http://nihseniorhealth.gov/glaucoma/">
<Focus>Glaucoma</Focus>
<QAPairs>
  <QAPair pid="1">
    <Question qid="0000042-1" qtype="information">What is (are) Glaucoma ?</Question>
    <Answer>Glaucoma is a group of diseases that can damage the eye's optic nerve.
        - It can cause vision loss.    - It often has no early symptoms.</Answer>
  </QAPair>
  <QAPair pid="2">
    <Question qid="0000042-2" qtype="symptoms">What are the symptoms of Glaucoma ?</Question>
    <Answer></Answer>
  </QAPair>
</QAPairs>
</Document>
"""


def test_markdown_front_matter_and_sections(tmp_path: Path) -> None:
    path = write_doc(
        tmp_path, "flu-shot", "## What it is\nA flu shot.\n\n## What you can do\nGet one."
    )
    (doc,) = read_documents(path, "md")
    assert doc.doc_id == "flu-shot"
    assert [s.title for s in doc.sections] == ["What it is", "What you can do"]
    assert doc.sources[0].publisher == "MedlinePlus"
    assert doc.icd10 == ["E11.9"]


def test_markdown_without_front_matter_uses_file_name(tmp_path: Path) -> None:
    doc = parse_markdown("# Sleep tips\n\nGo to bed at the same time.", tmp_path / "sleep.md")
    assert (doc.doc_id, doc.title) == ("sleep", "Sleep tips")
    assert doc.sections[0].text == "Go to bed at the same time."


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("---\nid: [unclosed\n---\n# T\n\ntext", "not valid YAML"),
        ("---\n- a\n- b\n---\n# T\n\ntext", "must be a mapping"),
        ("---\nid: x\n---\n   \n", "has no text"),
        ("---\nid: x\nsources: 5\n---\n# T\n\ntext", "'sources' must be a list"),
    ],
)
def test_markdown_errors_name_the_problem(tmp_path: Path, raw: str, problem: str) -> None:
    with pytest.raises(DocumentFormatError, match=problem) as info:
        parse_markdown(raw, tmp_path / "bad.md")
    assert str(info.value).startswith("[E201]")
    assert "bad.md" in str(info.value)


def test_duplicate_document_ids_are_refused(tmp_path: Path) -> None:
    write_doc(tmp_path / "a", "same-id", "## What it is\nOne.")
    write_doc(tmp_path / "b", "same-id", "## What it is\nTwo.")
    with pytest.raises(DocumentFormatError, match="appears in both"):
        list(read_documents(tmp_path, "md"))


def test_medquad_pairs_become_documents_with_metadata(tmp_path: Path) -> None:
    path = tmp_path / "5_Test_QA" / "0000042.xml"
    path.parent.mkdir()
    path.write_text(MEDQUAD_XML, encoding="utf-8")
    docs = list(read_medquad(path))
    assert len(docs) == 1, "the pair without an answer is skipped"
    doc = docs[0]
    assert doc.doc_id == "5_Test_QA/0000042#1"
    assert doc.title == "Glaucoma"
    assert doc.sections[0].title == "What it is"
    assert doc.extra["qtype"] == "information"
    assert doc.extra["question"] == "What is (are) Glaucoma ?"
    assert doc.sources[0].publisher == "NIHSeniorHealth"
    assert doc.source_url == "http://nihseniorhealth.gov/glaucoma/"
    assert "\n- It can cause vision loss." in doc.sections[0].text


def test_clean_answer_collapses_indentation() -> None:
    assert clean_answer("Key Points\n        - One.    - Two.") == "Key Points\n- One.\n- Two."


def test_medquad_rejects_other_xml(tmp_path: Path) -> None:
    path = tmp_path / "x.xml"
    path.write_text("<rss><channel/></rss>", encoding="utf-8")
    with pytest.raises(
        DocumentFormatError, match="expected a MedQuAD <Document> root, found <rss>"
    ):
        list(read_medquad(path))
    path.write_text("<Document><oops", encoding="utf-8")
    with pytest.raises(DocumentFormatError, match="not well-formed XML"):
        list(read_medquad(path))


@pytest.mark.data
def test_real_medquad_collection_matches_the_derived_pairs() -> None:
    folder = shared_data("medquad", "9_CDC_QA")
    derived = [
        json.loads(line)
        for line in shared_data("medquad", "derived_medquad_answered.jsonl").open()
        if line.startswith('{"id": "9_CDC_QA/')
    ]
    docs = list(read_documents(folder, "medquad"))
    assert len(docs) == len(derived) == 270
    # Matched on (question, answer start): the derived file ids one layout as "None#n".
    ours = {(d.extra["question"], d.sections[0].text[:60]): d for d in docs}
    for pair in derived:
        doc = ours[(pair["question"].strip(), clean_answer(pair["answer"])[:60])]
        assert doc.extra["qtype"] == pair["qtype"]
        assert doc.source_url == pair["url"]
        assert doc.title == (pair["focus"] or pair["question"]).strip()


def test_text_and_html_readers(tmp_path: Path) -> None:
    txt = tmp_path / "note.txt"
    txt.write_bytes("Hand washing\n\nWash your hands for 20 seconds. Caf\xe9.".encode("latin-1"))
    (doc,) = read_documents(txt, "text")
    assert doc.title == "Hand washing"
    assert "Café" in doc.sections[0].text
    html = parse_html(
        "<html><head><title>T</title><link rel='canonical' href='https://www.cdc.gov/x'></head>"
        "<body><nav>menu</nav><h1>Flu</h1><p>Intro.</p><h2>Prevent it</h2><ul><li>Get a shot."
        "</li></ul><script>x()</script></body></html>",
        tmp_path / "flu.html",
    )
    assert html.title == "Flu"
    assert [s.title for s in html.sections] == ["Overview", "Prevent it"]
    assert html.sections[1].text == "- Get a shot."
    assert html.source_url == "https://www.cdc.gov/x"
    assert "menu" not in str(html.sections)


def test_format_detection(tmp_path: Path) -> None:
    assert detect_format(GUIDANCE) == "md"
    (tmp_path / "a.bin").write_bytes(b"\0")
    with pytest.raises(UnknownFormatError, match="--format"):
        detect_format(tmp_path)
    with pytest.raises(UnknownFormatError, match="Unknown format 'pdf'"):
        list(read_documents(GUIDANCE, "pdf"))
