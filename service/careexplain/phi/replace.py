"""Replacing PHI spans: redaction, type tags, or consistent fake values per note."""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from faker import Faker

from careexplain.phi.models import DeidentifiedText, DeidMode, PhiSpan, PhiType, Replacement

REDACTED = "[REDACTED]"
# Day-first and month-first layouts the date recogniser finds; the fake keeps the layout.
_DATE_FORMATS = (
    "%m/%d/%Y",
    "%m/%d/%y",
    "%m-%d-%Y",
    "%m.%d.%Y",
    "%Y-%m-%d",
    "%B %d, %Y",
    "%b %d, %Y",
    "%b. %d, %Y",
    "%B %d %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%d-%b-%Y",
    "%B %Y",
    "%b %Y",
    "%m/%Y",
    "%Y",
)
_ORDINAL = re.compile(r"(?<=\d)(?:st|nd|rd|th)\b")
_TITLE_BEFORE = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|Miss|Mx|Prof)\.? $")
_FACILITY_TAIL = re.compile(r"\b(?:[A-Z][a-z]+ ){0,2}[A-Z][a-z]+$")


def replace_spans(text: str, spans: Sequence[PhiSpan], mode: DeidMode) -> DeidentifiedText:
    """Rebuild ``text`` with each span replaced, mapping old offsets to new ones."""
    faker = _Fakes(text) if mode is DeidMode.FAKE else None
    parts: list[str] = []
    replacements: list[Replacement] = []
    cursor = new_len = 0
    for span in sorted(spans, key=lambda s: s.start):
        if span.start < cursor:
            continue  # overlapping spans are resolved before this; never double-replace
        parts.append(text[cursor : span.start])
        new_len += span.start - cursor
        if mode is DeidMode.REDACT:
            value = REDACTED
        elif faker is not None:
            titled = bool(_TITLE_BEFORE.search(text[max(0, span.start - 6) : span.start]))
            value = faker.fake(span.type, text[span.start : span.end], titled)
        else:
            value = f"<{span.type.value}>"
        parts.append(value)
        replacements.append(
            Replacement(
                type=span.type,
                start=span.start,
                end=span.end,
                new_start=new_len,
                new_end=new_len + len(value),
                replacement=value,
            )
        )
        new_len += len(value)
        cursor = span.end
    parts.append(text[cursor:])
    return DeidentifiedText(text="".join(parts), mode=mode, replacements=replacements)


class _Fakes:
    """Fake values seeded by the note, so one note always gets the same fakes."""

    def __init__(self, text: str) -> None:
        seed = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")
        self.faker = Faker("en_US")
        self.faker.seed_instance(seed)
        self.rng = random.Random(seed)
        self.shift = timedelta(days=-self.rng.randint(30, 730))
        self.seen: dict[tuple[PhiType, str], str] = {}
        self.name_words: dict[str, str] = {}

    def fake(self, phi: PhiType, original: str, titled: bool = False) -> str:
        """The fake for ``original``; the same original always gets the same fake."""
        key = (phi, original.strip().lower())
        if key not in self.seen:
            self.seen[key] = self._make(phi, original, titled)
        return self.seen[key]

    def _make(self, phi: PhiType, original: str, titled: bool) -> str:
        f = self.faker
        if phi is PhiType.NAME:
            return self._name(original, titled)
        if phi is PhiType.DATE:
            return self._date(original)
        if phi is PhiType.AGE_OVER_89:
            return "90+"  # HIPAA Safe Harbor: ages over 89 become one group
        if phi is PhiType.EMAIL:
            return str(f.email(safe=True))
        if phi is PhiType.URL:
            return f"https://example.org/{f.uri_path()}"
        if phi is PhiType.ADDRESS:
            return str(f.address()).replace("\n", ", ")
        if phi is PhiType.LOCATION:
            tail = _FACILITY_TAIL.search(original)
            words = original.split()
            if len(words) > 1 and tail:
                return f"{f.last_name()} {words[-1]}"  # "Riverbend General Hospital" → "X Hospital"
            return str(f.city())
        if phi is PhiType.PHONE:
            return self._same_shape(original, keep_prefix=("555",))
        return self._same_shape(original)  # MRN, ID: same layout, other characters

    def _name(self, original: str, titled: bool) -> str:
        """Fake each word on its own, so "Mr. Whitcomb" matches "Harold J. Whitcomb"."""
        words = original.split()
        out: list[str] = []
        for i, word in enumerate(words):
            bare = word.rstrip(",.")
            if len(bare) <= 1:  # an initial
                out.append(self.faker.random_uppercase_letter() + word[len(bare) :])
                continue
            if bare not in self.name_words:
                # "Dr. Okafor" is a surname; a lone "Renee" is a first name.
                first = i == 0 and (len(words) > 1 or not titled) and "," not in original
                self.name_words[bare] = self.faker.first_name() if first else self.faker.last_name()
            out.append(self.name_words[bare] + word[len(bare) :])
        return " ".join(out)

    def _date(self, original: str) -> str:
        cleaned = _ORDINAL.sub("", original.strip()).replace("Sept", "Sep")
        for fmt in _DATE_FORMATS:
            try:
                parsed = datetime.strptime(cleaned, fmt).date()
            except ValueError:
                continue
            shifted = parsed + self.shift
            if fmt == "%Y":
                return str((date(parsed.year, 7, 1) + self.shift).year)
            out = shifted.strftime(fmt)
            # Keep "1/9/24" unpadded when the original was.
            return re.sub(r"\b0(\d)", r"\1", out) if not re.search(r"\b0\d", original) else out
        return self.faker.date(pattern="%m/%d/%Y")

    def _same_shape(self, original: str, keep_prefix: tuple[str, ...] = ()) -> str:
        chars = []
        for ch in original:
            if ch.isdigit():
                chars.append(str(self.rng.randint(0, 9)))
            elif ch.isalpha():
                chars.append(self.rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ"))
            else:
                chars.append(ch)
        out = "".join(chars)
        for prefix in keep_prefix:
            # Fake phone numbers use the 555 exchange reserved for fiction.
            digits = [i for i, ch in enumerate(out) if ch.isdigit()]
            if len(digits) >= 7:
                pos = digits[-7:-4]
                out_l = list(out)
                for idx, d in zip(pos, prefix, strict=True):
                    out_l[idx] = d
                out = "".join(out_l)
        return out
