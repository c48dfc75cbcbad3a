"""Regular expressions for PHI that Presidio's stock recognisers miss or find poorly."""

from __future__ import annotations

import re
from dataclasses import dataclass

from careexplain.phi.models import PhiType

# Letters of names, including accented ones ("Domínguez", "Zoë").
_UP = "A-Z\u00c0-\u00d6\u00d8-\u00de"
_LO = "a-z\u00df-\u00f6\u00f8-\u00ff"
NAME_WORD = rf"[{_UP}][{_LO}]+(?:[-'\u2019][{_UP}]?[{_LO}]+)*"
INITIAL = rf"[{_UP}]\."
# Up to four name words or initials separated by single spaces ("Harold J. Whitcomb").
PERSON = rf"(?:{INITIAL} )?{NAME_WORD}(?: (?:{INITIAL}|{NAME_WORD})){{0,3}}"
# "Beaumont, Cyril A." — surname first, as registration systems print it.
PERSON_SURNAME_FIRST = rf"{NAME_WORD}, {NAME_WORD}(?: {INITIAL})?"

TITLE = r"(?:(?:Dr|Mr|Mrs|Ms|Miss|Mx|Prof)\.? )"
MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
MONTH_FULL = (
    r"(?:January|February|March|April|June|July|August|September|October|November|December)"
)
DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?:19|20)\d{2}"
WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,? )"
NUM_M = r"(?:1[0-2]|0?[1-9])"
NUM_D = r"(?:3[01]|[12]\d|0?[1-9])"
NUMERIC_DATE = rf"{NUM_M}([/.-]){NUM_D}\1(?:{YEAR}|\d{{2}})"
# Units after a number mean it is a measurement, not a date or an id.
UNIT_AFTER = (
    r"(?!\s*(?:mg|mcg|g|kg|mL|ml|L|units?|IU|%|mmHg|cc|kcal|mEq|mmol|minutes|min|hours|h)\b)"
)
DATE_CONTEXT = (
    r"(?:on|since|until|till|from|through|thru|by|starting|started|ends|ended|dated|due|before|"
    r"after|of|DOS|date|visit|seen|last|next|done|in|(?:\w+ )?(?:date|Date)):?"
)

FACILITY_WORDS = (
    r"(?:Hospital|Clinic|Center|Centre|Pharmacy|Health|Healthcare|Associates|Medicine|Care|"
    r"Group|Institute|Living|Village|Practice|Specialists|Pediatrics|Imaging|Association|"
    r"Hospice|Rheumatology|Counseling|Facility|Gastroenterology|Orthopedics|Cardiology|"
    r"Services|Partners|Manor|Residence|Rehabilitation|Rehab|Laboratory|Labs|Surgery|Dialysis|"
    r"Oncology|Urgent Care|Medical Group|Nursing Home|Behavioral Health|Infirmary|Sanatorium)"
)
_FAC_TOKEN = rf"(?:St\.|{NAME_WORD}(?:'s)?|&|of the|of|and)"
FACILITY = (
    rf"(?:{NAME_WORD}(?:'s)?|St\.)(?: {_FAC_TOKEN}){{0,6}} {FACILITY_WORDS}(?: of the {NAME_WORD})?"
)

STREET_SUFFIX = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Drive|Dr|Lane|Ln|Court|Ct|Way|Parkway|"
    r"Pkwy|Trail|Trl|Place|Pl|Circle|Cir|Terrace|Ter|Highway|Hwy|Square|Sq|Loop|Pike|Row|"
    r"Plaza|Crescent|Close)\.?"
)
STREET_PREFIX = r"(?:Calle|Avenida|Camino|Via|Rue)"
_STREET_NAME = rf"(?:{NAME_WORD}|\d+(?:st|nd|rd|th))(?: {NAME_WORD}){{0,3}}"
_UNIT = r"(?:,? (?:Unit|Apt\.?|Apartment|Suite|Ste\.?|#|Room|Rm\.?|Bldg\.?|Floor) ?[\w-]+)"
_CITY_STATE_ZIP = rf"{NAME_WORD}(?: {NAME_WORD}){{0,3}},? [A-Z]{{2}},? \d{{5}}(?:-\d{{4}})?"
ADDRESS = (
    rf"\b\d{{1,6}}[A-Z]? (?:(?:[NSEW]\.?|North|South|East|West) )?"
    rf"(?:{_STREET_NAME} {STREET_SUFFIX}|{STREET_PREFIX} {_STREET_NAME})"
    rf"{_UNIT}?(?:,? {_CITY_STATE_ZIP})?"
)

# Space-separated groups must be digits ("NSM 448 201 9937"), so "00482913 DOB" stays apart.
_ID_VALUE = r"(?=[A-Z0-9 -]*\d)[A-Z0-9]{1,8}(?:-[A-Z0-9]{2,}| \d{2,}){0,4}"
MRN_LABEL = (
    r"(?:MRN|MR ?#|MR No\.?|Med(?:ical)? Rec(?:ord)?\.?(?: No\.?| Number| #)?|"
    r"(?i:medical record)(?: number| no\.?| #)?|Chart ?(?:#|No\.?|number)|Patient ID|Pt ID|"
    r"Hospital (?:#|number)|Client ID|Resident ID|(?<=\n)ID)"
)
ID_LABEL = (
    r"(?:Acct\.?(?: #| No\.?)?|Account(?: number| no\.?| #)?|Accession(?: no\.?| #| number)?|"
    r"Member (?:ID|#|number|no\.?)|Medicare(?: ID| #| MBI| number)?|MBI|Medicaid(?: ID| #)?|"
    r"[Pp]olicy(?: #| number| no\.?)?|Insurance (?:ID|#|number)|[Ii]nsurance member number|"
    r"Subscriber (?:ID|#)|Group (?:#|number)|Statement (?:number|#)|Report ID|"
    r"[Gg]uarantor account|SSN|Social Security(?: number| #)?|License (?:#|number)|DEA ?#|"
    r"NPI|Encounter (?:#|ID)|Claim (?:#|number)|ID)"
)


@dataclass(frozen=True, slots=True)
class Rule:
    """A pattern whose group ``value`` (or the whole match) is PHI of ``type``."""

    name: str
    type: PhiType
    regex: re.Pattern[str]
    score: float


def _rule(name: str, phi: PhiType, pattern: str, score: float, flags: int = 0) -> Rule:
    return Rule(name, phi, re.compile(pattern, flags), score)


RULES: tuple[Rule, ...] = (
    # Dates: many layouts; bare m/d only with a date word before it (not "5/5 strength").
    _rule("date_month_name", PhiType.DATE, rf"\b{WEEKDAY}?{MONTH} {DAY},? {YEAR}\b", 0.95),
    _rule("date_day_month", PhiType.DATE, rf"\b{DAY}[ -]{MONTH}[ ,-]\s?{YEAR}\b", 0.95),
    _rule("date_month_year", PhiType.DATE, rf"\b{MONTH},? {YEAR}\b", 0.9),
    _rule("date_month_day", PhiType.DATE, rf"\b{MONTH} {DAY}\b(?![:\d])" + UNIT_AFTER, 0.8),
    _rule(
        "date_numeric",
        PhiType.DATE,
        rf"(?<![\d/.])(?:{NUM_M}/{NUM_D}-)?{NUMERIC_DATE}(?![\d/])",
        0.95,
    ),
    _rule("date_iso", PhiType.DATE, rf"\b{YEAR}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])\b", 0.95),
    _rule("date_month_slash_year", PhiType.DATE, rf"(?<![\d/.])(?:{NUM_M}/{YEAR})(?![\d/])", 0.85),
    _rule(
        "date_month_day_numeric",
        PhiType.DATE,
        rf"\b{DATE_CONTEXT} \(?(?P<value>{NUM_M}/{NUM_D})(?![\d/])" + UNIT_AFTER,
        0.75,
    ),
    _rule(
        "date_month_day_cell",
        PhiType.DATE,
        rf"(?:\| |\()(?P<value>{NUM_M}/{NUM_D})(?= ?(?:\||\)|$|\n))",
        0.7,
    ),
    _rule(
        "date_month_day_time",
        PhiType.DATE,
        rf"(?<![\d/.])(?P<value>{NUM_M}/{NUM_D})(?= (?:[01]\d|2[0-3])[0-5]\d\b| \d{{1,2}}:\d\d)",
        0.75,
    ),
    _rule(
        "date_year",
        PhiType.DATE,
        r"(?<![\d.,/$#-])\b(?:19[0-9]\d|20[0-4]\d)\b(?![\d/:-])" + UNIT_AFTER,
        0.7,
    ),
    _rule(
        "date_season", PhiType.DATE, rf"\b(?:spring|summer|fall|autumn|winter) {YEAR}\b", 0.9, re.I
    ),
    _rule(
        "date_bare_month",
        PhiType.DATE,
        r"\b(?:since|in|until|from|through|early|late|mid|last|this|next) "
        rf"(?P<value>{MONTH_FULL})\b",
        0.7,
    ),
    # Ages over 89 (HIPAA Safe Harbor); 89 and under are not PHI.
    _rule(
        "age_over_89",
        PhiType.AGE_OVER_89,
        r"\b(?P<value>9\d|1[0-4]\d)(?=(?:-| )?(?:years?|yrs?|y/?o|yo)\b)",
        0.95,
        re.I,
    ),
    _rule(
        "age_label_over_89",
        PhiType.AGE_OVER_89,
        r"\b(?:age(?:/sex)?|aged)\s*[:#]?\s*(?P<value>9\d|1[0-4]\d)\b(?!\s*(?:%|mg|kg|/))",
        0.95,
        re.I,
    ),
    _rule("address", PhiType.ADDRESS, ADDRESS, 0.9),
    _rule(
        "address_city_state_zip",
        PhiType.ADDRESS,
        rf"(?:^|\n)(?P<value>{_CITY_STATE_ZIP})\b",
        0.85,
    ),
    _rule("mrn_label", PhiType.MRN, rf"\b{MRN_LABEL}\s*[:#.]?\s*(?P<value>{_ID_VALUE})\b", 0.95),
    _rule(
        "id_label",
        PhiType.ID,
        rf"\b{ID_LABEL}\s*[:#.]?\s*(?:(?:is|on file)\s*:?\s*)?(?P<value>{_ID_VALUE})\b",
        0.9,
    ),
    _rule("ssn", PhiType.ID, r"(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])", 0.9),
    # Id-shaped tokens anywhere: letters and 4+ digits with hyphens, or long digit runs.
    _rule(
        "id_shape",
        PhiType.ID,
        r"\b(?=[A-Z0-9-]*\d{4})(?=[A-Z0-9-]*[A-Z])[A-Z0-9]{1,8}(?:-[A-Z0-9]+)+\b"
        r"|\b[A-Z]{2,5}\d{6,}\b|(?<![\d.,-])\b\d{7,}\b(?![.,]\d)",
        0.6,
    ),
    _rule(
        "phone",
        PhiType.PHONE,
        r"(?<![\w-])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?![\d-])"
        r"(?:\s?(?:x|ext\.?)\s?\d{1,5})?",
        0.85,
    ),
    # Possessive runs that start only where a run starts: linear time on "a.a.a.…" input.
    _rule("email", PhiType.EMAIL, r"(?<![\w.+-])[\w.+-]++@[\w-]++(?:\.[\w-]++)+", 0.95),
    _rule("url", PhiType.URL, r"\b(?:https?://|www\.)[^\s<>\"')\]]+[^\s<>\"').,;:\]]", 0.95),
    # Bare domains ("mychart.lakeside.example.org/visit/12"); not inside an email address.
    _rule(
        "url_domain",
        PhiType.URL,
        r"(?<![\w.@/-])(?:[a-z0-9-]++\.)++(?:com|org|net|gov|edu|io|us|info|health|care)\b"
        r"(?![.@-]?\w)(?:/[^\s<>\"')\]]*[^\s<>\"').,;:\]])?",
        0.85,
    ),
    # Towns after words that introduce a place ("lives in Chandler").
    _rule(
        "place_context",
        PhiType.LOCATION,
        r"\b(?:[Ll]ives in|[Ll]iving in|[Mm]oved (?:here )?from|[Tt]raveled (?:to|outside|from)|"
        r"[Tt]ravel(?:ed)? to|[Vv]isiting|[Hh]ome in|[Ll]ocated (?:at home )?in|[Rr]elocated from|"
        rf"[Bb]orn in|[Ww]orks in|outside of|outside)\s+(?P<value>{NAME_WORD}(?: {NAME_WORD})?)",
        0.7,
    ),
    # Facilities, named as such ("Riverbend General Hospital", "Northpoint Counseling").
    _rule("facility", PhiType.LOCATION, rf"\b{FACILITY}\b", 0.8),
    # Names after a title or a label, and before a credential.
    _rule(
        "name_title",
        PhiType.NAME,
        rf"\b(?:Dr|Mr|Mrs|Ms|Miss|Mx|Prof)\.? (?P<value>{PERSON})",
        0.9,
    ),
    _rule(
        "name_label",
        PhiType.NAME,
        r"(?:^|\n|\s{2})(?:Patient(?: [Nn]ame)?|Pt|Name|Client|Resident|Caller|Attending"
        r"(?: [Pp]hysician)?|Surgeon|Assistant|Anesthesia|Referring(?: [Pp]hysician)?|PCP|"
        r"Clinician|Triage RN|RN|Spoke with|Dictated by|Signed|Electronically signed(?: by)?|"
        r"Re|Contact|Responsible party|Guarantor|Caregiver|Provider|Seen by|Reviewed by|"
        r"Therapist|Nurse|Physician|Emergency contact|Parent|Guardian|Mother|Father|"
        r"Accompanied by(?: \w+)?|Proxy|Requested by|Ordering|From|To)\s*[:#]?\s*"
        rf"{TITLE}?(?P<value>{PERSON_SURNAME_FIRST}|{PERSON})",
        0.85,
    ),
    _rule(
        "name_relative",
        PhiType.NAME,
        r"\b(?:[Ww]ife|[Hh]usband|[Ss]on|[Dd]aughter|[Mm]other|[Ff]ather|[Bb]rother|[Ss]ister|"
        r"[Ss]pouse|[Pp]artner|[Gg]randson|[Gg]randdaughter|[Nn]iece|[Nn]ephew|[Pp]roxy|"
        r"[Cc]aregiver|[Ff]riend|[Nn]eighbor|[Gg]uardian|[Aa]unt|[Uu]ncle|[Cc]ousin|[Nn]urse|"
        r"[Tt]win|[Ss]tepson|[Ss]tepdaughter|[Gg]irlfriend|[Bb]oyfriend|[Pp]astor|[Cc]haplain|[Rr]abbi|"
        r"[Ii]mam|[Ff]ather|[Ss]ocial worker|[Cc]ase manager|[Ii]nterpreter|[Rr]oommate|"
        rf"[Ff]ianc[e\u00e9]e?)(?:-in-law)?\s+(?:\([^)]{{1,30}}\)\s+)?{TITLE}?(?P<value>{PERSON})",
        0.8,
    ),
    _rule(
        "name_greeting",
        PhiType.NAME,
        r"\b(?:Dear|Hi|Hello|Thanks|Thank you|Sincerely|Regards)[,!]?\s+"
        rf"{TITLE}?(?P<value>{PERSON})",
        0.8,
    ),
    _rule(
        "name_after_credential",
        PhiType.NAME,
        rf"\b(?:RN|CNM|LPN|CNA|NP|MD|DO|PharmD):? (?P<value>{PERSON})",
        0.75,
    ),
    _rule(
        "name_credential",
        PhiType.NAME,
        rf"(?P<value>{PERSON}),? (?:MD|DO|RN|NP|PA-C|PharmD|DPT|PMHNP|LCSW|CNM|PhD|"
        r"MSN|BSN|FNP|APRN|LPN|CNA|RRT|DNP|MSW|LPC|LMFT|PsyD|DDS|DMD)\b(?!\s*[a-z:])",
        0.85,
    ),
)
