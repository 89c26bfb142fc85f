"""The programme file: reading, finding, refusing bad files with line and key, and `init`."""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from pydantic import ValidationError

from tilskudd import clock
from tilskudd.clock import first_round_year
from tilskudd.errors import OutputExistsError, ProgrammeError
from tilskudd.export.template import COLUMNS, TEMPLATE_ROWS, write_template
from tilskudd.i18n import get
from tilskudd.programme import (
    PROGRAMME_FILE,
    find_programme,
    find_programme_file,
    init_programme,
    load_programme,
)
from tilskudd.reading.columns import match_field

DIFI = """\
[programme]
name = "IKT-tilskudd til kommunene 2009"
funder = "Difi"
frame = "60 000 000"
lang = "nb"
register = "2009"

[[round]]
number = 1
name = "Runde 1"
budget = "20M"
opens = 2009-03-01
closes = 2009-04-15
decision = 2009-06-01

[[round]]
id = 2
budget = 40000000

[policy]
max_share_of_cost = "20 %"
round_to = "1 000"
"""


def write(folder: Path, text: str, name: str = PROGRAMME_FILE) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_amounts_as_people_write_them(tmp_path: Path) -> None:
    programme = load_programme(write(tmp_path, DIFI))
    assert programme.frame == 60_000_000
    assert [(r.number, r.budget) for r in programme.rounds] == [(1, 20_000_000), (2, 40_000_000)]
    assert programme.policy.max_share_of_cost == Decimal("0.2")
    assert programme.policy.round_to == 1000
    assert programme.register_year == "2009"
    assert programme.lang == "nb"
    assert programme.round(2).name is None
    assert programme.round("runde 1").number == 1


def test_ledger_defaults_beside_the_file(tmp_path: Path) -> None:
    programme = load_programme(write(tmp_path, DIFI))
    assert programme.ledger_path == (tmp_path / "tilskudd.ledger.sqlite").absolute()
    other = load_programme(
        write(
            tmp_path, DIFI.replace('lang = "nb"', 'lang = "nb"\nledger = "data/l.sqlite"'), "b.toml"
        )
    )
    assert other.ledger_path == (tmp_path / "data" / "l.sqlite").absolute()


def test_a_round_can_have_its_own_policy(tmp_path: Path) -> None:
    text = DIFI.replace(
        "budget = 40000000\n", 'budget = 40000000\n[round.policy]\nrule = "proportional"\n'
    )
    programme = load_programme(write(tmp_path, text))
    assert programme.round_policy(2).rule == "proportional"
    assert programme.round_policy(1).max_share_of_cost == Decimal("0.2")


def test_unknown_round_lists_the_rounds(tmp_path: Path) -> None:
    programme = load_programme(write(tmp_path, DIFI))
    with pytest.raises(ProgrammeError, match=r"no round '3'.*rounds are: 1, 2"):
        programme.round(3)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('frame = "60 000 000"', 'frame = "sixty"'), r"line 4: programme\.frame: .*'sixty'"),
        (('budget = "20M"', 'budget = "3,300"'), r"line 11: round\[1\]\.budget: .*ambiguous"),
        (("closes = 2009-04-15", "closes = 2009-02-01"), r"line 8: round\[1\]: closes .* before"),
        (('round_to = "1 000"', 'round_to = "lots"'), r"\[policy\]: round_to"),
        (('lang = "nb"', 'lang = "de"'), r"line 5: programme\.lang"),
        (
            ('register = "2009"', 'register = "1999"'),
            r"line 6: programme\.register.*2009, 2020 or 2024",
        ),
        (
            ("budget = 40000000", "budget = 50000000"),
            r"add up to NOK\xa070,000,000, more than the frame",
        ),
        (("id = 2", "id = 1"), r"round number 1 is given more than once"),
        (
            ('funder = "Difi"', 'fundr = "Difi"'),
            r"line 3: programme\.fundr: not a key of this table",
        ),
    ],
)
def test_invalid_files_name_line_and_key(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    assert change[0] in DIFI
    path = write(tmp_path, DIFI.replace(*change))
    with pytest.raises(ProgrammeError, match=expected) as info:
        load_programme(path)
    assert str(path) in str(info.value)


def test_toml_syntax_error_gives_position(tmp_path: Path) -> None:
    path = write(tmp_path, DIFI.replace('name = "IKT', "name = IKT"))
    with pytest.raises(ProgrammeError, match=r"not valid TOML: .*line 2"):
        load_programme(path)


def test_missing_programme_table_shows_an_example(tmp_path: Path) -> None:
    with pytest.raises(ProgrammeError, match=r"no \[programme\] table.*\n.*\[programme\]"):
        load_programme(write(tmp_path, "# empty\n"))
    with pytest.raises(ProgrammeError, match=r"frame belongs in the \[programme\] table"):
        load_programme(write(tmp_path, 'frame = 5\nname = "x"\n'))
    with pytest.raises(ProgrammeError, match=r"rounds are written \[\[round\]\]"):
        load_programme(write(tmp_path, "[[rounds]]\nnumber = 1\n"))
    with pytest.raises(ProgrammeError, match=r"unknown key or table 'budjet'"):
        load_programme(write(tmp_path, "[budjet]\nx = 1\n"))


def test_a_column_map_in_the_programme_file_says_where_a_column_map_goes(
    tmp_path: Path,
) -> None:
    """A [columns] table added to tilskudd.toml, so as not to type --columns each round, was
    an unknown table with nothing about where a column map is read."""
    path = write(tmp_path, DIFI + '\n[columns]\n"sokt_belop" = "requested"\n')
    with pytest.raises(ProgrammeError) as caught:
        load_programme(path)
    assert caught.value.text("en") == (
        f"{path}: [columns] is a column map, which a programme file does not hold; put it in "
        "a file of its own and give it with --columns MAP.toml"
    )
    assert caught.value.text("nb") == (
        f"{path}: [columns] er et kolonnekart, som en ordningsfil ikke har; legg det i en egen "
        "fil og oppgi den med --columns KART.toml"
    )


def test_found_in_the_folder_or_above(tmp_path: Path) -> None:
    path = write(tmp_path, DIFI)
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_programme_file(deep) == path
    programme = find_programme(deep)
    assert programme is not None
    assert programme.name == "IKT-tilskudd til kommunene 2009"


def test_none_found_is_none_but_an_explicit_missing_file_is_an_error(tmp_path: Path) -> None:
    lone = tmp_path / "lone"
    lone.mkdir()
    # A tilskudd.toml further up (say in /tmp) would be found: only assert when there is none.
    if not any((p / PROGRAMME_FILE).exists() for p in lone.parents):
        assert find_programme(lone) is None
    with pytest.raises(ProgrammeError, match="programme file not found"):
        find_programme(lone, explicit=lone / "nope.toml")


def test_explicit_folder_means_its_programme_file(tmp_path: Path) -> None:
    path = write(tmp_path, DIFI)
    assert find_programme_file(Path("/"), explicit=tmp_path) == path


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_init_writes_a_working_programme_and_template(tmp_path: Path, lang: str) -> None:
    result = init_programme(
        tmp_path / "new", lang=lang, register="2009", frame=60_000_000, year=2009
    )
    text = result.programme_file.read_text(encoding="utf-8")
    assert text.startswith("#")  # commented
    programme = load_programme(result.programme_file)
    assert programme.frame == 60_000_000
    assert programme.lang == lang
    assert programme.register_year == "2009"
    assert [r.number for r in programme.rounds] == [1, 2]
    assert programme.rounds[0].budget == 30_000_000
    assert programme.rounds[1].budget is None  # the rest of the frame

    book = openpyxl.load_workbook(result.template_file)
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]
    # Every header is one tilskudd recognises as its field.
    assert [match_field(str(h)) for h in headers] == [f for f, *_ in COLUMNS]
    if lang == "nb":
        assert headers[:4] == ["Søknadsnr", "Søker", "Organisasjonsnummer", "Prosjekttittel"]
        assert book.sheetnames == ["Søknader", "Veiledning", "Kategorier", "Kommuner"]
    else:
        assert book.sheetnames == ["Applications", "Instructions", "Categories", "Municipalities"]
    assert sheet.freeze_panes == "A2"
    assert sheet["G2"].number_format == "#,##0"
    assert sheet[f"G{TEMPLATE_ROWS + 1}"].number_format == "#,##0"
    assert sheet["C2"].number_format == "@"

    places = book.worksheets[3]
    assert places.max_row == 431  # 430 municipalities in the 2009 numbering, plus the header
    assert places["A2"].value == "0101 Halden"

    rules = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    muni = rules[f"E2:E{TEMPLATE_ROWS + 1}"]
    assert muni.type == "list"
    assert muni.formula1.endswith("!$A$2:$A$431")
    assert not muni.showErrorMessage  # several municipalities per cell must stay possible
    assert muni.prompt
    category = rules[f"J2:J{TEMPLATE_ROWS + 1}"]
    assert category.type == "list"
    assert category.errorStyle == "warning"
    amount = rules[f"G2:G{TEMPLATE_ROWS + 1}"]
    assert (amount.type, amount.operator, amount.formula1) == ("whole", "greaterThan", "0")
    assert amount.showErrorMessage

    guide = book.worksheets[1]
    lines = [c.value for c in guide["A"] if c.value]
    assert len(lines) > 10
    word = "Søknadsnr" if lang == "nb" else "Application ID"
    assert any(str(line).startswith(word) for line in lines)
    # Where the policy is, not its figures (50 % at init), which go stale once the file changes.
    assert any("tilskudd.toml" in str(line) for line in lines)
    assert not any("50" in str(line) for line in lines)


@pytest.mark.parametrize(("lang", "county"), [("nb", "Fylke"), ("en", "County")])
def test_the_template_gives_each_municipality_its_county_apart_from_the_list(
    tmp_path: Path, lang: str, county: str
) -> None:
    # The county list for the Fylke column stood in column D beside the municipalities, one
    # county a row: "1103 Stavanger | 1103 | Stavanger | 15 Møre og Romsdal" read as if
    # Stavanger were in Møre og Romsdal.
    result = init_programme(tmp_path / "ny", lang=lang, register="2024", year=2027)
    book = openpyxl.load_workbook(result.template_file)
    places = book.worksheets[3]
    rows = {row[0]: row for row in places.iter_rows(min_row=2, values_only=True)}
    assert places["D1"].value == county
    assert rows["1103 Stavanger"][:4] == ("1103 Stavanger", "1103", "Stavanger", "11 Rogaland")
    assert rows["5501 Tromsø"][3] == "55 Troms"
    assert all(row[4] is None for row in rows.values())  # a blank column between the two
    assert [places.cell(row=i, column=6).value for i in range(1, 4)] == [
        places["F1"].value,
        "03 Oslo",
        "11 Rogaland",
    ]
    sheet = book.worksheets[0]
    rules = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    assert rules[f"F2:F{TEMPLATE_ROWS + 1}"].formula1.endswith("!$F$2:$F$16")


def test_filled_template_reads_back(tmp_path: Path) -> None:
    from tilskudd.pipeline import read_applications

    result = init_programme(tmp_path, register="2009")
    book = openpyxl.load_workbook(result.template_file)
    sheet = book.worksheets[0]
    row = [
        "S-1",
        "Moss kommune",
        "974 760 673",
        "Felles IKT",
        "0104 Moss, 0301 Oslo",
        None,
        300_000,
        1_500_000,
        4.5,
        "Kompetanse",
    ]
    for column, value in enumerate(row, start=1):
        sheet.cell(row=2, column=column, value=value)
    book.save(tmp_path / "filled.xlsx")
    checked = read_applications(tmp_path / "filled.xlsx", register="2009")
    assert not checked.errors
    assert not checked.warnings  # the formatted empty rows below are not reported
    (app,) = checked.applications
    assert (app.id, app.orgnr, app.municipalities) == ("S-1", "974760673", ("0104", "0301"))
    assert (app.requested, app.total_cost, app.score, app.category) == (
        300_000,
        1_500_000,
        Decimal("4.5"),
        "Kompetanse",
    )


def test_init_calls_the_programme_file_what_the_guide_and_the_messages_call_it(
    tmp_path: Path,
) -> None:
    """An officer reads of "ordningsfilen" in the guide and in every bokmål message; the file
    itself says the same word (ordning = programme in the glossary), not a "programfil"."""
    result = init_programme(tmp_path / "new", lang="nb", register="2009", frame=60_000_000)
    text = result.programme_file.read_text(encoding="utf-8")
    assert text.startswith("# Ordningsfil for tilskudd: én tilskuddsordning")
    assert "programfil" not in text.lower()


def test_init_never_overwrites(tmp_path: Path) -> None:
    existing = write(tmp_path, "# mine\n")
    before = existing.stat().st_mtime_ns
    with pytest.raises(OutputExistsError, match=r"already exists.*never overwrites"):
        init_programme(tmp_path)
    assert existing.read_text(encoding="utf-8") == "# mine\n"
    assert existing.stat().st_mtime_ns == before
    assert not (tmp_path / "søknadsmal.xlsx").exists()  # nothing half-made


def test_init_refuses_when_only_the_template_exists(tmp_path: Path) -> None:
    (tmp_path / "søknadsmal.xlsx").write_bytes(b"mine")
    with pytest.raises(OutputExistsError, match=r"søknadsmal\.xlsx already exists"):
        init_programme(tmp_path)
    assert not (tmp_path / PROGRAMME_FILE).exists()
    assert (tmp_path / "søknadsmal.xlsx").read_bytes() == b"mine"


def test_init_names_are_toml_safe(tmp_path: Path) -> None:
    result = init_programme(tmp_path, name='Fond "A" \\ Ø', funder="Æ&Å")
    assert result.programme.name == 'Fond "A" \\ Ø'
    assert result.programme.funder == "Æ&Å"
    assert os.access(result.programme_file, os.R_OK)


def test_template_categories_with_control_characters(tmp_path: Path) -> None:
    # An officer's own category list, pasted from a cell with a line break (\x0b on a Mac).
    path = tmp_path / "mal.xlsx"
    write_template(path, lang="en", categories=["IKT\x0bdrift", "Skole"])
    book = openpyxl.load_workbook(path)
    sheet = book[get("en")("template.sheet.categories")]
    assert [c.value for c in sheet["A"][1:3]] == ["IKT\ndrift", "Skole"]


def test_template_categories_are_never_formulas(tmp_path: Path) -> None:
    path = tmp_path / "mal.xlsx"
    write_template(path, lang="en", categories=['=HYPERLINK("http://x")', "-Skole", "Arkiv"])
    sheet = openpyxl.load_workbook(path)[get("en")("template.sheet.categories")]
    cells = sheet["A"][1:4]
    assert [c.value for c in cells] == ['=HYPERLINK("http://x")', "-Skole", "Arkiv"]
    assert [c.data_type for c in cells] == ["s", "s", "s"]
    assert [c.quotePrefix for c in cells] == [True, True, False]


@pytest.mark.parametrize(
    ("change", "norwegian"),
    [
        (('frame = "60 000 000"', 'frame = "seksti"'),
         r"linje 4: programme\.frame: «seksti» er ikke et beløp"),
        (("closes = 2009-04-15", "closes = 2009-02-01"),
         r"linje 8: round\[1\]: closes \(2009-02-01\) er før opens"),
        (('round_to = "1 000"', 'round_to = "mye"'),
         r"linje \d+: \[policy\]: round_to: «mye» er ikke et beløp"),
        (("budget = 40000000", "budget = 50000000"),
         r"linje 4: rundenes rammer blir til sammen 70\xa0000\xa0000\xa0kr, mer enn ordningens "
         "ramme"),
        (('funder = "Difi"', 'fundr = "Difi"'),
         r"linje 3: programme\.fundr: er ikke en nøkkel i denne tabellen; nøklene er name, "),
        (('[programme]', '[programme]\nrounds = 2'),
         r"programme\.rounds: er ikke en nøkkel i \[programme\]"),
        # Said in Norwegian too, not in pydantic's or money's English:
        (('frame = "60 000 000"', 'frame = 0'),
         r"linje 4: programme\.frame: beløpet er null; forventet et beløp over 0.kr"),
        (('opens = 2009-03-01', 'opens = "1. mars"'),
         r"round\[1\]\.opens: forventet en dato som 2026-03-01 \(oppgitt: «1\. mars»\)"),
        (('opens = 2009-03-01', 'opens = 2009-03-01T10:00:00'),
         r"round\[1\]\.opens: forventet en dato som 2026-03-01"),
        (('name = "IKT-tilskudd til kommunene 2009"', 'name = ""'),
         r"programme\.name: kan ikke være tom"),
    ],
)  # fmt: skip
def test_a_programme_files_problems_are_said_in_norwegian(
    tmp_path: Path, change: tuple[str, str], norwegian: str
) -> None:
    assert change[0] in DIFI
    path = write(tmp_path, DIFI.replace(*change))
    with pytest.raises(ProgrammeError) as caught:
        load_programme(path)
    assert re.search(norwegian, caught.value.text("nb")), caught.value.text("nb")
    assert caught.value.text("en") == str(caught.value)


def test_an_unknown_round_and_a_missing_file_are_said_in_norwegian(tmp_path: Path) -> None:
    programme = load_programme(write(tmp_path, DIFI))
    with pytest.raises(ProgrammeError) as caught:
        programme.round(3)
    assert "det finnes ingen runde «3»" in caught.value.text("nb")
    assert "rundene er: 1, 2" in caught.value.text("nb")
    with pytest.raises(ProgrammeError) as missing:
        load_programme(tmp_path / "nope.toml")
    assert missing.value.text("nb") == f"{tmp_path / 'nope.toml'}: fant ikke ordningsfilen"


def test_a_name_given_in_a_programme_message_is_quoted_as_bokmal_quotes_it(tmp_path: Path) -> None:
    """The bokmål programme messages quoted what was given as 'budjet', where the other bokmål
    messages quote with «»; the English ones keep their 'budjet'."""
    with pytest.raises(ProgrammeError) as unknown:
        load_programme(write(tmp_path, "[budjet]\nx = 1\n"))
    assert "ukjent nøkkel eller tabell «budjet»;" in unknown.value.text("nb")
    assert "unknown key or table 'budjet';" in unknown.value.text("en")
    with pytest.raises(ProgrammeError) as language:
        init_programme(tmp_path / "new", lang="se")
    assert language.value.text("nb") == "ukjent språk «se»; bruk nb eller en"
    assert language.value.text("en") == "unknown language 'se'; use nb or en"


@pytest.mark.parametrize(
    ("change", "line"),
    [
        (("id = 2", "id = 1"), 17),  # the second [[round]] numbered 1: its id line
        (("budget = 40000000", "budget = 50000000"), 4),  # the rounds over the frame: frame
        # A setting of a round's policy: the line of its key, not of [round.policy] above it.
        (("budget = 40000000\n", 'budget = 40000000\n[round.policy]\nround_to = "mye"\n'), 20),
        # A quota without its value: the quota's own header.
        (
            ("budget = 40000000\n", 'budget = 40000000\n[[round.policy.quotas]]\nby = "county"\n'),
            19,
        ),
    ],
)
def test_a_whole_programme_problem_points_at_the_line_it_is_about(
    tmp_path: Path, change: tuple[str, str], line: int
) -> None:
    path = write(tmp_path, DIFI.replace(*change))
    with pytest.raises(ProgrammeError) as caught:
        load_programme(path)
    assert str(caught.value).startswith(f"{path}, line {line}: "), str(caught.value)


def test_a_programme_file_saved_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    # Notepad on Windows (before 2019) saves UTF-8 with a byte order mark.
    path = tmp_path / PROGRAMME_FILE
    path.write_text(DIFI, encoding="utf-8-sig")
    assert load_programme(path).name == "IKT-tilskudd til kommunene 2009"


def test_a_windows_path_to_the_ledger(tmp_path: Path) -> None:
    """Backslashes as Windows writes them: between single quotes they are read as folders;
    between double quotes \\t is a tab (a ledger of another name) and \\U an escape, and
    each is refused, saying how to write the path."""
    base = '[programme]\nname = "X"\nframe = "1M"\n'
    path = write(tmp_path, base + "ledger = 'data\\tilskudd.sqlite'\n")
    assert load_programme(path).ledger_path == tmp_path / "data" / "tilskudd.sqlite"
    write(tmp_path, base + 'ledger = "data\\tilskudd.sqlite"\n')
    with pytest.raises(ProgrammeError) as caught:
        load_programme(path)
    assert "line 4: programme.ledger: has a tab or another control character" in str(caught.value)
    assert "tabulator" in caught.value.text("nb")
    write(tmp_path, base + 'ledger = "C:\\Users\\ola\\tilskudd.sqlite"\n')
    with pytest.raises(ProgrammeError) as caught:
        load_programme(path)
    assert str(caught.value) == (
        f"{path}: not valid TOML: Invalid hex value (at line 4, column 15). Between double "
        "quotes a \\ starts an escape (\\t is a tab): write a path with / "
        '("data/tilskudd.ledger.sqlite") or between single quotes '
        "('C:\\data\\tilskudd.ledger.sqlite')"
    )


@pytest.mark.parametrize(
    ("today", "year"),
    [
        (date(2026, 1, 2), 2026),
        (date(2026, 3, 1), 2026),  # the last day of round 1's example window
        (date(2026, 3, 2), 2027),
        (date(2026, 11, 29), 2027),
    ],
)
def test_a_new_programmes_rounds_are_not_in_the_past(today: date, year: int) -> None:
    """`tilskudd init` in November wrote rounds that had opened and closed that year."""
    assert first_round_year(today) == year


@pytest.mark.parametrize(
    ("instant", "year"),
    [
        (datetime(2026, 1, 15, 12, 0, tzinfo=UTC), 2026),
        # 23:30 UTC on 1 March is 00:30 on 2 March in Norway: round 1 has closed there.
        (datetime(2026, 3, 1, 23, 30, tzinfo=UTC), 2027),
    ],
)
def test_init_plans_its_rounds_by_the_day_in_norway(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, instant: datetime, year: int
) -> None:
    """The example rounds' year is chosen by the day in Norway (tilskudd.clock), as every day
    tilskudd gives is, not by the machine's own date and zone."""
    monkeypatch.setattr(clock, "now", lambda: instant)
    made = init_programme(tmp_path / "ny")
    first = made.programme.rounds[0]
    assert first.closes is not None
    assert first.closes.year == year


@pytest.mark.parametrize(
    ("lang", "file", "said"),
    [("nb", "søknadsmal.xlsx", "for eksempel"), ("en", "applications.xlsx", "for example")],
)
def test_init_gives_the_example_application_ids_the_year_of_its_rounds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, file: str, said: str
) -> None:
    """The template's example id was 2025-001 whatever the year, while the rounds of
    tilskudd.toml beside it are dated by the day init is run: made in November 2026, for the
    rounds of 2027, the example is 2027-001, in the id column's prompt and in the instructions."""
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 30, 12, 0, tzinfo=UTC))
    made = init_programme(tmp_path / "ny", lang=lang)
    first = made.programme.rounds[0]
    assert first.closes is not None
    assert first.closes.year == 2027
    book = openpyxl.load_workbook(tmp_path / "ny" / file)
    prompts = [v.prompt or "" for v in book.worksheets[0].data_validations.dataValidation]
    (id_prompt,) = [p for p in prompts if "-001" in p]
    assert id_prompt.endswith("2027-001.")
    guide = " ".join(str(c.value) for c in book.worksheets[1]["A"] if c.value)
    assert f"({said} 2027-001)" in guide
    assert "2025-001" not in guide + id_prompt
    # A year given is the rounds' and the examples' both.
    again = init_programme(tmp_path / "y", lang=lang, year=2031)
    book = openpyxl.load_workbook(again.template_file)
    guide = " ".join(str(c.value) for c in book.worksheets[1]["A"] if c.value)
    assert f"({said} 2031-001)" in guide


def test_init_without_a_year_plans_rounds_still_to_come(tmp_path: Path) -> None:
    made = init_programme(tmp_path / "ny")
    first = made.programme.rounds[0]
    assert first.closes is not None
    assert first.closes >= date.today()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('frame = "60 000 000"', "frame = true"), r"line 4: programme\.frame: 'TRUE' is not an"),
        (('budget = "20M"', "budget = true"), r"line 11: round\[1\]\.budget: 'TRUE' is not an"),
    ],
)
def test_a_truth_value_is_not_an_amount(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    # `frame = true` was a frame of 1 krone (pydantic reads True as 1), where a cell or a
    # policy setting with a truth value is refused.
    path = write(tmp_path, DIFI.replace(*change))
    with pytest.raises(ProgrammeError, match=expected):
        load_programme(path)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("number = 1", "number = 0"), r"line 9: round\[1\]\.number: must be 1 or more \(got 0\)"),
        (("id = 2", "id = 2\nnumber = 2"), r"round\[2\]: give either number or id, not both"),
        (
            ("decision = 2009-06-01", "decision = 2009-04-14"),
            r"line 8: round\[1\]: decision \(2009-04-14\) is before closes \(2009-04-15\)",
        ),
    ],
)
def test_rounds_are_checked_to_the_day_and_number(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    path = write(tmp_path, DIFI.replace(*change))
    with pytest.raises(ProgrammeError, match=expected):
        load_programme(path)


def test_the_limits_themselves_are_allowed(tmp_path: Path) -> None:
    # A round may open, close and be decided on one day; the least frame and budget is 1 krone.
    text = (
        DIFI.replace("closes = 2009-04-15", "closes = 2009-03-01")
        .replace("decision = 2009-06-01", "decision = 2009-03-01")
        .replace('frame = "60 000 000"', 'frame = "1"')
        .replace('budget = "20M"', 'budget = "1"')
        .replace("budget = 40000000\n", "")
    )
    programme = load_programme(write(tmp_path, text))
    first = programme.round(1)
    assert (first.opens, first.closes, first.decision) == (date(2009, 3, 1),) * 3
    # The rounds' budgets may add up to the whole frame.
    assert (programme.frame, [r.budget for r in programme.rounds]) == (1, [1, None])


def test_a_ledger_name_with_spaces_is_not_a_control_character(tmp_path: Path) -> None:
    # Only characters below a space (tab, newline, ...) are refused in the ledger's name.
    base = '[programme]\nname = "X"\nframe = "1M"\n'
    path = write(tmp_path, base + 'ledger = "Tilskudd 2026/min ledger.sqlite"\n')
    expected = tmp_path / "Tilskudd 2026" / "min ledger.sqlite"
    assert load_programme(path).ledger_path == expected
    write(tmp_path, base + 'ledger = "a\\u001Fb.sqlite"\n')  # the last one below a space
    with pytest.raises(ProgrammeError, match="has a tab or another control character"):
        load_programme(path)


def test_a_programme_read_cannot_be_changed_by_mistake(tmp_path: Path) -> None:
    # The frame and a round's budget are what the ledger is checked against: frozen, as read.
    programme = load_programme(write(tmp_path, DIFI))
    with pytest.raises(ValidationError, match="frozen"):
        programme.frame = 1  # type: ignore[misc]
    with pytest.raises(ValidationError, match="frozen"):
        programme.rounds[0].budget = 1  # type: ignore[misc]
    assert (programme.frame, programme.rounds[0].budget) == (60_000_000, 20_000_000)


# Every setting of DIFI made wrong at once: each is a problem of its own.
EVERY_PROBLEM = (
    DIFI.replace('frame = "60 000 000"', 'frame = "abc"')
    .replace('lang = "nb"', 'lang = "de"')
    .replace('register = "2009"', 'register = "1999"')
    .replace('budget = "20M"', 'budget = "xyz"')
    .replace("opens = 2009-03-01", 'opens = "2009-13-01"')
    .replace("budget = 40000000\n", 'budget = 40000000\n[round.policy]\nrule = "bad"\n')
    .replace('round_to = "1 000"', 'round_to = "lots"')
)


def test_every_problem_of_a_programme_file_is_said_at_once(tmp_path: Path) -> None:
    """A bad frame and a bad round budget said only the round's; a bad policy hid both: each
    problem is said, in the order of the file, with its line."""
    path = write(tmp_path, EVERY_PROBLEM)
    with pytest.raises(ProgrammeError) as caught:
        load_programme(path)
    lines = str(caught.value).splitlines()
    assert [line.split(": ")[:2] for line in lines] == [
        [f"{path}, line 4", "programme.frame"],
        [f"{path}, line 5", "programme.lang"],
        [f"{path}, line 6", "programme.register"],
        [f"{path}, line 11", "round[1].budget"],
        [f"{path}, line 12", "round[1].opens"],
        [f"{path}, line 20", "[round.policy] of round 2"],
        [f"{path}, line 24", "[policy]"],
    ], lines
    assert "round_to: 'lots'" in lines[-1]
    nb = caught.value.text("nb").splitlines()
    assert len(nb) == len(lines)
    assert f"{path}, linje 4: programme.frame: «abc» er ikke et beløp" in nb[0]
    assert f"{path}, linje 11: round[1].budget: «xyz» er ikke et beløp" in nb[3]


def test_a_problem_that_follows_from_another_is_not_said_as_well(tmp_path: Path) -> None:
    # Round 1's budget cannot be read: round 2's alone is still over the frame, and said.
    path = write(
        tmp_path,
        DIFI.replace('budget = "20M"', 'budget = "xyz"').replace("40000000", "70000000"),
    )
    with pytest.raises(ProgrammeError) as caught:
        load_programme(path)
    assert re.search(r"line 11: round\[1\]\.budget", str(caught.value))
    assert "more than the frame" in str(caught.value)
    # The frame cannot be read: no sum of the rounds is measured against it.
    path = write(tmp_path, DIFI.replace('"60 000 000"', '"abc"').replace("40000000", "70000000"))
    with pytest.raises(ProgrammeError) as caught:
        load_programme(path)
    assert str(caught.value).splitlines() == [
        f"{path}, line 4: programme.frame: 'abc' is not an amount; expected whole kroner, such"
        " as 3 300 000, kr 3.300.000,- or 3,3 mill."
    ]


def test_the_tables_of_a_programme_file_are_said_together(tmp_path: Path) -> None:
    path = write(tmp_path, "frame = 5\n[budjet]\nx = 1\n[[rounds]]\nnumber = 1\n")
    with pytest.raises(ProgrammeError) as caught:
        load_programme(path)
    assert str(caught.value).splitlines() == [
        f"{path}: rounds are written [[round]], one table per round",
        f"{path}: frame belongs in the [programme] table; write [programme] on the line above"
        " the programme's keys",
        f"{path}: unknown key or table 'budjet'; a programme file has [programme], [[round]]"
        " and [policy]",
    ]


@pytest.mark.parametrize("rounds", ["[1, 2]", '["one"]', "[{number = 1}, 2]"])
def test_rounds_that_are_not_tables_are_refused_not_a_bug(tmp_path: Path, rounds: str) -> None:
    # `round = [1, 2]` was taken for tables: TypeError, reported as a bug in tilskudd.
    path = write(tmp_path, f'round = {rounds}\n[programme]\nname = "x"\nframe = 5\n')
    with pytest.raises(ProgrammeError, match=r"rounds are written \[\[round\]\] \(an array"):
        load_programme(path)


@pytest.mark.parametrize(("frame", "first"), [(2_000, 1_000), (1_999, 1_999), (1, 1)])
def test_init_gives_the_first_round_half_the_frame_or_all_of_a_small_one(
    tmp_path: Path, frame: int, first: int
) -> None:
    # Half the frame, rounded down to whole thousands; a frame under 2 000 kr has no whole
    # thousand in its half, and the first round gets all of it rather than a budget of 0.
    result = init_programme(tmp_path / "ny", frame=frame, year=2027)
    assert result.programme.frame == frame
    assert result.programme.rounds[0].budget == first
    assert result.programme.rounds[1].budget is None


@pytest.mark.parametrize("frame", [0, -5])
def test_init_refuses_a_frame_of_nothing_and_writes_nothing(tmp_path: Path, frame: int) -> None:
    with pytest.raises(ProgrammeError) as caught:
        init_programme(tmp_path / "ny", frame=frame)
    assert caught.value.text("en") == "the frame must be more than NOK 0"
    assert caught.value.text("nb") == "rammen må være mer enn 0 kr"
    assert not (tmp_path / "ny").exists()


def test_init_refuses_a_folder_that_is_a_file(tmp_path: Path) -> None:
    target = tmp_path / "ny"
    target.write_text("mine", encoding="utf-8")
    with pytest.raises(ProgrammeError) as caught:
        init_programme(target)
    assert caught.value.text("en") == f"{target} is a file, not a folder"
    assert target.read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize(
    ("lang", "name", "funder"),
    [
        ("nb", "Min tilskuddsordning", "Direktoratet"),
        ("en", "My grant programme", "The Directorate"),
    ],
)
def test_init_names_a_new_programme_in_its_language_in_a_folder_made_with_its_parents(
    tmp_path: Path, lang: str, name: str, funder: str
) -> None:
    # Without --name and --funder the programme is named in the language of its file; the
    # folder asked for is made with every folder above it that is missing.
    result = init_programme(tmp_path / "a" / "b" / "ny", lang=lang, year=2027)
    assert (result.programme.name, result.programme.funder) == (name, funder)
    assert result.programme_file == tmp_path / "a" / "b" / "ny" / PROGRAMME_FILE
    assert result.template_file.is_file()


def test_a_programme_file_that_is_not_text_is_said_to_be_none(tmp_path: Path) -> None:
    """A spreadsheet given for the programme file: not a text file, not 'not valid TOML'."""
    path = tmp_path / PROGRAMME_FILE
    path.write_bytes(b"PK\x03\x04\x81\x00")
    with pytest.raises(ProgrammeError) as caught:
        load_programme(path)
    assert str(caught.value) == (
        f"{path}: not a text file; a programme file is TOML text, as Notepad saves it"
    )
    assert caught.value.text("nb") == (
        f"{path}: ikke en tekstfil; en ordningsfil er TOML-tekst, slik Notisblokk lagrer den"
    )


def test_a_windows_path_with_an_unescaped_backslash_says_how_to_write_it(tmp_path: Path) -> None:
    """\\d is no escape at all (TOML: "Unescaped '\\'"), as \\U is a bad one: the same advice."""
    path = write(tmp_path, '[programme]\nname = "X"\nframe = "1M"\nledger = "C:\\data\\t.sqlite"\n')
    with pytest.raises(ProgrammeError) as caught:
        load_programme(path)
    assert str(caught.value) == (
        f"{path}: not valid TOML: Unescaped '\\' in a string (at line 4, column 15). Between "
        "double quotes a \\ starts an escape (\\t is a tab): write a path with / "
        '("data/tilskudd.ledger.sqlite") or between single quotes '
        "('C:\\data\\tilskudd.ledger.sqlite')"
    )


@pytest.mark.parametrize(("lang", "said_in"), [("nb", "nb"), ("en", "en"), ("de", None)])
def test_a_bad_programme_file_is_said_in_the_language_it_declares(
    tmp_path: Path, lang: str, said_in: str | None
) -> None:
    """The file's own lang, when it is one tilskudd speaks, is the language of its problems
    (for a command without --lang); another is a problem of its own, said in the default."""
    path = write(tmp_path, DIFI.replace('lang = "nb"', f'lang = "{lang}"').replace("60 000", "6x"))
    with pytest.raises(ProgrammeError) as caught:
        load_programme(path)
    assert caught.value.lang == said_in


def test_init_plans_a_frame_of_ten_million_unless_told(tmp_path: Path) -> None:
    made = init_programme(tmp_path / "ny", year=2027)
    assert made.programme.frame == 10_000_000
    assert [r.budget for r in made.programme.rounds] == [5_000_000, None]
    text = made.programme_file.read_text(encoding="utf-8")
    assert 'frame = "10 000 000"' in text
    assert 'budget = "5 000 000"' in text


@pytest.mark.parametrize("failure", [OSError("No space left on device"), KeyboardInterrupt()])
def test_init_leaves_no_programme_file_when_the_template_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException
) -> None:
    """All or nothing: the programme file, written first, is removed again when writing the
    template fails (or is interrupted), and the failure is not hidden."""

    def fail(*args: object, **kwargs: object) -> None:
        raise failure

    monkeypatch.setattr("tilskudd.export.template.write_template", fail)
    folder = tmp_path / "ny"
    with pytest.raises(type(failure)):
        init_programme(folder, year=2027)
    assert folder.is_dir()
    assert list(folder.iterdir()) == []


def test_init_refuses_a_folder_where_the_template_should_go(tmp_path: Path) -> None:
    (tmp_path / "søknadsmal.xlsx").mkdir()
    with pytest.raises(OutputExistsError, match=r"søknadsmal\.xlsx already exists"):
        init_programme(tmp_path)
    assert not (tmp_path / PROGRAMME_FILE).exists()
    assert (tmp_path / "søknadsmal.xlsx").is_dir()


def test_a_key_the_programme_table_refuses_is_unknown_above_it_too(tmp_path: Path) -> None:
    """`path` is where the file was read from, `register_year` the field behind `register`:
    neither is a key of the file, so above [programme] they are unknown, not misplaced."""
    for key in ("path", "register_year"):
        file = write(tmp_path, f'{key} = "x"\n[programme]\nname = "X"\nframe = "1M"\n')
        with pytest.raises(ProgrammeError) as caught:
            load_programme(file)
        assert str(caught.value) == (
            f"{file}: unknown key or table '{key}'; a programme file has [programme], [[round]]"
            " and [policy]"
        )


def test_register_above_the_programme_table_is_said_to_belong_in_it(tmp_path: Path) -> None:
    """The file's key is `register` (the field behind it has another name): misplaced, like
    frame, not unknown."""
    path = write(tmp_path, 'register = "2009"\n[programme]\nname = "X"\nframe = "1M"\n')
    with pytest.raises(ProgrammeError) as caught:
        load_programme(path)
    assert str(caught.value).startswith(f"{path}: register belongs in the [programme] table")


def test_a_programme_key_that_is_not_a_table_is_no_programme_table(tmp_path: Path) -> None:
    """`programme = "IKT"` names no table: said as a missing [programme], not a crash."""
    path = write(tmp_path, 'programme = "IKT"\n')
    with pytest.raises(ProgrammeError) as caught:
        load_programme(path)
    assert str(caught.value).startswith(f"{path}: no [programme] table")


@pytest.mark.parametrize("key", ["rounds", "policy", "path"])
def test_a_key_of_the_model_written_in_the_programme_table_is_refused(
    tmp_path: Path, key: str
) -> None:
    """Written in [programme], `policy` and `path` were replaced by the [policy] table and the
    file's own path and so would be ignored without a word: each is refused, by its line."""
    path = write(tmp_path, f'[programme]\nname = "X"\nframe = "1M"\n{key} = "x"\n')
    with pytest.raises(ProgrammeError) as caught:
        load_programme(path)
    assert str(caught.value) == f"{path}: programme.{key}: not a key of [programme]"


def test_a_round_with_a_bad_policy_still_counts_towards_the_frame(tmp_path: Path) -> None:
    """Round 2's [round.policy] cannot be read, but its budget can: 20M + 50M is over the 60M
    frame, and that was left unsaid until the policy was put right."""
    path = write(
        tmp_path,
        DIFI.replace("budget = 40000000\n", 'budget = 50000000\n[round.policy]\nrule = "bad"\n'),
    )
    with pytest.raises(ProgrammeError) as caught:
        load_programme(path)
    lines = str(caught.value).splitlines()
    assert len(lines) == 2, lines
    assert lines[0].startswith(f"{path}, line 4: ")
    assert "add up to NOK\xa070,000,000, more than the frame" in lines[0]
    assert lines[1].startswith(f"{path}, line 20: [round.policy] of round 2: rule: expected")


IN_CURRENCY = """\
[programme]
name = "Nordisk kulturfond"
currency = "{currency}"
frame = "{frame}"

[[round]]
number = 1
budget = "{budget}"

[[round]]
number = 2
[round.policy]
max_award = "{award}"

[policy]
round_to = "{round_to}"
[[policy.quotas]]
by = "county"
value = "03"
min_amount = "{quota}"
"""


def test_a_programmes_amounts_are_read_in_its_currency(tmp_path: Path) -> None:
    """The frame, the rounds' budgets and every policy amount of a programme of euros may name
    euros, as --budget may: "200 000 EUR" was refused as "an amount in EUR, but the round
    counts in NOK", and "200 000 kr" taken as 200 000 euros."""
    text = IN_CURRENCY.format(
        currency="EUR", frame="200 000 EUR", budget="€ 100 000", award="EUR 50 000",
        round_to="1 000 €", quota="10 000 EUR",
    )  # fmt: skip
    programme = load_programme(write(tmp_path, text))
    assert (programme.currency, programme.frame, programme.rounds[0].budget) == (
        "EUR",
        200_000,
        100_000,
    )
    assert programme.round_policy(2).max_award == 50_000
    assert programme.policy.round_to == 1_000
    assert programme.policy.quotas[0].min_amount == 10_000
    # In a programme of Swedish kronor "kr" is kronor, as in its rounds' cells.
    sek = IN_CURRENCY.format(
        currency="SEK", frame="200 000 kr", budget="100 000 kronor", award="kr 50 000",
        round_to="1 000 SEK", quota="10 000 kr.",
    )  # fmt: skip
    assert load_programme(write(tmp_path, sek)).frame == 200_000


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        (
            "en",
            [
                "line 4: programme.frame: '200 000 kr' is an amount in kroner, but the programme "
                'counts in EUR (currency = "EUR" in its [programme] table); write the amount in '
                "EUR, without kr or NOK",
                "line 8: round[1].budget: '100 000 NOK' is an amount in kroner, but the "
                "programme counts in EUR",
                "line 13: [round.policy] of round 2: max_award: '£ 50 000' is an amount in GBP, "
                "but the programme counts in EUR",
                "line 16: [policy]: round_to: '1 000 kr' is an amount in kroner",
                "line 20: [policy]: quotas[1].min_amount: '10 000 kr' is an amount in kroner, "
                "but the programme counts in EUR",
            ],
        ),
        (
            "nb",
            [
                "linje 4: programme.frame: «200 000 kr» er et beløp i kroner, men ordningen "
                'regner i EUR (currency = "EUR" i tabellen [programme]); skriv beløpet i EUR, '
                "uten kr eller NOK",
                "linje 20: [policy]: quotas[1].min_amount: «10 000 kr» er et beløp i kroner, "
                "men ordningen regner i EUR",
            ],
        ),
    ],
)
def test_a_programmes_amount_in_another_currency_is_refused_with_its_line(
    tmp_path: Path, lang: str, said: list[str]
) -> None:
    """An amount in kroner in a programme of euros was told "the round counts in EUR", in a
    file of the programme, its frame among them: it is the programme that counts in EUR, by
    its own setting, and no word is said of the round and its --currency."""
    text = IN_CURRENCY.format(
        currency="EUR", frame="200 000 kr", budget="100 000 NOK", award="£ 50 000",
        round_to="1 000 kr", quota="10 000 kr",
    )  # fmt: skip
    with pytest.raises(ProgrammeError) as caught:
        load_programme(write(tmp_path, text))
    message = " ".join(caught.value.text(lang).split())
    for line in said:
        assert line in message, message
    assert "round counts" not in message
    assert "runden regner" not in message


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        (
            "en",
            [
                "line 4: programme.frame: '200 000 NOK' is an amount in NOK, but the programme "
                "counts in SEK; write the amount in SEK, or, if the programme's amounts are in "
                'NOK, give the programme that currency: currency = "NOK" in its [programme] table',
                "line 13: [round.policy] of round 2: max_award: '£ 50 000' is an amount in GBP, "
                "but the programme counts in SEK; write the amount in SEK, or, if the "
                "programme's amounts are in GBP, give the programme that currency: "
                'currency = "GBP" in its [programme] table',
                "line 20: [policy]: quotas[1].min_amount: '10 000 EUR' is an amount in EUR, but "
                "the programme counts in SEK;",
            ],
        ),
        (
            "nb",
            [
                "linje 4: programme.frame: «200 000 NOK» er et beløp i NOK, men ordningen "
                "regner i SEK; skriv beløpet i SEK, eller, om ordningens beløp er i NOK, gi "
                'ordningen den valutaen: currency = "NOK" i tabellen [programme]',
                "linje 8: round[1].budget: «€ 100 000» er et beløp i EUR, men ordningen regner "
                "i SEK; skriv beløpet i SEK, eller, om ordningens beløp er i EUR, gi ordningen "
                'den valutaen: currency = "EUR" i tabellen [programme]',
            ],
        ),
    ],
)
def test_a_programmes_amount_in_another_currency_is_answered_with_its_currency_setting(
    tmp_path: Path, lang: str, said: list[str]
) -> None:
    """An amount in another currency in a programme file was answered as in a cell: "count
    the round in NOK with --currency NOK", which a programme of Swedish kronor refuses (a
    programme has one currency). Its own setting is `currency` in its [programme] table."""
    text = IN_CURRENCY.format(
        currency="SEK", frame="200 000 NOK", budget="€ 100 000", award="£ 50 000",
        round_to="1 000 kr", quota="10 000 EUR",
    )  # fmt: skip
    with pytest.raises(ProgrammeError) as caught:
        load_programme(write(tmp_path, text))
    message = " ".join(caught.value.text(lang).split())
    for line in said:
        assert line in message, message
    assert "--currency" not in message


@pytest.mark.parametrize("budget", ["2027-03-01", "[100000]", "{ kr = 100000 }"])
def test_a_round_budget_that_is_no_amount_is_refused_not_taken_as_what_remains(
    tmp_path: Path, budget: str
) -> None:
    # A date, a list or a table is no amount: refused, where taken as no budget at all it
    # would have given the round all that remains of the frame.
    path = write(
        tmp_path,
        f'[programme]\nname = "x"\nframe = 200000\n[[round]]\nnumber = 1\nbudget = {budget}\n',
    )
    with pytest.raises(
        ProgrammeError, match=r"line 6: round\[1\]\.budget: expected a whole number$"
    ):
        load_programme(path)


def test_a_plan_one_krone_over_the_frame_is_refused_beside_a_round_without_budget(
    tmp_path: Path,
) -> None:
    # Frame 100 000: round 1 plans 100 001 and round 2 nothing (what remains): 100 001 is
    # planned, 1 krone more than the frame; a round without budget counts 0, not -1.
    path = write(
        tmp_path,
        '[programme]\nname = "x"\nframe = 100000\n[[round]]\nnumber = 1\nbudget = 100001\n'
        "[[round]]\nnumber = 2\n",
    )
    with pytest.raises(ProgrammeError) as caught:
        load_programme(path)
    assert str(caught.value).endswith(
        "line 3: the rounds' budgets add up to NOK\xa0100,001, more than the frame of "
        "NOK\xa0100,000"
    )


def test_rounds_numbered_twice_name_the_first_of_them(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[programme]\nname = "x"\nframe = 100000\n'
        + "".join(f"[[round]]\nnumber = {n}\n" for n in (2, 1, 2, 1)),
    )
    with pytest.raises(ProgrammeError) as caught:
        load_programme(path)
    # Rounds 2, 1, 2, 1: both numbers are given twice; the first in order is named.
    assert str(caught.value).endswith(": round number 1 is given more than once")
