"""Finding PHI in notes: what Presidio missed, and clinical words it must leave alone."""

from __future__ import annotations

import itertools
import socket
import time

import pytest

from careexplain.phi.deidentifier import Deidentifier, build_analyzer
from careexplain.phi.models import PhiType

NOTE = (
    "CARDIOLOGY CLINIC NOTE\n"
    "Harborview Heart Institute\n"
    "Patient: Augusta Pemberton-Lowe   MRN: HHI-0048213   DOB: 03/09/1931\n"
    "Date of service: 11/20/2025   Acct #: HHI-ACCT-7730215\n"
    "Address: 4418 Juniper Hollow Road, Apt 7, Dunmore, PA 18512\n"
    "Phone (570) 555-0182, email augusta.pl@kestrelmail.example.com\n"
    "Portal: https://portal.harborviewheart.example.org/pt/HHI-0048213\n\n"
    "HPI: Ms. Pemberton-Lowe is a 94-year-old woman with AF, admitted on Oct 2, 2025 for "
    "CHF. Her son Bartholomew lives in Scranton. SSN 218-44-9031. Seen by Dr. Ilse Marchetti.\n"
    "Medicare ID: 3RT5-KP1-WW82\n"
)
EXPECTED = {
    ("Harborview Heart Institute", PhiType.LOCATION),
    ("Augusta Pemberton-Lowe", PhiType.NAME),
    ("HHI-0048213", PhiType.MRN),
    ("03/09/1931", PhiType.DATE),
    ("11/20/2025", PhiType.DATE),
    ("HHI-ACCT-7730215", PhiType.ID),
    ("4418 Juniper Hollow Road, Apt 7, Dunmore, PA 18512", PhiType.ADDRESS),
    ("(570) 555-0182", PhiType.PHONE),
    ("augusta.pl@kestrelmail.example.com", PhiType.EMAIL),
    ("https://portal.harborviewheart.example.org/pt/HHI-0048213", PhiType.URL),
    ("Pemberton-Lowe", PhiType.NAME),
    ("94", PhiType.AGE_OVER_89),
    ("Oct 2, 2025", PhiType.DATE),
    ("Bartholomew", PhiType.NAME),
    ("Scranton", PhiType.LOCATION),
    ("218-44-9031", PhiType.ID),
    ("Ilse Marchetti", PhiType.NAME),
    ("3RT5-KP1-WW82", PhiType.ID),
}

CLINICAL = (
    "Seen in the ED for chest pain. Metformin 500 mg PO BID, lisinopril 10 mg PO daily, "
    "furosemide 40 mg IV BID, insulin glargine 20 units at bedtime. Hemoglobin A1c 7.9%. "
    "BP 158/92, HR 88, RR 18, SpO2 95% on RA. History of Parkinson disease, Crohn's disease and "
    "Bell's palsy. Troponin negative. Lasix stopped. Pain 4/10. Strength 5/5 bilaterally. "
    "Warfarin 5 mg; INR 2.3. Sodium 134, K 4.1, Cr 1.2. Eliquis. Zofran PRN nausea. "
    "Valsalva maneuver without relief. Cheyne-Stokes breathing noted.\n"
    "ROS: negative. Assessment: CHF. Labs: CBC, BMP. MoCA 24/30. Gen: NAD. Dispo: home.\n"
    "A 67-year-old man; 89 yo aunt. Took 2000 mg acetaminophen. Received pt at 1900: stable.\n"
)


def found(deidentifier: Deidentifier, text: str) -> set[tuple[str, PhiType]]:
    return {(text[s.start : s.end], s.type) for s in deidentifier.analyze(text)}


def test_finds_every_kind_of_phi_with_its_type(deidentifier: Deidentifier) -> None:
    spans = found(deidentifier, NOTE)
    assert spans >= EXPECTED, sorted(EXPECTED - spans)


def test_spans_are_ordered_without_overlap_and_never_carry_text(
    deidentifier: Deidentifier,
) -> None:
    spans = deidentifier.analyze(NOTE)
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))
    assert all(s.recognizer and s.recognizer not in NOTE for s in spans)


def test_clinical_words_are_not_phi(deidentifier: Deidentifier) -> None:
    assert found(deidentifier, CLINICAL) == set()


@pytest.mark.parametrize(
    ("text", "age_phi"),
    [
        ("A 90-year-old woman.", True),
        ("Age: 101   Sex: M", True),
        ("a 96 y/o man", True),
        ("An 89-year-old woman.", False),
        ("Age: 45", False),
    ],
)
def test_only_ages_over_89_are_phi(deidentifier: Deidentifier, text: str, age_phi: bool) -> None:
    types = {s.type for s in deidentifier.analyze(text)}
    assert (PhiType.AGE_OVER_89 in types) is age_phi


@pytest.mark.parametrize(
    "date",
    [
        "3/14/2024",
        "1/9/24",
        "2024-03-14",
        "14-Mar-2024",
        "March 14, 2024",
        "Tuesday, April 14, 2026",
        "Sept 2024",
        "5.9.2025",
        "07-22-1956",
        "2 February 2026",
    ],
)
def test_date_layouts(deidentifier: Deidentifier, date: str) -> None:
    text = f"Seen on {date} in clinic."
    assert (date, PhiType.DATE) in found(deidentifier, text)


def test_empty_text_has_no_phi(deidentifier: Deidentifier) -> None:
    assert deidentifier.analyze("   \n") == []


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_loads_and_runs_offline(no_network: None) -> None:
    analyzer = build_analyzer()
    results = analyzer.analyze("Mail jo@corvid.example.com or see https://x.example.org/a", "en")
    assert {r.entity_type for r in results} >= {"EMAIL_ADDRESS", "URL"}


def test_bare_domains_are_urls_but_email_domains_are_not(deidentifier: Deidentifier) -> None:
    text = "Results at mychart.lakeside.example.org/visit/12. Mail jo@corvid.example.com."
    assert found(deidentifier, text) == {
        ("mychart.lakeside.example.org/visit/12", PhiType.URL),
        ("jo@corvid.example.com", PhiType.EMAIL),
    }


@pytest.mark.parametrize("junk", ["a." * 5000, "ABCD-1234-" * 1000, "Aaaa Bbbb " * 1000])
def test_pathological_input_is_fast(deidentifier: Deidentifier, junk: str) -> None:
    # Presidio's stock URL pattern took over 40 s on 10 kB of "a.a.a."; ours are linear.
    started = time.perf_counter()
    deidentifier.analyze(junk)
    assert time.perf_counter() - started < 15
