"""Policy files as people may write them, right and wrong: generated, read, and judged.

Each generated document is a set of settings, each marked valid or not (the valid values are
chosen so that no two of them disagree: every min_award is below every max_award). A document
with no invalid setting must give a policy; any other must give one :class:`PolicyError` that
names the file and every setting that is wrong, in both languages, from the catalogue.
"""

from __future__ import annotations

import re
import string
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tilskudd.errors import PolicyError
from tilskudd.models import Policy
from tilskudd.policyfile import load_policy

# A key of the catalogue said as itself, a placeholder left unfilled, or Python showing through.
LEAKS = re.compile(
    r"\b(?:policy|programme|cli|output|read|validate|words)\.[a-z_]+\.[a-z_]+\b"
    r"|\{[a-z_:]+\}|Traceback|Decimal\(|PydanticCustomError|ValidationError|<class "
)

Setting = tuple[str, str, bool]
"""(key, its value as TOML text, whether the value is valid)."""

GOOD: dict[str, list[str]] = {
    "rule": ['"ranked"', '"proportional"', '"optimal"', '"lottery"'],
    "max_award": ["1000000", '"1 000 000"', '"2M"', '"1,5 mill."', "5000000"],
    "per_applicant_max": ["2000000", '"2 000 000"', '"3M"'],
    "min_award": ["0", "100", '"1 000"', '"0"'],
    "round_to": ["1", "1000", '"1 000"', "100"],
    "max_share_of_cost": ['"20 %"', "0.2", "20", '"0,2"', '"12,5 %"', '"100 %"', "0.5"],
    "min_score": ["4", "4.5", '"4,5"', '"-1"', "0"],
    "at_line": ['"skip"', '"stop"', '"partial"'],
    "reserve": ["0", "5"],
    "tie_break": ['["score desc", "id asc"]', '"requested asc"', '[{column = "id"}]', "[]"],
    "weight": ['"none"', '"score"'],
    "seed": ["0", "42", "-7"],
    "objective": ['"score"', '"count"', '"score_amount"'],
    "time_limit": ["1", "2.5", "60"],
    "lottery_band": ["0", "1.5", '"0,5"'],
}
BAD: dict[str, list[str]] = {
    "rule": ['"ranking"', '""', "1", "[1]", "{a = 1}", "true"],
    "max_award": ["-5", "0", '"abc"', '"20 %"', "1.5", "[1]", "{a = 1}", "true", '"-1"', "1e400"],
    "per_applicant_max": ["-1", '"x"', "true", "0"],
    "min_award": ["-1", '"abc"', "0.5", "true", "[0]"],
    "round_to": ["0", "-1000", '"x"', "1.5", "true"],
    "max_share_of_cost": [
        '"120 %"',
        "1",
        '"1"',
        "-0.1",
        "0",
        '"20M"',
        '"abc"',
        "true",
        "150",
        '"%"',
        "nan",
        '"1e-99999"',
        '"1e-999999999 %"',
    ],
    "min_score": [
        '"abc"',
        "true",
        "[1]",
        "nan",
        "inf",
        '"1e99999"',
        '"1e999999999"',
        '"1e-999999999"',
    ],
    "at_line": ['"sideways"', "1"],
    "reserve": ["-1", '"x"', "1.5", "true", "false"],
    "tie_break": [
        '["id sideways"]',
        "[1]",
        '[{column = "id", x = 1}]',
        '{column = "id"}',
        "[{}]",
        '[["id"]]',
        '"id asc extra"',
        "true",
    ],
    "weight": ['"both"', "0"],
    "seed": ['"abc"', "1.5", "true", "[1]"],
    "objective": ['"money"', "true"],
    "time_limit": ["0", "-1", '"x"', "inf", "nan", "true", "1e400"],
    "lottery_band": ["-1", '"x"', "nan", "inf", '"1e-999999999"', '"1e99999"', "true"],
}
assert set(GOOD) == set(BAD) == set(Policy.model_fields) - {"quotas"}

QUOTA_GOOD: dict[str, list[str]] = {
    "min_amount": ["0", "1000", '"1 000"'],
    "max_amount": ["1000000", '"2M"'],
    "min_share": ['"0 %"', "0.01", '"5 %"'],
    "max_share": ['"30 %"', "0.5", '"100 %"'],
    "min_count": ["0", "1"],
    "max_count": ["5", "100"],
}
QUOTA_BAD: dict[str, list[str]] = {
    "min_amount": ["-1", '"abc"', "true", "1.5"],
    "max_amount": ["-5", '"-5"', "[1]"],
    "min_share": ['"120 %"', "-1", '"x"', "true"],
    "max_share": ['"130 %"', "1", '"1e-99999"'],
    "min_count": ["-1", '"x"', "true"],
    "max_count": ["-2", "1.5"],
}


ZERO_MINIMUMS = ("0", '"0 %"')
"""The good values of a minimum that are 0: a quota with such minimums alone is refused."""


def _key(text: str) -> str:
    return text if re.fullmatch(r"[A-Za-z0-9_-]+", text) else f'"{text}"'


Quota = list[tuple[str, str]]
"""A quota's keys and their values as TOML text."""


@st.composite
def quota(draw: st.DrawFn) -> tuple[Quota, bool]:
    """One quota's keys, and whether it is valid."""
    valid = True
    parts: Quota = []
    by = draw(st.sampled_from(['"category"', '"county"', '"region"', "1", None]))
    if by is not None:
        parts.append(("by", by))
    valid &= by in ('"category"', '"county"')
    value = draw(st.sampled_from(['"Arkiv"', '"*"', "3", '""', "true", "[1]", None]))
    if value is not None:
        parts.append(("value", value))
    valid &= value in ('"Arkiv"', '"*"', "3")
    clash = draw(st.booleans())  # min_count above max_count: two good values that disagree
    names = sorted(set(QUOTA_GOOD) - ({"min_count", "max_count"} if clash else set()))
    limits = draw(st.lists(st.sampled_from(names), unique=True, max_size=3))
    good: list[tuple[str, str]] = []
    for name in limits:
        if draw(st.booleans()):
            good.append((name, draw(st.sampled_from(QUOTA_GOOD[name]))))
            parts.append(good[-1])
        else:
            parts.append((name, draw(st.sampled_from(QUOTA_BAD[name]))))
            valid = False
    if clash:
        parts += [("min_count", "7"), ("max_count", "3")]
        valid = False
    elif not limits:
        valid = False  # a quota needs a limit
    elif all(name.startswith("min_") and text in ZERO_MINIMUMS for name, text in good):
        valid = False  # minimums of 0 alone hold nothing
    if draw(st.booleans()):
        parts.append((draw(st.sampled_from(["bogus", "max_shre", "county"])), "1"))
        valid = False
    return parts, valid


@st.composite
def settings_(draw: st.DrawFn) -> tuple[list[Setting], list[tuple[Quota, bool]]]:
    """A policy's settings: each key at most once, some valid, some not; unknown keys too; and
    its quotas, if any."""
    keys = draw(st.lists(st.sampled_from(sorted(GOOD)), unique=True, max_size=6))
    out: list[Setting] = []
    for key in keys:
        if draw(st.integers(0, 2)) == 0:
            out.append((key, draw(st.sampled_from(BAD[key])), False))
        else:
            out.append((key, draw(st.sampled_from(GOOD[key])), True))
    quotas = draw(st.lists(quota(), max_size=3))
    unknown = draw(
        st.lists(
            st.one_of(
                st.sampled_from(["reserve"]),
                st.text(string.ascii_lowercase + "_", min_size=1, max_size=12),
            ),
            unique=True,
            max_size=2,
        )
    )
    # Unknown: not a setting of the policy (a random "reserve" is one, and "1" a good value).
    taken = {key for key, _, _ in out} | set(Policy.model_fields) | {"lang", "policy"}
    out += [(key, "1", False) for key in unknown if key not in taken]
    return out, quotas


QUOTA_STYLES = ("inline", "inline_lines", "tables")
"""How quotas are written: ``quotas = [{...}, {...}]``, the same one element a line, or one
``[[quotas]]`` (``[[policy.quotas]]``) table each."""


class Document:
    """A policy file's text, and the lines each setting may be named at: its key's line (a
    quota's key: that key's line, or the quota's own line, for a key it lacks)."""

    def __init__(
        self,
        found: list[Setting],
        quotas: list[tuple[Quota, bool]],
        *,
        table: bool,
        style: str,
        gaps: list[bool],
    ) -> None:
        self.lines = ["# a policy", "[policy]"] if table else ["# a policy"]
        self.at: dict[str, int] = {}
        self.quota_at: list[int] = []
        self.quota_keys: list[dict[str, int]] = []
        for (key, value, _), gap in zip(found, gaps + [False] * len(found), strict=False):
            if gap:  # blank lines and comments move the lines below them
                self.lines += ["", "# rule = 'ranked'"]
            self.add(f"{_key(key)} = {value}")
            self.at[key] = len(self.lines)
        if not quotas:
            return

        def inline(parts: Quota) -> str:
            return "{" + ", ".join(f"{_key(k)} = {v}" for k, v in parts) + "}"

        if style == "inline":
            self.add("quotas = [" + ", ".join(inline(q) for q, _ in quotas) + "]")
            for parts, _ in quotas:
                self.quota_at.append(len(self.lines))
                self.quota_keys.append({k: len(self.lines) for k, _ in parts})
        elif style == "inline_lines":
            self.add("quotas = [")
            for parts, _ in quotas:
                self.add(f"  {inline(parts)},  # a quota")
                self.quota_at.append(len(self.lines))
                self.quota_keys.append({k: len(self.lines) for k, _ in parts})
            self.add("]")
        else:
            for parts, _ in quotas:
                self.add("[[policy.quotas]]" if table else "[[quotas]]")
                self.quota_at.append(len(self.lines))
                keys = {}
                for k, v in parts:
                    self.add(f"{_key(k)} = {v}")
                    keys[k] = len(self.lines)
                self.quota_keys.append(keys)

    def add(self, line: str) -> None:
        self.lines.append(line)

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    def may_name(self, field: str, line: int) -> bool:
        """Whether a problem of ``field`` (``max_award``, ``quotas[2].value``) may be said at
        ``line``: the line of its key, or of its quota's table when the quota lacks the key."""
        quota_field = re.fullmatch(r"quotas\[(\d+)\](?:\.(\w+))?", field)
        if quota_field:
            index = int(quota_field.group(1)) - 1
            keys = self.quota_keys[index]
            key = quota_field.group(2)
            return line == (keys[key] if key in keys else self.quota_at[index])
        key = re.split(r"[.\[]", field, maxsplit=1)[0].strip('"')
        return line == self.at.get(key)


def named(key: str, message: str) -> bool:
    """The message names ``key``, as a setting (``key:``, ``key[1]``) of the file."""
    return re.search(rf"(?<![\w.]){re.escape(key)}(?:\[\d+\][\w.]*)?:", message) is not None


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    drawn=settings_(),
    table=st.booleans(),
    style=st.sampled_from(QUOTA_STYLES),
    gaps=st.lists(st.booleans(), max_size=8),
)
def test_a_policy_file_is_read_or_every_wrong_setting_is_named_at_its_line(
    drawn: tuple[list[Setting], list[tuple[Quota, bool]]],
    table: bool,
    style: str,
    gaps: list[bool],
) -> None:
    found, quotas = drawn
    doc = Document(found, quotas, table=table, style=style, gaps=gaps)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "runde 1.toml"
        path.write_text(doc.text, encoding="utf-8")
        wrong = [key for key, _, ok in found if not ok]
        if not all(ok for _, ok in quotas):
            wrong.append("quotas")
        if not wrong:
            load_policy(path)  # a valid policy is read
            return
        with pytest.raises(PolicyError) as caught:
            load_policy(path)
    for lang, word in (("nb", "linje"), ("en", "line")):
        message = caught.value.text(lang)
        assert not LEAKS.search(message), message
        for said in message.splitlines():
            # Every problem at the line of its key, or of its quota's table for a key it lacks.
            at = re.match(rf"{re.escape(str(path))}, {word} (\d+): ([^:]+): ", said)
            assert at is not None, (said, doc.text)
            assert doc.may_name(at.group(2), int(at.group(1))), (said, doc.text)
        for key in wrong:  # every one, in one run
            assert named(key, message), (key, message)


@settings(max_examples=100)
@given(text=st.text(max_size=60))
def test_any_text_is_a_policy_or_a_message_naming_the_file(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "policy.toml"
        path.write_text(text, encoding="utf-8")
        try:
            load_policy(path)
        except PolicyError as exc:
            error = exc
        else:
            return
    for lang in ("nb", "en"):
        message = error.text(lang)
        assert str(path) in message
        assert not LEAKS.search(message), message
