"""Municipality and county registers (2009 and 2024 numbering) and organisation numbers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tilskudd.errors import UsageError
from tilskudd.registry import (
    OrgnrError,
    Register,
    RegistryError,
    get_register,
    is_org_id,
    is_plain_valid_orgnr,
    normalise_name,
    org_id_country,
    organisation_key,
    spaced_org_id,
    validate_orgnr,
)

R2024 = get_register("2024")
R2009 = get_register("2009")
R2020 = get_register("2020")


def error_of(register: Register, value: object, kind: str = "municipality") -> RegistryError:
    lookup = register.municipality if kind == "municipality" else register.county
    with pytest.raises(RegistryError) as info:
        lookup(value)  # type: ignore[arg-type]
    return info.value


# --- the data -------------------------------------------------------------------------------


def test_registers_hold_the_bundled_numberings() -> None:
    assert (len(R2009.municipalities), len(R2024.municipalities)) == (430, 357)
    assert (len(R2009.counties), len(R2024.counties)) == (19, 15)
    assert R2009.municipalities["0602"].name == "Drammen"
    assert R2024.municipalities["3301"].county_name == "Buskerud"


def test_get_register_is_cached_and_refuses_unknown_years() -> None:
    assert get_register("2024") is get_register("2024")
    with pytest.raises(UsageError, match="2019"):
        Register("2019")


@pytest.mark.parametrize("register", [R2009, R2020, R2024], ids=["2009", "2020", "2024"])
def test_full_names_stay_distinct_after_folding(register: Register) -> None:
    # Folding accents and "aa" must not make two municipalities' full names collide.
    folded = [normalise_name(m.name) for m in register.municipalities.values()]
    assert len(folded) == len(set(folded))


# --- municipalities by number ---------------------------------------------------------------


@pytest.mark.parametrize("value", ["0301", "301", 301, 301.0, Decimal("301"), " 0301 "])
def test_number_forms_find_oslo(value: object) -> None:
    assert R2024.municipality(value).name == "Oslo"  # type: ignore[arg-type]


def test_number_in_the_other_numbering_names_its_current_number() -> None:
    error = error_of(R2024, "0602")
    assert error.code == "municipality_number_moved"
    assert error.params["current"] == ["3301 Drammen"]
    assert error.params["other_register"] == "2009"
    assert "--register 2009" in str(error)

    back = error_of(R2009, "3301")
    assert back.code == "municipality_number_moved"
    assert back.params["current"] == ["0602 Drammen"]


def test_number_only_in_the_other_numbering_says_so() -> None:
    # 1543 Nesset was merged into Molde in 2020: no municipality of that name in 2024.
    error = error_of(R2024, "1543")
    assert error.code == "municipality_number_other_register"
    assert (error.params["number"], error.params["name"]) == ("1543", "Nesset")


@pytest.mark.parametrize("value", ["9998", "12345", "0", 1.5, -301, True])
def test_numbers_in_neither_numbering_are_unknown(value: object) -> None:
    assert error_of(R2024, value).code == "municipality_number_unknown"


def test_a_number_cell_with_a_fraction_is_no_place_though_its_whole_part_is() -> None:
    # 301.5 is not Oslo (0301), nor 3.5 Oslo county (03): a fraction is no number of a place.
    assert error_of(R2024, 301.5).code == "municipality_number_unknown"
    assert error_of(R2024, Decimal("301.5")).code == "municipality_number_unknown"
    assert error_of(R2024, 3.5, "county").code == "county_number_unknown"


# --- municipalities by name -----------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["Hábmer - Hamarøy", "Hamarøy", "Hábmer", "HAMAROY", "habmer", "Habmer-Hamaroy"]
)
def test_every_listed_form_of_a_name_is_found(name: str) -> None:
    assert R2024.municipality(name).number == "1875"


def test_qualified_names_are_found_and_bare_shared_names_are_ambiguous() -> None:
    assert R2024.municipality("Herøy (Nordland)").number == "1818"
    assert R2024.municipality("herøy (møre og romsdal)").number == "1515"
    error = error_of(R2024, "Herøy")
    assert error.code == "municipality_ambiguous"
    assert error.params["candidates"] == ["1515 Herøy (Møre og Romsdal)", "1818 Herøy (Nordland)"]


def test_ambiguity_depends_on_the_numbering() -> None:
    # "Nes" is two municipalities in 2009 and one in 2024.
    assert error_of(R2009, "Nes").params["candidates"] == [
        "0236 Nes (Akershus)",
        "0616 Nes (Buskerud)",
    ]
    assert R2024.municipality("Nes").number == "3228"


def test_a_soft_hyphen_or_zero_width_space_inside_a_name_is_not_part_of_it() -> None:
    assert R2024.municipality("Bæ\u00adrum").number == "3201"
    assert R2024.municipality("Lille\u200bstrøm").number == "3205"


@pytest.mark.parametrize("text", ["974760673\u200b", "\ufeff974 760 673", "974\u00ad760\u00ad673"])
def test_an_orgnr_with_invisible_characters_is_its_digits(text: str) -> None:
    assert validate_orgnr(text) == "974760673"


def test_a_name_with_its_county_in_brackets_is_found_when_the_county_is_its_own() -> None:
    # "Bærum (Akershus)" was an unknown municipality, and the row rejected: only names that
    # are ambiguous had their county in brackets in the register.
    assert R2024.municipality("Bærum (Akershus)").number == "3201"
    assert R2009.municipality("Bærum (Akershus)").number == "0219"
    assert R2024.municipality("Bergen (Vestland)").number == "4601"
    assert R2009.municipality("Bergen (Hordaland)").number == "1201"
    for wrong in ("Bærum (Buskerud)", "Bergen (Hordaland)"):
        assert error_of(R2024, wrong).code.startswith("municipality_unknown")


def test_suffix_kommune_and_old_spelling_aa_are_understood() -> None:
    assert R2024.municipality("Bergen kommune").number == "4601"
    assert R2024.municipality("Aalesund").name == "Ålesund"


def test_unknown_name_gets_did_you_mean() -> None:
    error = error_of(R2024, "Hamary")
    assert error.code == "municipality_unknown"
    assert 1 <= len(error.params["suggestions"]) <= 3
    assert "Hábmer - Hamarøy" in error.params["suggestions"]
    assert "did you mean" in str(error)


def test_unknown_name_without_anything_close() -> None:
    assert error_of(R2024, "Xqzzyvw").code == "municipality_unknown_nohint"


def test_name_only_in_the_other_numbering_says_so() -> None:
    error = error_of(R2024, "Nesset")
    assert error.code == "municipality_name_other_register"
    assert error.params["candidates"] == ["1543 Nesset"]
    later = error_of(R2009, "Senja")
    assert later.code == "municipality_name_other_register"
    assert later.params["candidates"] == ["5530 Senja"]


def test_number_with_name_is_checked_both_ways() -> None:
    assert R2024.municipality("0301 Oslo").number == "0301"
    assert R2024.municipality("Oslo (0301)").number == "0301"
    error = error_of(R2024, "1101 Oslo")
    assert error.code == "municipality_mismatch"
    assert (error.params["name"], error.params["given"]) == ("Eigersund", "Oslo")


# --- several per cell -----------------------------------------------------------------------


def numbers(register: Register, cell: object) -> list[str]:
    found, errors = register.find_municipalities(cell)
    assert errors == ()
    return [m.number for m in found]


@pytest.mark.parametrize(
    "cell",
    [
        "Oslo, Bergen",
        "Oslo; Bergen",
        "Oslo\nBergen",
        "Oslo og Bergen",
        "Oslo and Bergen",
        "Oslo & Bergen",
        "Oslo/Bergen",
        "0301, 4601",
        "0301 4601",
        "0301 og Bergen kommune",
        "Oslo,, Bergen ;",
    ],
)
def test_separators(cell: str) -> None:
    assert numbers(R2024, cell) == ["0301", "4601"]


def test_names_with_og_and_parentheses_stay_whole() -> None:
    assert numbers(R2024, "Evje og Hornnes og Vennesla") == ["4219", "4223"]
    assert numbers(R2024, "Herøy (Møre og Romsdal) og Nore og Uvdal") == ["1515", "3338"]
    assert numbers(R2024, "Unjárga - Nesseby, Hábmer - Hamarøy") == ["5636", "1875"]


@pytest.mark.parametrize(
    "cell",
    [
        "Bærum, Asker, og Lier",
        "Bærum, Asker og\nLier",
        "Bærum; Asker, and Lier",
        "Bærum, Asker +\nLier",
    ],
)
def test_og_left_at_the_end_of_an_item_is_not_part_of_a_name(cell: str) -> None:
    # A comma before "og", or a line break after it, left "og Lier" or "Asker og": an
    # unknown municipality, and the row rejected.
    assert numbers(R2024, cell) == ["3201", "3203", "3312"]


def test_duplicates_dropped_first_kept() -> None:
    assert numbers(R2024, "Bergen, Oslo, 4601, bergen") == ["4601", "0301"]


def test_one_error_per_unknown_item_and_the_rest_found() -> None:
    found, errors = R2024.find_municipalities("Oslo, Hamary; 0602 og Herøy")
    assert [m.number for m in found] == ["0301"]
    assert [e.code for e in errors] == [
        "municipality_unknown",
        "municipality_number_moved",
        "municipality_ambiguous",
    ]


def test_misspelt_name_with_og_is_one_unknown_with_the_right_suggestion() -> None:
    found, errors = R2024.find_municipalities("Evje og Hornes")
    assert found == ()
    assert [e.params["item"] for e in errors] == ["Evje og Hornes"]
    assert errors[0].params["suggestions"][0] == "Evje og Hornnes"


def test_empty_and_numeric_cells() -> None:
    assert R2024.find_municipalities(None) == ((), ())
    assert R2024.find_municipalities("  ") == ((), ())
    assert numbers(R2024, 301.0) == ["0301"]
    found, errors = R2024.find_municipalities(30.5)
    assert found == ()
    assert errors[0].code == "municipality_number_unknown"


def test_thirty_three_municipalities_in_one_cell() -> None:
    # eBygg (2009) had 33 partners; names and numbers mixed, newline and comma separated.
    chosen = list(R2009.municipalities.values())[:33]
    items = [m.name if i % 2 else m.number for i, m in enumerate(chosen)]
    cell = ",\n".join(items)
    assert numbers(R2009, cell) == [m.number for m in chosen]


# Items a municipality cell is made of: numbers (padded or not), names in many forms, ambiguous
# and unknown names, numbers of the other numbering, names with "og", and plain noise.
_ITEMS = [
    "0301",
    "301",
    "4601",
    "1103",
    "0602",
    "9999",
    "0301 4601",
    "Oslo",
    "oslo kommune",
    "Bergen",
    "Aalesund",
    "Hábmer - Hamarøy",
    "Hamarøy",
    "Herøy",
    "Herøy (Nordland)",
    "Evje og Hornnes",
    "Oslo og Bergen",
    "Hamary",
    "0301 Oslo",
    "1101 Oslo",
    "Drammen",
    "",
    " ",
]


def is_one(register: Register, item: str) -> bool:
    try:
        register.municipality(item)
    except RegistryError:
        return False
    return True


@given(
    items=st.lists(st.sampled_from(_ITEMS), max_size=5),
    separators=st.lists(st.sampled_from([",", ", ", " ,", ",,", "; ", "\n", " og "]), max_size=5),
    year=st.sampled_from(["2009", "2020", "2024"]),
)
def test_fast_municipality_path_agrees_with_the_parser(
    items: list[str], separators: list[str], year: str
) -> None:
    register = get_register(year)
    cell = items[0] if items else ""
    for item, separator in zip(items[1:], separators, strict=False):
        cell += separator + item
    fast = register.municipality_numbers(cell)
    found, errors = register.find_municipalities(cell)
    if fast is None:
        # Refused only for the parser's work: a problem to explain, another separator, or an
        # item that is not one municipality by itself ("Oslo og Bergen", "0301 4601").
        pieces = [p.strip() for p in cell.split(",") if p.strip()]
        assert errors or ";" in cell or "\n" in cell or not all(is_one(register, p) for p in pieces)
        return
    assert errors == ()
    counties: list[str] = []
    for m in found:
        if m.county_number not in counties:
            counties.append(m.county_number)
    assert fast == (tuple(m.number for m in found), tuple(counties))


def test_fast_municipality_path_takes_the_common_cells() -> None:
    assert R2024.municipality_numbers("0301, 4601,0301") == (("0301", "4601"), ("03", "46"))
    assert R2024.municipality_numbers("Bergen, Oslo kommune") == (("4601", "0301"), ("46", "03"))
    assert R2024.municipality_numbers("Oslo; Bergen") is None  # the parser's separators
    assert R2024.municipality_numbers("Herøy") is None  # ambiguous: the parser says so


# --- counties -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "number"),
    [("18", "18"), (18, "18"), (3, "03"), ("Nordland", "18"), ("Nordland fylkeskommune", "18")],
)
def test_county_lookup(value: object, number: str) -> None:
    assert R2024.county(value).number == number  # type: ignore[arg-type]


def test_county_hints_across_numberings() -> None:
    moved = error_of(R2024, "01", "county")
    assert moved.code == "county_number_moved"
    assert moved.params["current"] == ["31 Østfold"]
    gone = error_of(R2024, "Hedmark", "county")
    assert gone.code == "county_name_other_register"
    assert gone.params["candidates"] == ["04 Hedmark"]
    assert error_of(R2024, "Nordlandd", "county").params["suggestions"][0] == "Nordland"


def test_several_counties_with_og_in_names() -> None:
    found, errors = R2024.find_counties("Møre og Romsdal og Nordland")
    assert [c.number for c in found] == ["15", "18"]
    assert errors == ()


# --- organisation numbers -------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "974760673",
        "974 760 673",
        "NO 974 760 673 MVA",
        "no974760673mva",
        "974.760.673",
        "974\u00a0760\u00a0673",
        974760673,
        974760673.0,
        Decimal("974760673"),
    ],
)
def test_orgnr_forms(value: object) -> None:
    assert validate_orgnr(value) == "974760673"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("974760672", "orgnr_checksum"),
        ("97476067", "orgnr_length"),
        ("9747606731", "orgnr_length"),
        ("97476067A", "orgnr_format"),
        ("abc", "orgnr_format"),
        ("٩٧٤٧٦٠٦٧٣", "orgnr_format"),
    ],
)
def test_orgnr_errors_have_a_code_and_stdnum_reason(value: str, code: str) -> None:
    with pytest.raises(OrgnrError) as info:
        validate_orgnr(value)
    assert info.value.code == code
    assert info.value.reason  # python-stdnum's explanation is kept
    assert value in str(info.value)


@pytest.mark.parametrize(
    "text",
    [
        "\uff19\uff17\uff14\uff17\uff16\uff10\uff16\uff17\uff13",  # ９７４７６０６７３
        "\uff19\uff17\uff14\u3000\uff17\uff16\uff10\u3000\uff16\uff17\uff13",  # ideographic spaces
        "ＮＯ ９７４ ７６０ ６７３ ＭＶＡ",
        "974\u2009760\u2009673",  # thin spaces
        "974\u202f760\u202f673",  # narrow no-break spaces
        "974\u00a0760\u00a0673",
    ],
)
def test_an_orgnr_in_fullwidth_digits_or_odd_spaces_is_its_digits(text: str) -> None:
    # Copied from East Asian input or some PDFs, "９７４７６０６７３" is 974760673 to the eye;
    # it was refused as "not 9 digits". NFKC makes it the digits it looks like.
    assert validate_orgnr(text) == "974760673"


def test_an_orgnr_in_digits_of_another_script_is_refused() -> None:
    # Arabic-Indic digits are digits to python-stdnum, but no one reads them as an orgnr here;
    # NFKC leaves them as they are, and the ASCII check refuses them.
    with pytest.raises(OrgnrError) as info:
        validate_orgnr("\u0669\u0667\u0664\u0667\u0666\u0660\u0666\u0667\u0663")
    assert info.value.code == "orgnr_format"


@pytest.mark.parametrize("valid", ["974760673", "923609016", "810034882"])
def test_fast_orgnr_check_agrees_with_stdnum_on_every_one_digit_change(valid: str) -> None:
    # Each digit's weight counts: one digit changed breaks the mod-11 check, and the fast path
    # must refuse exactly what python-stdnum refuses (a random sample finds a wrong weight only
    # by luck).
    from stdnum.no import orgnr

    assert is_plain_valid_orgnr(valid)
    for at in range(9):
        for digit in "0123456789":
            text = valid[:at] + digit + valid[at + 1 :]
            assert is_plain_valid_orgnr(text) == orgnr.is_valid(text), text


def with_check_digit(body: str) -> str | None:
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    check = (11 - sum(w * int(d) for w, d in zip(weights, body, strict=True)) % 11) % 11
    return None if check == 10 else body + str(check)


@given(
    body=st.text(alphabet="0123456789", min_size=8, max_size=8),
    style=st.sampled_from(["plain", "spaced", "mva", "float"]),
)
def test_any_valid_orgnr_in_any_form_validates_to_its_digits(body: str, style: str) -> None:
    digits = with_check_digit(body)
    if digits is None:  # no valid check digit exists for this body
        with pytest.raises(OrgnrError):
            validate_orgnr(body + "0")
        return
    forms: dict[str, object] = {
        "plain": digits,
        "spaced": f"{digits[:3]} {digits[3:6]} {digits[6:]}",
        "mva": f"NO {digits[:3]} {digits[3:6]} {digits[6:]} MVA",
        "float": float(digits),
    }
    if style == "float" and digits.startswith("0"):
        return  # a number cell cannot keep a leading zero
    assert validate_orgnr(forms[style]) == digits
    wrong = digits[:8] + str((int(digits[8]) + 1) % 10)
    with pytest.raises(OrgnrError) as info:
        validate_orgnr(wrong)
    assert info.value.code == "orgnr_checksum"


@given(text=st.text(alphabet="0123456789", min_size=7, max_size=11) | st.text(max_size=12))
def test_fast_orgnr_check_accepts_only_what_stdnum_accepts(text: str) -> None:
    from stdnum.no import orgnr

    if is_plain_valid_orgnr(text):
        assert orgnr.is_valid(text)
        assert validate_orgnr(text) == text
    elif len(text) == 9 and text.isascii() and text.isdigit():
        assert not orgnr.is_valid(text)


@pytest.mark.parametrize(
    ("cell", "found", "once"),
    [
        ("Sande", ["1514"], ["0713 Sande (Vestfold)", "1514 Sande (Møre og Romsdal)"]),
        ("Bø, Bærum", ["1867", "3201"], ["0821 Bø (Telemark)", "1867 Bø (Nordland)"]),
        ("Os og Asker", ["3430", "3203"], ["0441 Os (Hedmark)", "1243 Os (Hordaland)"]),
    ],
)
def test_a_name_that_meant_several_municipalities_in_2009_is_found_with_a_warning(
    cell: str, found: list[str], once: list[str]
) -> None:
    # An old sheet's "Sande" may be Sande in Vestfold, merged into Holmestrand in 2020; in the
    # 2024 numbering the name is only Sande in Møre og Romsdal. It was taken for that one
    # without a word.
    from tilskudd.registry import get_register

    register = get_register("2024")
    places, problems = register.find_municipalities(cell)
    assert [m.number for m in places] == found
    assert [(p.code, p.warning) for p in problems] == [("municipality_name_meant_more", True)]
    assert problems[0].params["candidates"] == once
    # The fast path leaves such a cell to the full parser, which gives the warning.
    assert register.municipality_numbers(cell) is None
    # By number, or by a name that meant one municipality then too, there is nothing to say.
    assert register.find_municipalities("1514, Bærum")[1] == ()
    assert register.municipality_numbers("1514, Bærum") == (("1514", "3201"), ("15", "32"))


# --- names in Sami and Kven -----------------------------------------------------------------

SAMI_AND_KVEN = [
    # (name as written, its number in 2009, its number in 2024)
    ("Tromsø", "1902", "5501"),
    ("Kárášjohka - Karasjok", "2021", "5610"),
    ("Karasjok - Kárášjohka", "2021", "5610"),
    ("Kárášjohka", "2021", "5610"),
    ("Guovdageaidnu - Kautokeino", "2011", "5612"),
    ("Kautokeino", "2011", "5612"),
    ("Snåase - Snåsa", "1736", "5041"),
    ("Snåase", "1736", "5041"),
    ("Snåsa", "1736", "5041"),
    ("Porsanger - Porsáŋgu - Porsanki", "2020", "5622"),
    ("Porsáŋgu", "2020", "5622"),
    ("Porsángu", "2020", "5622"),
    ("Porsanki", "2020", "5622"),
    ("Hamarøy - Hábmer", "1849", "1875"),
    ("Hábmer - Hamarøy", "1849", "1875"),
    ("Hábmer", "1849", "1875"),
    ("Loabák - Lavangen", "1920", "5518"),
    ("Loabák", "1920", "5518"),
    ("Lavangen", "1920", "5518"),
    ("Trondheim - Tråante", "1601", "5001"),
    ("Dielddanuorri", "1852", "5512"),
    ("Gáivuotna - Kåfjord - Kaivuono", "1940", "5540"),
]


@pytest.mark.parametrize(("name", "in_2009", "in_2024"), SAMI_AND_KVEN)
def test_every_name_of_a_municipality_finds_it_in_both_numberings(
    name: str, in_2009: str, in_2024: str
) -> None:
    # "Snåase - Snåsa" in a 2009 sheet was refused as a 2024-only name, "Hamarøy - Hábmer"
    # (its parts the other way round) and "Porsáŋgu" (with the Sami ŋ) as unknown.
    for register, number in ((R2009, in_2009), (R2024, in_2024)):
        places, problems = register.find_municipalities(name)
        assert [m.number for m in places] == [number], register
        assert problems == ()
        assert register.municipality(f"{number} {name}").number == number


def test_sami_letters_fold_like_the_registers_spelling() -> None:
    assert normalise_name("Porsáŋgu") == normalise_name("Porsángu") == "porsangu"
    assert normalise_name("Đ ŧ Ŋ") == "d t n"


@pytest.mark.parametrize("register", [R2009, R2020, R2024], ids=["2009", "2020", "2024"])
@pytest.mark.parametrize("cell", ["Tromsø - Romsa", "Romsa - Tromsø", "Tromsø - Romsa - Tromssa"])
def test_a_name_with_a_part_the_register_lacks_is_found_with_a_warning(
    register: Register, cell: str
) -> None:
    # SSB's registers call the municipality "Tromsø" only; a sheet may add Romsa (Northern
    # Sami) and Tromssa (Kven). Found, and the reader told which part was not checked.
    places, problems = register.find_municipalities(cell)
    assert [m.name for m in places] == ["Tromsø"]
    (warning,) = problems
    assert (warning.code, warning.warning) == ("municipality_name_part_unknown", True)
    assert "Tromsø" not in warning.params["parts"]
    assert register.municipality_numbers(cell) is None  # the full parser gives the warning


def test_the_part_warning_in_both_languages() -> None:
    from tilskudd.issues import render_message

    (warning,) = R2024.find_municipalities("Tromsø - Romsa - Tromssa")[1]
    params = warning.params
    assert render_message("validate.municipality_name_part_unknown", params, "en") == (
        "'Tromsø - Romsa - Tromssa' is read as 5501 Tromsø; the 2024 register does not know "
        "Romsa and Tromssa as a name of it. Check that the cell names that one municipality"
    )
    assert render_message("validate.municipality_name_part_unknown", params, "nb") == (
        "«Tromsø - Romsa - Tromssa» leses som 5501 Tromsø; 2024-registeret kjenner ikke "
        "Romsa og Tromssa som navn på den. Kontroller at cellen gjelder den ene kommunen"
    )


@pytest.mark.parametrize("cell", ["Tromsø - Bodø", "Bodø - Tromsø"])
def test_parts_naming_two_municipalities_are_not_one(cell: str) -> None:
    places, problems = R2024.find_municipalities(cell)
    assert places == ()
    assert [p.code for p in problems] == ["municipality_unknown"]


@pytest.mark.parametrize(
    ("name", "number"),
    [
        # As the Research Council's open data writes them (shared/realdata), from SSB.
        ("Troms - Romsa - Tromssa", "55"),
        ("Trøndelag - Trööndelage", "50"),
        ("Nordland - Nordlánnda", "18"),
        ("Finnmark - Finnmárku - Finmarkku", "56"),
        ("Romsa", "55"),
        ("Finnmárku", "56"),
    ],
)
def test_counties_are_found_by_their_official_names_in_every_language(
    name: str, number: str
) -> None:
    assert R2024.county(name).number == number
    assert R2024.find_counties(name)[1] == ()
    # Shown as before: the names in the register's own file.
    assert " - " not in R2024.counties[number].name


def test_a_county_name_of_2024_in_the_2009_numbering() -> None:
    assert R2009.county("Troms - Romsa - Tromssa").number == "19"
    assert R2009.county("Finnmárku").number == "20"
    # Trøndelag was two counties in 2009: which one is for the sheet to say.
    assert error_of(R2009, "Trøndelag - Trööndelage", "county").code == (
        "county_name_other_register"
    )


@pytest.mark.parametrize(
    "text",
    [
        "GB-CHC-1234567",
        "GB-COH-01234567",
        "GB-SC-SC012345",
        "NO-BRC-974760673",
        "NL-KVK-34106722",
        "US-EIN-522044704",
        "BE-GTCF-630789842",
        "BE-BCE_KBO-0123456789",  # a list code in two languages
        "CA-CRA_ACR-811793611",
        "ES-DIR3-E04921501",  # a list code with a digit after its letters
        "XM-DAC-41114",
        "XI-IATI-EBRD",
    ],
)
def test_org_ids_in_org_id_guides_form_are_org_ids(text: str) -> None:
    assert is_org_id(text)


@pytest.mark.parametrize(
    "text",
    [
        # The UK government's grant awards 2016-17 give a grant code as the recipient's
        # identifier (St John's & St Stephen's Contact Centre, Ministry of Justice): no
        # country SP and no list G16. It passed as an org-id and was published as one.
        "SP-G16-A07-03",
        "SP-G12-A12-06",
        "UK-COH-01234567",  # UK is no ISO 3166-1 code (GB is)
        "GB-1-234",
        "gb-chc-1234567",
        "GB-CHC-",
        "GB-CHC 1234567",
        "E5104X",
        "GGIS_ID_296",
        "GB435757819",
    ],
)
def test_what_is_not_in_org_id_guides_form_is_no_org_id(text: str) -> None:
    assert not is_org_id(text)


def test_an_org_ids_country() -> None:
    assert org_id_country("GB-CHC-1234567") == "GB"
    assert org_id_country("CA-CRA_ACR-811793611") == "CA"
    assert org_id_country("NO-BRC-974760673") == "NO"
    assert org_id_country("XM-DAC-41114") is None  # an international list names no country
    assert org_id_country("SP-G16-A07-03") is None


@pytest.mark.parametrize(
    ("given", "key"),
    [
        ("974760673", "974760673"),
        ("GB-CHC-1234567", "GB-CHC-1234567"),
        ("gb-chc-1234567", "GB-CHC-1234567"),
        ("Gb-Coh-sc123456", "GB-COH-SC123456"),
        ("xi-ror-03yrm5c26", "XI-ROR-03YRM5C26"),
        ("ca_bc-cra_acr-811793611", "CA_BC-CRA_ACR-811793611"),
        ("no-brc-974760673", "974760673"),  # the Brønnøysund register's: that number
        ("NO-BRC-97476067", "NO-BRC-97476067"),  # eight digits: no organisation number
        # A publisher's own code: its scheme is unknown, so as given.
        ("E5104X", "E5104X"),
        ("e5104x", "e5104x"),
        ("360G-xyz-ORG12", "360G-xyz-ORG12"),
        ("sp-g16-a07-03", "sp-g16-a07-03"),  # no country SP: a grant code
        # Companies House numbers are eight characters: a shorter one lost its leading zeros.
        ("GB-COH-1234567", "GB-COH-01234567"),
        ("gb-coh-01234567", "GB-COH-01234567"),
        ("GB-COH-12345678", "GB-COH-12345678"),
        # Other lists are not padded: a leading zero is kept, and compared as given.
        ("GB-CHC-01234567", "GB-CHC-01234567"),
        ("00123", "00123"),
    ],
)
def test_an_organisations_identifier_as_compared(given: str, key: str) -> None:
    assert organisation_key(given) == key


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("GB-CHC 1234567", "GB-CHC-1234567"),
        ("GB CHC 1234567", "GB-CHC-1234567"),
        ("gb - chc - 1234567", "GB-CHC-1234567"),
        ("GB-CHC-123 4567", ""),
        ("GB-CHC-1234567 / GB-COH-01234567", ""),
        ("GB-CHC-1234567", None),
        (" GB-CHC-1234567 ", None),
        ("GB 108260441", None),
        ("NY PCC", None),
        ("NIC101161/ XT36011", None),
        ("SP G16 A07", None),
    ],
)
def test_an_org_id_written_with_spaces(typed: str, written: str | None) -> None:
    assert spaced_org_id(typed) == written
