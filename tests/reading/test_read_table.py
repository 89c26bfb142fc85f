"""The reading API: read_table with column maps, load_column_map, sha256_of, the catalogue."""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from tilskudd.errors import ExitCode, UsageError
from tilskudd.reading import load_column_map, read_table, sha256_of

ROOT = Path(__file__).resolve().parents[2]
REALDATA = ROOT.parent / "shared" / "realdata" / "grants" / "forskningsradet_soknader2_sample.csv"
MakeCsv = Callable[..., Path]


def _write(tmp_path: Path, text: str, name: str = "kart.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_load_column_map(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        '# header text in the file = tilskudd field\n[columns]\n"prosjektnummer" = "id"\n'
        '"sokt_belop" = "requested"\n"kommune" = "extra"\n',
    )
    assert load_column_map(path) == {
        "prosjektnummer": "id",
        "sokt_belop": "requested",
        "kommune": "extra",
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[columns]\n"Beløp" = "amount"\n', '"Beløp" = "amount" does not name a field'),
        ('[columns]\n"Beløp" = 3\n', '"Beløp" = "3" does not name a field'),
        ('"Beløp" = "requested"\n', "has no [columns] table"),
        ("[columns\n", "is not valid TOML"),
        (
            '[columns]\n"Søkt beløp" = "requested"\n"SØKT-BELØP" = "total_cost"\n',
            'maps "Søkt beløp" and "SØKT-BELØP"',
        ),
    ],
)
def test_a_bad_column_map_is_a_usage_error_naming_the_file(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(UsageError) as caught:
        load_column_map(path)
    assert caught.value.exit_code is ExitCode.USAGE
    assert str(path) in str(caught.value)
    assert expected in str(caught.value)


def test_an_unknown_target_lists_the_fields(tmp_path: Path) -> None:
    with pytest.raises(
        UsageError, match=r"Expected one of id, applicant, .*, decision_reason and extra"
    ):
        load_column_map(_write(tmp_path, '[columns]\n"x" = "belop"\n'))


def test_a_missing_column_map(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="does not exist"):
        load_column_map(tmp_path / "borte.toml")


def test_a_column_map_maps_headers_the_aliases_do_not_know(make_csv: MakeCsv) -> None:
    path = make_csv([["Nr", "Kommunenavn", "Beløp i alt", "Kommune"], ["7", "Moss", "100", "0104"]])
    table = read_table(
        path, columns={"Nr": "id", "beløp i alt": "requested", "Kommunenavn": "applicant"}
    )
    assert table.fields == {"id": 0, "applicant": 1, "requested": 2, "municipalities": 3}
    assert table.extra == {}
    assert table.issues == []


def test_an_officers_running_number_is_read_as_the_id(make_csv: MakeCsv) -> None:
    path = make_csv([["Løpenr.", "Søker", "Søkt beløp"], ["17", "Moss", "100"]])
    table = read_table(path)
    assert table.fields == {"id": 0, "applicant": 1, "requested": 2}
    assert list(table.rows) == [(2, ["17", "Moss", "100"])]


def test_an_unused_column_map_entry_is_a_warning(make_csv: MakeCsv) -> None:
    path = make_csv([["Søker", "Søkt beløp"], ["Moss", "100"]])
    table = read_table(path, columns={"Søkt beløp": "requested", "Prosjektnr": "id"})
    (issue,) = table.issues
    assert issue.code == "read.column_map_unused"
    assert issue.params == {"header": "Prosjektnr"}


def test_sha256_of(tmp_path: Path) -> None:
    path = tmp_path / "fil.bin"
    data = bytes(range(256)) * 5000
    path.write_bytes(data)
    assert sha256_of(path) == hashlib.sha256(data).hexdigest()
    assert sha256_of(str(path)) == hashlib.sha256(data).hexdigest()


@pytest.mark.skipif(not REALDATA.exists(), reason="the shared real data is not here")
def test_the_research_council_sample_with_its_column_map() -> None:
    columns = load_column_map(ROOT / "examples" / "forskningsradet.toml")
    table = read_table(REALDATA, columns=columns)
    assert len(table.rows) == 171
    assert set(table.fields) == {
        "id",
        "applicant",
        "orgnr",
        "project",
        "municipalities",
        "county",
        "requested",
        "category",
    }
    # The name columns beside the mapped number columns are carried through.
    assert {"kommune", "fylke", "tildelt_belop"} <= set(table.extra)
    first = table.rows[0][1]
    assert first[table.fields["id"]] == "225873"
    assert first[table.fields["requested"]] == "8000000.0"
    assert table.issues == []


def _keys(lang: str) -> dict[str, Any]:
    text = (resources.files("tilskudd") / "locales" / f"{lang}.toml").read_text(encoding="utf-8")
    read = tomllib.loads(text)["read"]
    flat: dict[str, Any] = {}

    def walk(prefix: str, node: dict[str, Any]) -> None:
        for key, value in node.items():
            if isinstance(value, dict):
                walk(f"{prefix}{key}.", value)
            else:
                flat[prefix + key] = value

    walk("read.", read)
    return flat


def test_both_catalogues_have_the_same_reading_keys() -> None:
    assert _keys("en").keys() == _keys("nb").keys()


def test_every_catalogue_key_the_readers_use_exists_in_both_languages() -> None:
    source = "".join(
        p.read_text(encoding="utf-8") for p in (ROOT / "src" / "tilskudd" / "reading").glob("*.py")
    )
    used = set(re.findall(r'"(read\.[a-z_0-9]+(?:\.[a-z_0-9]+)*)"', source))
    assert {"read.totals_row_skipped", "read.error.password", "read.error.quoted"} <= used
    for lang in ("en", "nb"):
        assert used <= _keys(lang).keys(), lang


def test_an_organisation_number_headed_organisasjonsnr_is_checked_and_capped(
    make_csv: MakeCsv,
) -> None:
    # "Organisasjonsnr." was carried through unread: the numbers went unchecked, and
    # per_applicant_max let one organisation take 3 000 000 kr under a cap of 1 500 000 kr,
    # without a word.
    from tilskudd.models import Policy
    from tilskudd.pipeline import read_applications, run_round

    path = make_csv(
        [
            ["Søknadsnr.", "Søker", "Organisasjonsnr.", "Søknadssum", "Sum poeng"],
            ["A1", "Eksempel AS", "974760673", "1000000", "6"],
            ["A2", "Eksempel AS", "974 760 673", "1000000", "5"],
            ["A3", "Eksempel AS", "974760673", "1000000", "4"],
            ["A4", "Annet AS", "974760674", "1000000", "3"],
        ]
    )
    checked = read_applications(path)
    assert [(i.code, i.location.cell if i.location else None) for i in checked.errors] == [
        ("validate.orgnr_checksum", "C5")
    ]
    policy = Policy(per_applicant_max=1_500_000)
    allocation = run_round(checked, budget=4_000_000, policy=policy).allocation
    awarded = {d.application_id: d.amount for d in allocation.decisions}
    assert awarded == {"A1": 1_000_000, "A2": 500_000, "A3": 0, "A4": 0}
