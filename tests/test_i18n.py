"""The catalogues: every language has the same keys, and formats numbers its own way."""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import partial
from importlib import resources
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tilskudd import i18n
from tilskudd.i18n import (
    Phrase,
    Translator,
    _catalogue,
    _Defaults,
    as_sentence,
    format_date,
    format_number,
    format_share,
    format_time,
    get,
    languages,
)
from tilskudd.money import format_amount

NBSP = "\u00a0"


def test_languages_are_the_catalogue_files() -> None:
    assert set(languages()) >= {"en", "nb"}


@pytest.mark.parametrize("lang", ["nb"])
def test_every_key_exists_in_every_language(lang: str) -> None:
    english = set(_catalogue("en"))
    other = set(_catalogue(lang))
    assert english - other == set(), f"missing in {lang}"
    assert other - english == set(), "missing in en"


def test_placeholders_agree_between_languages() -> None:
    def fields(template: str) -> set[str]:
        return {name for _t, name, _s, _c in string.Formatter().parse(template) if name}

    english = _catalogue("en")
    for key, template in _catalogue("nb").items():
        assert fields(template) <= fields(english[key]) | {"n"}, key


def test_the_norwegian_catalogue_has_one_word_for_the_seed() -> None:
    # The lottery's reasons and notes say "startverdi"; the policy sheet, the comparison and the
    # message of a drawn seed said "frø" ("Frø for tilfeldighet", "Tilfeldig frø (seed)"), so one
    # workbook named the same number two ways.
    catalogue = _catalogue("nb")
    assert [key for key, text in catalogue.items() if "frø" in text.lower()] == []
    for key in ("ui.basis.seed", "ui.policy.seed", "compare.seed", "cli.seed_drawn"):
        assert "startverdi" in catalogue[key].lower(), key


def test_the_norwegian_catalogue_says_innfil_and_utfil_as_the_guide_and_help_do() -> None:
    # The guide (docs/veiledning.md) and --help say "innfil"/"utfil"; messages, the award
    # workbook's Grunnlag sheet and the ledger export said "innfil"/"utfil", so one
    # session named the same file two ways.
    help_text = (resources.files("tilskudd") / "locales" / "help" / "nb.toml").read_text(
        encoding="utf-8"
    )
    texts = [*_catalogue("nb").values(), help_text]
    assert [t for t in texts if re.search(r"(inn|ut)datafil", t, re.IGNORECASE)] == []
    assert any("innfil" in t.lower() for t in texts)
    assert any("utfil" in t.lower() for t in texts)


def test_the_english_catalogue_writes_amounts_as_nok() -> None:
    # English output writes NOK 1,000 (format_amount); "expected an amount above 0 kr" in the
    # English workbook's list of problems was the Norwegian form. Only the message that shows
    # how amounts may be typed in a sheet quotes Norwegian forms on purpose.
    typed_forms = {"validate.amount_invalid"}
    found = {
        key: text
        for key, text in _catalogue("en").items()
        if key not in typed_forms and re.search(r"\d kr\b", text)
    }
    assert found == {}


def test_the_english_catalogue_does_not_say_ore() -> None:
    # "a fraction of an øre" told an officer reading English, in a round in pounds or francs
    # too, that a cell had too many decimals in a word only Norwegians know.
    found = {
        key: text
        for key, text in _catalogue("en").items()
        if re.search(r"(?<!\w)øre(?!\w)", text, re.IGNORECASE)
    }
    assert found == {}
    said = get("en")("validate.amount_fraction_ore", value="833.333333333333")
    assert said.startswith("'833.333333333333' has more than two decimals; expected an amount")


def test_an_amount_is_formatted_as_money_in_both_languages() -> None:
    # The test above reads the templates, where an amount is a field: "{amount:num} kr" or
    # "{amount} kr" would pass it and print "1,000 kr" or "1000 kr" in English. A field written
    # {x:money} in one language is written so in the other.
    def money_fields(template: str) -> set[str]:
        return {
            name
            for _t, name, spec, _c in string.Formatter().parse(template)
            if name and spec == "money"
        }

    english = _catalogue("en")
    differ = {
        key: (money_fields(template), money_fields(english[key]))
        for key, template in _catalogue("nb").items()
        if money_fields(template) != money_fields(english[key])
    }
    assert differ == {}


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_published_reasons_and_notes_have_no_either_number_plurals(lang: str) -> None:
    # "Hoppet over: Akershus har allerede sitt maksimum på 1 innvilget(e) søknad(er)" is a
    # form, not a sentence a citizen reads in a decision; the reasons, the notes and explain
    # are written so that any count reads right.
    found = {
        key: text
        for key, text in _catalogue(lang).items()
        if key.startswith(("reason.", "note.", "explain."))
        and any(mark in text for mark in ("(s)", "(er)", "(e)"))
    }
    assert found == {}


def test_money_num_pct_and_list_specs() -> None:
    nb, en = get("nb"), get("en")
    template = "{amount:money} {n:num} {share:pct} {ids:list}"
    # Render through a key-less template via the formatter the translator uses.
    assert nb._formatter.format(
        template, amount=3_300_000, n=1450, share=Decimal("0.2"), ids=["A", "B", "C"]
    ) == (f"3{NBSP}300{NBSP}000{NBSP}kr 1{NBSP}450 20{NBSP}% A, B og C")
    assert en._formatter.format(
        template, amount=3_300_000, n=1450, share=Decimal("0.2"), ids=["A", "B", "C"]
    ) == (f"NOK{NBSP}3,300,000 1,450 20% A, B and C")


def test_unknown_key_keeps_its_information() -> None:
    assert get("nb")("no.such.key", amount=5) == "no.such.key(amount=5)"


def test_status_words() -> None:
    assert get("nb")("status.partly_funded") == "delvis innvilget"
    assert get("en")("status.rejected") == "rejected"


def test_dates_and_shares() -> None:
    assert format_date(date(2026, 11, 28), "nb") == "28. november 2026"
    assert format_date(date(2026, 11, 28), "en") == "28 November 2026"
    assert format_share(Decimal("0.375"), "nb") == f"37,5{NBSP}%"
    assert re.fullmatch(r"37\.5%", format_share(Decimal("0.375"), "en"))


def test_a_recorded_time_is_said_in_norways_time() -> None:
    # The ledger records UTC; an officer reads the time it is in Norway, summer time included.
    assert format_time("2009-04-15T10:00:00+00:00", "nb") == "15. april 2009 kl. 12.00"
    assert format_time("2009-04-15T10:00:00+00:00", "en") == (
        "15 April 2009 at 12:00 Norwegian time"
    )
    assert format_time("2009-11-04T09:00:00+00:00", "nb") == "4. november 2009 kl. 10.00"
    # 23:30 UTC on 31 December is already the new year in Norway; no zone is read as UTC.
    assert format_time("2025-12-31T23:30:00", "nb") == "1. januar 2026 kl. 00.30"
    assert format_time("not a time", "en") == "not a time"  # a message is never lost
    # Through a catalogue, both ways a template is rendered (compiled and general).
    for lang, said in (("nb", "kl. 12.00"), ("en", "at 12:00 Norwegian time")):
        text = get(lang)(
            "ledger.error.commit_described", round=1, when="2009-04-15T10:00:00Z", seq=1
        )
        assert said in text, text


def test_missing_parameter_renders_a_question_mark_not_a_crash() -> None:
    nb = get("nb")
    assert nb._formatter.vformat("{amount:money} {n:num} {x}", (), _Defaults({})) == "? ? ?"


# -- compiled templates against the general string.Formatter path -----------------------------

MISSING = object()  # a profile value meaning "leave the parameter out"

# Per spec, the values a message meets: whole numbers (0, large, negative), Decimals, None,
# lists; ``MISSING`` leaves the parameter out (it shows as "?").
VALUES: dict[str, list[Any]] = {
    "money": [0, 1, 999, 1_000, 3_300_000, 10**15, -1_234, Decimal("2800000"), True, None, MISSING],
    "num": [0, 7, 1_450, 10**12, -3, Decimal(72), Decimal("72.5"), Decimal("1E+3"), 0.5, None],
    "pct": [Decimal("0.2"), Decimal("0.375"), Decimal("0.20"), 0, 1, Decimal("1E-7"), 0.25, None],
    "list": [["A", "B", "C"], ["A"], [], ("X", "Y"), "single", [1, 2], None, MISSING],
    "or": [["A", "B", "C"], ["A"], [], ("X", "Y"), "single", [1, 2], None, MISSING],
    "then": [["A", "B", "C"], ["A"], [], ("X", "Y"), "single", [1, 2], None, MISSING],
    "sheet": ["Søknader", "Runde 1 ", "O'Brien", "Ark_2", "", 3, None, MISSING],
    "sheets": [["Søknader", "Runde 1 "], ["A"], [], ("X", " Y"), "single", None, MISSING],
    "time": ["2009-04-15T10:00:00+00:00", "2026-07-01T22:30:00", "2009-04-15", "not a time", None],
    "": ["text", "ends with a dot.", "  padded  ", "", 5, 0, Decimal("1.50"), None, ["a"], True],
    # The round's currency in words: no parameter to give ({_:kroner}).
    **{
        spec: [MISSING, "ignored"]
        for spec in ("kroner", "kr", "zero", "typed", "one", "thousand", "exact", "hundredths")
    },
}


def _template(lang: str, key: str) -> str:
    return _catalogue(lang).get(key) or _catalogue("en")[key]


def _fields(template: str) -> list[tuple[str, str]]:
    fields: list[tuple[str, str]] = []
    for _t, name, spec, _c in string.Formatter().parse(template):
        if name and "~" in name:  # {low~high:scores}: two numbers
            fields += [(part, "num") for part in name.split("~")]
        elif name and "|" in (spec or ""):  # {n:søknad|søknader}: words for a count
            fields.append((name, "num"))
        elif name:
            fields.append((name, spec or ""))
    return fields


def _profiles(template: str) -> list[dict[str, Any]]:
    """Parameter sets for a template: each row of VALUES in turn, none at all, each one left out."""
    fields = _fields(template)
    rows = max(len(v) for v in VALUES.values())
    profiles = [{n: VALUES[s][i % len(VALUES[s])] for n, s in fields} for i in range(rows)]
    profiles += [{}, *({n: v for n, v in profiles[0].items() if n != gone} for gone, _s in fields)]
    return [{n: v for n, v in p.items() if v is not MISSING} for p in profiles]


def _general(lang: str, template: str, params: dict[str, Any]) -> str:
    return get(lang)._formatter.vformat(template, (), _Defaults(params))


ALL_KEYS = sorted(set(_catalogue("en")) | set(_catalogue("nb")))


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_every_key_renders_as_string_formatter_would(lang: str) -> None:
    t = get(lang)
    checked = 0
    for key in ALL_KEYS:
        template = _template(lang, key)
        for params in _profiles(template):
            expected = _general(lang, template, params)
            assert t.render(key, params) == expected, (key, params)
            assert t(key, **params) == expected, (key, params)
            assert t.sentence(key, params) == as_sentence(expected), (key, params)
            checked += 1
    assert checked > 10 * len(ALL_KEYS)
    # templates of every length the fill functions are written out for, and longer
    lengths = {min(len(_fields(_template(lang, key))), 5) for key in ALL_KEYS}
    assert lengths == {0, 1, 2, 3, 4, 5}


@st.composite
def _key_and_params(draw: st.DrawFn) -> tuple[str, str, dict[str, Any]]:
    lang = draw(st.sampled_from(["nb", "en"]))
    key = draw(st.sampled_from(ALL_KEYS))
    values = {
        "money": st.integers() | st.decimals(allow_nan=False, allow_infinity=False) | st.none(),
        "num": st.integers() | st.decimals(allow_nan=False, allow_infinity=False) | st.none(),
        "pct": st.integers(-(10**6), 10**6)
        | st.decimals(allow_nan=False, allow_infinity=False, places=6)
        | st.none(),
        "list": st.lists(st.text(max_size=5), max_size=4) | st.text(max_size=5) | st.none(),
        "or": st.lists(st.text(max_size=5), max_size=4) | st.text(max_size=5) | st.none(),
        "then": st.lists(st.text(max_size=5), max_size=4) | st.text(max_size=5) | st.none(),
        "sheet": st.text(max_size=8) | st.none(),
        "sheets": st.lists(st.text(max_size=5), max_size=4) | st.text(max_size=5) | st.none(),
        "time": st.datetimes().map(datetime.isoformat) | st.text(max_size=8) | st.none(),
        "": st.text(max_size=8) | st.integers() | st.decimals(allow_nan=False) | st.none(),
        **dict.fromkeys(
            ("kroner", "kr", "zero", "typed", "one", "thousand", "exact", "hundredths"),
            st.text(max_size=3) | st.none(),
        ),
    }
    params = {}
    for name, spec in _fields(_template(lang, key)):
        if draw(st.booleans()) or draw(st.booleans()):  # a quarter of them left out
            params[name] = draw(values[spec])
    return lang, key, params


@given(_key_and_params())
def test_any_parameters_render_as_string_formatter_would(
    case: tuple[str, str, dict[str, Any]],
) -> None:
    lang, key, params = case
    expected = _general(lang, _template(lang, key), params)
    assert get(lang).render(key, params) == expected
    assert get(lang).sentence(key, params) == as_sentence(expected)


@given(st.integers(), st.sampled_from(["nb", "en"]))
def test_whole_numbers_take_the_short_path_to_the_same_text(value: int, lang: str) -> None:
    shows = get(lang)._shows
    assert shows["money"](value) == format_amount(value, lang) == format_amount(int(value), lang)
    assert shows["num"](value) == format_number(value, lang)
    assert shows["num"](value) == format_number(Decimal(value), lang)  # the general path


@pytest.fixture
def extended(monkeypatch: pytest.MonkeyPatch) -> Callable[[str, dict[str, str]], Translator]:
    """A fresh translator whose catalogue has some templates of the test's own."""

    def make(lang: str, extra: dict[str, str]) -> Translator:
        catalogues = {code: {**_catalogue(code), **extra} for code in languages()}
        monkeypatch.setattr(i18n, "_catalogue", catalogues.__getitem__)
        return Translator(lang)

    return make


def test_what_the_catalogues_do_not_use_takes_the_general_path(
    extended: Callable[[str, dict[str, str]], Translator],
) -> None:
    @dataclass
    class Place:
        name: str

    templates = {
        "x.convert": "{x!r} and {x!s}",
        "x.attribute": "{place.name} ({n:num})",
        "x.index": "first {ids[0]}, then {ids[1]}",
        "x.nested": "[{x:>{width}}]",
        "x.spec": "[{x:>6}] {y:.2f}",
    }
    t = extended("en", templates)
    params = {"x": "ab", "place": Place("Moss"), "n": 1450, "ids": ["A", "B"], "width": 4}
    params["y"] = Decimal("2.5")
    assert t("x.convert", **params) == "'ab' and ab"
    assert t("x.attribute", **params) == "Moss (1,450)"
    assert t("x.index", **params) == "first A, then B"
    assert t("x.nested", **params) == "[  ab]"
    assert t("x.spec", **params) == "[    ab] 2.50"
    assert t("x.spec") == "[?] ?"  # a missing value is "?" whatever the spec
    for key, template in templates.items():
        # the general path, bound to the template; other specs are only format(value, spec)
        assert isinstance(t._compile(key)[0], partial) == (key != "x.spec")
        assert t(key, **params) == t._formatter.vformat(template, (), _Defaults(params))


def test_words_after_a_count_agree_with_it(
    extended: Callable[[str, dict[str, str]], Translator],
) -> None:
    template = "minst {n:# innvilget søknad|# innvilgede søknader} ({n:num})"
    t = extended("nb", {"x.count": template})
    assert t("x.count", n=1) == "minst 1 innvilget søknad (1)"
    assert t("x.count", n=Decimal(1)) == "minst 1 innvilget søknad (1)"
    assert t("x.count", n=0) == "minst 0 innvilgede søknader (0)"
    assert t("x.count", n=1450) == f"minst 1{NBSP}450 innvilgede søknader (1{NBSP}450)"
    assert t("x.count", n=None) == "minst – innvilgede søknader (–)"
    assert t("x.count") == "minst ? (?)"
    for params in ({"n": 1}, {"n": 2}, {"n": Decimal("1.5")}, {"n": None}, {}):
        general = t._formatter.vformat(template, (), _Defaults(params))
        assert t.render("x.count", params) == general
        assert t.sentence("x.count", params) == as_sentence(general)


def test_unbalanced_braces_fail_as_str_format_does(
    extended: Callable[[str, dict[str, str]], Translator],
) -> None:
    t = extended("en", {"x.broken": "a { b"})
    # str.format's own words for it (string.Formatter and the compiler parse the same way)
    with pytest.raises(ValueError, match=r"^expected '}' before end of string$"):
        t("x.broken")


def test_a_key_missing_in_norwegian_falls_back_to_english(
    extended: Callable[[str, dict[str, str]], Translator], monkeypatch: pytest.MonkeyPatch
) -> None:
    t = extended("nb", {})
    catalogues = {"en": {**_catalogue("en"), "x.only_en": "{n:num} kroner {a:money}"}}
    catalogues["nb"] = _catalogue("nb")
    monkeypatch.setattr(i18n, "_catalogue", catalogues.__getitem__)
    # Norwegian numbers in the English words: the language formats, the catalogue words.
    assert t("x.only_en", n=1450, a=5000) == f"1{NBSP}450 kroner 5{NBSP}000{NBSP}kr"
    assert t.sentence("x.only_en", {"n": 2}) == "2 kroner ?."


def test_unknown_keys_show_every_parameter_in_order() -> None:
    assert get("en").render("no.such", {"b": 2, "a": None}) == "no.such(b=2, a=None)"
    assert get("en").sentence("no.such", {}) == "No.such."


def test_phrases_become_sentences() -> None:
    assert as_sentence("  capped at 20 %.  ") == "Capped at 20 %."
    assert as_sentence("øre. ") == "Øre."
    assert as_sentence(" . ") == ""
    assert as_sentence("") == ""


def test_sentence_forms_are_decided_once_where_the_template_allows() -> None:
    t = get("en")
    # Literal text at both ends, or a number at the end: the capital and the stop are built in
    # (a generated function); otherwise each text is made a sentence after it is filled.
    built_in = t._compile("reason.cap.round_to")[1]
    assert not isinstance(built_in, partial)
    assert built_in({"step": 1_000}) == f"Rounded down to a whole multiple of NOK{NBSP}1,000."
    # The officer's own text ends the override reason: it may end with its own full stop.
    assert isinstance(t._compile("reason.override.fund")[1], partial)
    reason = {"amount": 5_000, "text": "late, but the best project. "}
    assert t.sentence("reason.override.fund", reason) == (
        f"Funded with NOK{NBSP}5,000 by manual override; the officer's reason: "
        "late, but the best project."
    )


def test_quotes_braces_and_line_breaks_in_templates_survive(
    extended: Callable[[str, dict[str, str]], Translator],
) -> None:
    text = 'quotes \' " """ and {{braces}} \\n {n:num}\n'
    t = extended("en", {"x.quoted": text, "x.empty": "", "x.only": "{n}"})
    assert t("x.quoted", n=5) == 'quotes \' " """ and {braces} \\n 5\n'
    assert t("x.empty", n=5) == ""
    assert t("x.only") == "?"


def test_shares_of_equal_value_but_other_types_are_not_confused() -> None:
    # Decimal.from_float(0.1) is the float 0.1 exactly, so the two are equal and hash alike; a cache
    # keyed on the value alone would give one of them the other's text.
    assert format_share(0.1, "en") == "10%"
    assert format_share(Decimal.from_float(0.1), "en").startswith("10.000000000000000555")
    assert format_share(0.1, "en") == "10%"
    assert format_share(Decimal("0.20"), "nb") == format_share(Decimal("0.2"), "nb") == f"20{NBSP}%"


def test_a_signalling_nan_share_fails_as_before() -> None:
    with pytest.raises(InvalidOperation):
        format_share(Decimal("sNaN"), "en")


def test_the_last_share_shown_is_remembered_for_that_object_only() -> None:
    pct = get("nb")._shows["pct"]
    policy_share, other = Decimal("0.2"), Decimal("0.375")
    assert [pct(policy_share), pct(policy_share), pct(other), pct(policy_share)] == [
        f"20{NBSP}%",
        f"20{NBSP}%",
        f"37,5{NBSP}%",
        f"20{NBSP}%",
    ]
    assert [pct(0.25), pct(None), pct(1)] == [f"25{NBSP}%", "–", f"100{NBSP}%"]


def test_the_or_spec_joins_alternatives_in_the_language() -> None:
    for lang, word in (("nb", "eller"), ("en", "or")):
        t = get(lang)
        assert t._formatter.vformat("{x:or}", (), _Defaults({"x": ["A", "B", "C"]})) == (
            f"A, B {word} C"
        )
    assert get("nb")("policy.error.literal", expected=["skip", "stop", "partial"]) == (
        "forventet skip, stop eller partial"
    )
    assert get("en")("policy.error.literal", expected=["skip"]) == "expected skip"


def test_the_then_spec_says_an_order_in_the_language() -> None:
    for lang, word in (("nb", "så"), ("en", "then")):
        t = get(lang)
        assert t._formatter.vformat("{x:then}", (), _Defaults({"x": ["A = B", "C"]})) == (
            f"A = B, {word} C"
        )
        assert t._formatter.vformat("{x:then}", (), _Defaults({"x": ["A"]})) == "A"


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_every_policy_setting_is_explained_in_the_basis_sheet(lang: str) -> None:
    """The workbook's basis sheet explains each setting it lists (ui.policy.<name>)."""
    from tilskudd.models import Policy

    catalogue = _catalogue(lang)
    missing = [name for name in Policy.model_fields if f"ui.policy.{name}" not in catalogue]
    assert missing == []


def test_a_decimal_without_a_spec_and_a_list_of_phrases_follow_the_language(
    extended: Callable[[str, dict[str, str]], Translator],
) -> None:
    """A score or a cell's number shown as it is (``{value}``) was written with a point in
    Norwegian too ('-1.5'); a phrase among a list's items was said in English."""
    extra = {"x.plain": "'{value}': {items:list}", "x.item": "{id} ({score:num})"}
    items = [Phrase("x.item", id="A", score=Decimal("-1.5")), Decimal("2.25"), "C"]
    params = {"value": Decimal("-1.5"), "items": items}
    nb = extended("nb", extra)
    assert nb.render("x.plain", params) == "'-1,5': A (-1,5), 2,25 og C"
    assert nb._render_general("'{value}': {items:list}", params) == "'-1,5': A (-1,5), 2,25 og C"
    en = Translator("en")
    assert en.render("x.plain", params) == "'-1.5': A (-1.5), 2.25 and C"
    assert en._render_general("'{value}': {items:list}", params) == "'-1.5': A (-1.5), 2.25 and C"


@pytest.mark.parametrize(
    ("value", "nb"),
    [
        ("rankd", "«rankd»"),
        ("a\tb\n", "«a\\tb\\n»"),  # the ends, and what is between them, seen
        ("Ålesund", "«Ålesund»"),  # printable letters as they are
        (["a", 2, ["b"]], "[«a», 2, [«b»]]"),
        ([], "[]"),
        (5, "5"),
        (1.5, "1.5"),
    ],
)
def test_a_given_value_is_quoted_the_way_of_the_language(value: Any, nb: str) -> None:
    """i18n.quoted: bokmål quotes with «»; English with '', as repr() quoted it before."""
    shown = i18n.quoted(value)
    assert get("nb")("policy.error.line_given", where="w", field="f", message="m", given=shown) == (
        f"w: f: m (oppgitt: {nb})"
    )
    assert get("en")("cli.usage.given_twice", option="-o", values=[shown, shown]) == (
        f"option -o is given more than once: {value!r} and {value!r}; give it once"
    )


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_every_message_shows_a_sheet_name_as_a_formula_writes_it(lang: str) -> None:
    """A field named ``sheet`` or ``sheets`` holds a sheet's name (or names), shown by the
    catalogue's ``sheet``/``sheets`` format ('Runde 1 ', a trailing space visible): a new
    message that forgets it shows the name bare, where a space at either end is lost."""
    plain = [
        f"{key}: {{{name}}}"
        for key, template in _catalogue(lang).items()
        for name, spec in _fields(template)
        if name in ("sheet", "sheets") and spec != name
    ]
    assert plain == []
    t = get(lang)
    shown = t("read.error.sheet_not_found", file="f.xlsx", sheet="Runde 1 ", sheets=["A", "B c"])
    assert "'Runde 1 '" in shown
    assert "'B c'" in shown


@pytest.mark.parametrize(
    ("sheet", "shown"),
    [
        ("Søknader", "Søknader"),
        ("Runde_1", "Runde_1"),
        ("Sheet1", "Sheet1"),  # SHEET is past the last column, XFD
        ("A1", "'A1'"),
        ("ab12", "'ab12'"),
        ("Ark1", "'Ark1'"),  # bokmål Excel's first sheet: ARK is a column since Excel 2007
        ("XFD1048576", "'XFD1048576'"),
        ("XFD1048577", "XFD1048577"),  # past the last row
        ("R1C1", "'R1C1'"),
        ("R2D2", "'R2D2'"),  # begins with a row in R1C1 style
        ("RC", "'RC'"),
        ("c", "'c'"),
        ("Rapport", "Rapport"),
        ("TRUE", "'TRUE'"),
        ("False", "'False'"),
        ("2024", "'2024'"),
        ("Runde 1 ", "'Runde 1 '"),
    ],
)
def test_a_sheet_name_is_quoted_where_excel_quotes_it(sheet: str, shown: str) -> None:
    """Letters and digits that a formula would read as a cell, a row or column, a number or a
    truth value are quoted as Excel quotes them (``'A1'!B3``): bare, ``A1!B3`` reads as two
    cells. In every message that names the sheet, and in a cell's location."""
    from tilskudd.models import Location

    assert i18n.sheet_reference(sheet) == shown
    assert Location(file="f.xlsx", sheet=sheet, row=3, column="B").cell == f"{shown}!B3"
    for lang in ("nb", "en"):
        said = get(lang)("read.error.sheet_not_found", file="f.xlsx", sheet=sheet, sheets=[sheet])
        assert said.count(shown) == 2


@given(st.text(alphabet=string.ascii_letters + string.digits + "_", min_size=1, max_size=12))
@example("_")  # underscores alone: no letter or digit, and still bare
@example("__1")
@example("A1")
@example("R2D2")
@example("true")
def test_a_sheet_name_is_quoted_as_xlsxwriter_quotes_it(sheet: str) -> None:
    """XlsxWriter's rules, found by writing such names in Excel; and a truth value, which
    Excel also reads as one."""
    from xlsxwriter.utility import quote_sheetname

    truth = sheet.upper() in ("TRUE", "FALSE")
    expected = f"'{sheet}'" if truth else quote_sheetname(sheet)
    assert i18n.sheet_reference(sheet) == expected
