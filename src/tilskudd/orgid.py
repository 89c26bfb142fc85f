"""Organisation identifiers of other registers, in org-id.guide's form (``GB-CHC-1234567``):
what one is, and how two are compared (:func:`organisation_key`). Kept apart from
:mod:`tilskudd.registry`, which loads the municipality registers, so that every comparison of
organisations can use it at no cost of start-up."""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = [
    "COUNTRY_CODES",
    "ORG_ID_FORM",
    "ORG_ID_REGIONS",
    "is_org_id",
    "is_orgnr_key",
    "org_id_country",
    "org_id_published",
    "organisation_key",
    "spaced_org_id",
    "without_leading_zeros",
]

_ISO_3166 = """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR
    BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ
    EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW
    GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY
    KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV
    MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY
    QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG
    TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM
    ZW
"""
COUNTRY_CODES: frozenset[str] = frozenset(_ISO_3166.split())
"""ISO 3166-1 alpha-2 (its 249 countries, as python-stdnum's ``isin`` lists them, without the
withdrawn AN and CS): the countries an org-id.guide list code may begin with."""

ORG_ID_REGIONS: frozenset[str] = frozenset({"XI", "XM", "XR", "ZZ"})
"""org-id.guide's codes for lists of more than one country: international, multilateral agencies,
a region, a list a publisher made; they name no country."""

ORG_ID_FORM = re.compile(
    r"(?P<country>[A-Z]{2})(?:_[A-Z0-9]{1,3})?"
    r"-(?P<list>[A-Z]{2,}[0-9]*(?:_[A-Z]{2,}[0-9]*)*)"
    r"-(?P<id>\S+)"
)
"""An identifier in org-id.guide's form: a jurisdiction (a country, maybe with its subdivision,
``CA_BC``), the code of a list in it (letters, maybe digits after them, two languages joined by
``_``: ``CHC``, ``DIR3``, ``CRA_ACR``) and the identifier in that list: ``GB-CHC-1234567``,
``GB-COH-01234567``, ``XM-DAC-41114``. :func:`is_org_id` also checks the country."""


def is_org_id(text: str) -> bool:
    """``text`` is an organisation identifier in org-id.guide's form, its country a real one
    (ISO 3166-1) or one of the guide's codes for several (``XI``, ``XM``, ``XR``, ``ZZ``):
    ``GB-CHC-1234567`` is, a grant code such as ``SP-G16-A07-03`` is not (no country SP, no
    list G16)."""
    found = ORG_ID_FORM.fullmatch(text)
    return found is not None and (
        found["country"] in COUNTRY_CODES or found["country"] in ORG_ID_REGIONS
    )


def org_id_country(text: str) -> str | None:
    """The ISO 3166-1 country of an org-id (``GB-CHC-1234567`` -> ``GB``), or None for one that
    names no country (``XM-DAC-41114``) or is no org-id."""
    found = ORG_ID_FORM.fullmatch(text)
    if found is None or found["country"] not in COUNTRY_CODES:
        return None
    return str(found["country"])


_SPACED_ORG_ID = re.compile(
    r"(?P<country>[A-Za-z]{2}(?:_[A-Za-z0-9]{1,3})?)\s*[-\s]\s*"
    r"(?P<list>[A-Za-z]{2,}[0-9]*(?:_[A-Za-z]{2,}[0-9]*)*)\s*[-\s]\s*(?P<id>\S(?:.*\S)?)",
    re.DOTALL,
)


def is_orgnr_key(text: str) -> bool:
    """Whether an organisation as compared (:func:`organisation_key`) is a Norwegian
    organisation number: nine ASCII digits."""
    return len(text) == 9 and text.isascii() and text.isdigit()


@lru_cache(maxsize=65_536)
def organisation_key(text: str) -> str:
    """An organisation's identifier as every comparison takes it (``per_applicant_max`` in a
    round and across rounds, the same project twice, ``history``, amendments); what the input
    gave is kept for display.

    Nine digits are an organisation number, as they are. An identifier in org-id.guide's form
    is compared without case: ``gb-chc-1234567`` is ``GB-CHC-1234567``, the key being the
    identifier in capitals. The guide writes its list codes in capitals, and the lists grant
    data uses most (``GB-CHC``, ``GB-COH``, ``GB-SC``, ``GB-NIC``, ``GB-EDU``, ``US-EIN``,
    ``NL-KVK``) give numbers, or codes in capitals (Companies House's ``SC123456``), that their
    registers do not tell apart by case; find-that-charity, too, puts a registration number in
    capitals before it makes an org-id of it. (A list whose identifiers did differ by case
    alone would have two of its organisations counted as one here.) ``NO-BRC-<orgnr>`` (the
    Brønnøysund register's) is that organisation number. A Companies House number
    (``GB-COH-``) is eight characters, an English or Welsh company's digits led by zeros
    (``01234567``); written with fewer digits (``GB-COH-1234567``, as a spreadsheet shows the
    number 01234567) it lost them, and is that company: ``GB-COH-01234567``. Other lists do
    not pad their numbers to a length, so a leading zero may tell two of their identifiers
    apart: compared as given (:func:`without_leading_zeros` finds them for a warning). Anything
    else is a publisher's own code (``E5104X``, ``360G-xyz-ORG12``) whose scheme tilskudd does
    not know: compared as given, as ``Abc1`` and ``ABC1`` may be two organisations there."""
    if is_orgnr_key(text):
        return text
    upper = text.upper()
    found = ORG_ID_FORM.fullmatch(upper)
    if found is None or (
        found["country"] not in COUNTRY_CODES and found["country"] not in ORG_ID_REGIONS
    ):
        return text
    if found["country"] == "NO" and found["list"] == "BRC":
        number = found["id"]
        if is_orgnr_key(number):
            return number
    if upper.startswith("GB-COH-"):
        number = upper[len("GB-COH-") :]
        if number.isascii() and number.isdigit() and len(number) < _COMPANY_NUMBER_LENGTH:
            return f"GB-COH-{number.zfill(_COMPANY_NUMBER_LENGTH)}"
    return upper


_COMPANY_NUMBER_LENGTH = 8  # Companies House: 01234567, SC123456, NI012345


def without_leading_zeros(text: str) -> str | None:
    """``text`` as compared (:func:`organisation_key`) with the leading zeros of its number
    taken away (``GB-CHC-01234567`` -> ``GB-CHC-1234567``, ``00123`` -> ``123``), for finding
    identifiers that differ only in them; None for one whose number has none, or that has no
    number of digits alone (``E5104X``)."""
    key = organisation_key(text)
    found = ORG_ID_FORM.fullmatch(key)
    start = found.start("id") if found is not None else 0
    number = key[start:]
    if not (number.isascii() and number.isdigit()) or number[:1] != "0":
        return None
    return key[:start] + (number.lstrip("0") or "0")


def spaced_org_id(text: str) -> str | None:
    """``text`` read as an identifier in org-id.guide's form written with spaces in it
    (``GB-CHC 1234567``, ``GB CHC-1234567``, ``GB-CHC-123 4567``): the identifier without them
    where that is certain (the spaces only stand for the hyphens between its parts), else "";
    None for text that is no such identifier (``GB-CHC-1234567``, ``NY PCC``, ``GB 108260441``).
    An identifier has no spaces, and tilskudd does not guess which organisation one with
    spaces means: ``GB-CHC-123 4567`` may be ``GB-CHC-123`` and a note."""
    text = text.strip()
    if not any(ch.isspace() for ch in text):
        return None
    found = _SPACED_ORG_ID.fullmatch(text)
    if found is None:
        return None
    country = found["country"].upper()
    if country[:2] not in COUNTRY_CODES and country[:2] not in ORG_ID_REGIONS:
        return None
    if any(ch.isspace() for ch in found["id"]):
        return ""
    joined = f"{country}-{found['list'].upper()}-{found['id']}"
    return joined if is_org_id(joined.upper()) else None


def org_id_published(text: str) -> str | None:
    """An identifier in org-id.guide's form, in any case, as it is published: its prefix (the
    country and the list) in capitals as the guide writes them, the identifier in the list as
    given, which its register may write in small letters (``xi-ror-03yrm5c26`` ->
    ``XI-ROR-03yrm5c26``); None for text in no such form."""
    text = text.strip()
    found = ORG_ID_FORM.fullmatch(text.upper())
    if found is None or not is_org_id(text.upper()):
        return None
    start = found.start("id")
    return text[:start].upper() + text[start:]
