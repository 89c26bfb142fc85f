"""Output to a stream whose encoding lacks a character (a Windows code page, ASCII) never fails:
the character is written as its nearest plain equivalent; æøå stay where the encoding has them."""

from __future__ import annotations

import gc
import io
import json
import sys
from pathlib import Path

import pytest

from tilskudd.cli import main
from tilskudd.cli.plaintext import plain_equivalent

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ROUND = [
    "allocate",
    str(EXAMPLES / "difi_2009_runde1.xlsx"),
    "--register",
    "2009",
    "--budget",
    "20000000",
    "--policy",
    str(EXAMPLES / "policy_difi2009.toml"),
    "--dry-run",
]


def run_main(
    monkeypatch: pytest.MonkeyPatch, encoding: str, *args: str
) -> tuple[int | str | None, bytes, bytes]:
    """Run the ``tilskudd`` entry point with stdout and stderr in ``encoding`` (as Python sets
    them up on Windows: strict), returning the exit code and the bytes written."""
    out, err = io.BytesIO(), io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(out, encoding=encoding))
    monkeypatch.setattr(sys, "stderr", io.TextIOWrapper(err, encoding=encoding))
    monkeypatch.setattr(sys, "argv", ["tilskudd", *args])
    monkeypatch.setenv("COLUMNS", "200")
    try:
        with pytest.raises(SystemExit) as exit_:
            main()
    finally:
        gc.unfreeze()  # main() freezes what it made, as the process ends; this one goes on
    sys.stdout.flush()
    sys.stderr.flush()
    return exit_.value.code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("encoding", ["cp850", "cp865", "cp1252"])
def test_award_table_in_a_windows_code_page(monkeypatch: pytest.MonkeyPatch, encoding: str) -> None:
    code, out, err = run_main(monkeypatch, encoding, *ROUND, "--lang", "nb")
    assert code == 0, err.decode(encoding)
    text = out.decode(encoding)
    assert "Søknader" in text  # æøå as they are: every one of these code pages has them
    assert "Risør kommune" in text
    assert "eBygg - felles" in text or "eBygg – felles" in text
    assert "?" not in text.replace("??", "")  # nothing lost to a question mark


def test_award_table_in_ascii(monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = run_main(monkeypatch, "ascii", *ROUND, "--lang", "nb")
    assert code == 0, err
    text = out.decode("ascii")
    assert "eBygg - felles" in text
    assert "Risoer kommune" in text
    assert "ark Soeknader | overskrift i rad 3" in text


def test_error_message_in_ascii(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    code, out, err = run_main(
        monkeypatch, "ascii", "check", str(tmp_path / "søknad.xlsx"), "--lang", "nb"
    )
    assert code == 1
    assert out == b""
    text = err.decode("ascii")
    assert text.startswith("feil: ")
    assert "soeknad.xlsx finnes ikke" in text
    assert "uventet" not in text  # not the note of a bug


@pytest.mark.parametrize("encoding", ["ascii", "cp850"])
def test_help_in_a_narrow_encoding(monkeypatch: pytest.MonkeyPatch, encoding: str) -> None:
    code, out, _ = run_main(monkeypatch, encoding, "--lang", "nb", "allocate", "--help")
    assert code == 0
    assert "tilskudd allocate" in out.decode(encoding)


@pytest.mark.parametrize("encoding", ["ascii", "cp850"])
def test_json_report_reads_back_exactly(monkeypatch: pytest.MonkeyPatch, encoding: str) -> None:
    explain = ["explain", *ROUND[1:-1], "2009-013", "--lang", "nb", "--format", "json"]
    code, out, _ = run_main(monkeypatch, "utf-8", *explain)
    assert code == 0
    expected = json.loads(out.decode("utf-8"))
    assert "\u00a0kr" in json.dumps(expected, ensure_ascii=False)  # a character ASCII lacks
    code, out, _ = run_main(monkeypatch, encoding, *explain)
    assert code == 0
    assert json.loads(out.decode(encoding)) == expected  # escaped, not written plainly


@pytest.mark.parametrize(
    ("char", "encoding", "plain"),
    [
        ("–", "cp850", "-"),
        ("–", "cp1252", "-"),  # asked only for what the encoding lacks; cp1252 has it
        ("·", "ascii", "|"),
        ("…", "cp850", "..."),
        ("\u202f", "cp1252", " "),
        ("\u00a0", "ascii", " "),
        ("«", "ascii", '"'),
        ("é", "ascii", "e"),
        ("ø", "ascii", "oe"),
        ("Å", "ascii", "AA"),
        ("✓", "cp850", "v"),
        ("✓", "cp437", "√"),
        ("\udcff", "utf-8", "?"),  # a file name's undecodable byte
        ("漢", "cp1252", "?"),
    ],
)
def test_plain_equivalent(char: str, encoding: str, plain: str) -> None:
    assert plain_equivalent(char, encoding) == plain
