"""``tilskudd allocate`` with policy options and policy files as people may type them, right and
wrong: a valid run ends 0, any other ends non-zero with a message from the catalogue, in the
language asked for, naming the option or the file and its key; never a traceback or a bug."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tilskudd.cli import app

SMALL = str(Path(__file__).resolve().parents[2] / "examples" / "small.xlsx")

runner = CliRunner()

LEAKS = re.compile(
    r"\b(?:policy|programme|cli|output|read|validate|words)\.[a-z_]+(?:\.[a-z_]+)+\b"
    r"|\{[a-z_:]+\}|Traceback|Decimal\(|PydanticCustomError|ValidationError|<class "
    r"|unexpected problem|uventet problem"
)

OPTIONS: dict[str, tuple[list[str], list[str]]] = {
    # option: (good values, bad values)
    "--budget": (["1000000", "20M", "1 000 000", "0"], ["-5", "abc", "1e6", "", "20 %"]),
    "--rule": (["ranked", "proportional", "lottery"], ["rangert", "", "Ranked "]),
    "--max-award": (["1000000", "2M"], ["-5", "abc", "0", "1,5"]),
    "--max-share-of-cost": (["20 %", "0,2", "0.2", "20"], ["120 %", "1", "abc", "20M", "0"]),
    "--min-award": (["0", "1 000"], ["-1", "x"]),
    "--round-to": (["1", "1000"], ["0", "x"]),
    "--min-score": (["4", "4,5", "-1"], ["abc", "nan", "1e99999", "inf"]),
    "--per-applicant-max": (["2000000"], ["-1", "x"]),
    "--at-line": (["skip", "stop", "partial"], ["x"]),
    "--reserve": (["0", "3"], ["-1", "x"]),
    "--tie-break": (["score desc, id asc", "requested asc"], ["id sideways", "nosuch asc"]),
    "--weight": (["none", "score"], ["x"]),
    "--seed": (["1", "-3"], ["x", "1.5"]),
    "--objective": (["score", "count", "score_amount"], ["x"]),
    "--lottery-band": (["0", "1,5"], ["-1", "x"]),
}


@st.composite
def option_words(draw: st.DrawFn) -> tuple[list[str], list[str]]:
    """Options with good or bad values, and the options whose value is bad."""
    chosen = draw(st.lists(st.sampled_from(sorted(OPTIONS)), unique=True, max_size=5))
    if "--budget" not in chosen:
        chosen.append("--budget")
    words: list[str] = []
    bad: list[str] = []
    for option in draw(st.permutations(chosen)):
        good, wrong = OPTIONS[option]
        if draw(st.integers(0, 3)) == 0:
            words += [option, draw(st.sampled_from(wrong))]
            bad.append(option)
        else:
            words += [option, draw(st.sampled_from(good))]
    return words, bad


def check_said(result: Any, lang: str | None, typed: str = "") -> str:
    """stderr of a run that ended as a run or as a mistake said from the catalogue (never 3,
    a bug), in ``lang`` (English when not given). ``typed``, a value the message quotes as it
    was typed (``{_}``), is no leak of the catalogue's."""
    stderr: str = result.stderr
    assert result.exit_code in (0, 1, 2), (result.exit_code, stderr)
    assert not LEAKS.search(stderr.replace(f"'{typed}'", "") if typed else stderr), stderr
    assert not LEAKS.search(result.stdout), result.stdout
    if result.exit_code != 0:
        label = "feil: " if lang == "nb" else "error: "
        assert stderr.startswith(label), stderr
    return stderr


@pytest.fixture(autouse=True)
def _no_programme_or_language(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TILSKUDD_LANG", raising=False)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(given_=option_words(), lang=st.sampled_from([None, "nb", "en"]))
def test_policy_options_are_taken_or_named(
    given_: tuple[list[str], list[str]], lang: str | None
) -> None:
    words, bad = given_
    args = ["allocate", SMALL, "--dry-run", *words, *(["--lang", lang] if lang else [])]
    result = runner.invoke(app, args)
    stderr = check_said(result, lang)
    if not bad:
        assert result.exit_code == 0, (args, stderr)
        return
    assert result.exit_code != 0, (args, result.stdout)
    assert any(option in stderr for option in bad), (args, stderr)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(
    option=st.sampled_from(sorted(OPTIONS)),
    value=st.text(max_size=12),
    lang=st.sampled_from([None, "nb", "en"]),
)
def test_any_text_for_an_option_is_taken_or_said(option: str, value: str, lang: str | None) -> None:
    budget = [] if option == "--budget" else ["--budget", "1000000"]
    args = ["allocate", SMALL, "--dry-run", *budget, f"{option}={value}"]
    result = runner.invoke(app, [*args, *(["--lang", lang] if lang else [])])
    stderr = check_said(result, lang, typed=value)
    if result.exit_code != 0:
        assert option in stderr, (args, stderr)


FILE_GOOD = {
    "tie_break": ['["score desc", "id asc"]', '"requested asc"'],
    "quotas": [
        '[{by = "county", value = "03", max_share = "50 %"}]',
        '[{by = "county", value = "Oslo", max_count = 5}]',
        '[{by = "category", value = "Arkiv", max_count = 1}]',
        '[{by = "category", value = "*", max_share = "60 %"}]',
    ],
    "max_award": ["1000000"],
    "reserve": ["2"],
}
FILE_BAD = {
    "tie_break": ['["nosuch asc"]', '["Merknad desc"]'],
    "quotas": [
        '[{by = "county", value = "Atlantis", max_share = "50 %"}]',
        '[{by = "county", value = "99", max_count = 5}]',
    ],
    "max_award": ["-1"],
    "reserve": ["true"],
}


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), lang=st.sampled_from(["nb", "en"]))
def test_a_policy_file_is_taken_or_its_keys_named(data: st.DataObject, lang: str) -> None:
    keys = data.draw(st.lists(st.sampled_from(sorted(FILE_GOOD)), unique=True, min_size=1))
    lines = ["[policy]"]
    bad = []
    for key in keys:
        if data.draw(st.booleans()):
            lines.append(f"{key} = {data.draw(st.sampled_from(FILE_BAD[key]))}")
            bad.append(key)
        else:
            lines.append(f"{key} = {data.draw(st.sampled_from(FILE_GOOD[key]))}")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "policy.toml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        args = ["allocate", SMALL, "--dry-run", "--budget", "5M", "--policy", str(path)]
        result = runner.invoke(app, [*args, "--lang", lang])
        stderr = check_said(result, lang)
        if not bad:
            assert result.exit_code == 0, (lines, stderr)
            return
        assert result.exit_code != 0, (lines, result.stdout)
        word = "linje" if lang == "nb" else "line"
        for line in stderr.removeprefix("feil: ").removeprefix("error: ").splitlines():
            # The line of the key the problem names, whether the model or a rule found it.
            at = re.match(rf"{re.escape(str(path))}, {word} (\d+): (\w+)", line)
            assert at is not None, (lines, stderr)
            assert lines[int(at.group(1)) - 1].startswith(f"{at.group(2)} = "), (lines, stderr)
        assert any(re.search(rf"\b{key}(\[\d+\][\w.]*)?:", stderr) for key in bad), stderr
