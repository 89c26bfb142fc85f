"""Errors that carry a catalogue key: English by str(), any language by text(lang)."""

from __future__ import annotations

import pickle
import re
import string
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
import typer

from tilskudd.cli import common
from tilskudd.errors import (
    AllocationInvariantError,
    LedgerError,
    LedgerFileError,
    ProgrammeError,
    TilskuddError,
    UsageError,
)
from tilskudd.i18n import Phrase, _catalogue, get
from tilskudd.rules import common as rules_common

NBSP = "\u00a0"


def test_a_keyed_error_is_english_by_str_and_any_language_by_text() -> None:
    exc = LedgerError(key="ledger.status.remaining", remaining=1_000)
    assert str(exc) == f"Remaining of the frame: NOK{NBSP}1,000."
    assert exc.text("en") == str(exc)
    assert exc.text("nb") == f"Igjen av rammen: 1{NBSP}000{NBSP}kr."
    assert exc.key == "ledger.status.remaining"
    assert exc.params == {"remaining": 1_000}
    assert exc.args == (str(exc),)


def test_an_error_with_a_text_is_that_text_in_every_language() -> None:
    exc = UsageError("no such option")
    assert exc.key is None
    assert exc.params == {}
    assert exc.text("nb") == exc.text("en") == str(exc) == "no such option"
    assert str(TilskuddError()) == ""


def test_an_unknown_language_falls_back_to_english() -> None:
    exc = LedgerError(key="ledger.status.remaining", remaining=5)
    assert exc.text("sv") == str(exc)


def test_a_phrase_parameter_is_rendered_in_the_language_of_the_text_around_it() -> None:
    inner = Phrase("ledger.count.projects", n=1_200)
    exc = LedgerError(key="ledger.cli.round_skip", round=1, problem=inner)
    assert str(exc) == "Round 1: not re-run: 1,200 projects."
    assert exc.text("nb") == f"Runde 1: ikke kjørt på nytt: 1{NBSP}200 prosjekter."
    assert str(inner) == inner.render("en") == "1,200 projects"
    assert inner == Phrase("ledger.count.projects", n=1_200)
    assert inner != Phrase("ledger.count.projects", n=1_201)
    assert "n=1200" in repr(inner)
    # the general path (string.Formatter) agrees with the compiled one
    assert get("nb")._formatter.format("{p}", p=inner) == inner.render("nb")


def test_a_keyed_error_survives_pickling() -> None:
    exc = LedgerError(key="ledger.status.remaining", remaining=7)
    again = pickle.loads(pickle.dumps(exc))
    assert type(again) is LedgerError
    assert str(again) == str(exc)
    assert again.text("nb") == exc.text("nb")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("nb", f"Igjen av rammen: 3{NBSP}000{NBSP}kr."),
        ("en", f"Remaining of the frame: NOK{NBSP}3,000."),
    ],
)
def test_the_guard_prints_the_error_in_the_commands_language(
    lang: str, expected: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(common, "_language", ["en"])
    monkeypatch.delenv("TILSKUDD_LANG", raising=False)

    def command() -> None:
        common.resolve_lang(None, lang)  # as a command resolves its language, inside the guard
        raise LedgerError(key="ledger.status.remaining", remaining=3_000)

    with pytest.raises(typer.Exit) as exit_info, common.guard():
        command()
    assert exit_info.value.exit_code == 1
    label = "feil" if lang == "nb" else "error"
    assert capsys.readouterr().err == f"{label}: {expected}\n"


def test_parameters_without_a_key_are_a_mistake() -> None:
    with pytest.raises(TypeError, match="parameters without a key: amount"):
        LedgerError("over the frame", amount=5)


# --- the ledger's messages ([ledger.error]) ----------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]
LEDGER_KEYS = sorted(k for k in _catalogue("en") if k.startswith("ledger.error."))


def _specs(template: str) -> dict[str, str]:
    """Each placeholder's spec; a count's words (``{n:column|columns}``), which differ by
    language, as ``plural``."""
    return {
        name: "plural" if spec and "|" in spec else spec or ""
        for _t, name, spec, _c in string.Formatter().parse(template)
        if name and name != "_"  # {_:kroner}: the currency shown, no parameter
    }


def test_every_ledger_error_key_has_both_languages_with_the_same_fields() -> None:
    assert len(LEDGER_KEYS) > 50
    assert {k for k in _catalogue("nb") if k.startswith("ledger.error.")} == set(LEDGER_KEYS)
    for key in LEDGER_KEYS:
        english, norwegian = _catalogue("en")[key], _catalogue("nb")[key]
        assert _specs(english) == _specs(norwegian), key
        assert english != norwegian, key


SAMPLES = {
    "money": 1_234_567,
    "list": ["«A»", "«B»"],
    "num": Decimal("4.5"),
    "pct": Decimal("0.2"),
    "time": "2009-04-15T10:00:00+00:00",
    "": "X-1",
    "plural": 2,
}


@pytest.mark.parametrize("key", LEDGER_KEYS)
@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_ledger_error_renders_with_every_placeholder_filled(key: str, lang: str) -> None:
    params = {name: SAMPLES[spec] for name, spec in _specs(_catalogue(lang)[key]).items()}
    exc = LedgerError(key=key, **params)
    text = exc.text(lang)
    assert "{" not in text, text
    assert "}" not in text, text
    assert key not in text  # not the unknown-key fallback
    if params:
        assert "X-1" in text or "1" in text
    assert str(exc) == exc.text("en")
    if lang == "nb" and "money" in _specs(_catalogue(lang)[key]).values():
        assert f"1{NBSP}234{NBSP}567{NBSP}kr" in text
        assert f"NOK{NBSP}1,234,567" in str(exc)


def test_every_ledger_error_key_the_code_names_is_in_the_catalogue() -> None:
    named: set[str] = set()
    for path in (ROOT / "src" / "tilskudd").rglob("*.py"):
        named |= set(re.findall(r"[\"'](ledger\.error\.[a-z_]+)[\"']", path.read_text("utf-8")))
    assert named, "no keys found"
    assert named <= set(LEDGER_KEYS), named - set(LEDGER_KEYS)
    # and nearly all of them are named literally (the rest: _sqlite_problem, the entry kinds;
    # "damaged" is also named by ledger._damaged)
    dynamic = {f"ledger.error.{k}" for k in ("not_writable", "disk")}
    dynamic |= {f"ledger.error.kind_{k}" for k in ("commit", "award", "amendment")}
    assert set(LEDGER_KEYS) - named == dynamic


def test_every_ledger_error_key_is_asserted_in_norwegian_by_a_test() -> None:
    sources = "".join(
        (ROOT / "tests" / name).read_text("utf-8")
        for name in ("test_ledger.py", "test_ledger_currency.py", "cli/test_programme_cli.py")
    )
    untested = [
        key
        for key in LEDGER_KEYS
        if f'"{key}"' not in sources and f'"{key.removeprefix("ledger.error.")}"' not in sources
    ]
    assert untested == []


def test_a_broken_rule_result_is_raised_as_a_bug_from_the_errors_module() -> None:
    # It lives with the other exceptions (mypyc cannot compile it inside rules/common.py) and
    # is still the one the rules raise: a bug, not an error a user made.
    assert rules_common.AllocationInvariantError is AllocationInvariantError
    assert issubclass(AllocationInvariantError, RuntimeError)
    assert not issubclass(AllocationInvariantError, TilskuddError)


@pytest.mark.parametrize(
    ("error", "english", "norwegian"),
    [
        (
            lambda: ProgrammeError(key="programme.error.frame_zero"),
            "the frame must be more than {} 0",
            "rammen må være mer enn 0 {}",
        ),
        (
            lambda: LedgerFileError(key="ledger.error.bad_amount", amount="x"),
            "the amount must be whole {}, 0 or more, not x",
            "beløpet må være hele {}, 0 eller mer, ikke x",
        ),
    ],
    ids=["programme", "ledger"],
)
def test_a_programme_or_ledger_error_says_its_amounts_in_its_own_currency_wherever_said(
    error: Callable[[], TilskuddError], english: str, norwegian: str
) -> None:
    from tilskudd.currency import amounts_in

    with amounts_in("SEK"):
        plain = error()
        assert plain.text("en") == english.format("SEK")  # the run's
        own = error()
        own.currency = "EUR"  # type: ignore[attr-defined]
        assert own.text("en") == english.format("EUR")
        assert own.text("nb") == norwegian.format("EUR")
    assert own.text("en") == english.format("EUR")
