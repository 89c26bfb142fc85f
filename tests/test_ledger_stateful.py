"""A stateful property test of the programme ledger, against a small model of its own.

Hypothesis draws small programmes (a frame, 2-4 rounds, policies with per_applicant_max,
min_award, round_to, max_share_of_cost and quota maximums, sometimes a policy per round) and
drives them through the library calls `tilskudd allocate --round N --commit`, `amend`,
`withdraw`, `status`, `history`, `verify` and `ledger export` make, in random order, with
applications files (CSV) that repeat earlier rounds' projects and organisations. The model is
plain Python: every award's current amount, and what the README says an amendment may do. After
every step the ledger must agree with it: the frame is what is committed plus what remains, to
the krone; each round's budget is what it awarded plus what it left; no project is funded in two
rounds; per_applicant_max holds across rounds except where a decision was recorded as outside
the policy; a refused change leaves the file as it was, and verify finds it clean.

Some rules go through the commands themselves (CliRunner): allocate --round N [--commit],
amend, verify and status --format json. Below the machine, the plain regression test of the
first bug it found; those of the commit's checks are in tests/test_ledger.py, which asserts
every ledger refusal in Norwegian.
"""

from __future__ import annotations

import csv
import json
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)
from typer.testing import CliRunner

from ledgertools import dump
from tilskudd import ledger as lg
from tilskudd.cli import app
from tilskudd.cli.programme import plan_round
from tilskudd.errors import LedgerError, TilskuddError
from tilskudd.i18n import get
from tilskudd.ledger import Ledger
from tilskudd.models import Status
from tilskudd.money import format_amount
from tilskudd.pipeline import read_applications, run_round
from tilskudd.programme import Programme, load_programme
from tilskudd.reading import sha256_of
from tilskudd.rounds import ALREADY_FUNDED, run_programme_round, verify_round

HEADER = (
    "Søknadsnr;Søker;Organisasjonsnummer;Prosjekttittel;Deltakende kommuner;Omsøkt beløp;"
    "Totalkostnad;Poeng;Kategori"
)
PLAIN_HEADER = HEADER.removesuffix(";Kategori")
MOSS, OSLO = "974760673", "958935420"
# Organisation number -> (name, its municipality, that municipality's county) under 2009.
ORGS = {
    MOSS: ("Moss kommune", "0104", "01"),
    OSLO: ("Oslo kommune", "0301", "03"),
    "964338531": ("Bergen kommune", "1201", "12"),
    "940192226": ("Tromsø kommune", "1902", "19"),
}
# Titles as a sheet may write them -> the project they name (case and punctuation ignored).
TITLES = {
    "Felles saksbehandling": "felles saksbehandling",
    "FELLES  saksbehandling!": "felles saksbehandling",
    "Digital post": "digital post",
    "Sak": "sak",
    "Arkiv": "arkiv",
}
CATEGORIES = ("Arkiv", "Skole", "")
BAD_ORGNR = "123"
T = TypeVar("T")


@dataclass
class Award:
    """The model's picture of one recorded decision."""

    round: int
    id: str
    orgnr: str | None
    project: str
    requested: int
    total_cost: int
    county: str
    category: str
    committed: int
    current: int
    status: str
    withdrawn: bool = False
    amendments: int = 0

    def same_project(self, other: Award) -> bool:
        """The README's matching across rounds: the same id (unless another organisation under
        another title), or the same organisation number and title."""
        if self.id == other.id and (self.orgnr == other.orgnr or self.project == other.project):
            return True
        return (
            self.orgnr is not None and self.orgnr == other.orgnr and self.project == other.project
        )


@dataclass
class PolicySpec:
    """A policy the test draws, and its TOML."""

    round_to: int = 1
    min_award: int = 0
    max_award: int | None = None
    per_applicant_max: int | None = None
    share: Decimal | None = None
    quota: tuple[str, str, int | Decimal] | None = None
    """(by, limit, value): ("county", "max_amount", 60000), ("category", "max_share", 0.4)..."""
    rule: str = "ranked"
    reserve: int = 0
    at_line: str = "skip"

    def toml(self, table: str) -> str:
        lines = [f"[{table}]", f'rule = "{self.rule}"', f"round_to = {self.round_to}"]
        if self.rule == "lottery":
            lines += ["seed = 2009", "lottery_band = 2"]
        if self.rule != "proportional":
            lines.append(f'at_line = "{self.at_line}"')
        if self.reserve:
            lines.append(f"reserve = {self.reserve}")
        if self.min_award:
            lines.append(f"min_award = {self.min_award}")
        if self.max_award is not None:
            lines.append(f"max_award = {self.max_award}")
        if self.per_applicant_max is not None:
            lines.append(f"per_applicant_max = {self.per_applicant_max}")
        if self.share is not None:
            lines.append(f'max_share_of_cost = "{self.share * 100:.0f} %"')
        if self.quota is not None:
            by, limit, value = self.quota
            shown = f'"{value * 100:.0f} %"' if isinstance(value, Decimal) else str(value)
            lines += [f"[[{table}.quotas]]", f'by = "{by}"', 'value = "*"', f"{limit} = {shown}"]
        return "\n".join(lines) + "\n"


@st.composite
def policies(draw: st.DrawFn) -> PolicySpec:
    round_to = draw(st.sampled_from([1, 1000, 5000]))
    quota = draw(
        st.one_of(
            st.none(),
            st.tuples(
                st.sampled_from(["county", "category"]),
                st.just("max_amount"),
                st.sampled_from([40_000, 70_000]),
            ),
            st.tuples(st.sampled_from(["county", "category"]), st.just("max_count"), st.just(1)),
            st.tuples(
                st.sampled_from(["county", "category"]),
                st.just("max_share"),
                st.just(Decimal("0.4")),
            ),
        )
    )
    rule_name = draw(st.sampled_from(["ranked", "ranked", "lottery", "proportional"]))
    if quota is not None and rule_name == "proportional":
        rule_name = "ranked"  # proportional takes no quotas
    return PolicySpec(
        reserve=draw(st.sampled_from([0, 0, 2])),
        at_line=draw(st.sampled_from(["skip", "stop", "partial"])),
        round_to=round_to,
        min_award=draw(st.sampled_from([0, 10_000])),
        max_award=draw(st.sampled_from([None, 30_000, 50_000])),
        per_applicant_max=draw(st.sampled_from([None, 40_000, 60_000, 100_000])),
        share=draw(st.sampled_from([None, Decimal("0.5")])),
        quota=quota,
        rule=rule_name,
    )


@dataclass
class Row:
    id: str
    orgnr: str
    title: str
    requested: int
    total_cost: int
    score: int
    category: str

    def line(self) -> str:
        name, municipality, _county = ORGS.get(self.orgnr, ("Ukjent", "0301", "03"))
        return ";".join(
            str(v)
            for v in (
                self.id,
                name,
                self.orgnr,
                self.title,
                municipality,
                self.requested,
                self.total_cost,
                self.score,
                self.category,
            )
        )


@dataclass
class Committed:
    round: int
    file: Path
    spec: PolicySpec
    budget: int
    awarded: int
    decisions: dict[str, tuple[str, int]] = field(default_factory=dict)


def attempt(action: Callable[..., T], *args: Any, **kwargs: Any) -> tuple[T | None, Any]:
    """(what ``action`` returned, None), or (None, the refusal): the test decides which it
    expects from the model, so it cannot be written as ``pytest.raises``."""
    try:
        return action(*args, **kwargs), None
    except TilskuddError as exc:
        return None, exc


def floor_share(total: int, share: Decimal) -> int:
    num, den = share.as_integer_ratio()
    return total * num // den


class LedgerMachine(RuleBasedStateMachine):
    """A programme, its ledger and the model of what the ledger must hold."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="tilskudd-stateful-"))
        self.ledger = self.folder / "tilskudd.ledger.sqlite"
        self.awards: dict[tuple[int, str], Award] = {}
        self.committed: dict[int, Committed] = {}
        self.outside_orgs: set[str] = set()
        self.outside_rounds: set[int] = set()
        self.files = 0

    def teardown(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    # -- the programme ---------------------------------------------------------------------

    @initialize(
        data=st.data(),
        rounds=st.integers(2, 4),
        frame=st.sampled_from([100_000, 150_000, 250_000]),
    )
    def programme(self, data: st.DataObject, rounds: int, frame: int) -> None:
        self.frame = frame
        self.default = data.draw(policies(), label="policy")
        self.specs: dict[int, PolicySpec] = {}
        self.budgets: dict[int, int | None] = {}
        text = [
            "[programme]",
            'name = "Testordning"',
            'funder = "Testdirektoratet"',
            f"frame = {frame}",
            'register = "2009"',
            "",
        ]
        left = frame
        for number in range(1, rounds + 1):
            budget = data.draw(
                st.one_of(st.none(), st.sampled_from([40_000, 60_000, 100_000])),
                label=f"budget {number}",
            )
            if budget is not None and budget > left:
                budget = None
            left -= budget or 0
            self.budgets[number] = budget
            text += ["[[round]]", f"number = {number}"]
            if budget is not None:
                text.append(f"budget = {budget}")
            own = data.draw(st.one_of(st.none(), policies()), label=f"policy {number}")
            self.specs[number] = own or self.default
            text.append("")
            if own is not None:
                text.append(own.toml("round.policy"))
        text.append(self.default.toml("policy"))
        path = self.folder / "tilskudd.toml"
        path.write_text("\n".join(text), encoding="utf-8")
        self.path = path
        self.prog: Programme = load_programme(path)

    # -- the model's figures -----------------------------------------------------------------

    def total(self) -> int:
        return sum(a.current for a in self.awards.values())

    def remaining(self) -> int:
        return max(self.frame - self.total(), 0)

    def _held(self) -> dict[str, int]:
        """What each organisation holds now, over the committed rounds."""
        held: dict[str, int] = {}
        for a in self.standing():
            if a.orgnr:
                held[a.orgnr] = held.get(a.orgnr, 0) + a.current
        return held

    def standing(self) -> list[Award]:
        return [a for a in self.awards.values() if a.current > 0]

    def next_rounds(self) -> list[int]:
        last = max(self.committed, default=0)
        return [n for n in self.budgets if n > last]

    # -- allocate --round N --commit ---------------------------------------------------------

    def _rows(self, data: st.DataObject, number: int) -> list[Row]:
        rows: list[Row] = []
        earlier = [a for a in self.awards.values() if a.status != Status.REJECTED]
        n = data.draw(st.integers(1, 5), label="applications")
        for k in range(1, n + 1):
            kind = data.draw(
                st.sampled_from(["new", "new", "same id", "same project", "id reused", "bad"])
                if earlier
                else st.sampled_from(["new", "new", "new", "bad"]),
                label="kind",
            )
            orgnr = data.draw(st.sampled_from(sorted(ORGS)), label="orgnr")
            title = data.draw(st.sampled_from(sorted(TITLES)), label="title")
            app_id = f"R{number}-{k}"
            if kind != "new" and kind != "bad":
                other = data.draw(st.sampled_from(earlier), label="earlier")
                if kind == "same id":
                    app_id, orgnr = other.id, other.orgnr or orgnr
                    title = next(t for t, key in TITLES.items() if key == other.project)
                elif kind == "same project":
                    orgnr = other.orgnr or orgnr
                    title = next(t for t, key in TITLES.items() if key == other.project)
                else:  # another applicant under an id an earlier round used
                    app_id = other.id
            if kind == "bad":
                orgnr = BAD_ORGNR
            if any(r.id == app_id for r in rows):
                app_id = f"R{number}-{k}"
            step = data.draw(st.sampled_from([500, 1000, 5000]), label="step")
            requested = data.draw(st.integers(2, 16), label="requested") * step
            rows.append(
                Row(
                    id=app_id,
                    orgnr=orgnr,
                    title=title,
                    requested=requested,
                    total_cost=requested * data.draw(st.integers(1, 4), label="cost"),
                    score=data.draw(st.integers(1, 9), label="score"),
                    category=data.draw(st.sampled_from(CATEGORIES), label="category"),
                )
            )
        if all(r.id != f"R{number}-{i}" for i, r in enumerate(rows, 1)):
            rows[0].id = f"R{number}-1"  # each file its own bytes: never "the same input"
        return rows

    def _write(self, rows: list[Row]) -> Path:
        self.files += 1
        path = self.folder / f"applications-{self.files}.csv"
        path.write_text("\n".join([HEADER, *(r.line() for r in rows)]) + "\n", encoding="utf-8")
        return path

    def _allocate(self, number: int, file: Path, *, commit: bool) -> Any:
        """What `tilskudd allocate FILE --round N [--commit]` does, through its own calls."""
        plan = plan_round(self.path, None, number, commit=commit, dry_run=False, lang=None)
        policy = plan.policy()
        checked = read_applications(
            file, register="2009", lang="nb", display_name=str(file), rule=policy.rule
        )
        sha = sha256_of(file)
        assert plan.budget is not None
        result = plan.run(checked, plan.budget, policy, sha256=sha, fallback=run_round)
        if not commit:
            plan.require_as_committed(result, file, sha, register="2009", columns=None)
        return plan, result

    def _takes_from_earlier(self, number: int, budget: int) -> int:
        """What a budget of ``budget`` for round ``number`` takes of the money the programme
        plans for the rounds before it still to be committed (a commit of it is then refused):
        those after the last round committed, as a round skipped by a later commit never can be
        and holds no money."""
        last = max(self.committed, default=0)
        planned = sum(self.budgets[n] or 0 for n in self.budgets if last < n < number)
        return max(budget - max(self.remaining() - planned, 0), 0)

    def _expected_budget(self, number: int) -> int:
        planned = self.budgets[number]
        left = self.remaining()
        return planned if planned is not None and planned <= left else left

    @precondition(lambda self: bool(self.next_rounds()))
    @rule(data=st.data(), through_cli=st.booleans())
    def commit_next_round(self, data: st.DataObject, through_cli: bool) -> None:
        # Now and then a round is left out (committed later, it is refused as out of order); a
        # round that would take the money planned for it is refused.
        ahead = self.next_rounds()
        number = data.draw(st.sampled_from([ahead[0]] * 3 + ahead[1:2]), label="round")
        rows = self._rows(data, number)
        file = self._write(rows)
        spec = self.specs[number]
        plan, result = self._allocate(number, file, commit=True)
        allocation = result.allocation
        # The round's budget: the programme's, or what remains of the frame if less.
        assert allocation.budget == self._expected_budget(number)
        assert allocation.budget == allocation.awarded + allocation.unallocated
        assert allocation.awarded == sum(d.amount for d in allocation.decisions)
        decisions = {d.application_id: d for d in allocation.decisions}
        assert set(decisions) == {r.id for r in rows}
        standing = self.standing()
        per_org: dict[str, int] = {}
        for row in rows:
            decision = decisions[row.id]
            project = TITLES[row.title]
            model = Award(
                number, row.id, None, project, row.requested, row.total_cost, "", "", 0, 0, ""
            )
            model.orgnr = row.orgnr if row.orgnr in ORGS else None
            funded_before = [a for a in standing if a.same_project(model)]
            if row.orgnr == BAD_ORGNR:
                assert decision.status is Status.REJECTED
                continue
            codes = {r.code for r in decision.reasons}
            assert (ALREADY_FUNDED in codes) == bool(funded_before), (row, funded_before)
            if funded_before:
                assert decision.amount == 0
            amount = decision.amount
            if amount:
                assert amount <= row.requested
                assert amount % spec.round_to == 0
                assert amount >= spec.min_award
                if spec.max_award is not None:
                    assert amount <= spec.max_award
                if spec.share is not None:
                    assert amount <= floor_share(row.total_cost, spec.share)
            per_org[row.orgnr] = per_org.get(row.orgnr, 0) + amount
        if spec.per_applicant_max is not None:
            for orgnr, amount in per_org.items():
                prior = sum(a.current for a in standing if a.orgnr == orgnr)
                assert amount <= max(spec.per_applicant_max - prior, 0), (orgnr, amount, prior)
        if self._takes_from_earlier(number, allocation.budget):
            # A round left out, its planned money in this round's budget: refused, nothing
            # recorded (no ledger made), through the command as through the library.
            before = dump(self.ledger) if self.ledger.exists() else None
            if through_cli:
                shown = self._run("allocate", str(file), "--round", str(number), "--commit")
                assert shown.exit_code == 1, shown.output
            else:
                with pytest.raises(LedgerError) as refused:
                    plan.commit(result, file, {"sheet": None, "columns": None}, "nb")
                assert refused.value.key == "ledger.error.takes_earlier_rounds"
            assert (dump(self.ledger) if self.ledger.exists() else None) == before
            event(f"round {number} refused: it takes an earlier round's money")
            return
        if through_cli:
            # `tilskudd allocate FILE --round N --commit` itself: the same decisions recorded.
            before = dump(self.ledger) if self.ledger.exists() else None
            shown = self._run("allocate", str(file), "--round", str(number), "--commit")
            if all(r.orgnr == BAD_ORGNR for r in rows):
                # Nothing valid to allocate: the command stops (the library would record it).
                assert shown.exit_code == 1, shown.output
                assert (dump(self.ledger) if self.ledger.exists() else None) == before
                return
            assert shown.exit_code == 0, shown.output
            with Ledger.open(self.ledger, write=False) as opened:
                recorded = {
                    a.application_id: (a.status, a.amount) for a in opened.awards(round=number)
                }
            assert recorded == {
                d.application_id: (str(d.status), d.amount) for d in decisions.values()
            }
        else:
            plan.commit(result, file, {"sheet": None, "columns": None, "register": "2009"}, "nb")
        event(f"round {number} committed")
        self._record(number, rows, result, file)

    def _record(self, number: int, rows: list[Row], result: Any, file: Path) -> None:
        allocation = result.allocation
        spec = self.specs[number]
        decisions = {d.application_id: d for d in allocation.decisions}
        for row in rows:
            decision = decisions[row.id]
            _name, _municipality, county = ORGS.get(row.orgnr, ("", "", ""))
            self.awards[(number, row.id)] = Award(
                round=number,
                id=row.id,
                orgnr=row.orgnr if row.orgnr in ORGS else None,
                project=TITLES[row.title],
                requested=row.requested,
                total_cost=row.total_cost,
                county=county,
                category=row.category,
                committed=decision.amount,
                current=decision.amount,
                status=str(decision.status),
            )
        self.committed[number] = Committed(
            number,
            file,
            spec,
            allocation.budget,
            allocation.awarded,
            {d.application_id: (str(d.status), d.amount) for d in allocation.decisions},
        )

    @precondition(lambda self: bool(self.next_rounds()))
    @rule(data=st.data())
    def allocate_without_commit_records_nothing(self, data: st.DataObject) -> None:
        number = self.next_rounds()[0]
        file = self._write(self._rows(data, number))
        before = dump(self.ledger) if self.ledger.exists() else None
        _plan, result = self._allocate(number, file, commit=False)
        assert result.allocation.budget == self._expected_budget(number)
        assert (dump(self.ledger) if self.ledger.exists() else None) == before

    @precondition(
        lambda self: any(
            n not in self.committed and n < max(self.committed, default=0) for n in self.budgets
        )
    )
    @rule(data=st.data())
    def a_skipped_round_cannot_be_committed_after_a_later_one(self, data: st.DataObject) -> None:
        skipped = [n for n in self.budgets if n not in self.committed and n < max(self.committed)]
        number = data.draw(st.sampled_from(skipped), label="skipped")
        before = dump(self.ledger)
        with pytest.raises(LedgerError) as refused:
            self._allocate(number, self._write(self._rows(data, number)), commit=True)
        assert refused.value.key == "ledger.error.out_of_order"
        assert dump(self.ledger) == before

    @precondition(lambda self: bool(self.next_rounds()))
    @rule(data=st.data())
    def a_commit_that_fails_halfway_records_nothing(self, data: st.DataObject) -> None:
        number = self.next_rounds()[0]
        file = self._write(self._rows(data, number))
        before = dump(self.ledger) if self.ledger.exists() else None
        plan, result = self._allocate(number, file, commit=True)
        if self._takes_from_earlier(number, result.allocation.budget):
            return  # refused before any write (commit_next_round checks that)
        point = data.draw(st.sampled_from(["commit.checked", "commit.award"]), label="point")

        def fail() -> None:
            raise OSError(28, "No space left on device")

        lg._HOOKS[point] = fail
        try:
            with pytest.raises(OSError, match="No space"):
                plan.commit(result, file, {"sheet": None, "columns": None}, "nb")
        finally:
            del lg._HOOKS[point]
        if before is None:
            # The first commit creates the file; nothing is in it.
            with Ledger.open(self.ledger, write=False) as opened:
                assert opened.head() == (0, lg.GENESIS)
        else:
            assert dump(self.ledger) == before

    @precondition(
        lambda self: bool(self.next_rounds()) and any(a.current > 0 for a in self.awards.values())
    )
    @rule(data=st.data(), outside=st.booleans())
    def a_round_allocated_before_a_change_is_committed_after_it(
        self, data: st.DataObject, outside: bool
    ) -> None:
        """Two officers at once: one allocates round N, the other amends or withdraws an award
        before the first commits. The commit must be refused when the round no longer fits the
        ledger (the frame, a project funded since, per_applicant_max); recorded otherwise."""
        number = self.next_rounds()[0]
        rows = self._rows(data, number)
        file = self._write(rows)
        plan, result = self._allocate(number, file, commit=True)
        held_then = self._held()
        award = data.draw(st.sampled_from(sorted(self.standing(), key=_key)), label="award")
        if data.draw(st.booleans(), label="withdraw"):
            lg.withdraw(self.ledger, self.prog, award.id, "Trukket", round=award.round)
            award.current = 0
            award.withdrawn = True
        else:
            self._amend(data, award, outside, True)
        allocation = result.allocation
        spec = self.specs[number]
        apps = {r.id: r for r in rows}
        fits = allocation.budget <= self.remaining() and allocation.awarded <= self.remaining()
        if self._takes_from_earlier(number, allocation.budget):  # a round left out's money
            fits = False
        per_org: dict[str, int] = {}
        for d in allocation.decisions:
            row = apps[d.application_id]
            if d.amount <= 0:
                continue
            per_org[row.orgnr] = per_org.get(row.orgnr, 0) + d.amount
            model = Award(number, row.id, row.orgnr, TITLES[row.title], 0, 0, "", "", 0, 0, "")
            if any(a.same_project(model) for a in self.standing()):
                fits = False
        if spec.per_applicant_max is not None:
            for orgnr, amount in per_org.items():
                prior = sum(a.current for a in self.standing() if a.orgnr == orgnr)
                if prior + amount > spec.per_applicant_max:
                    fits = False
            # What an organisation of the round holds under the maximum changed: its decisions
            # rest on the ledger as it was.
            held_now = self._held()
            if any(held_then.get(r.orgnr, 0) != held_now.get(r.orgnr, 0) for r in rows):
                fits = False
        # An application left unfunded as funded before whose earlier award is gone (or the
        # other way round).
        for d in allocation.decisions:
            row = apps[d.application_id]
            if row.orgnr == BAD_ORGNR:
                continue
            model = Award(number, row.id, row.orgnr, TITLES[row.title], 0, 0, "", "", 0, 0, "")
            excluded = any(r.code == ALREADY_FUNDED for r in d.reasons)
            if excluded != any(a.same_project(model) for a in self.standing()):
                fits = False
        before = dump(self.ledger)
        _info, refusal = attempt(
            plan.commit, result, file, {"sheet": None, "columns": None, "register": "2009"}, "nb"
        )
        if refusal is not None:
            assert not fits, str(refusal)
            assert dump(self.ledger) == before
            event(f"stale commit refused: {refusal.key}")
            return
        assert fits
        event("stale commit recorded")
        self._record(number, rows, result, file)

    # -- a committed round run again ----------------------------------------------------------

    @precondition(lambda self: bool(self.committed))
    @rule(data=st.data())
    def a_committed_round_runs_as_committed(self, data: st.DataObject) -> None:
        number = data.draw(st.sampled_from(sorted(self.committed)), label="round")
        done = self.committed[number]
        _plan, result = self._allocate(number, done.file, commit=False)
        rerun = {d.application_id: (str(d.status), d.amount) for d in result.allocation.decisions}
        assert rerun == done.decisions
        assert result.allocation.budget == done.budget

    @precondition(lambda self: bool(self.committed))
    @rule(data=st.data())
    def a_committed_round_from_another_file_is_refused(self, data: st.DataObject) -> None:
        number = data.draw(st.sampled_from(sorted(self.committed)), label="round")
        file = self._write(self._rows(data, number))
        with pytest.raises(LedgerError) as refused:
            self._allocate(number, file, commit=False)
        assert refused.value.key == "ledger.error.rerun_differs"

    # -- amend and withdraw -------------------------------------------------------------------

    def _others(self, award: Award, *, up_to: int | None = None) -> list[Award]:
        return [
            a
            for a in self.standing()
            if a.orgnr == award.orgnr and a is not award and (up_to is None or a.round <= up_to)
        ]

    def _groups(self, award: Award, spec: PolicySpec) -> list[tuple[str, list[Award]]]:
        """The quota groups of ``award``'s round it belongs to: (name, members)."""
        if spec.quota is None:
            return []
        by = spec.quota[0]
        mine = [
            a
            for a in self.awards.values()
            if a.round == award.round and a.status != Status.REJECTED
        ]
        key = award.county if by == "county" else award.category.casefold()
        if by == "category" and not key:
            return []
        members = [
            a for a in mine if (a.county if by == "county" else a.category.casefold()) == key
        ]
        value = award.county if by == "county" else award.category
        return [(f"quotas ({by} {value}: {{}})", members)]

    def policy_problems(self, award: Award, amount: int) -> list[str]:
        """The rules of the round's policy ``amount`` goes beyond, as the README states them."""
        spec = self.committed[award.round].spec
        before = award.current
        problems = []
        if amount < spec.min_award:
            problems.append("min_award")
        if amount % spec.round_to:
            problems.append("round_to")
        if amount <= before:
            return problems
        if spec.max_award is not None and amount > spec.max_award:
            problems.append("max_award")
        if spec.share is not None and amount > floor_share(award.total_cost, spec.share):
            # Where max_award bound below the share in the round too (the ledger records every
            # application's total cost, not only the cap that bound).
            problems.append("max_share_of_cost")
        if award.orgnr is not None:
            mine = spec.per_applicant_max
            if mine is not None and sum(a.current for a in self._others(award)) + amount > mine:
                problems.append("per_applicant_max")
            for later in sorted(self.committed):
                most = self.committed[later].spec.per_applicant_max
                if later <= award.round or most is None:
                    continue
                if mine is not None and most >= mine:
                    continue
                others = self._others(award, up_to=later)
                if not any(a.round == later for a in others):
                    continue
                if sum(a.current for a in others) + amount > most:
                    problems.append(f"per_applicant_max (round {later})")
        for name, members in self._groups(award, spec):
            _by, limit, value = spec.quota  # type: ignore[misc]
            total = sum(a.current for a in members) - before + amount
            count = sum(1 for a in members if a.current > 0)
            if limit == "max_amount" and total > int(value):
                problems.append(name.format("max_amount"))
            if limit == "max_share" and total > floor_share(
                self.committed[award.round].budget, Decimal(value)
            ):
                problems.append(name.format("max_share"))
            if limit == "max_count" and before == 0 and count + 1 > max(count, int(value)):
                problems.append(name.format("max_count"))
        return problems

    def predict(self, award: Award, amount: int, outside: bool) -> list[str] | None:
        """None if the amendment must be refused, else the rules it is recorded outside of."""
        if award.status == Status.REJECTED or award.withdrawn:
            return None
        if amount == 0 or amount == award.current or amount > award.requested:
            return None
        problems = self.policy_problems(award, amount)
        if problems and not outside:
            return None
        if amount > award.current:
            if any(a.round != award.round and a.same_project(award) for a in self.standing()):
                return None  # the project is funded in another round
            if amount - award.current > self.remaining():
                return None
        return problems

    def _amounts(self, award: Award) -> st.SearchStrategy[int]:
        spec = self.committed[award.round].spec
        step = spec.round_to
        before = award.current
        grid = st.integers(1, 20).map(lambda k: k * step)
        choices = [
            grid,
            grid.map(lambda x: before + x),
            grid.map(lambda x: max(before - x, 0)),
            st.just(award.requested + step),
            st.just(award.requested - award.requested % step),
            st.just(before + self.remaining() + step),
            st.just(before + 1),
            st.just(before),
            st.just(0),
            st.integers(1, 150_000),
        ]
        if spec.min_award:
            choices.append(st.just(spec.min_award - step))
        if spec.per_applicant_max is not None and award.orgnr is not None:
            others = sum(a.current for a in self._others(award))
            choices.append(st.just(spec.per_applicant_max - others + step))
            choices.append(st.just(spec.per_applicant_max - others))
        return st.one_of(choices).map(lambda x: max(x, 0))

    @precondition(lambda self: bool(self.awards))
    @rule(data=st.data(), outside=st.booleans(), with_round=st.booleans())
    def amend(self, data: st.DataObject, outside: bool, with_round: bool) -> None:
        award = data.draw(st.sampled_from(sorted(self.awards.values(), key=_key)), label="award")
        self._amend(data, award, outside, with_round)

    @precondition(lambda self: any(a.current > 0 for a in self.awards.values()))
    @rule(data=st.data(), outside=st.booleans())
    def amend_a_standing_award(self, data: st.DataObject, outside: bool) -> None:
        standing = sorted(self.standing(), key=_key)
        self._amend(data, data.draw(st.sampled_from(standing), label="award"), outside, True)

    def _amend(self, data: st.DataObject, award: Award, outside: bool, with_round: bool) -> None:
        amount = data.draw(self._amounts(award), label="amount")
        expected = self.predict(award, amount, outside)
        if not with_round and sum(1 for a in self.awards.values() if a.id == award.id) > 1:
            expected = None  # "in several rounds: give --round"
        before = dump(self.ledger)
        change, refusal = attempt(
            lg.amend,
            self.ledger,
            self.prog,
            award.id,
            amount,
            "Vedtak i styret",
            round=award.round if with_round else None,
            outside_policy=outside,
        )
        if refusal is not None:
            assert expected is None, (award, amount, outside, expected, str(refusal))
            assert dump(self.ledger) == before
            event(f"amend refused: {refusal.key}")
            return
        event("amend accepted" + (" outside policy" if expected else ""))
        assert expected is not None, (award, amount, outside, change)
        assert change is not None
        assert (change.round, change.application_id) == (award.round, award.id)
        assert (change.amount_before, change.amount_after) == (award.current, amount)
        assert sorted(change.outside_policy) == sorted(expected), (award, amount)
        self._accepted(award, amount, expected)

    def _accepted(self, award: Award, amount: int, expected: list[str]) -> None:
        award.current = amount
        award.amendments += 1
        if award.orgnr and any(r.startswith("per_applicant_max") for r in expected):
            self.outside_orgs.add(award.orgnr)
        if any(r.startswith("quotas") for r in expected):
            self.outside_rounds.add(award.round)

    @precondition(lambda self: bool(self.awards))
    @rule(data=st.data())
    def withdraw(self, data: st.DataObject) -> None:
        award = data.draw(st.sampled_from(sorted(self.awards.values(), key=_key)), label="award")
        allowed = award.status != Status.REJECTED and not award.withdrawn and award.current > 0
        before = dump(self.ledger)
        change, refusal = attempt(
            lg.withdraw, self.ledger, self.prog, award.id, "Trukket av søker", round=award.round
        )
        if refusal is not None:
            assert not allowed, (award, str(refusal))
            assert dump(self.ledger) == before
            return
        assert allowed, award
        assert change is not None
        assert (change.amount_before, change.amount_after) == (award.current, 0)
        award.current = 0
        award.withdrawn = True

    @precondition(lambda self: bool(self.committed))
    @rule()
    def an_unknown_id_changes_nothing(self) -> None:
        before = dump(self.ledger)
        with pytest.raises(LedgerError):
            lg.amend(self.ledger, self.prog, "X-404", 1000, "Feil")
        with pytest.raises(LedgerError):
            lg.withdraw(self.ledger, self.prog, "X-404", "Feil")
        assert dump(self.ledger) == before

    # -- reading the ledger -------------------------------------------------------------------

    @precondition(lambda self: bool(self.committed))
    @rule()
    def ledger_export_agrees_with_status(self) -> None:
        self.files += 1
        out = self.folder / f"export-{self.files}.csv"
        assert lg.export(self.ledger, out, lang="en") == "csv"
        t = get("en")
        with open(out, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle, delimiter=";"))
        round_col, id_col = t("ledger.column.round"), t("ledger.column.id")
        current_col = t("ledger.column.current")
        committed_col = t("ledger.column.committed")
        exported = {(int(r[round_col]), r[id_col]): int(r[current_col]) for r in rows}
        assert exported == {k: a.current for k, a in self.awards.items()}
        assert {(int(r[round_col]), r[id_col]): int(r[committed_col]) for r in rows} == {
            k: a.committed for k, a in self.awards.items()
        }
        report = lg.status(self.ledger, self.prog)
        for item in report.rounds:
            assert item.current == sum(v for (n, _i), v in exported.items() if n == item.round)

    # -- the programme file edited ------------------------------------------------------------

    @precondition(lambda self: hasattr(self, "prog"))
    @rule(frame=st.sampled_from([60_000, 100_000, 150_000, 250_000]))
    def the_frame_is_changed_in_the_programme_file(self, frame: int) -> None:
        """A frame cut (or raised) in tilskudd.toml: nothing remains of a frame cut below what
        is committed, lowering stays possible, and status says how far over it is."""
        planned = sum(b or 0 for b in self.budgets.values())
        if frame < planned:
            return  # refused by the programme file's own check (tested elsewhere)
        text = self.path.read_text(encoding="utf-8")
        self.path.write_text(
            text.replace(f"frame = {self.frame}\n", f"frame = {frame}\n", 1), encoding="utf-8"
        )
        self.frame = frame
        self.prog = load_programme(self.path)
        assert self.prog.frame == frame

    # -- the commands themselves ---------------------------------------------------------------

    def _run(self, *args: str) -> Any:
        return CliRunner().invoke(app, [*args, "--programme", str(self.path), "--lang", "en"])

    @precondition(lambda self: bool(self.committed))
    @rule(data=st.data())
    def tilskudd_allocate_runs_a_committed_round_as_committed(self, data: st.DataObject) -> None:
        number = data.draw(st.sampled_from(sorted(self.committed)), label="round")
        shown = self._run("allocate", str(self.committed[number].file), "--round", str(number))
        if all(
            status == Status.REJECTED for status, _ in self.committed[number].decisions.values()
        ):
            # Nothing valid to allocate: the command stops, as it would not have committed it.
            assert shown.exit_code == 1, shown.output
            return
        assert shown.exit_code == 0, shown.output
        awarded = format_amount(self.committed[number].awarded, "en")
        held = [a for a in self.awards.values() if a.round == number]
        if any(a.amendments or a.withdrawn for a in held):
            # Changed since: the table shows the awards as they stand, beside the decision.
            now = format_amount(sum(a.current for a in held), "en")
            said = " ".join(shown.output.split())  # the budget line may fold
            assert " ".join(f"Decided: {awarded}".split()) in said, shown.output
            assert " ".join(f"Awarded now: {now}".split()) in said, shown.output
        else:
            assert f"Awarded: {awarded}" in shown.output, shown.output

    @precondition(lambda self: bool(self.committed))
    @rule()
    def tilskudd_verify_says_the_ledger_is_clean(self) -> None:
        result = self._run("verify")
        assert result.exit_code == 0, result.output
        for number in self.committed:
            assert f"Round {number}: " in result.output

    @precondition(lambda self: hasattr(self, "prog"))
    @rule()
    def tilskudd_status_json_is_the_ledgers_status(self) -> None:
        result = self._run("status", "--format", "json")
        assert result.exit_code == 0, result.output
        shown = json.loads(result.stdout)
        assert shown["awarded_now"] == shown["committed"] == self.total()
        assert shown["frame"] == shown["committed"] + shown["remaining"]
        assert {r["round"]: r["current"] for r in shown["rounds"]} == {
            n: sum(a.current for a in self.awards.values() if a.round == n) for n in self.committed
        }

    @precondition(lambda self: any(a.current > 0 for a in self.awards.values()))
    @rule(data=st.data(), outside=st.booleans())
    def tilskudd_amend(self, data: st.DataObject, outside: bool) -> None:
        award = data.draw(st.sampled_from(sorted(self.standing(), key=_key)), label="award")
        amount = data.draw(self._amounts(award), label="amount")
        expected = self.predict(award, amount, outside)
        before = dump(self.ledger)
        extra = ["--outside-policy"] if outside else []
        result = self._run(
            "amend",
            award.id,
            "--amount",
            str(amount),
            "--reason",
            "Vedtak",
            "--round",
            str(award.round),
            *extra,
        )
        if expected is None:
            assert result.exit_code == 1, (award, amount, result.output)
            assert "Traceback" not in result.output
            assert dump(self.ledger) == before
            return
        assert result.exit_code == 0, (award, amount, expected, result.output)
        self._accepted(award, amount, expected)

    # -- what must hold after every step ------------------------------------------------------

    @invariant()
    def the_ledger_agrees_with_the_model(self) -> None:
        if not hasattr(self, "prog"):
            return
        report = lg.status(self.ledger, self.prog)
        assert report.tampered_at is None
        assert report.frame == self.frame == report.committed + report.remaining
        assert report.committed == self.total()
        assert [r.round for r in report.rounds] == sorted(self.committed)
        for item in report.rounds:
            mine = [a for a in self.awards.values() if a.round == item.round]
            assert item.current == sum(a.current for a in mine)
            assert item.committed == self.committed[item.round].awarded
            assert item.budget == self.committed[item.round].budget
        if not self.committed:
            return
        with Ledger.open(self.ledger, write=False) as opened:
            for commit in opened.commits():
                assert commit.budget == commit.awarded + commit.unallocated
            records = opened.awards()
            recorded = {(a.round, a.application_id): a.current for a in records}
        assert recorded == {k: a.current for k, a in self.awards.items()}
        # What status counts in SQLite is what the awards say, one by one.
        for item in report.rounds:
            mine = [a for a in records if a.round == item.round]
            funded = [a for a in mine if a.current > 0]
            kinds = [m.kind for a in mine for m in a.amendments]
            assert (item.projects, item.municipalities, item.amendments, item.withdrawals) == (
                len(funded),
                len({m for a in funded for m in a.municipalities}),
                kinds.count("amend"),
                kinds.count("withdraw"),
            )

    @invariant()
    def no_project_is_funded_in_two_rounds(self) -> None:
        standing = self.standing()
        for a in standing:
            for b in standing:
                assert a.round == b.round or not a.same_project(b), (a, b)

    @invariant()
    def per_applicant_max_holds_across_rounds(self) -> None:
        for number, done in self.committed.items():
            most = done.spec.per_applicant_max
            if most is None:
                continue
            for orgnr in ORGS:
                if orgnr in self.outside_orgs:
                    continue
                mine = [a for a in self.standing() if a.orgnr == orgnr and a.round <= number]
                if any(a.round == number for a in mine):
                    assert sum(a.current for a in mine) <= most, (number, orgnr, mine)

    @invariant()
    def quota_maximums_hold(self) -> None:
        for number, done in self.committed.items():
            if done.spec.quota is None or number in self.outside_rounds:
                continue
            by, limit, value = done.spec.quota
            groups: dict[str, list[Award]] = {}
            for a in self.awards.values():
                if a.round != number or a.status == Status.REJECTED:
                    continue
                key = a.county if by == "county" else a.category.casefold()
                if key:
                    groups.setdefault(key, []).append(a)
            for members in groups.values():
                total = sum(a.current for a in members)
                if limit == "max_amount":
                    assert total <= int(value)
                elif limit == "max_share":
                    assert total <= floor_share(done.budget, Decimal(value))
                else:
                    assert sum(1 for a in members if a.current > 0) <= int(value)

    @invariant()
    def history_lists_each_organisations_awards(self) -> None:
        if not self.committed:
            return
        for orgnr in ORGS:
            listed = {
                (a.round, a.application_id): a.current for a in lg.history(self.ledger, orgnr)
            }
            assert listed == {k: a.current for k, a in self.awards.items() if a.orgnr == orgnr}

    @invariant()
    def verify_finds_the_ledger_clean(self) -> None:
        if not self.committed:
            return
        with Ledger.open(self.ledger, write=False) as opened:
            assert opened.verify_chain().ok
            for commit in opened.commits():
                report = verify_round(opened, self.prog, commit)
                assert report.ok, report
                assert report.awarded == self.committed[commit.round].awarded


def _key(award: Award) -> tuple[int, str]:
    return award.round, award.id


LedgerMachine.TestCase.settings = settings(
    max_examples=25,
    stateful_step_count=12,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestLedgerMachine = LedgerMachine.TestCase


# --- regression tests for what the machine found ------------------------------------------


def _programme(folder: Path, policy: str) -> Programme:
    path = folder / "tilskudd.toml"
    path.write_text(
        '[programme]\nname = "Testordning"\nframe = 400000\nregister = "2009"\n\n'
        "[[round]]\nnumber = 1\nbudget = 100000\n\n[[round]]\nnumber = 2\nbudget = 100000\n\n"
        f"[policy]\n{policy}\n",
        encoding="utf-8",
    )
    return load_programme(path)


def _commit(ledger: Path, programme: Programme, number: int, rows: list[str]) -> None:
    csv = ledger.parent / f"r{number}.csv"
    csv.write_text("\n".join([PLAIN_HEADER, *rows]) + "\n", encoding="utf-8")
    policy = programme.round_policy(number)
    checked = read_applications(csv, register="2009", rule=policy.rule)
    context = lg.round_context(ledger, programme, number)
    result = run_programme_round(checked, context, policy, programme)
    lg.commit_round(ledger, result, programme, number, input_path=csv)


@pytest.mark.parametrize(
    ("policy", "rule"),
    [('max_share_of_cost = "20 %"', "max_share_of_cost"), ("min_score = 4", "min_score")],
)
def test_a_project_left_unfunded_as_funded_before_is_held_to_the_rounds_caps_when_raised(
    tmp_path: Path, policy: str, rule: str
) -> None:
    """Round 2 left A-1 unfunded because round 1 funded it; once that award was withdrawn, an
    amendment could fund it in round 2 with all it asked for: 90 000 kr of a 100 000 kr project
    under a 20 % share of cost (or a score below min_score), since the round recorded no cap
    for it, the already-funded reason alone. The round's policy holds for it as for a reserve
    application: the cap is recorded with the decision, and the raise is refused past it."""
    programme = _programme(tmp_path, policy)
    ledger = tmp_path / "tilskudd.ledger.sqlite"
    _commit(ledger, programme, 1, [f"A-1;Moss kommune;{MOSS};Sak;0104;20000;100000;5"])
    _commit(
        ledger,
        programme,
        2,
        [
            f"A-1;Moss kommune;{MOSS};Sak;0104;90000;100000;3",
            f"B-2;Oslo kommune;{OSLO};Post;0301;10000;100000;5",
        ],
    )
    (excluded,) = [a for a in lg.history(ledger, "A-1") if a.round == 2]
    assert excluded.reasons[0]["code"] == ALREADY_FUNDED
    lg.withdraw(ledger, programme, "A-1", "Trukket", round=1)
    with pytest.raises(LedgerError) as refused:
        lg.amend(ledger, programme, "A-1", 90_000, "Midler ledige", round=2)
    assert refused.value.key in (
        "ledger.error.amend_over_share_of_cost",
        "ledger.error.amend_not_eligible",
    )
    change = lg.amend(ledger, programme, "A-1", 90_000, "Styrevedtak", round=2, outside_policy=True)
    assert change.outside_policy == (rule,)
