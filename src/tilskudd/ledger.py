"""The ledger: an append-only record of a programme's committed rounds, awards and amendments.

One SQLite file (the standard library's :mod:`sqlite3`, rollback journal, ``synchronous = FULL``;
not WAL, which is unsafe on the shared network drive a ledger is kept on) beside the programme
file. What it guarantees, each with a test on a real file:

- **All or nothing.** A round is committed in one ``BEGIN IMMEDIATE`` transaction; a process
  killed in the middle leaves the ledger as it was. IMMEDIATE takes the write lock before
  anything is read, so two processes committing at once are serialised and the second sees the
  first's awards when it checks the frame.
- **Never twice, never over the frame.** The same round, or the same input (SHA-256) with the same
  policy, is refused naming the earlier commit; so is a commit whose awards exceed what remains
  of the frame (the frame minus every award as amended or withdrawn).
- **Append-only.** Amendments and withdrawals are new entries; triggers make SQLite refuse any
  UPDATE or DELETE of a recorded row.
- **Tamper-evident.** Every entry stores its canonical JSON and ``hash = sha256(previous hash +
  JSON)``; :meth:`Ledger.verify_chain` recomputes the chain and compares each row with its entry,
  so an edit made outside tilskudd (say with the sqlite3 shell after dropping a trigger) is
  found and the first entry that differs is named.
- **Only our own files.** A file that is not SQLite, a SQLite file of another program (checked by
  the header's application id, before SQLite ever opens it) or a ledger from a newer tilskudd
  (``user_version`` above :data:`SCHEMA_VERSION`) is refused and never modified.

**Organisations** are recorded in ``awards.orgnr`` (TEXT) as the round counts them for
``per_applicant_max`` (:attr:`~tilskudd.models.Application.organisation`): the Norwegian
organisation number, else, for a recipient without one, its identifier in another register as
the input gave it (``GB-CHC-1234567``, from 360Giving's ``Recipient Org:Identifier``), else NULL.
The maximum across rounds, the check that a project is not funded twice (the same organisation
and title), amendments and ``history`` all match on it as a round compares it
(:func:`~tilskudd.orgid.organisation_key`): ``gb-chc-1234567`` recorded in one round is
``GB-CHC-1234567`` in another, while the text recorded is the one the input gave. A stored
value is told apart by its form (:func:`split_organisation`): an organisation number is nine
digits and nothing else (the pattern of :attr:`Application.orgnr`), so every ledger written
before holds only those. An identifier in another register can never be taken for another
organisation's number: one in org-id.guide's form begins with letters (a country's code, then a
list's), a placeholder such as ``N/A`` or ``-`` is never kept
(:func:`~tilskudd.models.other_organisation`), and any other is a number only if it is nine
digits alone, the text a round already counts as that organisation number (both are the same
key of ``per_applicant_max``), so the ledger reading it as one agrees with the round. A round
committed before foreign identifiers were recorded holds NULL for them: its awards are matched
by application id alone, as they were then.

The schema is versioned by ``PRAGMA user_version``; :data:`MIGRATIONS` holds the SQL steps from
each version to the next and every older ledger is upgraded on open, in one transaction.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import sqlite3
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

from tilskudd import __version__, clock
from tilskudd.controls import visible, visible_in
from tilskudd.currency import CODES, NOK, amounts_in
from tilskudd.errors import (
    AmendmentBeyondPolicyError,
    AmendmentRefusedError,
    LedgerError,
    LedgerFileError,
    LedgerIntegrityError,
    TilskuddError,
)
from tilskudd.i18n import Phrase, quoted
from tilskudd.models import (
    ALREADY_FUNDED,
    Allocation,
    Application,
    Issue,
    RejectedRow,
    RoundResult,
    Status,
    funded_before_ids,
    read_id,
)
from tilskudd.orgid import organisation_key
from tilskudd.programme import Programme

if TYPE_CHECKING:
    from tilskudd.rules.quotas import GroupTotal

__all__ = [
    "ALREADY_FUNDED",
    "APPLICATION_ID",
    "CURRENCY_KEY",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "AmendmentRecord",
    "AwardRecord",
    "ChainReport",
    "ChangeOutOfOrder",
    "CommitInfo",
    "CommitRecord",
    "FrameSummary",
    "Ledger",
    "LedgerStatus",
    "PriorAward",
    "RoundCaps",
    "RoundContext",
    "RoundStatus",
    "amend",
    "changes_out_of_order",
    "commit_round",
    "currency_of",
    "exists",
    "export",
    "file_sha256",
    "frame_remaining",
    "frame_summary",
    "generated_ids",
    "history",
    "normalise_title",
    "quota_lines",
    "refused_as_busy",
    "reserve_list",
    "round_context",
    "round_status",
    "split_organisation",
    "status",
    "status_lines",
    "with_changes",
    "withdraw",
]

APPLICATION_ID = 0x544B4C47
"""``PRAGMA application_id`` of a tilskudd ledger ("TKLG"), at offset 68 of the file header."""
MAGIC = "tilskudd-ledger"
"""The ``meta`` table's ``application`` value, a second mark that a file is ours."""
GENESIS = "0" * 64
"""The "previous hash" of the first entry."""
CURRENCY_KEY = "currency"
"""The ``meta`` key of the ledger's currency (ISO 4217), recorded by its first commit: the
programme's. A ledger that records none is in Norwegian kroner (made before it was recorded)
or holds no round yet."""

_JOURNAL_KEY = "journal"
"""The ``meta`` key that says the ledger is kept with the rollback journal (schema 10 on)."""

_APPEND_ONLY = ("meta", "chain", "commits", "awards")


def _guard_triggers(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} BEGIN "
        f"SELECT RAISE(ABORT, 'tilskudd ledger is append-only: {table} rows are never changed'); "
        "END",
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} BEGIN "
        f"SELECT RAISE(ABORT, 'tilskudd ledger is append-only: {table} rows are never deleted'); "
        "END",
    ]


MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # v0 -> v1: the chain, committed rounds and their decisions.
    (
        f"PRAGMA application_id = {APPLICATION_ID}",
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        # The hash chain: every recorded row of every table is one entry, in order.
        """CREATE TABLE chain (
            seq INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            body TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL UNIQUE
        )""",
        """CREATE TABLE commits (
            seq INTEGER PRIMARY KEY REFERENCES chain(seq),
            round INTEGER NOT NULL UNIQUE,
            round_name TEXT,
            committed_at TEXT NOT NULL,
            programme TEXT NOT NULL,
            funder TEXT,
            frame INTEGER NOT NULL,
            budget INTEGER NOT NULL,
            awarded INTEGER NOT NULL CHECK (awarded >= 0),
            unallocated INTEGER NOT NULL CHECK (unallocated >= 0),
            applications INTEGER NOT NULL,
            input_file TEXT,
            input_path TEXT,
            input_sha256 TEXT NOT NULL,
            reading TEXT NOT NULL,
            policy TEXT NOT NULL,
            rule TEXT NOT NULL,
            seed INTEGER,
            tool_version TEXT NOT NULL,
            CHECK (budget = awarded + unallocated)
        )""",
        """CREATE TABLE awards (
            seq INTEGER PRIMARY KEY REFERENCES chain(seq),
            commit_seq INTEGER NOT NULL REFERENCES commits(seq),
            round INTEGER NOT NULL,
            application_id TEXT NOT NULL,
            orgnr TEXT,
            applicant TEXT,
            project TEXT,
            municipalities TEXT NOT NULL,
            requested INTEGER,
            eligible INTEGER,
            amount INTEGER NOT NULL CHECK (amount >= 0),
            status TEXT NOT NULL,
            rank INTEGER,
            reasons TEXT NOT NULL,
            UNIQUE (round, application_id)
        )""",
        *(sql for table in _APPEND_ONLY for sql in _guard_triggers(table)),
    ),
    # v1 -> v2: amendments and withdrawals; look-ups by organisation number and application id.
    (
        """CREATE TABLE amendments (
            seq INTEGER PRIMARY KEY REFERENCES chain(seq),
            award_seq INTEGER NOT NULL REFERENCES awards(seq),
            kind TEXT NOT NULL CHECK (kind IN ('amend', 'withdraw')),
            amount_before INTEGER NOT NULL CHECK (amount_before >= 0),
            amount_after INTEGER NOT NULL CHECK (amount_after >= 0),
            reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
            created TEXT NOT NULL,
            tool_version TEXT NOT NULL
        )""",
        *_guard_triggers("amendments"),
        "CREATE INDEX awards_by_orgnr ON awards (orgnr)",
        "CREATE INDEX awards_by_application ON awards (application_id)",
        "CREATE INDEX amendments_by_award ON amendments (award_seq)",
    ),
    # v2 -> v3: an amendment an officer recorded outside the round's policy names the rules
    # it goes beyond (a JSON list; NULL for every other amendment, and for those made before).
    ("ALTER TABLE amendments ADD COLUMN outside_policy TEXT",),
    # v3 -> v4: each decision's category and counties (a JSON list), which the round's quotas
    # group applications by, so that an amendment is held to them. NULL in a round committed
    # before; '' and '[]' for an application without.
    (
        "ALTER TABLE awards ADD COLUMN category TEXT",
        "ALTER TABLE awards ADD COLUMN counties TEXT",
    ),
    # v4 -> v5: each decision's application figures the round's caps are worked out from (its
    # total cost and score, a JSON object), so that an amendment is held to every cap, not only
    # those that bound in the round. NULL in a round committed before, and for a rejected row.
    ("ALTER TABLE awards ADD COLUMN figures TEXT",),
    # v5 -> v6: an amendment recorded outside the round's policy records, for each rule it goes
    # beyond, the figures it was held to (the cap, the total cost and share, the organisation's
    # other awards: a JSON object by rule), so that a reader sees what was exceeded and by how
    # much. NULL for every other amendment, and for those made before.
    ("ALTER TABLE amendments ADD COLUMN outside_policy_figures TEXT",),
    # v6 -> v7: the date the change was decided (a board's meeting, a letter: ISO 8601,
    # YYYY-MM-DD), beside the time it was recorded, which may be days later. NULL when the
    # officer gave none, and for every change made before.
    ("ALTER TABLE amendments ADD COLUMN decided TEXT",),
    # v7 -> v8: the round's decision date (ISO 8601) as the programme gave it when the round was
    # committed, so that its documents keep it when tilskudd.toml is edited afterwards. '' for a
    # round the programme gave none; NULL for every round committed before.
    ("ALTER TABLE commits ADD COLUMN decision_date TEXT",),
    # v8 -> v9: what was typed in each cell of a rejected row that had an error (a JSON object
    # by field, the text as typed), so that history and the export show what the applicant
    # wrote where the ledger keeps no value. NULL for every other decision, and for every
    # round committed before.
    ("ALTER TABLE awards ADD COLUMN typed TEXT",),
    # v9 -> v10: no table changes. The ledger is kept with the rollback journal, not WAL (see
    # _use_rollback_journal); a tilskudd of schema 9 or earlier switches a ledger it writes to
    # back to WAL, and refuses one of a later schema, unchanged, before SQLite opens it. This
    # version makes them refuse it. The mark in meta is how a version set back below it is
    # found (an insert into meta of a later step that is there).
    (f"INSERT INTO meta (key, value) VALUES ('{_JOURNAL_KEY}', 'rollback journal, not WAL')",),
)
"""The SQL steps from version ``i`` to ``i + 1``; never edit a released step, add one."""

SCHEMA_VERSION = len(MIGRATIONS)
"""The ledger schema this tilskudd writes; older ledgers are upgraded, newer ones refused."""

# Columns of each recorded table, in the order of their entry's JSON (besides seq).
_COLUMNS: dict[str, tuple[str, ...]] = {
    "commit": (
        "round",
        "round_name",
        "committed_at",
        "programme",
        "funder",
        "frame",
        "budget",
        "awarded",
        "unallocated",
        "applications",
        "input_file",
        "input_path",
        "input_sha256",
        "reading",
        "policy",
        "rule",
        "seed",
        "tool_version",
        "decision_date",
    ),
    "award": (
        "commit_seq",
        "round",
        "application_id",
        "orgnr",
        "applicant",
        "project",
        "municipalities",
        "requested",
        "eligible",
        "amount",
        "status",
        "rank",
        "reasons",
        "category",
        "counties",
        "figures",
        "typed",
    ),
    "amendment": (
        "award_seq",
        "kind",
        "amount_before",
        "amount_after",
        "reason",
        "created",
        "tool_version",
        "outside_policy",
        "outside_policy_figures",
        "decided",
    ),
}
_TABLES = {"commit": "commits", "award": "awards", "amendment": "amendments"}
_SINCE: dict[str, int] = {
    "outside_policy": 3,
    "category": 4,
    "counties": 4,
    "figures": 5,
    "outside_policy_figures": 6,
    "decided": 7,
    "decision_date": 8,
    "typed": 9,
}
"""Columns added by a later schema version: the version that added them. Their entries hold
them only when they have a value, so that an entry written before keeps its JSON (and hash)."""


_APPLICANTS_TEXT: Final = ("application_id", "orgnr", "applicant", "project", "category")
"""The columns of an award that hold text from the applications. A round committed before
tilskudd showed bidi controls and control characters as their codes holds them as typed, and
the ledger, hash-chained, is never rewritten: every reading of an award for a person, and every
comparison with an applications sheet (read so since), takes them through
:func:`~tilskudd.controls.visible`, and the reasons through
:func:`~tilskudd.controls.visible_in`. :meth:`Ledger.verify_chain` alone reads the rows as
recorded."""


def _entry(kind: str, seq: int, values: Mapping[str, Any]) -> dict[str, Any]:
    """What an entry's JSON holds: ``kind``, ``seq`` and the values, a later column only when
    it has one."""
    return {
        "kind": kind,
        "seq": seq,
        **{k: v for k, v in values.items() if v is not None or k not in _SINCE},
    }


@cache
def _columns(kind: str, version: int) -> tuple[str, ...]:
    """The columns of ``kind``'s table in a ledger of schema ``version``. Worked out once: the
    chain check asks for every entry (a sixth of its time at 200 000 entries when it was not)."""
    return tuple(c for c in _COLUMNS[kind] if _SINCE.get(c, 0) <= version)


_BATCH = 1000
"""Awards written per INSERT batch inside a commit's transaction."""

# Test hooks: called at named points inside a commit's transaction (a kill test pauses there).
# Always empty outside tests; looking a name up in an empty dict costs nothing.
_HOOKS: dict[str, Callable[[], None]] = {}


def _hook(name: str) -> None:
    hook = _HOOKS.get(name)
    if hook is not None:
        hook()


def _plain(value: Any) -> Any:
    # Reason parameters may hold exact decimals (a share of 0.2): written as text, as pydantic's
    # JSON mode writes them, so nothing is lost to a float.
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not recorded in the ledger")


_ENCODER = json.JSONEncoder(
    sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_plain
)


def canonical_json(data: Any) -> str:
    """The one JSON text of ``data`` that is hashed: sorted keys, no spaces, UTF-8 as is."""
    # One encoder for all: json.dumps with options builds a new one per call (a third of the
    # time of a 100 000-award commit).
    return _ENCODER.encode(data)


def figures_json(application: Application | RejectedRow) -> str:
    """What the ledger records of an application's figures for the caps of its round's policy:
    ``{"score": "4.5", "total_cost": 300000}`` (null where it has none), as canonical JSON; a
    rejected row's as read (null for a cell with an error). Written directly: a commit writes
    one for every decision."""
    cost = application.total_cost
    score = application.score
    return (
        '{"score":' + ("null" if score is None else f'"{score}"')
        + ',"total_cost":' + ("null" if cost is None else str(int(cost))) + "}"
    )  # fmt: skip


def entry_hash(prev_hash: str, body: str) -> str:
    """``sha256(previous hash + canonical JSON)``, hex."""
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def file_sha256(path: str | Path) -> str:
    """The SHA-256 of a file's bytes, hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def normalise_title(text: str | None) -> str:
    """A project title as compared across rounds: case, accents, punctuation and spacing ignored."""
    from tilskudd.registry import normalise_name

    return normalise_name(text or "")


def generated_ids(issues: Sequence[Issue], applications: Sequence[Application]) -> set[str]:
    """The ids tilskudd made from row numbers (R2, R3, … where the file gives none): they name
    a row of this round's file, not an application, so they are never matched across rounds."""
    if any(issue.code == "validate.id_column_missing" for issue in issues):
        return {app.id for app in applications}
    return {str(i.params.get("id")) for i in issues if i.code == "validate.id_generated"}


_ORGNR_FORM = re.compile(r"[0-9]{9}")


def split_organisation(value: str | None) -> tuple[str | None, str | None]:
    """What ``awards.orgnr`` holds, as (organisation number, identifier in another register):
    ``("974760673", None)``, ``(None, "GB-CHC-1234567")`` or ``(None, None)``. Nine digits
    alone are an organisation number; see the module's notes on organisations."""
    if not value or _ORGNR_FORM.fullmatch(value):
        return value or None, None
    return None, value


def same_application_by_id(
    orgnr: str | None, project: str | None, other_orgnr: str | None, other_project: str | None
) -> bool:
    """Whether two applications with the same id, in different rounds, are the same one.

    They are, unless they come from two organisations under two different titles: a programme
    that numbers each round's applications from 1 (or a file without ids, R2, R3, …) gives a new
    applicant an id an earlier round used. The same id and title under another organisation
    number is the same application with its number corrected."""
    if not orgnr or not other_orgnr or orgnr == other_orgnr:
        return True
    return bool(project and other_project) and normalise_title(project) == normalise_title(
        other_project
    )


def _standing_phrases(standing: Sequence[AwardRecord]) -> list[Phrase]:
    """Each of an organisation's standing awards, with its round, for a per_applicant_max
    refusal ("60 000 kr to A-1 in round 1"), in the order the rounds gave them."""
    return [
        Phrase(
            "ledger.error.standing_award",
            amount=a.current,
            other=a.application_id,
            other_round=a.round,
        )
        for a in sorted(standing, key=lambda a: (a.round, a.seq))
    ]


_FIGURES_OF: dict[str, tuple[str, ...]] = {
    "ledger.error.amend_below_min_award": ("min_award",),
    "ledger.error.amend_below_min_award_unfunded": ("min_award",),
    "ledger.error.amend_off_grid": ("round_to",),
    "ledger.error.amend_not_eligible": ("score", "min_score"),
    "ledger.error.amend_over_max_award": ("cap",),
    "ledger.error.amend_over_share_of_cost": ("share", "total_cost", "cap"),
    "ledger.error.amend_over_eligible": ("eligible",),
    "ledger.error.amend_over_per_applicant": ("max", "others"),
    "ledger.error.amend_over_later_per_applicant": ("max", "others"),
    "ledger.error.amend_over_quota": ("most", "others"),
    "ledger.error.amend_over_quota_count": ("max_count", "count"),
}
"""The figures an amendment outside the policy records of each rule it goes beyond, from the
refusal it would otherwise get: the limit, and what the amount is added to (the organisation's
or the quota group's other awards). A rule ``(not checked)`` has none: the ledger lacked them."""

_PER_AWARD_RULES = frozenset(
    {"min_award", "round_to", "min_score", "max_award", "max_share_of_cost", "eligible_amount"}
)
"""The rules whose figures depend on the award and its round's policy alone, which can be
worked out again for an amendment recorded before the ledger recorded them (not the
organisation's or a quota group's other awards, which were as they stood then)."""


def outside_policy_figures(problems: Sequence[tuple[str, LedgerError]]) -> str | None:
    """What an amendment outside the policy records of the rules it goes beyond, as canonical
    JSON: ``{"max_award": {"cap": 3000000}, "max_share_of_cost": {"cap": 3300000, "share":
    "0.2", "total_cost": 16500000}}``; None when no rule has figures."""
    figures = {
        rule: {name: error.params[name] for name in _FIGURES_OF[str(error.key)]}
        for rule, error in problems
        if str(error.key) in _FIGURES_OF
    }
    return canonical_json(figures) if figures else None


def _id_matcher(
    query: str, *, with_rows: bool = False, fold: bool = False
) -> Callable[[AwardRecord], bool]:
    """Whether a recorded award's application id is ``query``: the same id, or the same row
    told apart by its row in another form (:func:`tilskudd.validation.same_row_told_apart`:
    ``S-01 (A17)``, ``S-01 (row 17)``, ``S-01 (rad 17)``). ``with_rows``: a plain id also
    matches the rows told apart under it (``S-01`` the rejected ``S-01 (A17)``), for a history
    of everything recorded. Only a rejected row is ever told apart by its row: an id of its own
    that ends like one (``Kraft (NO1)``) matches itself alone. ``fold``: letters compared
    without case (``s-01`` is ``S-01``), and as an id is read since 2026-11-30
    (:func:`~tilskudd.models.read_id`: ``A-1`` is ``A\u20111`` recorded before), for a query
    that matches nothing as written."""
    from tilskudd.validation import row_told_apart, same_row_told_apart

    def norm(text: str) -> str:
        return read_id(text).casefold() if fold else text

    text = norm(visible(query.strip()))  # as the ids are read (_award_records)
    told = row_told_apart(text) is not None

    def same(award: AwardRecord) -> bool:
        recorded = norm(award.application_id)
        if recorded == text:
            return True
        if not recorded.endswith(")") or award.status != Status.REJECTED:
            return False
        if told:
            return same_row_told_apart(text, recorded)
        own = row_told_apart(recorded)
        return with_rows and own is not None and own[0] == text

    return same


def programme_decision(programme: Programme | None, round_number: int) -> date | None:
    """The decision date ``programme`` (tilskudd.toml as it is now) gives round ``round_number``."""
    if programme is None:
        return None
    return next((r.decision for r in programme.rounds if r.number == round_number), None)


def _now() -> str:
    return clock.utc_timestamp()


def _today() -> date:
    """Today in Norway (:mod:`tilskudd.clock`): a change decided today there is not in the
    future, though it may still be yesterday in UTC, or on the machine's own clock."""
    return clock.today()


# --- records ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommitRecord:
    """A committed round as the ledger holds it."""

    seq: int
    round: int
    round_name: str | None
    committed_at: str
    programme: str
    funder: str | None
    frame: int
    budget: int
    awarded: int
    unallocated: int
    applications: int
    input_file: str | None
    input_path: str | None
    input_sha256: str
    reading: dict[str, Any]
    policy: dict[str, Any]
    rule: str
    seed: int | None
    tool_version: str
    decision_date: str | None = None
    """The round's decision date as the programme gave it when the round was committed (schema
    8; ISO 8601), ``""`` when it gave none; None for a round committed before: then the date is
    read from the programme file as it is now (:meth:`decision`)."""

    @property
    def decision_recorded(self) -> bool:
        """Whether the ledger recorded the round's decision date (or that it had none)."""
        return self.decision_date is not None

    def decision(self, programme: Programme | None = None) -> date | None:
        """The round's decision date: as recorded, else (a round committed before schema 8) as
        ``programme`` gives it now."""
        if self.decision_date is not None:
            return date.fromisoformat(self.decision_date) if self.decision_date else None
        return programme_decision(programme, self.round)

    def describe(self) -> str:
        """``round 1, committed 15 April 2025 at 12:00 Norwegian time (ledger entry 1)``, for
        messages."""
        return str(self.description())

    def description(self) -> Phrase:
        """:meth:`describe` as a phrase, in the language of the message it is put in."""
        return Phrase(
            "ledger.error.commit_described", round=self.round, when=self.committed_at, seq=self.seq
        )


@dataclass(frozen=True)
class AmendmentRecord:
    """An amendment or withdrawal of a recorded award."""

    seq: int
    award_seq: int
    kind: Literal["amend", "withdraw"]
    amount_before: int
    amount_after: int
    reason: str
    created: str
    tool_version: str
    round: int = 0
    application_id: str = ""
    outside_policy: tuple[str, ...] = ()
    """The rules of the round's policy the amendment goes beyond, recorded with
    ``outside_policy=True`` (a board's decision, say); empty for every other."""
    outside_policy_figures: str | None = None
    """For each of those rules, the figures it was held to (:func:`outside_policy_figures`), as
    canonical JSON: as recorded (schema 6), else worked out again from the round's recorded
    policy and the application's recorded figures where they can be (then
    ``figures_worked_out``); None when there are none."""
    figures_worked_out: bool = False
    """The figures were not recorded with the amendment but worked out when it was read."""
    decided: str | None = None
    """The date the change was decided (ISO 8601, ``2009-10-12``), when the officer gave it
    (schema 7); ``created`` is when it was recorded. None: only the record time is known."""
    warnings: tuple[Phrase, ...] = field(default=(), compare=False)
    """Not recorded: what the change leaves short of the round's policy without being refused
    for it (a quota's minimum no longer met after a withdrawal), said when it is made."""


@dataclass(frozen=True)
class RoundCaps:
    """The limits of a committed round's policy that an amendment is held to."""

    min_award: int = 0
    round_to: int = 1
    max_award: int | None = None
    share: Decimal | None = None
    per_applicant_max: int | None = None
    min_score: Decimal | None = None

    @classmethod
    def of(cls, policy: Mapping[str, Any]) -> RoundCaps:
        """The limits of a policy as a commit records it (:meth:`Policy.describe`); read key by
        key, so that a policy recorded by an earlier tilskudd is read as it was."""

        def whole(key: str) -> int | None:
            value = policy.get(key)
            return None if value is None else int(value)

        share = policy.get("max_share_of_cost")
        least = policy.get("min_score")
        return cls(
            min_score=None if least is None else Decimal(str(least)),
            min_award=whole("min_award") or 0,
            round_to=whole("round_to") or 1,
            max_award=whole("max_award"),
            share=None if share is None else Decimal(str(share)),
            per_applicant_max=whole("per_applicant_max"),
        )


@dataclass(frozen=True)
class AwardRecord:
    """One application's decision in a committed round, with its amendments so far."""

    seq: int
    commit_seq: int
    round: int
    application_id: str
    orgnr: str | None
    applicant: str | None
    project: str | None
    municipalities: tuple[str, ...]
    requested: int | None
    eligible: int | None
    amount: int
    """The amount committed with the round."""
    status: str
    rank: int | None
    reasons_json: str = "[]"
    """The decision's reasons as recorded (decoded by :attr:`reasons` when asked for)."""
    committed_at: str = ""
    amendments: tuple[AmendmentRecord, ...] = ()
    category: str | None = None
    """The application's category as written ('' when it had none); None in a round committed
    before the ledger recorded it (schema 4)."""
    counties: tuple[str, ...] | None = None
    """The application's county numbers; None in a round committed before schema 4."""
    figures_json: str | None = None
    """The application's total cost and score as recorded (:func:`figures_json`); None in a
    round committed before schema 5, and for a rejected row committed before its valid cells
    were recorded."""
    org_id: str | None = None
    """The recipient's identifier in another register (``GB-CHC-1234567``) for an application
    without an organisation number (:attr:`orgnr`), where its round gave one; None in a round
    committed before the ledger recorded them."""
    typed_json: str | None = None
    """A rejected row's cells with an error as they were typed, by field (a JSON object); None
    for every other decision, and in a round committed before the ledger recorded them."""

    @property
    def typed(self) -> dict[str, str]:
        """A rejected row's cells with an error as they were typed, by field (``requested``:
        ``mange penger``); empty when there are none or they were not recorded."""
        if self.typed_json is None:
            return {}
        data = _recorded(self.typed_json, dict, "awards.typed")
        return {str(k): visible(str(v)) for k, v in data.items()}

    @property
    def organisation(self) -> str | None:
        """Whose award this is: the organisation number, else the identifier in another
        register, as compared (:func:`~tilskudd.orgid.organisation_key`); what
        ``per_applicant_max`` and the funded-twice check count by."""
        if self.orgnr:
            return self.orgnr
        return None if self.org_id is None else organisation_key(self.org_id)

    @property
    def figures(self) -> dict[str, Any] | None:
        """``{"total_cost": int | None, "score": Decimal | None}``; None when not recorded."""
        if self.figures_json is None:
            return None
        data = _recorded(self.figures_json, dict, "awards.figures")
        score = data.get("score")
        return {
            "total_cost": data.get("total_cost"),
            "score": None if score is None else Decimal(str(score)),
        }

    @property
    def reasons(self) -> list[dict[str, Any]]:
        """The decision's reasons: ``{"code": ..., "params": {...}}`` each, the text in them as
        every output shows it (:func:`~tilskudd.controls.visible_in`)."""
        return list(visible_in(_recorded(self.reasons_json, list, "awards.reasons")))

    @property
    def current(self) -> int:
        """The amount now: the last amendment's, or the committed amount."""
        return self.amendments[-1].amount_after if self.amendments else self.amount

    @property
    def withdrawn(self) -> bool:
        """Withdrawn (the money returned to the frame); final."""
        return bool(self.amendments) and self.amendments[-1].kind == "withdraw"

    @property
    def current_status(self) -> str:
        """``withdrawn``, ``amended`` or the status committed with the round."""
        if self.withdrawn:
            return "withdrawn"
        if self.amendments:
            return "amended"
        return self.status


@dataclass(frozen=True)
class CommitInfo:
    """What :func:`commit_round` recorded."""

    seq: int
    round: int
    round_name: str | None
    committed_at: str
    awarded: int
    projects: int
    municipalities: int
    decisions: int
    frame: int
    remaining: int
    """What remains of the frame after this commit."""
    head: str
    """The hash of the ledger's last entry: write it down to detect a rewritten chain later."""


@dataclass(frozen=True)
class ChainReport:
    """The result of recomputing the hash chain."""

    entries: int
    head: str
    ok: bool
    first_bad: int | None = None
    """The first entry (seq) that differs, None when all agree."""
    problem: str | None = None
    """What differs there, in English (:attr:`problem_phrase` in any language)."""
    problem_phrase: Phrase | None = None


@dataclass(frozen=True)
class ChangeOutOfOrder:
    """A change to an award dated before a change recorded before it: the documents, which tell
    an award's changes in the order the ledger records them, tell these two out of the order
    they were decided. A tilskudd from before that order was checked (when a change is made)
    could record them so; the ledger stands as recorded."""

    round: int
    application_id: str
    earlier_seq: int
    """The entry recorded first, the latest-dated of the award's changes before the later one."""
    earlier_date: str
    later_seq: int
    later_date: str
    """The later entry's date (ISO 8601), before ``earlier_date``."""


@dataclass(frozen=True)
class PriorAward:
    """An application funded in an earlier round (its current amount is above 0)."""

    round: int
    application_id: str
    orgnr: str | None
    """Its organisation: the organisation number, else the recipient's identifier in another
    register, as compared (as :attr:`Application.organisation`)."""
    project: str | None
    amount: int


@dataclass(frozen=True)
class RoundContext:
    """What a round is allocated against: its budget, the frame left, and earlier awards."""

    round: int
    round_name: str | None
    frame: int
    committed: int
    """Awarded in committed rounds, net of amendments and withdrawals."""
    remaining: int
    planned: int | None
    """The round's budget in the programme (None: what remains)."""
    budget: int
    """``planned`` or ``remaining``, whichever is less."""
    budget_source: Literal["round", "remaining", "committed"]
    prior: tuple[PriorAward, ...] = ()
    prior_by_orgnr: Mapping[str, int] = field(default_factory=dict)
    """What each organisation has received in earlier rounds (for per_applicant_max), by
    :attr:`Application.organisation`: its number, else its identifier in another register."""
    already_committed: CommitRecord | None = None
    not_committed_before: tuple[int, ...] = ()
    """The programme's rounds before this one that are not committed (of a round not committed
    itself): once this one is, they can't be, as rounds are committed in order."""
    planned_before: int = 0
    """What the programme file plans for the rounds of ``not_committed_before`` (their
    ``budget``s): money a commit of this round may not take (:func:`_check_earlier_rounds`)."""

    def takes_from_earlier(self, budget: int) -> int:
        """How much of the money planned for the earlier rounds not committed a budget of
        ``budget`` for this round would take (0: none): a commit of it is refused."""
        return max(budget - max(self.remaining - self.planned_before, 0), 0)

    def already_funded(
        self, application: Application, *, by_id: bool = True
    ) -> tuple[PriorAward, str] | None:
        """The earlier award of the same application (same id, or same organisation and project
        title), and how it matched (``"id"`` or ``"orgnr_project"``); None if it is new. The
        organisation is its number, else its identifier in another register. ``by_id=False``
        for an id made from a row number (:func:`generated_ids`), which names no application."""
        by_application, by_project = self._prior_index
        organisation = application.organisation
        if by_id:
            for prior in by_application.get(application.id, ()):
                if same_application_by_id(
                    prior.orgnr, prior.project, organisation, application.project
                ):
                    return prior, "id"
        if organisation and application.project:
            found = by_project.get((organisation, normalise_title(application.project)))
            if found is not None:
                return found, "orgnr_project"
        return None

    @cached_property
    def _prior_index(
        self,
    ) -> tuple[dict[str, list[PriorAward]], dict[tuple[str | None, str], PriorAward]]:
        """The earlier awards by application id (in order) and the first by (orgnr, title),
        made once per context. Walking every earlier award for each application took about
        25 minutes of CPU for a round of 100 000 applications against 12 000 earlier awards."""
        by_application: dict[str, list[PriorAward]] = defaultdict(list)
        by_project: dict[tuple[str | None, str], PriorAward] = {}
        for prior in self.prior:
            by_application[prior.application_id].append(prior)
            # Recorded before 2026-11-30 with a no-break hyphen or space in it (A\u20111), an id
            # reads as A-1 now: the same application.
            since = read_id(prior.application_id)
            if since != prior.application_id:
                by_application[since].append(prior)
            by_project.setdefault((prior.orgnr, normalise_title(prior.project)), prior)
        return dict(by_application), by_project


@dataclass(frozen=True)
class RoundStatus:
    """One committed round's figures now."""

    round: int
    name: str | None
    committed_at: str
    budget: int
    committed: int
    """Awarded when the round was committed."""
    current: int
    """Awarded now, after amendments and withdrawals."""
    projects: int
    municipalities: int
    amendments: int
    withdrawals: int
    quotas_unmet: tuple[dict[str, Any], ...] | None = ()
    """The round's quota minimums its awards as they stand no longer meet (a withdrawal is
    never refused for them): each ``by``, ``value``, ``name``, ``limit``, ``has``, ``least``;
    None when the round has quotas the ledger cannot check (committed before it recorded each
    decision's category and counties, or quotas this tilskudd cannot read)."""
    decision_date: str | None = None
    """The day the round was decided (ISO 8601), as its commit recorded it (a round committed
    before schema 8: as the programme file gives it now); None where none was given."""


@dataclass(frozen=True)
class LedgerStatus:
    """The frame, what each round committed, amendments and what remains."""

    programme: str
    frame: int
    rounds: tuple[RoundStatus, ...]
    planned: tuple[tuple[int, str | None, int | None], ...]
    """Rounds of the programme not committed yet: (number, name, budget or None)."""
    committed: int
    """Awarded now over the committed rounds, after amendments and withdrawals: the sum of the
    rounds' ``current``, not of their ``committed``. ``awarded_now`` in the JSON."""
    remaining: int
    ledger: str
    entries: int
    head: str
    tampered_at: int | None = None
    """The first entry the hash chain does not vouch for (changed outside tilskudd), or None:
    then the figures above cannot be trusted, and :func:`status_lines` says so first."""
    currency: str = NOK
    """The ISO 4217 code of every amount above: the programme's, which its ledger keeps."""

    def as_json(self) -> dict[str, Any]:
        """Plain values for ``--format json``.

        The total awarded now is ``awarded_now``. It was first given only as ``committed``,
        a name a round's figures use for what the round awarded when it was committed (before
        amendments and withdrawals), which this total is not; ``committed`` stays, the same
        figure, for the scripts that read it.
        """
        data: dict[str, Any] = {}
        for key, value in asdict(self).items():
            if key == "committed":
                data["awarded_now"] = value
            data[key] = value
        data["planned"] = [
            {"round": n, "name": name, "budget": budget} for n, name, budget in self.planned
        ]
        return data


# --- opening -----------------------------------------------------------------------------------


_SQLITE_MAGIC = b"SQLite format 3\x00"
"""The first 16 bytes of every SQLite database file."""


def _header(path: Path) -> tuple[int, int] | None:
    """(application id, user_version) from a file's SQLite header; None for a new, empty file.

    Read as bytes, without SQLite, so that a file we are going to refuse is never opened by a
    library that might write to it (journal mode, recovery, checkpoints).
    """
    try:
        with open(path, "rb") as handle:
            head = handle.read(100)
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise LedgerFileError(key="ledger.error.folder", path=str(path)) from None
    if not head:
        return None
    if len(head) < 100 and head.startswith(_SQLITE_MAGIC):
        # A SQLite file that ends inside its header: a ledger copied or saved cut short.
        raise LedgerFileError(key="ledger.error.cut_short", path=str(path), size=len(head))
    if len(head) < 100 or not head.startswith(_SQLITE_MAGIC):
        raise LedgerFileError(key="ledger.error.not_sqlite", path=str(path))
    return int.from_bytes(head[68:72], "big"), int.from_bytes(head[60:64], "big")


def _cut_short(path: Path) -> LedgerFileError | None:
    """The ledger at ``path`` refused as cut short, when its size says its end is missing: it
    is not a whole number of its pages, or fewer pages than its header records (a copy or a
    sync that stopped). None when the size is as SQLite wrote it, or the file cannot be read.

    SQLite reads a last page that ends early as if the rest were zeros, so that a ledger cut
    inside its last page is not refused by SQLite: its last rows read as missing or changed
    (which would blame a person for changing it), and a write goes into it. Asked while the
    caller holds SQLite's shared lock: no other process is writing the file then, and a
    commit cut short by a crash (a journal beside the file) has been rolled back.
    """
    try:
        with open(path, "rb") as handle:
            head = handle.read(100)
            size = handle.seek(0, 2)
    except OSError:
        return None
    if len(head) < 100 or not head.startswith(_SQLITE_MAGIC):
        return None
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return None  # not a page size SQLite writes: SQLite says what it makes of the file
    pages = int.from_bytes(head[28:32], "big")
    # The header's page count holds only when written by the SQLite that changed the file last
    # (its change counter, bytes 24-27, is the one at bytes 92-95), as every tilskudd's does;
    # not in WAL mode (bytes 18-19 are 2), a ledger of an earlier tilskudd, whose checkpoint
    # by another process may write the header before the pages it counts.
    wal = 2 in head[18:20]
    recorded = pages if head[24:28] == head[92:96] and pages > 0 and not wal else None
    if size % page_size:
        return LedgerFileError(
            key="ledger.error.cut_short_page", path=str(path), size=size, page_size=page_size
        )
    if recorded is not None and size < recorded * page_size:
        return LedgerFileError(
            key="ledger.error.cut_short_pages",
            path=str(path),
            size=size,
            pages=size // page_size,
            recorded=recorded,
        )
    return None


def _require_whole(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a ledger cut short (:func:`_cut_short`), inside the caller's read transaction:
    its first read takes SQLite's shared lock (and rolls back a commit cut short by a crash)."""
    conn.execute("PRAGMA user_version").fetchone()
    problem = _cut_short(path)
    if problem is not None:
        raise problem


def _check_header(path: Path, app_id: int, version: int) -> None:
    if app_id != APPLICATION_ID:
        raise LedgerFileError(key="ledger.error.other_program", path=str(path))
    if version > SCHEMA_VERSION:
        raise LedgerFileError(
            key="ledger.error.newer",
            path=str(path),
            version=version,
            tool_version=__version__,
            known=SCHEMA_VERSION,
        )


def _require_schema_as_versioned(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """Refuse a ledger that has a table of a later schema than its ``user_version`` says (or a
    column, or a mark in meta): the version was set back outside tilskudd, which would hide its
    amendments from every figure (and make the upgrade fail on the table that is there), or
    let a tilskudd that keeps WAL write to it."""
    present = {
        name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    for step in MIGRATIONS[version:]:
        for sql in step:
            created = re.match(r"CREATE TABLE (\w+)", sql)
            if created is not None and created.group(1) in present:
                raise LedgerIntegrityError(
                    key="ledger.error.schema_changed",
                    path=str(path),
                    version=version,
                    table=created.group(1),
                )
            marked = re.match(r"INSERT INTO meta \(key, value\) VALUES \('(\w+)'", sql)
            if marked is not None:
                key = marked.group(1)
                if conn.execute("SELECT 1 FROM meta WHERE key = ?", (key,)).fetchone():
                    raise LedgerIntegrityError(
                        key="ledger.error.schema_changed_mark",
                        path=str(path),
                        version=version,
                        mark=key,
                    )
            # From version 2 on, a schema adds columns: one that is there already was added
            # by a later version, as surely as a table.
            added = re.match(r"ALTER TABLE (\w+) ADD COLUMN (\w+)", sql)
            if added is not None and added.group(1) in present:
                table, column = added.groups()
                columns = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
                if column in columns:
                    raise LedgerIntegrityError(
                        key="ledger.error.schema_changed_column",
                        path=str(path),
                        version=version,
                        table=table,
                        column=column,
                    )


@functools.cache
def _schema_columns(version: int) -> dict[str, tuple[str, ...]]:
    """Each table of a ledger of schema ``version`` and its columns, as the migrations up to it
    make them (in a database in memory, so that the list is the schema's own)."""
    conn = sqlite3.connect(":memory:")
    try:
        for step in MIGRATIONS[:version]:
            for sql in step:
                conn.execute(sql)
        tables = [
            name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        return {
            table: tuple(row[1] for row in conn.execute(f"PRAGMA table_info({table})"))
            for table in tables
        }
    finally:
        conn.close()


def _require_schema_of_version(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """Refuse a ledger that lacks a table or column its ``user_version`` says it has: it was
    changed outside tilskudd (a table dropped) or damaged (a byte of the schema SQLite keeps
    in the file changed, renaming a column), and every figure read from it would be wrong, or
    stop on what is not there ("no such table: commits", said as a bug)."""
    present = {
        name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    for table, columns in _schema_columns(version).items():
        if table not in present:
            missing = table
        else:
            found = {row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')}
            absent = [column for column in columns if column not in found]
            if not absent:
                continue
            missing = f"{table}.{absent[0]}"
        raise LedgerIntegrityError(
            key="ledger.error.schema_missing", path=str(path), version=version, table=missing
        )


def _migrate(conn: sqlite3.Connection, path: Path, target: int | None) -> None:
    """Check the file is our ledger; create or upgrade its schema to ``target`` (None: only
    check) inside the caller's transaction (IMMEDIATE when it may write)."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
    tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if version == 0 and app_id == 0 and tables == 0:
        pass  # a new, empty database: ours to create
    else:
        _check_header(path, app_id, version)
        try:
            magic = conn.execute("SELECT value FROM meta WHERE key = 'application'").fetchone()
        except sqlite3.DatabaseError:
            magic = None
        if magic is None or magic[0] != MAGIC:
            raise LedgerFileError(key="ledger.error.no_mark", path=str(path))
        _require_schema_as_versioned(conn, path, version)
        _require_schema_of_version(conn, path, version)
    if target is None or version >= target:
        return
    for step in range(version, target):
        for sql in MIGRATIONS[step]:
            conn.execute(sql)
    if version == 0:
        conn.executemany(
            "INSERT INTO meta (key, value) VALUES (?, ?)",
            [
                ("application", MAGIC),
                ("created", _now()),
                ("created_by", f"tilskudd {__version__}"),
            ],
        )
    else:
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?)",
            (f"migrated_to_v{target}", f"{_now()} by tilskudd {__version__}"),
        )
    conn.execute(f"PRAGMA user_version = {int(target)}")


_BUSY_SECONDS = 30.0
"""How long a tilskudd waits for another one writing to the same ledger (SQLite's busy timeout)."""


def _use_rollback_journal(conn: sqlite3.Connection) -> str:
    """``PRAGMA journal_mode = DELETE``, waiting for another process that holds the file.

    A ledger lives on a shared drive, where two officers' machines write to it. SQLite's WAL
    mode keeps its index in shared memory and so works only for processes on one computer; on
    a network file system it can corrupt the file. The rollback journal relies on file locks
    alone, which is what such a drive offers. A ledger an earlier tilskudd kept in WAL mode is
    switched here (its WAL checkpointed into the file and removed), after its upgrade to schema
    10, which such a tilskudd refuses.

    SQLite does not wait (its busy timeout does not apply) when the switch meets another
    connection's lock, as when two tilskudd processes open a WAL ledger at the same moment: it
    says "database is locked" at once. Tried again here for as long as the busy timeout.
    """
    deadline = time.monotonic() + _BUSY_SECONDS
    while True:
        try:
            return str(conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0])
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            if time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _sqlite_problem(path: Path, exc: sqlite3.Error) -> LedgerFileError | None:
    """What SQLite's error on the ledger at ``path`` means to the person running tilskudd.

    None for an error that is not about the file (an SQL statement tilskudd got wrong): that is
    a bug, and is reported as one.
    """
    said = str(exc) or type(exc).__name__  # SQLite's own words, quoted as they are
    text = said.lower()
    if "could not decode to utf-8" in text:
        # Up to the column's name: the cell's text after it may be a whole award's JSON.
        said = said.split(" with text ", 1)[0]
    if (
        "malformed" in text
        or "not a database" in text
        or "encrypted" in text
        # A text cell whose bytes are not UTF-8 (tilskudd writes every text as UTF-8): a byte
        # of the file changed.
        or "could not decode to utf-8" in text
    ):
        # Said as cut short where the file's size shows its end is missing: what SQLite found
        # malformed is then the part that is not there.
        cut = _cut_short(path)
        if cut is not None:
            return cut
        key = "damaged"
    elif "readonly" in text or "read-only" in text or "unable to open" in text:
        key = "not_writable"
    elif "locked" in text or "busy" in text:
        # Another process held the file past the busy timeout: a writer (or one waiting to
        # write, which holds off new readers) for a command that reads, a reader for the
        # journal's switch; said as the refusal of a busy write is.
        return LedgerFileError(
            key="ledger.error.locked", path=str(path), said=said, seconds=f"{_BUSY_SECONDS:g}"
        )
    elif "disk" in text or "i/o" in text:
        key = "disk"
    else:
        return None
    return LedgerFileError(key=f"ledger.error.{key}", path=str(path), said=said)


def _damaged(path: Path, exc: UnicodeDecodeError) -> LedgerFileError:
    """The ledger's schema, as SQLite keeps it, is not UTF-8 text: a byte of the file changed
    (SQLite parses it as it opens the file, and Python cannot decode what it gives)."""
    return LedgerFileError(key="ledger.error.damaged", path=str(path), said=str(exc))


def _raise_sqlite_problem(path: Path, exc: sqlite3.Error) -> None:
    """Raise what :func:`_sqlite_problem` says about ``exc``, if it is about the file."""
    problem = _sqlite_problem(path, exc)
    if problem is not None:
        raise problem from None


_BELOW_MIN_SCORE = "reason.ineligible.below_min_score"


def _decided_by_officer(reasons: Mapping[str, Any]) -> bool:
    return any(str(code).startswith("reason.override.") for code in reasons)


def _caps_in_reasons(reasons: Mapping[str, Any]) -> bool:
    """Whether a decision's reasons hold the caps its round's policy put on the application
    where they bound, so that a cap not among them did not bind. A rule's decision does (the
    min_score verdict of every application, then max_award and the share of cost of every
    eligible one); an officer's decision records its eligible amount instead; one left unfunded
    as funded before does only in a round committed by a tilskudd that recorded them there
    (with one of them, then: without, it cannot be told from one committed before)."""
    if _decided_by_officer(reasons):
        return False
    if ALREADY_FUNDED in reasons:
        return any(str(c).startswith("reason.cap.") or c == _BELOW_MIN_SCORE for c in reasons)
    return True


def _score_below(
    award: AwardRecord,
    caps: RoundCaps,
    reasons: Mapping[str, Any],
    figures: Mapping[str, Any] | None,
) -> tuple[Decimal, Decimal] | Literal["unknown"] | None:
    """(score, min_score) when the application was below its round's ``min_score``; None when
    it was not (or the round set none); ``"unknown"`` when the ledger cannot tell: a round
    committed before the ledger recorded each application's score, whose decision does not
    say (an application left unfunded as funded before, an officer's decision not to fund
    it by the policy)."""
    if caps.min_score is None:
        return None
    if figures is not None:
        score = figures.get("score")
        return (score, caps.min_score) if score is not None and score < caps.min_score else None
    below = reasons.get(_BELOW_MIN_SCORE)
    if below is not None:
        return Decimal(str(below.get("score"))), Decimal(str(below.get("min_score")))
    if _decided_by_officer(reasons):
        # An officer's decision records an eligible amount of 0 for a score below min_score.
        return "unknown" if not award.eligible else None
    return None if _caps_in_reasons(reasons) else "unknown"


def _share_cap(
    award: AwardRecord,
    caps: RoundCaps,
    reasons: Mapping[str, Any],
    figures: Mapping[str, Any] | None,
) -> tuple[int, int] | int | None:
    """The round's ``max_share_of_cost`` cap on the application: (total cost, cap) when it can
    be worked out, from the figures recorded with the decision or the reason the round gave
    when the cap bound; None when no such cap applies (the round set none, or the application
    gave no total cost, and the round said so); else the amount up to which the ledger can
    tell that it does not bind, above which it cannot (a round committed before the ledger
    recorded each application's total cost, where the cap did not bind: ``max_award`` bound
    below it, say, or the decision did not record its caps)."""
    share = caps.share
    if share is None:
        return None
    num, den = share.as_integer_ratio()
    if figures is not None:
        cost = figures.get("total_cost")
        return None if cost is None else (int(cost), int(cost) * num // den)
    bound = reasons.get("reason.cap.share_of_cost")
    if bound is not None:
        cost = int(bound["total_cost"])
        return cost, cost * num // den
    if "reason.cap.share_of_cost_unknown" in reasons:
        return None
    if _decided_by_officer(reasons):
        return award.eligible or 0  # the eligible amount is under every cap
    below_min_score = _BELOW_MIN_SCORE in reasons and ALREADY_FUNDED not in reasons
    if not _caps_in_reasons(reasons) or below_min_score:
        # (A rule works out no caps for an application below min_score.)
        return 0
    if "reason.cap.max_award" in reasons and caps.max_award is not None:
        return caps.max_award  # the share was held against max_award, and did not bind
    return award.requested or 0  # the share did not bind the request


def _quotas_may_cap(quotas: Sequence[Mapping[str, Any]]) -> bool:
    """Whether a round's quotas as recorded may set a maximum: one of them does, or holds a
    setting this tilskudd does not know (which may)."""
    floors = {"by", "value", "min_amount", "min_share", "min_count"}
    return any(v is not None for q in quotas for k, v in q.items() if k not in floors)


def _allocated_against(result: RoundResult, given: RoundContext | None) -> RoundContext:
    """What ``result`` was allocated against: the context :func:`tilskudd.rounds.
    run_programme_round` kept with it, else the one its caller gives, else a ledger without
    awards (a round allocated without the ledger counted none of them)."""
    kept = result._allocated_against
    if isinstance(kept, RoundContext):
        return kept
    if given is not None:
        return given
    return _NOT_AGAINST_THE_LEDGER


_NOT_AGAINST_THE_LEDGER = RoundContext(
    round=0,
    round_name=None,
    frame=0,
    committed=0,
    remaining=0,
    planned=None,
    budget=0,
    budget_source="remaining",
)
"""What a round allocated without the ledger was allocated against: no earlier awards."""


class _UnreadableRecordError(Exception):
    """A value the ledger recorded as JSON is not what tilskudd wrote (see :func:`_recorded`);
    :meth:`Ledger.__exit__` says it as a :class:`LedgerIntegrityError` naming the file."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


def _recorded(text: object, kind: type[Any], what: str) -> Any:
    """The JSON value ``text`` recorded in ``what`` (``table.column``), of the type tilskudd
    records there; raises :class:`_UnreadableRecordError` for text changed outside tilskudd (or
    damaged) into something else, which would otherwise stop a command with a bug's traceback."""
    try:
        value = json.loads(text) if isinstance(text, str | bytes) else None
    except ValueError:
        value = None
    if not isinstance(value, kind):
        raise _UnreadableRecordError(what)
    return value


def _where(*conditions: tuple[str, Any]) -> tuple[str, list[Any]]:
    """The ``WHERE`` clause of the ``(condition, value)`` pairs whose value is given (not None),
    joined by ``AND``, and their values as its parameters; ``""`` when none is given."""
    given = [(clause, value) for clause, value in conditions if value is not None]
    where = f"WHERE {' AND '.join(clause for clause, _ in given)}" if given else ""
    return where, [value for _, value in given]


class Ledger:
    """An open ledger file. Use :meth:`open` (a context manager closes it, and turns an error
    SQLite raises while it is open into a :class:`LedgerFileError` naming the file)."""

    def __init__(self, path: Path, conn: sqlite3.Connection, version: int) -> None:
        self.path = path
        self._conn = conn
        self.version = version

    # -- life cycle --

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        create: bool = False,
        write: bool = True,
        _schema: int = SCHEMA_VERSION,
    ) -> Ledger:
        """Open (and upgrade) the ledger at ``path``; create it if ``create`` and it is missing.

        With ``write=False`` the file is only read: no upgrade, no change of journal mode (what
        ``status`` and ``allocate --dry-run`` use). Raises :class:`LedgerFileError` for a file
        that is not a tilskudd ledger or is newer than this tilskudd, without touching it;
        :class:`LedgerError` when there is no ledger and ``create`` is false.
        """
        path = Path(path).expanduser().absolute()
        header = _header(path)
        if header is None and not create:
            raise LedgerError(key="ledger.error.no_ledger", path=str(path))
        if header is not None:
            _check_header(path, *header)
        if header is None:
            path.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = sqlite3.connect(path, timeout=_BUSY_SECONDS, isolation_level=None)
        except sqlite3.Error as exc:
            _raise_sqlite_problem(path, exc)
            raise
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = FULL")
            if not write:
                with _deferred(conn):
                    _require_whole(conn, path)
                    _migrate(conn, path, None)
                version = int(conn.execute("PRAGMA user_version").fetchone()[0])
                return cls(path, conn, version)
            # Checked first without the write lock, so that a ledger another process is writing
            # to is refused by the command that writes, saying what it did not record; the
            # write lock only for an upgrade (checked again under it: another process may have
            # upgraded the file in between).
            with _deferred(conn):
                _require_whole(conn, path)
                _migrate(conn, path, None)
                version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if version < _schema:
                with _immediate(conn, path):
                    _migrate(conn, path, _schema)
            # The rollback journal (see _use_rollback_journal) with synchronous FULL (set above):
            # the journal is synced before the file is changed and the file before the journal
            # is deleted, so a commit cut short by a crash or a power cut is rolled back when
            # the ledger is next opened.
            _use_rollback_journal(conn)
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        except sqlite3.Error as exc:
            conn.close()
            _raise_sqlite_problem(path, exc)
            raise
        except UnicodeDecodeError as exc:
            conn.close()
            raise _damaged(path, exc) from None
        except BaseException:
            conn.close()
            raise
        return cls(path, conn, version)

    def close(self) -> None:
        """Close the file."""
        self._conn.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, kind: object, exc: BaseException | None, traceback: object) -> None:
        self.close()
        if isinstance(exc, sqlite3.Error):
            _raise_sqlite_problem(self.path, exc)
        if isinstance(exc, UnicodeDecodeError):
            raise _damaged(self.path, exc) from None
        if isinstance(exc, _UnreadableRecordError):
            raise LedgerIntegrityError(
                key="ledger.error.unreadable_record", path=str(self.path), what=exc.what
            ) from None

    # -- reading --

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cursor = self._conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def has_amendments(self) -> bool:
        """True when the schema has the amendments table (version 2 and later)."""
        return self.version >= 2

    def commits(self, *, before: int | None = None) -> list[CommitRecord]:
        """Every committed round, in commit order (only those before entry ``before`` if given)."""
        where, params = _where(("seq < ?", before))
        rows = self._rows(f"SELECT * FROM commits {where} ORDER BY seq", params)
        out = []
        for row in rows:
            row = dict(row)
            row["reading"] = _recorded(row["reading"], dict, "commits.reading")
            row["policy"] = _recorded(row["policy"], dict, "commits.policy")
            out.append(CommitRecord(**row))
        return out

    def amendments(
        self, *, before: int | None = None, commit: int | None = None
    ) -> list[AmendmentRecord]:
        """Every amendment and withdrawal, in order (those of the awards of ``commit``, the
        entry of a round's commit, if given)."""
        if not self.has_amendments():
            return []
        where, params = _where(("m.seq < ?", before), ("a.commit_seq = ?", commit))
        rows = self._rows(
            "SELECT m.*, a.round AS round, a.application_id AS application_id "
            f"FROM amendments m JOIN awards a ON a.seq = m.award_seq {where} ORDER BY m.seq",
            params,
        )
        out = []
        for row in rows:
            row["application_id"] = visible(row["application_id"])  # as _award_records
            waived = row.pop("outside_policy", None)
            waived_list = _recorded(waived or "[]", list, "amendments.outside_policy")
            out.append(AmendmentRecord(**row, outside_policy=tuple(waived_list)))
        return self._work_out_figures(out)

    def _work_out_figures(self, amendments: list[AmendmentRecord]) -> list[AmendmentRecord]:
        """``amendments`` with the figures of each rule an amendment recorded outside the policy
        before the ledger recorded them (schema 6) worked out again, where the round's recorded
        policy and the application's recorded figures give them (:data:`_PER_AWARD_RULES`).
        Nothing recorded is changed: they are worked out each time they are read."""
        older = [m for m in amendments if m.outside_policy and m.outside_policy_figures is None]
        if not older:
            return amendments
        seqs = sorted({m.award_seq for m in older})
        marks = ", ".join("?" for _ in seqs)
        awards = {a.seq: a for a in self._award_records(f"WHERE a.seq IN ({marks})", seqs)}
        worked: dict[int, str] = {}
        for m in older:
            rules = set(m.outside_policy) & _PER_AWARD_RULES
            if not rules:
                continue
            # Held to the award's own round alone: the other awards of that time do not count
            # for these rules.
            problems = self._policy_problems(
                awards[m.award_seq], m.amount_after, m.amount_before, ()
            )
            figures = outside_policy_figures([p for p in problems if p[0] in rules])
            if figures is not None:
                worked[m.seq] = figures
        return [
            replace(m, outside_policy_figures=worked[m.seq], figures_worked_out=True)
            if m.seq in worked
            else m
            for m in amendments
        ]

    def awards(self, *, round: int | None = None, before: int | None = None) -> list[AwardRecord]:
        """Recorded decisions with their amendments (as of entry ``before`` if given)."""
        where, params = _where(("a.round = ?", round), ("a.seq < ?", before))
        changes: dict[int, list[AmendmentRecord]] = defaultdict(list)
        for amendment in self.amendments(before=before):
            changes[amendment.award_seq].append(amendment)
        return self._award_records(where, params, changes)

    def decided(self, commit: int) -> list[tuple[str, str, int]]:
        """The decisions recorded by ``commit`` (the entry of a round's commit) as (application
        id, status, amount), in order: what a run of the round again is compared with, without
        making a record of every award (1.5 s at 100 000 awards)."""
        rows = self._conn.execute(
            "SELECT application_id, status, amount FROM awards WHERE commit_seq = ? ORDER BY seq",
            (commit,),
        )
        return [(visible(str(app_id)), str(status), int(amount)) for app_id, status, amount in rows]

    def _award_records(
        self,
        where: str,
        params: Sequence[Any],
        changes: Mapping[int, Sequence[AmendmentRecord]] | None = None,
    ) -> list[AwardRecord]:
        """The recorded decisions ``where`` selects (on ``a``, the awards), in order, each with
        its amendments in ``changes`` (none when not given)."""
        rows = self._rows(
            "SELECT a.*, c.committed_at AS committed_at FROM awards a "
            f"JOIN commits c ON c.seq = a.commit_seq {where} ORDER BY a.seq",
            params,
        )
        out = []
        for row in rows:
            row = dict(row)
            row["municipalities"] = tuple(
                _recorded(row["municipalities"], list, "awards.municipalities")
            )
            row["reasons_json"] = row.pop("reasons")
            row["figures_json"] = row.pop("figures", None)
            row["typed_json"] = row.pop("typed", None)
            for name in _APPLICANTS_TEXT:
                if row.get(name) is not None:  # no category before schema 4
                    row[name] = visible(row[name])
            row["orgnr"], row["org_id"] = split_organisation(row["orgnr"])
            if row.get("counties") is not None:
                row["counties"] = tuple(_recorded(row["counties"], list, "awards.counties"))
            found = changes.get(row["seq"], ()) if changes is not None else ()
            out.append(AwardRecord(**row, amendments=tuple(found)))
        return out

    def _standing(self, *, before: int | None = None) -> list[PriorAward]:
        """Every recorded decision with its amount now (as of entry ``before`` if given), in
        order: what :meth:`awards` gives as ``current``, without reading the rest of each row
        (decoding every award's municipalities was a third of a commit's check at 100 000)."""
        limit = before if before is not None else -1
        if self.has_amendments():
            amount = """coalesce((
                SELECT m.amount_after FROM amendments m
                WHERE m.award_seq = a.seq AND (? < 0 OR m.seq < ?)
                ORDER BY m.seq DESC LIMIT 1), a.amount)"""
            params: tuple[int, ...] = (limit, limit, limit, limit)
        else:
            amount, params = "a.amount", (limit, limit)
        rows = self._conn.execute(
            f"SELECT a.round, a.application_id, a.orgnr, a.project, {amount} FROM awards a "
            "JOIN commits c ON c.seq = a.commit_seq WHERE (? < 0 OR a.seq < ?) ORDER BY a.seq",
            params,
        )
        # Each organisation as compared (organisation_key); digits alone (an organisation
        # number, nearly every one) are their own key and are not looked up.
        key = organisation_key
        return [
            PriorAward(
                round_,
                visible(app_id),  # as _award_records: compared with what a sheet is read as
                org if org is None or org.isdigit() else key(visible(org)),
                None if project is None else visible(project),
                current,
            )
            for round_, app_id, org, project, current in rows
        ]

    def head(self) -> tuple[int, str]:
        """(entries, hash of the last entry); ``(0, GENESIS)`` for an empty ledger."""
        row = self._conn.execute("SELECT seq, hash FROM chain ORDER BY seq DESC LIMIT 1").fetchone()
        if row is None:
            return 0, GENESIS
        count = self._conn.execute("SELECT count(*) FROM chain").fetchone()[0]
        return int(count), str(row[1])

    def committed_total(self, *, before: int | None = None) -> int:
        """Everything awarded in committed rounds now, net of amendments and withdrawals."""
        limit = before if before is not None else -1
        if not self.has_amendments():
            sql = "SELECT coalesce(sum(amount), 0) FROM awards WHERE (? < 0 OR seq < ?)"
        else:
            # An award's amount now is its last amendment's (before the limit), else its own.
            sql = """SELECT coalesce(sum(coalesce((
                        SELECT m.amount_after FROM amendments m
                        WHERE m.award_seq = a.seq AND (? < 0 OR m.seq < ?)
                        ORDER BY m.seq DESC LIMIT 1), a.amount)), 0)
                     FROM awards a WHERE (? < 0 OR a.seq < ?)"""
            return int(self._conn.execute(sql, (limit, limit, limit, limit)).fetchone()[0])
        return int(self._conn.execute(sql, (limit, limit)).fetchone()[0])

    # -- writing --

    def _append(self, kind: str, values: Mapping[str, Any]) -> int:
        """Append one entry to the chain and its row to its table; return its seq."""
        return self._append_many(kind, [values])[0]

    def _append_many(self, kind: str, items: Sequence[Mapping[str, Any]]) -> list[int]:
        """Append entries to the chain and their rows to their table, in order; their seqs.

        Must run inside an IMMEDIATE transaction (the caller's), which makes the last entry read
        here the last one when the rows are written.
        """
        last = self._conn.execute(
            "SELECT seq, hash FROM chain ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        seq, prev = (int(last[0]), str(last[1])) if last else (0, GENESIS)
        columns = _columns(kind, self.version)
        chain_rows = []
        table_rows = []
        seqs = []
        for values in items:
            seq += 1
            row = [values.get(name) for name in columns]
            body = canonical_json(_entry(kind, seq, dict(zip(columns, row, strict=True))))
            digest = entry_hash(prev, body)
            chain_rows.append((seq, kind, body, prev, digest))
            table_rows.append((seq, *row))
            seqs.append(seq)
            prev = digest
        self._conn.executemany(
            "INSERT INTO chain (seq, kind, body, prev_hash, hash) VALUES (?, ?, ?, ?, ?)",
            chain_rows,
        )
        names = ", ".join(("seq", *columns))
        marks = ", ".join("?" for _ in range(len(columns) + 1))
        self._conn.executemany(
            f"INSERT INTO {_TABLES[kind]} ({names}) VALUES ({marks})", table_rows
        )
        return seqs

    def commit_round(
        self,
        result: RoundResult,
        programme: Programme,
        round_id: int | str,
        *,
        input_path: str | Path | None = None,
        reading: Mapping[str, Any] | None = None,
        allocated_against: RoundContext | None = None,
    ) -> CommitInfo:
        """Record a round's result: every decision, in one transaction, or refuse and record none.

        Refused (:class:`LedgerError`, naming the earlier commit) when the round was committed
        before, when the same input and policy were committed before, or when the awards exceed
        what remains of the programme's frame. The checks run inside the transaction that writes,
        so two processes committing at the same moment cannot both pass. Refused too when the
        ledger changed since the round was allocated in a way its decisions rest on (a project
        funded or withdrawn since, an organisation past ``per_applicant_max``, any change to what
        an organisation of the round holds under the maximum).

        What the round was allocated against is the context
        :func:`~tilskudd.rounds.run_programme_round` kept with the result; else
        ``allocated_against``; else nothing: a result allocated without the ledger is held to
        the ledger as if it had held no awards, so that a round whose decisions would rest on
        awards it never counted is refused rather than recorded. Refused first of all for a round in
        another currency than the programme's: its frame and every sum over rounds would add
        euros to kroner. The first commit records the programme's currency in the ledger; a
        programme of another currency than its ledger's is refused (:meth:`currency`).
        """
        round_ = programme.round(round_id)
        if result.currency != programme.currency:
            raise LedgerError(
                key="currency.error.ledger",
                round=round_.number,
                currency=result.currency,
                programme=quoted(programme.name),
                programme_currency=programme.currency,
            )
        allocation = result.allocation
        source = result.source
        path, sha = _commit_input(result, input_path)
        policy_json = canonical_json(allocation.policy.describe())
        reading_data = dict(reading or {})
        reading_data.setdefault("sheet", source.sheet if source is not None else None)
        reading_data.setdefault("register", programme.register_year)
        if result.currency != NOK:
            # Read in it, as verify reads it again; vouched for by the chain, as the ledger's
            # currency in its meta table is not (kroner, as before, go without saying).
            reading_data.setdefault("currency", result.currency)
        apps = result.applications_by_id()
        rejected = result.rejected_by_id()

        with _immediate(self._conn, self.path, round=round_.number):
            self._require_intact()
            commits = self.commits()
            self._require_programme(programme, commits)
            if not commits and self.recorded_currency() is None:
                # The ledger's first round: from now on it counts in the programme's currency.
                self._conn.execute(
                    "INSERT INTO meta (key, value) VALUES (?, ?)",
                    (CURRENCY_KEY, programme.currency),
                )
            for earlier in commits:
                if earlier.input_sha256 == sha and canonical_json(earlier.policy) == policy_json:
                    raise LedgerError(
                        key="ledger.error.same_allocation",
                        earlier=earlier.description(),
                        sha=sha[:12],
                    )
                if earlier.round > round_.number:
                    raise LedgerError(
                        key="ledger.error.out_of_order",
                        later=earlier.round,
                        round=round_.number,
                        earlier=earlier.description(),
                    )
                if earlier.round == round_.number:
                    raise LedgerError(
                        key="ledger.error.round_committed",
                        round=round_.number,
                        earlier=earlier.description(),
                        awarded=earlier.awarded,
                    )
            committed = self.committed_total()
            _check_frame(allocation, programme, round_.number, committed)
            _check_earlier_rounds(allocation, programme, round_.number, committed, commits)
            # What the round would be allocated against now (read once, for both checks).
            now = self.round_context(programme, round_.number)
            self._refuse_funded_since(result, now)
            self._refuse_per_applicant_since(result, now)
            self._refuse_changed_since(result, now, _allocated_against(result, allocated_against))
            remaining = programme.frame - committed
            _hook("commit.checked")
            committed_at = _now()
            commit_seq = self._append(
                "commit",
                {
                    "round": round_.number,
                    "round_name": round_.name,
                    "committed_at": committed_at,
                    "programme": programme.name,
                    "funder": programme.funder,
                    "frame": programme.frame,
                    "budget": allocation.budget,
                    "awarded": allocation.awarded,
                    "unallocated": allocation.unallocated,
                    "applications": len(allocation.decisions),
                    "input_file": source.file if source is not None else None,
                    "input_path": str(path.resolve()) if path is not None else None,
                    "input_sha256": sha,
                    "reading": canonical_json(reading_data),
                    "policy": policy_json,
                    "rule": allocation.rule,
                    "seed": allocation.seed,
                    "tool_version": result.tool_version,
                    # As the programme gives it now: what the documents show from here on,
                    # whatever tilskudd.toml says later ('' for none, so that NULL says
                    # "committed before").
                    "decision_date": round_.decision.isoformat() if round_.decision else "",
                },
            )
            municipalities: set[str] = set()
            projects = 0
            batch: list[dict[str, Any]] = []
            for decision in allocation.decisions:
                app = apps.get(decision.application_id)
                bad = rejected.get(decision.application_id)
                # A rejected row's places and category too, where their cells were valid (its
                # amount's was not, say): the export and history show what the sheet gave.
                read = app if app is not None else bad
                munis = list(read.municipalities) if read is not None else []
                if decision.amount > 0:
                    projects += 1
                    municipalities.update(munis)
                batch.append(
                    {
                        "commit_seq": commit_seq,
                        "round": round_.number,
                        "application_id": decision.application_id,
                        # The organisation per_applicant_max counts (another register's id
                        # where there is no number); a rejected row's too, when its cell was
                        # valid: history lists everything the organisation applied for.
                        "orgnr": app.organisation_as_given
                        if app is not None
                        else (bad.organisation_as_given if bad else None),
                        "applicant": app.applicant if app else (bad.applicant if bad else None),
                        "project": app.project if app else (bad.project if bad else None),
                        "municipalities": canonical_json(munis),
                        "requested": decision.requested,
                        "eligible": decision.eligible_amount,
                        "amount": decision.amount,
                        "status": str(decision.status),
                        "rank": decision.rank,
                        "reasons": canonical_json(
                            [{"code": r.code, "params": r.params} for r in decision.reasons]
                        ),
                        # What the round's quotas group by: recorded for every decision ('' and
                        # [] when there is none), so that NULL says "committed before".
                        "category": (read.category or "") if read is not None else "",
                        "counties": canonical_json(list(read.counties if read else ())),
                        # What every cap of the round's policy is worked out from again when
                        # the award is amended (those that did not bind in the round too); a
                        # rejected row's as read, for history (it is never amended).
                        "figures": figures_json(read) if read is not None else None,
                        # What was typed in its cells with an error, as text (never a value).
                        "typed": canonical_json(bad.typed) if bad and bad.typed else None,
                    },
                )
                if len(batch) == _BATCH:
                    self._append_many("award", batch)
                    batch = []
                    _hook("commit.award")
            if batch:
                self._append_many("award", batch)
                _hook("commit.award")
            _entries, head = self.head()
        return CommitInfo(
            seq=commit_seq,
            round=round_.number,
            round_name=round_.name,
            committed_at=committed_at,
            awarded=allocation.awarded,
            projects=projects,
            municipalities=len(municipalities),
            decisions=len(allocation.decisions),
            frame=programme.frame,
            remaining=remaining - allocation.awarded,
            head=head,
        )

    def _refuse_funded_since(self, result: RoundResult, context: RoundContext) -> None:
        """Refuse a round that funds a project another round funds now (the same id, or the
        same orgnr and title): an award raised by an amendment while this round was being
        allocated, which the allocation could not see. Checked in the commit's transaction."""
        # The same matching as the allocation's (RoundContext.already_funded): every earlier
        # award under the id is looked at, not only the last (files numbered from 1 each round
        # give one id to several projects).
        number = context.round
        apps = result.applications_by_id()
        made = generated_ids(result.issues, result.applications)
        for decision in result.allocation.decisions:
            app = apps.get(decision.application_id)
            if decision.amount <= 0 or app is None:
                continue
            found = context.already_funded(app, by_id=app.id not in made)
            if found is not None:
                earlier, _match = found
                raise LedgerError(
                    key="ledger.error.funded_since",
                    id=app.id,
                    round=number,
                    earlier_round=earlier.round,
                    earlier_id=earlier.application_id,
                    amount=earlier.amount,
                )

    def _refuse_changed_since(
        self, result: RoundResult, now: RoundContext, then: RoundContext
    ) -> None:
        """Refuse a round whose decisions rest on awards changed since it was allocated: an
        application left unfunded as funded before whose earlier award was withdrawn since (or
        one funded since, not left so), and an organisation of the round under
        ``per_applicant_max`` whose earlier awards changed since the context it was allocated
        against (``then``). Recorded, such a round says what the ledger no longer holds, and
        ``verify``, which re-runs it against the ledger as it was just before the commit,
        decides otherwise. Checked in the commit's transaction."""
        if then.prior == now.prior:
            return  # the awards the round was allocated against stand as they were
        allocation = result.allocation
        excluded = funded_before_ids(allocation.decisions)
        made = generated_ids(result.issues, result.applications)
        # A funded application is not excluded, and _refuse_funded_since has looked it up.
        funded = {d.application_id for d in allocation.decisions if d.amount > 0}
        touched = [
            app.id
            for app in result.applications
            if app.id not in funded
            and (
                # Nothing stands in the ledger (a first round): no lookup to make.
                bool(now.prior) and now.already_funded(app, by_id=app.id not in made) is not None
            )
            != (app.id in excluded)
        ]
        if allocation.policy.per_applicant_max is not None:
            before, after = then.prior_by_orgnr, now.prior_by_orgnr
            changed = {o for o in set(before) | set(after) if before.get(o, 0) != after.get(o, 0)}
            touched += [
                app.id
                for app in result.applications
                if app.organisation in changed and app.id not in touched
            ]
        if touched:
            key = (
                "ledger.error.allocated_without_ledger"
                if then is _NOT_AGAINST_THE_LEDGER
                else "ledger.error.changed_since_allocated"
            )
            raise LedgerError(key=key, round=now.round, ids=touched)

    def _refuse_per_applicant_since(self, result: RoundResult, context: RoundContext) -> None:
        """Refuse a round that takes an organisation past its ``per_applicant_max`` over the
        programme as the ledger stands now: an earlier award raised by an amendment while this
        round was being allocated, which counted it at its amount then. Only an organisation
        the rule funded is held (an officer's decision to fund is not limited by the maximum).
        Checked in the commit's transaction."""
        allocation = result.allocation
        most = allocation.policy.per_applicant_max
        if most is None:
            return
        apps = result.applications_by_id()
        round_total: dict[str, int] = defaultdict(int)
        ids: dict[str, list[str]] = defaultdict(list)
        by_rule: set[str] = set()
        for decision in allocation.decisions:
            app = apps.get(decision.application_id)
            organisation = app.organisation if app is not None else None
            if decision.amount <= 0 or not organisation:
                continue
            round_total[organisation] += decision.amount
            ids[organisation].append(decision.application_id)
            if not any(r.code.startswith("reason.override.") for r in decision.reasons):
                by_rule.add(organisation)
        for orgnr in sorted(by_rule):
            earlier = context.prior_by_orgnr.get(orgnr, 0)
            if earlier + round_total[orgnr] > most:
                raise LedgerError(
                    key="ledger.error.per_applicant_since",
                    ids=ids[orgnr],
                    round=context.round,
                    orgnr=orgnr,
                    amount=round_total[orgnr],
                    earlier=earlier,
                    total=earlier + round_total[orgnr],
                    max=most,
                )

    def _require_programme(
        self, programme: Programme, commits: Sequence[CommitRecord] | None = None
    ) -> None:
        """Refuse a ledger whose rounds were committed for another programme: a programme
        folder copied as a template with last year's ledger, or a mistyped ``--ledger``.
        ``commits``: the ledger's commits, if the caller has read them already. Refused too when
        the programme file names another currency than the ledger counts in."""
        commits = self.commits() if commits is None else commits
        recorded = {c.programme for c in commits}
        if recorded and programme.name not in recorded:
            raise LedgerError(
                key="ledger.error.other_programme",
                path=str(self.path),
                names=[quoted(name) for name in sorted(recorded)],
                programme=quoted(programme.name),
                programme_file=str(programme.path)
                if programme.path
                else Phrase("ledger.error.programme_file"),
            )
        self.require_currency(programme, commits)

    def require_currency(
        self, programme: Programme, commits: Sequence[CommitRecord] | None = None
    ) -> str:
        """The currency the ledger's amounts are in, which must be the programme's (a ledger
        that holds no round yet takes it); refused (:class:`LedgerError`, naming both files and
        what to do) when ``tilskudd.toml`` names another: nothing is ever converted."""
        kept = self.currency(commits)
        if kept is not None and kept != programme.currency:
            raise LedgerError(
                key="ledger.error.other_currency",
                path=str(self.path),
                currency=kept,
                programme_currency=programme.currency,
                programme_file=str(programme.path)
                if programme.path
                else Phrase("ledger.error.programme_file"),
            )
        return programme.currency

    def recorded_currency(self) -> str | None:
        """The currency the ledger's first commit recorded (:data:`CURRENCY_KEY`), or None."""
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (CURRENCY_KEY,)).fetchone()
        return None if row is None else str(row[0])

    def currency(self, commits: Sequence[CommitRecord] | None = None) -> str | None:
        """The ISO 4217 code the ledger's amounts are in: the one its first commit recorded,
        else Norwegian kroner (a ledger made before the currency was recorded); None for a
        ledger that holds no round yet and records none, which takes its first round's.

        Each round committed in another currency than kroner records it with its reading,
        where the hash chain vouches for it: a recorded currency its rounds contradict (the
        meta table changed outside tilskudd) is refused (:class:`LedgerIntegrityError`).
        ``commits``: the ledger's commits, if the caller has read them already."""
        commits = self.commits() if commits is None else commits
        recorded = self.recorded_currency()
        if recorded is None and not commits:
            return None
        kept = recorded or NOK
        if kept not in CODES:  # changed outside tilskudd: never said as a currency
            raise LedgerIntegrityError(
                key="ledger.error.unreadable_record", path=str(self.path), what="meta.currency"
            )
        for commit in commits:
            said = commit.reading.get("currency") or NOK
            if said != kept:
                raise LedgerIntegrityError(
                    key="ledger.error.currency_changed",
                    path=str(self.path),
                    currency=kept,
                    round=commit.round,
                    round_currency=said,
                )
        return kept

    def _require_intact(self) -> None:
        """Refuse to add to a ledger whose chain was broken outside tilskudd."""
        report = self.verify_chain()
        if not report.ok:
            raise LedgerIntegrityError(
                key="ledger.error.changed_outside",
                path=str(self.path),
                seq=report.first_bad,
                problem=report.problem_phrase or report.problem,
            )

    def _find_award(
        self, application_id: str, round: int | None, awards: Sequence[AwardRecord]
    ) -> AwardRecord:
        in_round = [a for a in awards if round is None or a.round == round]
        matches = [a for a in in_round if a.application_id == application_id]
        if not matches:
            # A row told apart by its row, in another form than recorded ("S-01 (row 17)" for
            # "S-01 (A17)"): the same row of the same round.
            same = _id_matcher(application_id)
            matches = [a for a in in_round if same(a)]
        if not matches:
            # Typed in another case ("a-1" for "A-1"): that one, if only one id differs from it
            # only in case. A sheet may hold both A-1 and a-1 (ids are compared as written),
            # and then the officer is asked which.
            same = _id_matcher(application_id, fold=True)
            matches = [a for a in in_round if same(a)]
            spellings = sorted({a.application_id for a in matches})
            if len(spellings) > 1:
                raise LedgerError(
                    key="ledger.error.id_case_ambiguous", id=application_id, ids=spellings
                )
        if not matches:
            if round is None:
                raise LedgerError(key="ledger.error.not_in_ledger", id=application_id)
            raise LedgerError(key="ledger.error.not_in_round", id=application_id, round=round)
        if len(matches) > 1:
            raise LedgerError(
                key="ledger.error.in_several_rounds",
                id=application_id,
                rounds=[str(a.round) for a in matches],
            )
        return matches[0]

    @staticmethod
    def _withdrawn_error(award: AwardRecord, awards: list[AwardRecord]) -> LedgerError:
        """The refusal of a change to ``award``, withdrawn already (final), with what can be
        done instead: fund an application another round left unfunded because ``award`` was
        funded (the first such, by round), by an amendment; else apply again in a later round,
        where the withdrawn award keeps nothing from being funded (:meth:`RoundContext.
        already_funded` counts an award above 0 only)."""
        which = {"id": award.application_id, "round": award.round}
        for other in sorted(awards, key=lambda a: (a.round, a.seq)):
            if other.withdrawn or other.current > 0 or other.status == Status.REJECTED:
                continue
            for reason in other.reasons:
                params = reason.get("params") or {}
                if (
                    reason.get("code") == ALREADY_FUNDED
                    and params.get("round") == award.round
                    and params.get("application") == award.application_id
                ):
                    return LedgerError(
                        key="ledger.error.withdrawn_left_out",
                        other_id=other.application_id,
                        other_round=other.round,
                        **which,
                    )
        return LedgerError(key="ledger.error.withdrawn", **which)

    def _refuse_second_award(self, award: AwardRecord) -> None:
        """Refuse to give money to an application whose project is funded in another round:
        the round left it unfunded because of an earlier award that still stands, or another
        round (a later one, say) funded the same project (the same id, or the same organisation
        and project title) since."""
        for reason in award.reasons:
            if reason.get("code") != ALREADY_FUNDED:
                continue
            params = reason.get("params", {})
            earlier_id, earlier_round = params.get("application"), params.get("round")
            earlier = [
                a
                for a in self.awards(round=earlier_round)
                if a.application_id == earlier_id and not a.withdrawn and a.current > 0
            ]
            if earlier:
                raise LedgerError(
                    key="ledger.error.funded_earlier",
                    id=award.application_id,
                    round=award.round,
                    earlier_round=earlier_round,
                    earlier_id=earlier_id,
                    amount=earlier[0].current,
                )
        other = self._same_project_elsewhere(award)
        if other is not None:
            raise LedgerError(
                key="ledger.error.funded_other_round",
                id=award.application_id,
                round=award.round,
                other_round=other.round,
                other_id=other.application_id,
                amount=other.current,
            )

    def _same_project_elsewhere(self, award: AwardRecord) -> AwardRecord | None:
        """An award of the same project in another round that stands (above 0 kr now), matched
        as :meth:`RoundContext.already_funded` matches: the same id, or organisation and title."""
        organisation = award.organisation
        title = normalise_title(award.project) if organisation and award.project else None
        for other in self.awards():
            if other.round == award.round or other.current <= 0:
                continue
            if other.application_id == award.application_id and same_application_by_id(
                other.organisation, other.project, organisation, award.project
            ):
                return other
            if (
                title is not None
                and other.organisation == organisation
                and normalise_title(other.project) == title
            ):
                return other
        return None

    def amend(
        self,
        application_id: str,
        amount: int,
        reason: str,
        programme: Programme,
        *,
        round: int | None = None,
        kind: Literal["amend", "withdraw"] = "amend",
        outside_policy: bool = False,
        decided: date | None = None,
    ) -> AmendmentRecord:
        """Record a new amount for a committed award (or its withdrawal) with the reason.

        Refused when the reason is empty, the amount is negative or above the amount applied
        for, the application was rejected or withdrawn, nothing would change, the policy the
        round was committed with would not give the amount (:meth:`_policy_problems`), the
        project is funded in another round, or an increase exceeds what remains of the frame.
        A quota minimum a lowering or withdrawal leaves unmet is not refused but said
        (:attr:`AmendmentRecord.warnings`; :meth:`_quota_effects`); a raise in a round whose
        quota maximums the ledger cannot check (committed before schema 4) is refused as one
        past them.
        ``outside_policy=True`` (a board's decision to go beyond the round's policy) records an
        amount the policy would not give instead of refusing it, naming the rules in the entry
        (:attr:`AmendmentRecord.outside_policy`); every other check still holds. ``decided``,
        the date the change was decided, is recorded beside the time it is recorded; it is
        refused in the future, or before the round's decision date when the programme gives
        one. Checked and written in one IMMEDIATE transaction.
        """
        if not reason or not reason.strip():
            raise LedgerError(key="ledger.error.no_reason")
        if isinstance(decided, datetime):  # a time given from Python: its day
            decided = decided.date()
        if decided is not None and decided > _today():
            raise LedgerError(
                key="ledger.error.decided_future",
                decided=decided.isoformat(),
                today=_today().isoformat(),
            )
        application_id = application_id.strip()
        if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
            # "whole EUR" in a programme of euros, from Python too (the CLI reads --amount).
            with amounts_in(programme.currency):
                refused = LedgerError(key="ledger.error.bad_amount", amount=quoted(amount))
            refused.currency = programme.currency
            raise refused
        if not self.has_amendments():  # pragma: no cover - open() upgrades every ledger
            raise LedgerError(key="ledger.error.no_amendments_table")
        with _immediate(self._conn, self.path, change=application_id):
            self._require_intact()
            self._require_programme(programme)
            awards = self.awards()
            award = self._find_award(application_id, round, awards)
            which = {"id": award.application_id, "round": award.round}
            if award.status == Status.REJECTED:
                if kind == "withdraw":
                    raise LedgerError(key="ledger.error.rejected_withdraw", **which)
                raise LedgerError(key="ledger.error.rejected", **which)
            if award.withdrawn:
                raise self._withdrawn_error(award, awards)
            self._refuse_decided_before_round(award, decided, programme, self.commits())
            self._refuse_dated_before_earlier_change(award, decided)
            before = award.current
            waived: list[str] = []
            waived_figures: str | None = None
            warnings: list[Phrase] = []
            if kind == "withdraw":
                if before == 0:
                    raise LedgerError(key="ledger.error.nothing_to_withdraw", amount=0, **which)
                amount = 0
                _refused, warnings = self._quota_effects(award, amount, before, awards)
            else:
                if amount == 0:
                    raise LedgerError(key="ledger.error.amend_to_zero", amount=0, **which)
                if amount == before:
                    raise LedgerError(key="ledger.error.unchanged", amount=before, **which)
                if award.requested is not None and amount > award.requested:
                    raise LedgerError(
                        key="ledger.error.above_requested",
                        amount=amount,
                        requested=award.requested,
                        **which,
                    )
                # First what no decision beyond the policy could change (a project funded once,
                # the frame): the policy's refusals say --outside-policy would record the amount.
                if amount > before:
                    self._refuse_second_award(award)
                remaining = max(programme.frame - self.committed_total(), 0)
                if amount > before and amount - before > remaining:
                    raise LedgerError(
                        key="ledger.error.raise_over_frame",
                        before=before,
                        after=amount,
                        needed=amount - before,
                        remaining=remaining,
                        frame=programme.frame,
                        most=before + remaining,
                        **which,
                    )
                problems = self._policy_problems(award, amount, before, awards)
                quota_problems, warnings = self._quota_effects(award, amount, before, awards)
                problems += quota_problems
                if len(problems) == 1 and not outside_policy:
                    only = problems[0][1]
                    # As raised, typed as a rule --outside-policy could record (the CLI says so).
                    raise AmendmentBeyondPolicyError(key=str(only.key), **only.params)
                if problems and not outside_policy:
                    # Every rule the amount goes beyond, as --outside-policy would record them.
                    raise AmendmentRefusedError(
                        lines=[Phrase(str(error.key), **error.params) for _, error in problems]
                    )
                waived = [rule for rule, _ in problems]
                waived_figures = outside_policy_figures(problems)
            created = _now()
            seq = self._append(
                "amendment",
                {
                    "award_seq": award.seq,
                    "kind": kind,
                    "amount_before": before,
                    "amount_after": amount,
                    "reason": reason.strip(),
                    "created": created,
                    "tool_version": __version__,
                    "outside_policy": canonical_json(waived) if waived else None,
                    "outside_policy_figures": waived_figures,
                    "decided": None if decided is None else decided.isoformat(),
                },
            )
        return AmendmentRecord(
            seq=seq,
            award_seq=award.seq,
            kind=kind,
            amount_before=before,
            amount_after=amount,
            reason=reason.strip(),
            created=created,
            tool_version=__version__,
            round=award.round,
            application_id=award.application_id,
            outside_policy=tuple(waived),
            outside_policy_figures=waived_figures,
            decided=None if decided is None else decided.isoformat(),
            warnings=tuple(warnings),
        )

    @staticmethod
    def _refuse_decided_before_round(
        award: AwardRecord,
        decided: date | None,
        programme: Programme,
        commits: Sequence[CommitRecord],
    ) -> None:
        """A change can't be decided before the decision it changes: refused when ``decided``
        lies before the award's round's decision date, as recorded when the round was committed
        (else, committed before schema 8, as the programme gives it)."""
        if decided is None:
            return
        commit = next((c for c in commits if c.seq == award.commit_seq), None)
        recorded = commit is not None and commit.decision_recorded
        planned = (
            commit.decision(programme)
            if commit is not None
            else programme_decision(programme, award.round)
        )
        if planned is not None and decided < planned:
            raise LedgerError(
                key=(
                    "ledger.error.decided_before_round_recorded"
                    if recorded
                    else "ledger.error.decided_before_round"
                ),
                decided=decided.isoformat(),
                round=award.round,
                round_decided=planned.isoformat(),
                id=award.application_id,
            )

    @staticmethod
    def _refuse_dated_before_earlier_change(award: AwardRecord, decided: date | None) -> None:
        """Changes to an award are dated in the order the ledger records them, so that the
        documents, which tell them in that order, tell them as they were decided: refused when
        the change (dated ``decided``, or without it the day it is recorded, as the documents
        date it) lies before an earlier change to the award (dated the same way). The same day
        is not refused. A decision taken before a change already recorded was overtaken by it.
        The earlier change is an amendment: a withdrawn award is refused before this."""
        if not award.amendments:
            return

        def dated(change: AmendmentRecord) -> date:
            return clock.change_day(change.decided, change.created)

        # The day it is recorded is the day in Norway, as "today" is for --decided: a change
        # decided today and one recorded after it without --decided are the same day.
        own = decided if decided is not None else clock.record_day(_now())
        latest = max(award.amendments, key=lambda change: (dated(change), change.seq))
        if dated(latest) <= own:
            return
        raise LedgerError(
            key=(
                "ledger.error.decided_before_change"
                if decided is not None
                else "ledger.error.recorded_before_change"
            ),
            id=award.application_id,
            round=award.round,
            decided=own.isoformat(),
            seq=latest.seq,
            earlier=dated(latest).isoformat(),
            after=latest.amount_after,
        )

    def _quota_effects(
        self, award: AwardRecord, amount: int, before: int, awards: Sequence[AwardRecord]
    ) -> tuple[list[tuple[str, LedgerError]], list[Phrase]]:
        """What the quotas of the award's round say against changing it to ``amount``: the
        maximums a raise would pass (refused as the other rules of the policy are, each named
        ``quotas (county 03: max_share)`` as :attr:`AmendmentRecord.outside_policy` records it),
        and the minimums a lowering or a withdrawal leaves unmet (said, never refused: an
        applicant can always give a grant back). Each group holds the round's awards as they
        stand now, its shares of the budget the round was committed with."""
        commit = next((c for c in self.commits() if c.seq == award.commit_seq), None)
        if commit is None or not commit.policy.get("quotas"):
            return [], []
        mine = [a for a in awards if a.commit_seq == award.commit_seq]
        now = {a.application_id: a.current for a in mine}
        then = _round_quota_totals(commit, mine, now)
        after = _round_quota_totals(commit, mine, {**now, award.application_id: amount})
        if then is None or after is None:
            # Committed before the ledger recorded categories and counties (or with quotas this
            # tilskudd cannot read): said, not guessed. A raise may pass a maximum no one can
            # check, and is refused as one that does (recorded as such outside the policy).
            if amount > before and _quotas_may_cap(commit.policy["quotas"]):
                error = LedgerError(
                    key="ledger.error.amend_quotas_not_recorded",
                    id=award.application_id,
                    round=award.round,
                    amount=amount,
                )
                return [("quotas (not checked)", error)], []
            return [], [Phrase("ledger.warning.quotas_not_recorded", round=award.round)]
        index = next(i for i, a in enumerate(_quota_members(mine)) if a.seq == award.seq)
        which = {"id": award.application_id, "round": award.round, "amount": amount}
        problems: list[tuple[str, LedgerError]] = []
        warnings: list[Phrase] = []
        for old, new in zip(then, after, strict=True):
            group = new.group
            if index not in group.members:
                continue
            name = f"quotas ({group.by} {group.value}: {{}})"
            most, least = group.most, group.least
            if amount > before and most is not None and new.amount > most:
                limit = "max_share" if group.share_cap == most else "max_amount"
                others = new.amount - amount
                problems.append(
                    (
                        name.format(limit),
                        LedgerError(
                            key="ledger.error.amend_over_quota",
                            group=group.phrase,
                            total=new.amount,
                            most=most,
                            limit=limit,
                            others=others,
                            left=max(most - others, 0),
                            **which,
                        ),
                    )
                )
            if group.max_count is not None and new.count > max(old.count, group.max_count):
                problems.append(
                    (
                        name.format("max_count"),
                        LedgerError(
                            key="ledger.error.amend_over_quota_count",
                            group=group.phrase,
                            count=old.count,
                            max_count=group.max_count,
                            **which,
                        ),
                    )
                )
            if amount < before and new.amount < least:
                limit = "min_share" if group.share_floor == least else "min_amount"
                warnings.append(
                    Phrase(
                        "ledger.warning.quota_below_min",
                        group=group.phrase,
                        round=award.round,
                        total=new.amount,
                        least=least,
                        limit=limit,
                    )
                )
            if new.count < old.count and new.count < (group.min_count or 0):
                warnings.append(
                    Phrase(
                        "ledger.warning.quota_below_min_count",
                        group=group.phrase,
                        round=award.round,
                        count=new.count,
                        least=group.min_count,
                    )
                )
        return problems, warnings

    def _policy_problems(
        self, award: AwardRecord, amount: int, before: int, awards: Sequence[AwardRecord]
    ) -> list[tuple[str, LedgerError]]:
        """What the policy the award's round was committed with says against ``amount``: each
        rule it goes beyond, as the policy file names it, with the refusal that says so.

        Any new amount, raised or lowered, must be one the policy could give: at least
        ``min_award`` and on the ``round_to`` grid. A raise must also stay under ``max_award``,
        the share of the recorded total cost (``max_share_of_cost``), the eligible amount of an
        officer's decision in the round, and ``per_applicant_max`` over the organisation's
        other standing awards in every round; and the application must have been eligible
        (``min_score``). Each cap is worked out again from the recorded policy and the figures
        recorded with the decision, whether or not it bound in the round. Where the ledger does
        not hold the figure a cap needs (a round committed before schema 5, whose decision does
        not say), the raise goes beyond ``max_share_of_cost (not checked)`` or
        ``min_score (not checked)``: refused, or recorded as such with ``outside_policy``."""
        commit = next((c for c in self.commits() if c.seq == award.commit_seq), None)
        if commit is None:  # pragma: no cover - an award belongs to a recorded commit
            return []
        caps = RoundCaps.of(commit.policy)
        which = {"id": award.application_id, "round": award.round, "amount": amount}
        problems: list[tuple[str, LedgerError]] = []

        def add(rule: str, key: str, **params: Any) -> None:
            problems.append((rule, LedgerError(key=key, **params, **which)))

        if amount < caps.min_award:
            # An application without an award (a reserve) has none to withdraw instead.
            key = (
                "ledger.error.amend_below_min_award"
                if before > 0
                else "ledger.error.amend_below_min_award_unfunded"
            )
            add("min_award", key, min_award=caps.min_award)
        if amount % caps.round_to:
            lower = amount - amount % caps.round_to
            near = lower if lower >= max(caps.min_award, 1) else lower + caps.round_to
            add("round_to", "ledger.error.amend_off_grid", round_to=caps.round_to, near=near)
        if amount <= before:
            return problems  # lowered: moves toward the caps, even from above one (an override's)
        reasons = {str(r.get("code")): r.get("params", {}) for r in award.reasons}
        figures = award.figures
        score = _score_below(award, caps, reasons, figures)
        if score == "unknown":
            add(
                "min_score (not checked)",
                "ledger.error.amend_score_not_recorded",
                min_score=caps.min_score,
            )
        elif score is not None:
            add(
                "min_score",
                "ledger.error.amend_not_eligible",
                score=score[0],
                min_score=score[1],
            )
        if caps.max_award is not None and amount > caps.max_award:
            add("max_award", "ledger.error.amend_over_max_award", cap=caps.max_award)
        share = _share_cap(award, caps, reasons, figures)
        if isinstance(share, tuple) and caps.share is not None:
            total_cost, cap = share
            if amount > cap:
                add(
                    "max_share_of_cost",
                    "ledger.error.amend_over_share_of_cost",
                    share=caps.share,
                    total_cost=total_cost,
                    cap=cap,
                )
        elif isinstance(share, int) and amount > share:
            add(
                "max_share_of_cost (not checked)",
                "ledger.error.amend_cost_not_recorded",
                share=caps.share,
            )
        overridden = any(str(code).startswith("reason.override.") for code in reasons)
        if overridden and award.eligible is not None and amount > award.eligible:
            # An officer's decision in the round records no cap reasons, but its eligible amount
            # is the policy's (max_award, share of cost, round_to, min_award; 0 if none).
            add("eligible_amount", "ledger.error.amend_over_eligible", eligible=award.eligible)
        organisation = award.organisation
        if caps.per_applicant_max is not None and organisation:
            # What the organisation holds across the programme, later rounds too: a later round
            # was allocated counting this award as it stood, and gave the organisation only
            # what was left under the maximum then.
            standing = [
                a
                for a in awards
                if a.organisation == organisation and a.seq != award.seq and a.current > 0
            ]
            others = sum(a.current for a in standing)
            if others + amount > caps.per_applicant_max:
                add(
                    "per_applicant_max",
                    "ledger.error.amend_over_per_applicant",
                    orgnr=organisation,
                    max=caps.per_applicant_max,
                    others=others,
                    awards=_standing_phrases(standing),
                    total=others + amount,
                    left=max(caps.per_applicant_max - others, 0),
                )
        if organisation:
            problems += self._later_per_applicant_problems(award, amount, caps, awards)
        return problems

    def _later_per_applicant_problems(
        self, award: AwardRecord, amount: int, caps: RoundCaps, awards: Sequence[AwardRecord]
    ) -> list[tuple[str, LedgerError]]:
        """A raise held to the ``per_applicant_max`` of each later round whose policy set a
        lower one than the award's round (or one where it set none) and that funded the
        organisation: that round was allocated counting this award, and gave the organisation
        only what was left under its maximum over the rounds up to it. (Where the maximum is
        the same, the award's own round's check, over every round, holds it already.)"""
        problems: list[tuple[str, LedgerError]] = []
        for later in self.commits():
            most = RoundCaps.of(later.policy).per_applicant_max
            if later.round <= award.round or most is None:
                continue
            if caps.per_applicant_max is not None and most >= caps.per_applicant_max:
                continue
            standing = [
                a
                for a in awards
                if a.organisation == award.organisation
                and a.seq != award.seq
                and a.current > 0
                and a.round <= later.round
            ]
            # Round `later`'s rule held only the organisations it funded: one with nothing
            # there now is held to the award's own round's policy alone.
            if not any(a.round == later.round for a in standing):
                continue
            others = sum(a.current for a in standing)
            if others + amount <= most:
                continue
            problems.append(
                (
                    f"per_applicant_max (round {later.round})",
                    LedgerError(
                        key="ledger.error.amend_over_later_per_applicant",
                        id=award.application_id,
                        round=award.round,
                        amount=amount,
                        later=later.round,
                        orgnr=award.organisation,
                        max=most,
                        others=others,
                        awards=_standing_phrases(standing),
                        total=others + amount,
                        left=max(most - others, 0),
                    ),
                )
            )
        return problems

    # -- questions --

    def round_context(
        self, programme: Programme, round_id: int | str, *, before: int | None = None
    ) -> RoundContext:
        """What round ``round_id`` is allocated against (as of entry ``before`` when verifying:
        the entry of the round's commit, or one before it).

        A round already committed was allocated against the ledger as it was before its commit,
        with the budget and frame it recorded: a run of it again (to explain a decision, or to
        write its documents) gets that context, not today's, in which its own awards and those of
        later rounds would count as "funded before" and its budget as spent.
        """
        round_ = programme.round(round_id)
        if before is None:
            commits = self.commits()
            self._require_programme(programme, commits)
            done = [c for c in commits if c.round == round_.number]
            if done:
                then = self.round_context(programme, round_id, before=done[0].seq)
                return replace(
                    then,
                    frame=done[0].frame,
                    budget=done[0].budget,
                    budget_source="committed",
                    already_committed=done[0],
                )
            # A round before one already committed could never be committed: said now, not
            # after a preview that calls the later round's awards "earlier".
            later = [c for c in commits if c.round > round_.number]
            if later:
                raise LedgerError(
                    key="ledger.error.out_of_order",
                    later=later[0].round,
                    round=round_.number,
                    earlier=later[0].description(),
                )
        standing = self._standing(before=before)
        committed = sum(award.amount for award in standing)
        remaining = max(programme.frame - committed, 0)
        planned = round_.budget
        if planned is not None and planned <= remaining:
            budget, source = planned, "round"
        else:
            budget, source = remaining, "remaining"
        prior = tuple(a for a in standing if a.round != round_.number and a.amount > 0)
        by_orgnr: dict[str, int] = defaultdict(int)
        for item in prior:
            if item.orgnr:
                by_orgnr[item.orgnr] += item.amount
        # No commit of this round is counted here: with ``before`` None the round has none
        # (else its context is the one before its commit, above), and ``before`` is at most the
        # entry of its commit (commits.round is UNIQUE).
        earlier, planned_before = (
            ((), 0)
            if before is not None
            else earlier_rounds_planned(programme, round_.number, self.commits())
        )
        return RoundContext(
            round=round_.number,
            round_name=round_.name,
            frame=programme.frame,
            committed=committed,
            remaining=remaining,
            planned=planned,
            budget=budget,
            budget_source=source,  # type: ignore[arg-type]
            prior=prior,
            prior_by_orgnr=dict(by_orgnr),
            not_committed_before=earlier,
            planned_before=planned_before,
        )

    def _round_figures(self, round: int | None = None) -> dict[int, tuple[int, int, int, int, int]]:
        """Each round's awards now (``round``'s alone, if given), counted by SQLite: (amount
        now, projects funded now, municipalities of those, amendments, withdrawals). What
        :meth:`status` says, without making a record of every award (at 100 000 awards a round,
        that was half its time)."""
        where, params = ("WHERE a.round = ?", (round,)) if round is not None else ("", ())
        if self.has_amendments():
            # An award's amount now is its last amendment's, else its own (as AwardRecord.current).
            now = """coalesce((SELECT m.amount_after FROM amendments m WHERE m.award_seq = a.seq
                     ORDER BY m.seq DESC LIMIT 1), a.amount)"""
        else:
            now = "a.amount"
        awards = (
            f"SELECT a.round AS round, a.municipalities AS places, {now} AS now "
            f"FROM awards a JOIN commits c ON c.seq = a.commit_seq {where}"
        )
        totals = {
            int(number): [int(amount), int(funded), 0, 0, 0]
            for number, amount, funded in self._conn.execute(
                f"SELECT round, sum(now), sum(now > 0) FROM ({awards}) GROUP BY round", params
            )
        }
        places: dict[int, set[str]] = defaultdict(set)
        for number, text in self._conn.execute(
            f"SELECT DISTINCT round, places FROM ({awards}) WHERE now > 0", params
        ):
            places[int(number)].update(_recorded(text, list, "awards.municipalities"))
        for number, found in places.items():
            totals[number][2] = len(found)
        if self.has_amendments():
            for number, kind, count in self._conn.execute(
                "SELECT a.round, m.kind, count(*) FROM amendments m "
                "JOIN awards a ON a.seq = m.award_seq JOIN commits c ON c.seq = a.commit_seq "
                f"{where} GROUP BY a.round, m.kind",
                params,
            ):
                if kind in ("amend", "withdraw"):
                    totals[int(number)][3 if kind == "amend" else 4] += int(count)
        return {number: (a, b, c, d, e) for number, (a, b, c, d, e) in totals.items()}

    def status(self, programme: Programme) -> LedgerStatus:
        """The frame, each committed round's figures now, amendments, and what remains."""
        commits = self.commits()
        self._require_programme(programme, commits)
        figures = self._round_figures()
        rounds = [
            self._round_status(commit, figures, programme)
            for commit in sorted(commits, key=lambda c: c.round)
        ]
        done = {c.round for c in commits}
        committed = sum(r.current for r in rounds)
        entries, head = self.head()
        return LedgerStatus(
            programme=programme.name,
            frame=programme.frame,
            rounds=tuple(rounds),
            planned=tuple(
                (r.number, r.name, r.budget) for r in programme.rounds if r.number not in done
            ),
            committed=committed,
            remaining=programme.frame - committed,
            ledger=str(self.path),
            entries=entries,
            head=head,
            tampered_at=self.verify_chain().first_bad,
            currency=programme.currency,
        )

    def round_status(self, programme: Programme, round_number: int) -> RoundStatus | None:
        """One committed round's figures now, as :meth:`status` gives them (None: not
        committed), without the other rounds' figures or the hash-chain check: what
        ``allocate --round N`` says of a round changed since its commit."""
        commits = self.commits()
        self._require_programme(programme, commits)
        commit = next((c for c in commits if c.round == round_number), None)
        if commit is None:
            return None
        return self._round_status(commit, self._round_figures(round=round_number), programme)

    def _round_status(
        self,
        commit: CommitRecord,
        figures: Mapping[int, tuple[int, int, int, int, int]],
        programme: Programme,
    ) -> RoundStatus:
        current, projects, places, amended, withdrawn = figures.get(commit.round, (0,) * 5)
        # Only a round with quotas needs its awards one by one, to group them.
        quotas = commit.policy.get("quotas")
        decided = commit.decision(programme)  # as recorded; before schema 8, the file's now
        return RoundStatus(
            round=commit.round,
            name=commit.round_name,
            committed_at=commit.committed_at,
            budget=commit.budget,
            committed=commit.awarded,
            current=current,
            projects=projects,
            municipalities=places,
            amendments=amended,
            withdrawals=withdrawn,
            quotas_unmet=_quotas_unmet(commit, self.awards(round=commit.round)) if quotas else (),
            decision_date=decided.isoformat() if decided else None,
        )

    def history(self, query: str) -> list[AwardRecord]:
        """Everything recorded for an organisation number, a recipient's identifier in another
        register (``GB-CHC-1234567``) or an application id, in order.

        The organisation number may be written any way an applications sheet may write it
        (``974 760 673``, ``974.760.673``, ``NO 974 760 673 MVA``); the identifier in another
        register in another case too, when none is recorded as typed.
        """
        from tilskudd.registry import OrgnrError, validate_orgnr

        text = query.strip()
        try:
            orgnr: str | None = validate_orgnr(text)
        except OrgnrError:
            digits = "".join(ch for ch in text if not ch.isspace())
            orgnr = digits if digits.isdigit() else None
        awards = self.awards()
        same = _id_matcher(text, with_rows=True)
        if orgnr is None and not any(same(a) for a in awards):
            # Typed in another case ("a-1"): every id that differs from it only in case.
            same = _id_matcher(text, with_rows=True, fold=True)

        # As a round compares them (organisation_key): gb-chc-1234567 is GB-CHC-1234567, and
        # NO-BRC-974760673 is 974760673; a publisher's own code as typed, else in any case.
        key = organisation_key(text) if text else None
        exact = key is not None and any(a.organisation == key for a in awards)
        folded = text.casefold()

        def other_register(award: AwardRecord) -> bool:
            if award.org_id is None:
                return False
            return award.organisation == key if exact else award.org_id.casefold() == folded

        return [
            a
            for a in awards
            if same(a) or (orgnr is not None and a.organisation == orgnr) or other_register(a)
        ]

    def _entry_problem(
        self,
        seq: int,
        expected: int,
        kind: str,
        body: str,
        prev_hash: str,
        stored: str,
        prev: str,
        tables: Mapping[str, _TableRows],
    ) -> tuple[Phrase, int] | None:
        """Why chain entry ``seq`` is not what tilskudd wrote, and the entry to name; or None.
        ``tables``: each recorded table's rows, read in step with the chain."""
        if seq != expected:
            return Phrase("ledger.error.chain_missing", seq=expected, next=seq), expected
        if prev_hash != prev:
            return Phrase("ledger.error.chain_not_following", seq=seq, previous=seq - 1), seq
        if entry_hash(prev, body) != stored:
            return Phrase("ledger.error.chain_hash", seq=seq), seq
        if kind not in _TABLES:
            return Phrase("ledger.error.chain_kind", seq=seq, kind=kind), seq
        columns = _columns(kind, self.version)
        rows = tables.get(kind)
        if rows is not None:
            row = rows.take(seq)
        else:  # an amendment entry in a ledger without the table: SQLite says so, as before
            row = self._conn.execute(
                f"SELECT {', '.join(columns)} FROM {_TABLES[kind]} WHERE seq = ?", (seq,)
            ).fetchone()
        what = Phrase(f"ledger.error.kind_{kind}")
        if row is None:
            return (
                Phrase("ledger.error.chain_row_missing", kind=what, seq=seq, table=_TABLES[kind]),
                seq,
            )
        values = dict(zip(columns, row, strict=True))
        if canonical_json(_entry(kind, seq, values)) != body:
            try:
                recorded = json.loads(body)
            except ValueError:  # not JSON any more: every column is said to be changed
                recorded = {}
            if not isinstance(recorded, dict):
                recorded = {}
            changed = [c for c in columns if recorded.get(c) != values[c]]
            # The table's own column names, for whoever looks into the file, said as such.
            fields = (
                Phrase("ledger.error.chain_column", n=len(changed), columns=", ".join(changed))
                if changed
                else Phrase("ledger.error.chain_fields")
            )
            return (
                Phrase("ledger.error.chain_row_differs", kind=what, seq=seq, fields=fields),
                seq,
            )
        return None

    def verify_chain(self) -> ChainReport:
        """Recompute the hash chain and compare every recorded row with its entry.

        Reports the first entry that differs: a changed row, a changed or removed entry, or a
        row that was added to a table without an entry. A chain that differs in a file SQLite
        finds unsound is refused as damaged (:meth:`_require_sound`), not reported.
        """
        report = self._chain_report()
        if not report.ok:
            self._require_sound()
        return report

    def _require_sound(self) -> None:
        """Refuse as damaged (:class:`LedgerFileError`) a ledger whose file SQLite finds
        unsound (``PRAGMA quick_check``: a page that is not a page, a row that points outside
        its page): a chain broken by a disk's fault or a copy's is not one changed outside
        tilskudd, which blames a person; an edit with the sqlite3 shell leaves the file sound.
        Asked only of a chain that differs: it reads every page (0.015 s for a ledger of
        20 000 entries, 20 MB, beside the chain check's 0.19 s).
        """
        found = [str(row[0]) for row in self._conn.execute("PRAGMA quick_check(1)")]
        if found == ["ok"]:
            return
        problem = _cut_short(self.path)
        if problem is not None:
            raise problem
        # SQLite's first finding, without the name of the database it was found in.
        said = " ".join(
            line for line in "\n".join(found).splitlines() if not line.startswith("*** in ")
        )
        raise LedgerFileError(key="ledger.error.damaged", path=str(self.path), said=said)

    def _chain_report(self) -> ChainReport:
        """The chain recomputed, as :meth:`verify_chain` reports it."""
        prev = GENESIS
        count = 0
        # Each table is read once in seq order beside the chain: one query per entry was a third
        # of the check's time (4.0 s against 2.5 s for two rounds of 100 000 awards).
        tables = {
            kind: _TableRows(self._conn, kind, _columns(kind, self.version))
            for kind in _TABLES
            if kind != "amendment" or self.has_amendments()
        }
        try:
            rows = self._conn.execute(
                "SELECT seq, kind, body, prev_hash, hash FROM chain ORDER BY seq"
            )
            for seq, kind, body, prev_hash, stored in rows:
                found = self._entry_problem(
                    seq, count + 1, kind, body, prev_hash, stored, prev, tables
                )
                if found is not None:
                    rows.close()
                    return ChainReport(
                        entries=count,
                        head=prev,
                        ok=False,
                        first_bad=found[1],
                        problem=str(found[0]),
                        problem_phrase=found[0],
                    )
                count += 1
                prev = stored
            for kind, table_rows in tables.items():
                stray = table_rows.first_stray()
                if stray is not None:
                    problem = Phrase("ledger.error.chain_stray", table=_TABLES[kind], seq=stray)
                    return ChainReport(
                        entries=count,
                        head=prev,
                        ok=False,
                        first_bad=stray,
                        problem=str(problem),
                        problem_phrase=problem,
                    )
        finally:
            for table_rows in tables.values():
                table_rows.close()
        return ChainReport(entries=count, head=prev, ok=True)

    def changes_out_of_order(self, *, round: int | None = None) -> list[ChangeOutOfOrder]:
        """Every change to an award dated (as :meth:`amend` dates it: the day decided, else the
        day in Norway it was recorded) before a change to the same award recorded before it, in
        ledger order (those of ``round`` if given). :meth:`amend` refuses to record one; a
        tilskudd from before that check did not."""
        latest: dict[int, tuple[date, AmendmentRecord]] = {}
        found = []
        for change in self.amendments():
            if round is not None and change.round != round:
                continue
            day = clock.change_day(change.decided, change.created)
            before = latest.get(change.award_seq)
            if before is not None and day < before[0]:
                found.append(
                    ChangeOutOfOrder(
                        round=change.round,
                        application_id=change.application_id,
                        earlier_seq=before[1].seq,
                        earlier_date=before[0].isoformat(),
                        later_seq=change.seq,
                        later_date=day.isoformat(),
                    )
                )
            if before is None or day >= before[0]:
                latest[change.award_seq] = (day, change)
        return found


class _TableRows:
    """A recorded table's rows in seq order, taken one by one as the chain's entries name them:
    the rows no entry of their kind names are strays (the first one is kept)."""

    def __init__(self, conn: sqlite3.Connection, kind: str, columns: Sequence[str]) -> None:
        self._cursor = conn.execute(
            f"SELECT seq, {', '.join(columns)} FROM {_TABLES[kind]} ORDER BY seq"
        )
        self._rows: Iterator[tuple[Any, ...]] = iter(self._cursor)
        self._next: tuple[Any, ...] | None = next(self._rows, None)
        self._stray: int | None = None

    def take(self, seq: int) -> tuple[Any, ...] | None:
        """The row of entry ``seq`` (its columns after seq), or None when the table has none."""
        row = self._next
        while row is not None and row[0] < seq:
            if self._stray is None:
                self._stray = row[0]
            row = next(self._rows, None)
        if row is None or row[0] != seq:
            self._next = row
            return None
        self._next = next(self._rows, None)
        return row[1:]

    def first_stray(self) -> int | None:
        """The lowest seq of a row that no entry of the chain named (after the whole chain)."""
        if self._stray is not None:
            return self._stray
        return None if self._next is None else int(self._next[0])

    def close(self) -> None:
        """End the read (a statement left open would hold the table in the caller's write)."""
        self._cursor.close()


@contextmanager
def _deferred(conn: sqlite3.Connection) -> Iterator[None]:
    """One read transaction: a consistent snapshot, no lock on writers."""
    conn.execute("BEGIN")
    try:
        yield
    finally:
        _roll_back(conn)


@contextmanager
def _immediate(
    conn: sqlite3.Connection, path: Path, *, round: int | None = None, change: str | None = None
) -> Iterator[None]:
    """One write transaction: BEGIN IMMEDIATE (takes the write lock first), COMMIT or ROLLBACK.

    Another process holding the write lock, or reading when this one writes the file, is
    waited for as long as the busy timeout; then refused, naming the file, how long tilskudd
    waited and what was not recorded (the ``round`` being committed, the award of ``change``
    being amended or withdrawn)."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if not _busy(exc):
            raise  # a read-only file, say: Ledger says so, naming the file
        raise _busy_error(path, exc, round, change) from None
    try:
        yield
        conn.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        _roll_back(conn)
        if not _busy(exc):
            raise
        # The write lock taken, the file itself is written only once no process reads it (at
        # COMMIT, or before when the changes outgrow SQLite's cache): with the rollback journal
        # a reader (ledger export, history) holds the writer back, which waits for it as long
        # as the busy timeout, then is refused as by another writer.
        raise _busy_error(path, exc, round, change) from None
    except BaseException:
        _roll_back(conn)
        raise


def _busy(exc: sqlite3.OperationalError) -> bool:
    """Whether SQLite gave up waiting for another process (SQLITE_BUSY: "database is locked")."""
    return "locked" in str(exc) or "busy" in str(exc)


def _busy_error(
    path: Path,
    exc: sqlite3.OperationalError | str,
    round: int | None,
    change: str | None,
    seconds: str | None = None,
) -> LedgerError:
    """The refusal of a write that waited for another process as long as the busy timeout,
    naming what was not recorded (the ``round`` being committed, the award of ``change``);
    ``exc``: SQLite's error, or its words."""
    which: dict[str, object]
    if round is not None:
        key, which = "ledger.error.busy_round", {"round": round}
    elif change is not None:
        key, which = "ledger.error.busy_change", {"id": change}
    else:
        key, which = "ledger.error.busy", {}
    return LedgerError(
        key=key,
        path=str(path),
        seconds=seconds or f"{_BUSY_SECONDS:g}",
        said=str(exc),
        **which,
    )


@contextmanager
def refused_as_busy(*, round: int | None = None, change: str | None = None) -> Iterator[None]:
    """Say a ledger held by another process past the busy timeout, met before a write's
    transaction (as the ledger is opened, or read for what the write rests on), as the write's
    refusal is said inside it: naming what was not recorded, the ``round`` being committed or
    the award of ``change`` being amended or withdrawn. For everything a command that writes
    does up to its write, never after it (what is recorded then was recorded)."""
    try:
        yield
    except LedgerFileError as exc:
        if exc.key != "ledger.error.locked" or (round is None and change is None):
            raise
        params = exc.params
        raise _busy_error(
            Path(params["path"]), params["said"], round, change, params["seconds"]
        ) from None


def _roll_back(conn: sqlite3.Connection) -> None:
    """ROLLBACK the transaction if SQLite has not already: on a full disk or an I/O error it
    rolls back by itself, and a ROLLBACK then would hide what went wrong behind "cannot
    rollback - no transaction is active" (said as a bug). A ROLLBACK that fails in turn is left
    to SQLite, which rolls the journal back when the ledger is next opened; the first error is
    the one to report."""
    if conn.in_transaction:
        with suppress(sqlite3.Error):
            conn.execute("ROLLBACK")


# --- functions over a path or a Ledger ----------------------------------------------------------

LedgerLike = Ledger | str | Path


@contextmanager
def _opened(ledger: LedgerLike, *, create: bool = False, write: bool = True) -> Iterator[Ledger]:
    if isinstance(ledger, Ledger):
        yield ledger
        return
    with Ledger.open(ledger, create=create, write=write) as opened:
        yield opened


def exists(path: str | Path) -> bool:
    """True when ``path`` holds a ledger (or some file to refuse); False when there is none yet."""
    return _header(Path(path).expanduser()) is not None


def _quota_members(awards: Sequence[AwardRecord]) -> list[AwardRecord]:
    """The decisions of a round its quotas group: every one but the rejected rows, in order."""
    return [a for a in awards if a.status != Status.REJECTED and a.requested]


def _round_quota_totals(
    commit: CommitRecord, awards: Sequence[AwardRecord], amounts: Mapping[str, int]
) -> list[GroupTotal] | None:
    """Each group the quotas of ``commit``'s policy name among its round's ``awards``, with what
    ``amounts`` (id -> kroner) gives it, shares of the budget the round was committed with;
    None when the round was committed before the ledger recorded categories and counties, or
    its quotas are not ones this tilskudd can read."""
    from pydantic import ValidationError

    from tilskudd.models import Policy
    from tilskudd.rules.quotas import quota_totals

    members = _quota_members(awards)
    if any(a.category is None or a.counties is None for a in members):
        return None
    applications = [
        Application.model_construct(
            id=a.application_id,
            requested=a.requested or 0,
            orgnr=a.orgnr,
            category=a.category or None,
            counties=a.counties or (),
        )
        for a in members
    ]
    # Only the quotas: a policy recorded by another tilskudd may hold a setting this one does
    # not know, which Policy refuses, and the groups need nothing else.
    try:
        policy = Policy.from_record({"quotas": commit.policy["quotas"]})
    except ValidationError:
        return None  # quotas of another tilskudd's making: not checked, and said so
    return quota_totals(applications, amounts, commit.budget, policy)


def _quotas_unmet(
    commit: CommitRecord, awards: Sequence[AwardRecord]
) -> tuple[dict[str, Any], ...] | None:
    """The quota minimums of a committed round its awards as they stand do not meet (after a
    withdrawal, say): group, limit, what the group has and the least it should have; None when
    the round's quotas cannot be checked (not "all met", which no one knows)."""
    if not commit.policy.get("quotas"):
        return ()
    totals = _round_quota_totals(commit, awards, {a.application_id: a.current for a in awards})
    if totals is None:
        return None
    out: list[dict[str, Any]] = []
    for total in totals:
        group = total.group
        where = {"by": group.by, "value": group.value, "name": group.name}
        if total.amount < group.least:
            limit = "min_share" if group.share_floor == group.least else "min_amount"
            out.append({**where, "limit": limit, "has": total.amount, "least": group.least})
        if total.count < (group.min_count or 0):
            out.append(
                {**where, "limit": "min_count", "has": total.count, "least": group.min_count}
            )
    return tuple(out)


def _commit_input(result: RoundResult, input_path: str | Path | None) -> tuple[Path | None, str]:
    """The input file a commit records and its SHA-256: refused if the file changed since it
    was read, or if there is no fingerprint of it at all."""
    source = result.source
    path = (
        Path(input_path)
        if input_path is not None
        else (Path(source.file) if source is not None else None)
    )
    sha = source.sha256 if source is not None else None
    if path is not None and path.is_file():
        actual = file_sha256(path)
        if sha is not None and actual != sha:
            raise LedgerError(
                key="ledger.error.input_changed",
                path=str(path),
                actual=actual[:12],
                was=sha[:12],
            )
        sha = actual
    if sha is None:
        raise LedgerError(key="ledger.error.no_sha")
    return path, sha


def _check_frame(
    allocation: Allocation, programme: Programme, round_number: int, committed: int
) -> None:
    """Refuse a round whose budget or awards are more than what remains of the frame."""
    # Nothing remains of a frame cut below what is committed: a round of 0 kr may still be
    # committed (its decisions recorded), as when exactly nothing remains.
    remaining = max(programme.frame - committed, 0)
    if allocation.budget > remaining:
        # Without --budget a round gets its budget in the programme file, capped at what
        # remains: "leave out --budget to use what remains" is only true when it is not less.
        planned = next((r.budget for r in programme.rounds if r.number == round_number), None)
        raise LedgerError(
            key=(
                "ledger.error.budget_over_frame_planned"
                if planned is not None and planned < remaining
                else "ledger.error.budget_over_frame"
            ),
            round=round_number,
            budget=allocation.budget,
            frame=programme.frame,
            remaining=remaining,
            committed=committed,
            most=str(remaining),
            planned=planned,
        )
    if allocation.awarded > remaining:
        raise LedgerError(
            key="ledger.error.awards_over_frame",
            round=round_number,
            awarded=allocation.awarded,
            remaining=remaining,
            frame=programme.frame,
            committed=committed,
        )


def earlier_rounds_planned(
    programme: Programme, number: int, commits: Sequence[CommitRecord]
) -> tuple[tuple[int, ...], int]:
    """The programme's rounds before round ``number`` that are not committed, and what the
    programme file plans for them together (the sum of their ``budget``s; 0 for none)."""
    earlier = _not_committed_before(programme, number, commits)
    return earlier, sum(programme.round(n).budget or 0 for n in earlier)


def _check_earlier_rounds(
    allocation: Allocation,
    programme: Programme,
    round_number: int,
    committed: int,
    commits: Sequence[CommitRecord],
) -> None:
    """Refuse a round whose budget takes money the programme file plans for an earlier round
    not committed yet (round 2, the rest of the frame, committed before round 1): once it is
    committed, the earlier round can't be, and the money the plan kept for it is spent. The
    officer decides, not the order of the commands: commit the earlier round first, remove it
    from the programme file if it is not to be held, or give this round a smaller budget."""
    earlier, planned = earlier_rounds_planned(programme, round_number, commits)
    if not planned:
        return
    remaining = max(programme.frame - committed, 0)
    most = max(remaining - planned, 0)
    if allocation.budget > most:
        raise LedgerError(
            key="ledger.error.takes_earlier_rounds",
            round=round_number,
            budget=allocation.budget,
            taken=allocation.budget - most,
            planned=planned,
            n=len(earlier),
            earlier=[str(n) for n in earlier],
            first=earlier[0],
            most=most,
        )


def commit_round(
    ledger: LedgerLike,
    result: RoundResult,
    programme: Programme,
    round_id: int | str,
    *,
    input_path: str | Path | None = None,
    reading: Mapping[str, Any] | None = None,
    allocated_against: RoundContext | None = None,
) -> CommitInfo:
    """Record a round in the ledger (created if missing); see :meth:`Ledger.commit_round`.

    ``allocated_against``: the context the round was allocated against (:func:`round_context`),
    for a result not made by :func:`~tilskudd.rounds.run_programme_round` (which keeps it with
    the result); a round whose decisions rest on earlier awards changed since is refused.

    When there is no ledger yet, what would refuse the first commit (the input changed, the
    round over the frame) is checked before the file is created, so a refused first commit
    leaves no empty ledger (nor folders) behind. The same checks run again in the transaction.
    """
    if not isinstance(ledger, Ledger) and not exists(ledger):
        _commit_input(result, input_path)
        number = programme.round(round_id).number
        _check_frame(result.allocation, programme, number, 0)
        _check_earlier_rounds(result.allocation, programme, number, 0, ())
    numbered: int | None = None
    with suppress(TilskuddError):  # a round the programme does not name: refused below
        numbered = programme.round(round_id).number
    with refused_as_busy(round=numbered), _opened(ledger, create=True) as opened:
        return opened.commit_round(
            result,
            programme,
            round_id,
            input_path=input_path,
            reading=reading,
            allocated_against=allocated_against,
        )


def amend(
    ledger: LedgerLike,
    programme: Programme,
    application_id: str,
    amount: int,
    reason: str,
    *,
    round: int | None = None,
    outside_policy: bool = False,
    decided: date | None = None,
) -> AmendmentRecord:
    """Record a new amount for a committed award; see :meth:`Ledger.amend`."""
    with refused_as_busy(change=application_id), _opened(ledger) as opened:
        return opened.amend(
            application_id,
            amount,
            reason,
            programme,
            round=round,
            outside_policy=outside_policy,
            decided=decided,
        )


def withdraw(
    ledger: LedgerLike,
    programme: Programme,
    application_id: str,
    reason: str,
    *,
    round: int | None = None,
    decided: date | None = None,
) -> AmendmentRecord:
    """Record that a committed award is withdrawn; its money returns to the frame (``decided``:
    the date it was decided, see :meth:`Ledger.amend`)."""
    with refused_as_busy(change=application_id), _opened(ledger) as opened:
        return opened.amend(
            application_id, 0, reason, programme, round=round, kind="withdraw", decided=decided
        )


def with_changes(ledger: LedgerLike, result: RoundResult, context: RoundContext) -> RoundResult:
    """``result`` of a round the ledger holds as committed (``context.already_committed``,
    from :func:`round_context`) with the amendments and withdrawals recorded since, in the
    order they were made (``result.changes``), so that its documents show the awards as they
    stand (see :func:`tilskudd.export.write`); ``result`` itself for a round not committed or
    not changed since."""
    done = context.already_committed
    if done is None:
        return result
    from tilskudd.models import AwardChange
    from tilskudd.validation import legacy_row_ids

    # "S-01 (row 17)" in a round committed before 2026-11-29 is "S-01 (A17)" now.
    legacy = legacy_row_ids(d.application_id for d in result.allocation.decisions)
    with _opened(ledger, write=False) as opened:
        # Those of the round's own awards alone: reading every award of the round to find them
        # took 1.8 s of CPU at 100 000 applications, changed or not.
        amendments = opened.amendments(commit=done.seq)
    if not amendments:
        return result
    changes = tuple(
        AwardChange(
            application_id=legacy.get(m.application_id, m.application_id),
            kind=m.kind,
            created=m.created,
            amount_before=m.amount_before,
            amount_after=m.amount_after,
            reason=m.reason,
            outside_policy=m.outside_policy,
            outside_policy_figures=m.outside_policy_figures,
            figures_worked_out=m.figures_worked_out,
            decided=m.decided,
        )
        for m in sorted(amendments, key=lambda m: m.seq)
    )
    return result.model_copy(update={"changes": changes})


def round_context(ledger: LedgerLike, programme: Programme, round_id: int | str) -> RoundContext:
    """What a round is allocated against; an empty ledger (or none yet) has nothing committed."""
    if not isinstance(ledger, Ledger) and _header(Path(ledger).expanduser()) is None:
        round_ = programme.round(round_id)
        planned = round_.budget
        budget = min(planned, programme.frame) if planned is not None else programme.frame
        return RoundContext(
            round=round_.number,
            round_name=round_.name,
            frame=programme.frame,
            committed=0,
            remaining=programme.frame,
            planned=planned,
            budget=budget,
            budget_source="round"
            if planned is not None and planned <= programme.frame
            else "remaining",
            not_committed_before=_not_committed_before(programme, round_.number, ()),
            planned_before=earlier_rounds_planned(programme, round_.number, ())[1],
        )
    with _opened(ledger, write=False) as opened:
        return opened.round_context(programme, round_id)


def _not_committed_before(
    programme: Programme, number: int, commits: Sequence[CommitRecord]
) -> tuple[int, ...]:
    """The programme's rounds numbered below ``number`` that no commit records and that can
    still be committed, in order: those after the last round committed (rounds are committed
    in order, so one skipped by a later commit never can be, and holds no money)."""
    last = max((c.round for c in commits), default=0)
    return tuple(sorted(r.number for r in programme.rounds if last < r.number < number))


def changes_out_of_order(ledger: LedgerLike, *, round: int | None = None) -> list[ChangeOutOfOrder]:
    """The ledger's changes recorded out of the order they were decided; see
    :meth:`Ledger.changes_out_of_order`."""
    with _opened(ledger, write=False) as opened:
        return opened.changes_out_of_order(round=round)


def status(ledger: LedgerLike, programme: Programme) -> LedgerStatus:
    """The programme's status; with no ledger yet, nothing is committed and the frame remains."""
    if not isinstance(ledger, Ledger) and _header(Path(ledger).expanduser()) is None:
        return LedgerStatus(
            programme=programme.name,
            frame=programme.frame,
            rounds=(),
            planned=tuple((r.number, r.name, r.budget) for r in programme.rounds),
            committed=0,
            remaining=programme.frame,
            ledger=str(Path(ledger).expanduser().absolute()),
            entries=0,
            head=GENESIS,
            currency=programme.currency,
        )
    with _opened(ledger, write=False) as opened:
        return opened.status(programme)


def round_status(ledger: LedgerLike, programme: Programme, round_number: int) -> RoundStatus | None:
    """One committed round's figures now (None: not committed), as :func:`status` gives them,
    without the chain check (:meth:`Ledger.round_status`)."""
    with _opened(ledger, write=False) as opened:
        return opened.round_status(programme, round_number)


def frame_remaining(ledger: LedgerLike, programme: Programme) -> int:
    """What remains of the programme's frame now: the frame less every committed award as it
    stands after amendments and withdrawals (below 0 when the frame was cut below them), as
    :func:`status` gives it, without the chain check."""
    with _opened(ledger, write=False) as opened:
        return programme.frame - opened.committed_total()


def currency_of(ledger: LedgerLike, programme: Programme | None = None) -> str:
    """The ISO 4217 code the ledger's amounts are in (:meth:`Ledger.currency`), which a
    programme's commands say them in: the ledger's, else (a ledger that holds no round yet, or
    none at all) the ``programme``'s, else kroner. Refused (:class:`LedgerError`) when the
    ``programme`` names another currency than its ledger counts in."""
    fallback = programme.currency if programme is not None else NOK
    if not isinstance(ledger, Ledger) and _header(Path(ledger).expanduser()) is None:
        return fallback
    with _opened(ledger, write=False) as opened:
        if programme is not None:
            return opened.require_currency(programme)
        return opened.currency() or fallback


def history(ledger: LedgerLike, query: str) -> list[AwardRecord]:
    """Everything recorded for an organisation number or application id."""
    with _opened(ledger, write=False) as opened:
        return opened.history(query)


def reserve_list(ledger: LedgerLike, round_id: int) -> list[AwardRecord]:
    """Round ``round_id``'s reserve list as it stands, in rank order: the applications it put
    there that no amendment has funded since, which money freed may fund (``amend``)."""
    with _opened(ledger, write=False) as opened:
        waiting = [
            award
            for award in opened.awards(round=round_id)
            if award.status == Status.RESERVE and award.current == 0 and not award.withdrawn
        ]
    return sorted(waiting, key=lambda a: (a.rank is None, a.rank or 0, a.seq))


def verify_chain(ledger: LedgerLike) -> ChainReport:
    """Recompute the hash chain; raise nothing, report the first entry that differs."""
    with _opened(ledger, write=False) as opened:
        return opened.verify_chain()


def status_lines(report: LedgerStatus, lang: str = "en", *, no_ledger: bool = False) -> list[str]:
    """The status as sentences for people, from the locales catalogue, its amounts in the
    programme's currency; ``no_ledger``: there is no ledger file at ``report.ledger`` (said with
    its path, for one moved away)."""
    with amounts_in(report.currency):
        return _status_lines(report, lang, no_ledger=no_ledger)


def _status_lines(report: LedgerStatus, lang: str, *, no_ledger: bool) -> list[str]:
    from tilskudd.i18n import format_date, get

    t = get(lang)

    def count(key: str, n: int) -> str:
        return t(f"ledger.count.{key}", n=n)

    lines = [t("ledger.status.frame", programme=report.programme, frame=report.frame)]
    if report.tampered_at is not None:
        lines.insert(0, t("ledger.status.tampered", seq=report.tampered_at, path=report.ledger))
    if not report.rounds:
        # Named where it was looked for: a ledger moved away is not "nothing committed".
        if no_ledger:
            lines.append(t("ledger.status.no_ledger", path=report.ledger))
        else:
            lines.append(t("ledger.status.nothing"))
    for item in report.rounds:
        # A sheet without a municipality column names no places: not "in 0 municipalities".
        lines.append(
            t(
                "ledger.status.round" if item.municipalities else "ledger.status.round_no_places",
                round=item.round,
                amount=item.current,
                projects=count("projects", item.projects),
                municipalities=count("municipalities", item.municipalities),
            )
        )
        if item.decision_date:
            day = format_date(date.fromisoformat(item.decision_date), lang)
            lines.append(t("ledger.status.decided", round=item.round, date=day))
        if item.amendments or item.withdrawals:
            changes = [
                count(key, n)
                for key, n in (("amendments", item.amendments), ("withdrawals", item.withdrawals))
                if n
            ]
            # The direction in words ("reduced by 25 000 kr"), not a signed "changed by -25 000".
            delta = item.current - item.committed
            direction = "reduced" if delta < 0 else "increased" if delta > 0 else "net_zero"
            lines.append(
                t(
                    f"ledger.status.changes_{direction}",
                    committed=item.committed,
                    delta=abs(delta),
                    changes=t.join(changes),
                )
            )
        lines += quota_lines(item, lang)
    if report.remaining < 0:
        # A frame cut below what is committed: nothing remains, not "-10 000 kr".
        lines.append(t("ledger.status.over_frame", over=-report.remaining, frame=report.frame))
    else:
        lines.append(t("ledger.status.remaining", remaining=report.remaining))
    last = max((item.round for item in report.rounds), default=0)
    for number, _name, budget in report.planned:
        if number < last:
            # Left out: rounds are committed in order, and a later one is (not "not yet").
            later = min(item.round for item in report.rounds if item.round > number)
            lines.append(t("ledger.status.planned_left_out", round=number, later=later))
        elif budget is None:
            lines.append(t("ledger.status.planned_rest", round=number))
        elif budget > report.remaining:
            # Said as allocate --round will use it: what remains, if that is less.
            lines.append(
                t(
                    "ledger.status.planned_over",
                    round=number,
                    budget=budget,
                    remaining=max(report.remaining, 0),
                )
            )
        else:
            lines.append(t("ledger.status.planned", round=number, budget=budget))
    return lines


def quota_lines(item: RoundStatus, lang: str = "en") -> list[str]:
    """What status says of a committed round's quotas as its awards stand now: each minimum
    no longer met, or that they could not be checked (allocate --round says the same)."""
    from tilskudd.i18n import get

    t = get(lang)
    lines: list[str] = []
    if item.quotas_unmet is None:
        lines.append(t("ledger.status.quotas_unchecked", round=item.round))
    for unmet in item.quotas_unmet or ():
        group = (
            Phrase("quota.error.category", name=unmet["name"])
            if unmet["by"] == "category"
            else Phrase("quota.error.county", value=unmet["value"])
            if unmet["name"] == unmet["value"]
            else Phrase("quota.error.county_named", value=unmet["value"], name=unmet["name"])
        )
        counted = unmet["limit"] == "min_count"
        lines.append(
            t(
                "ledger.status.quota_unmet_count" if counted else "ledger.status.quota_unmet",
                group=group,
                round=item.round,
                has=unmet["has"],
                least=unmet["least"],
                limit=unmet["limit"],
            )
        )
    return lines


@dataclass(frozen=True)
class FrameSummary:
    """What stands of a programme's frame: ``frame == awarded_now + remaining`` to the unit
    (``remaining`` below 0 when the frame was cut below what is awarded)."""

    frame: int
    awarded_now: int
    """Every committed award as it stands now, net of amendments and withdrawals."""
    remaining: int


def _frame_summary(
    opened: Ledger, commits: Sequence[CommitRecord], programme: Programme | None
) -> FrameSummary | None:
    if not commits:
        return None
    # The programme's frame as status gives it; without the programme, the frame the last
    # round was committed against, as the ledger recorded it.
    frame = programme.frame if programme is not None else commits[-1].frame
    awarded = opened.committed_total()
    return FrameSummary(frame=frame, awarded_now=awarded, remaining=frame - awarded)


def frame_summary(ledger: LedgerLike, programme: Programme | None = None) -> FrameSummary | None:
    """The frame, what is awarded now and what remains, as :func:`status` gives them (the
    ``programme``'s frame, else the one the last round was committed against); None when no
    round is committed."""
    if not isinstance(ledger, Ledger) and _header(Path(ledger).expanduser()) is None:
        return None
    with _opened(ledger, write=False) as opened:
        return _frame_summary(opened, opened.commits(), programme)


def export(
    ledger: LedgerLike,
    path: str | Path,
    *,
    lang: str = "en",
    force: bool = False,
    programme: Programme | None = None,
) -> str:
    """Write the ledger's awards (with amendments) to ``.xlsx`` or ``.csv``; return the format.
    The workbook gives under its rounds the frame (the ``programme``'s, as :func:`status` gives
    it, else the one the last round was committed against), what is awarded now and what
    remains (:func:`frame_summary`)."""
    from tilskudd.errors import UsageError
    from tilskudd.export import check_output_path

    path = Path(path)
    own = Path(ledger.path if isinstance(ledger, Ledger) else ledger)
    check_output_path(path, inputs=[own], force=force)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise UsageError(key="ledger.error.export_format", name=path.name)
    with _opened(ledger, write=False) as opened:
        commits = opened.commits()
        awards = opened.awards()
        amendments = opened.amendments()
        _entries, head = opened.head()
        currency = opened.currency(commits) or NOK
        summary = _frame_summary(opened, commits, programme)
    # Nor over a committed round's input: verify re-runs the round from it.
    check_output_path(
        path, inputs=[Path(c.input_path) for c in commits if c.input_path], force=force
    )
    # Amounts said in words (the rules an amendment went beyond) in the ledger's currency.
    with amounts_in(currency):
        if suffix == ".xlsx":
            from tilskudd.export.ledger_xlsx import write_ledger

            write_ledger(
                path,
                commits=commits,
                awards=awards,
                amendments=amendments,
                head=head,
                lang=lang,
                currency=currency,
                # A printed page says whose accounts it is, as the award workbook's says
                # which round: the programme's name, else (a ledger with no round) the file.
                name=programme.name
                if programme
                else commits[-1].programme
                if commits
                else own.name,
                summary=summary,
            )
            return "xlsx"
        _write_csv(path, awards, lang, currency)
        return "csv"


def award_row(award: AwardRecord, lang: str = "en") -> dict[str, Any]:
    """One award as the plain values the exports write (csv and xlsx share it); places by name
    and number, ``Moss (0104)``, and the counties and category the round's quotas count, as in
    the award workbook (empty in a round committed before the ledger recorded them)."""
    from tilskudd.wording import (
        county_label,
        municipality_label,
        typed_text,
        waived_changes_text,
    )

    last = award.amendments[-1] if award.amendments else None
    return {
        "round": award.round,
        "id": award.application_id,
        "orgnr": award.orgnr,
        "applicant": award.applicant,
        "project": award.project,
        "municipalities": ", ".join(map(municipality_label, award.municipalities)),
        "counties": ", ".join(map(county_label, award.counties or ())),
        "category": award.category or None,
        "requested": award.requested,
        "committed": award.amount,
        "current": award.current,
        "status": award.current_status,
        "committed_at": award.committed_at,
        "changed_at": last.created if last else None,
        "change_reason": last.reason if last else None,
        # Every rule any of its amendments went beyond, with its figures, in the order recorded:
        # the current amount was reached through them, also when a later amendment brought it
        # back within the policy.
        "outside_policy": waived_changes_text(award.amendments, lang),
        # The date the last change was decided, where the officer gave it (changed_at is when
        # it was recorded): last, so that an import reading the columns before by position
        # reads them as before.
        "change_decided": last.decided if last else None,
        # The recipient's identifier in another register (GB-CHC-1234567), for an award without
        # an organisation number, which "orgnr" keeps holding alone: after every column before,
        # for the same reason.
        "org_id": award.org_id,
        # What a rejected row's cells with an error held, as typed (text, never a formula):
        # the ledger keeps no value of them. Last, for the same reason as org_id.
        "typed": typed_text(award.typed, lang) or None,
    }


AWARD_COLUMNS = (
    "round",
    "id",
    "orgnr",
    "applicant",
    "project",
    "municipalities",
    "counties",
    "category",
    "requested",
    "committed",
    "current",
    "status",
    "committed_at",
    "changed_at",
    "change_reason",
    "outside_policy",
    "change_decided",
    "org_id",
    "typed",
)


def award_columns(currency: str = NOK) -> tuple[str, ...]:
    """The columns of the exports' awards: :data:`AWARD_COLUMNS`, and in a ledger of another
    currency than kroner (which go without saying, as they always have) ``currency`` last."""
    return AWARD_COLUMNS if currency == NOK else (*AWARD_COLUMNS, "currency")


def _write_csv(path: Path, awards: Sequence[AwardRecord], lang: str, currency: str = NOK) -> None:
    """Awards as CSV the way tilskudd's other CSV exports are: ';', UTF-8 with BOM, no formulas;
    a ledger in another currency than kroner names it on every row."""
    import csv

    from tilskudd.export.atomic import atomic_write
    from tilskudd.export.csv import neutralise
    from tilskudd.i18n import get

    t = get(lang)
    # Norwegian Excel opens ';'-separated UTF-8 with a BOM as columns, æøå intact.
    with atomic_write(path, encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        columns = award_columns(currency)
        writer.writerow([t(f"ledger.column.{c}") for c in columns])
        for award in awards:
            row = award_row(award, lang)
            row["status"] = t(f"ledger.state.{row['status']}")
            row["currency"] = currency
            writer.writerow(
                [
                    ""
                    if row[c] is None
                    else neutralise(row[c])
                    if isinstance(row[c], str)
                    else row[c]
                    for c in columns
                ]
            )
