"""Allocating one round of a programme against its ledger, and re-running a committed round.

A round of a programme differs from a lone allocation in three ways, all taken from the ledger
(:class:`~tilskudd.ledger.RoundContext`):

- its budget is the round's budget in ``tilskudd.toml``, or what remains of the frame if less;
- an application funded in an earlier round (the same id, or the same orgnr with the same project
  title, compared without case, accents or punctuation) is not funded again: it is in the result
  as ``not_funded`` with the reason ``reason.round.already_funded`` naming the earlier round, the
  application there and its amount now. An award withdrawn since (0 kr now) does not count;
- ``per_applicant_max`` counts what each organisation received in earlier rounds
  (net of amendments and withdrawals).

:func:`verify_round` re-runs a committed round from its recorded input file, reading options,
budget and policy, against the ledger as it was just before the commit, and compares the awards.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from pydantic import ValidationError

from tilskudd.currency import NOK
from tilskudd.i18n import Phrase
from tilskudd.ledger import (
    ALREADY_FUNDED,
    AwardRecord,
    CommitRecord,
    Ledger,
    RoundContext,
    file_sha256,
    generated_ids,
    programme_decision,
)
from tilskudd.models import Application, Decision, Issue, Policy, Reason, RoundResult, Status
from tilskudd.programme import Programme
from tilskudd.validation import ValidationResult

__all__ = [
    "ALREADY_FUNDED",
    "CLAIM_CAP_CODES",
    "RoundDifference",
    "RoundVerification",
    "already_funded_decisions",
    "counted_claims",
    "decision_date_note",
    "run_programme_round",
    "verify_round",
]


OVERRIDE_NOT_APPLIED = "reason.round.override_not_applied"
"""The reason given beside :data:`ALREADY_FUNDED` when the sheet held an officer's decision."""


def _caps_recorded(app: Application, policy: Policy) -> list[Reason]:
    """What the round's policy caps ``app`` at (the share of its cost, say) and whether its
    score makes it eligible: recorded with a decision not to fund it again, so that an
    amendment funding it once the earlier award is withdrawn is held to them as the round's
    other applications are (``Ledger._policy_problems`` reads the caps from the reasons)."""
    from tilskudd.rules.common import eligible_amount, score_reason

    _amount, reasons = eligible_amount(app, policy)
    kept = [r for r in reasons if r.code.startswith("reason.cap.")]
    below = score_reason(app, policy)
    return kept + ([below] if below is not None else [])


def already_funded_decisions(
    checked: ValidationResult, context: RoundContext, policy: Policy | None = None
) -> tuple[list[Decision], set[str]]:
    """A ``not_funded`` decision for each application funded in an earlier round, and their ids.

    With the round's ``policy``, each decision also carries the caps it puts on the application
    (``reason.cap.*``) and its ``min_score`` verdict, after the reasons it was not funded."""
    decisions = []
    ids = set()
    made = generated_ids(checked.issues, checked.applications)
    for app in checked.applications:
        found = context.already_funded(app, by_id=app.id not in made)
        if found is None:
            continue
        prior, match = found
        ids.add(app.id)
        reasons = [
            Reason(
                code=ALREADY_FUNDED,
                params={
                    "round": prior.round,
                    "application": prior.application_id,
                    "amount": prior.amount,
                    "match": match,
                },
            )
        ]
        if app.decision is not None:
            # The officer's manual decision in the sheet is not applied to a project already
            # funded; say so, with the officer's own words, rather than drop it silently.
            reasons.append(
                Reason(
                    code=OVERRIDE_NOT_APPLIED,
                    params={"decision": app.decision, "text": app.decision_reason or ""},
                )
            )
        if policy is not None:
            reasons += _caps_recorded(app, policy)
        decisions.append(
            Decision(
                application_id=app.id,
                status=Status.NOT_FUNDED,
                amount=0,
                requested=app.requested,
                reasons=tuple(reasons),
            )
        )
    return decisions, ids


def run_programme_round(
    checked: ValidationResult,
    context: RoundContext,
    policy: Policy,
    programme: Programme,
    *,
    budget: int | None = None,
    sha256: str | None = None,
    created: datetime | None = None,
    lang: str | None = None,
) -> RoundResult:
    """Allocate a programme's round: the round's budget, earlier awards excluded and counted.

    ``budget`` overrides the context's budget (``--budget`` with ``--round``). ``lang``: the
    language of the output the result is for (default the programme's), in which a round without
    a name in the programme file is called "Runde 2" / "Round 2". The result keeps
    ``context``, which :meth:`Ledger.commit_round <tilskudd.ledger.Ledger.commit_round>` holds
    the ledger against when it is committed.
    """
    from tilskudd.pipeline import run_round
    from tilskudd.wording import round_title

    excluded, _ids = already_funded_decisions(checked, context, policy)
    # A round without a name is called "Runde 2" in the output's language (as `tilskudd init`
    # names them), not "2", which reads as a number in a list ("2: 1 prosjekt …"); not in the
    # programme's, which glued "Round 2:" to a bokmål sentence under --lang nb. A name written
    # in the programme file stays as written, unless it is the "Runde 2" an earlier init wrote.
    name = round_title(context.round_name, context.round, lang or programme.lang)
    result = run_round(
        checked,
        context.budget if budget is None else budget,
        policy,
        sha256=sha256,
        created=created,
        programme=programme.name,
        round_name=name,
        funder=programme.funder,
        currency=programme.currency,
        decided=tuple(excluded),
        prior_by_orgnr=context.prior_by_orgnr,
        # A committed round's as the ledger recorded it: tilskudd.toml edited since changes
        # neither its documents nor its 360Giving award dates.
        decision_date=(
            context.already_committed.decision(programme)
            if context.already_committed is not None
            else programme_decision(programme, context.round)
        ),
    )
    # The commit checks the ledger against what the round was allocated against, whether or
    # not its caller passes it (Ledger.commit_round).
    result._allocated_against = context
    return result


def decision_date_note(commit: CommitRecord, programme: Programme) -> tuple[bool, Phrase] | None:
    """What to say of a committed round's decision date against tilskudd.toml as it is now:
    (True, a warning) when the toml gives another date than the ledger recorded, which is the
    one the round's documents keep; (False, a note) when the round was committed before the
    ledger recorded the date (schema 8) and the toml gives one, which is then read as it is
    now; None when there is nothing to say."""
    now = programme_decision(programme, commit.round)
    if not commit.decision_recorded:
        if now is None:
            return None
        return False, Phrase(
            "ledger.cli.decision_date_from_programme", round=commit.round, date=now.isoformat()
        )
    recorded = commit.decision()
    if recorded == now:
        return None

    def said(day: date | None) -> Phrase:
        if day is None:
            return Phrase("ledger.cli.decision_date_none")
        return Phrase("ledger.cli.decision_date_is", date=day.isoformat())

    return True, Phrase(
        "ledger.cli.decision_date_differs",
        round=commit.round,
        recorded=said(recorded),
        given=said(now),
    )


CLAIM_CAP_CODES = frozenset(
    {
        "reason.cap.per_applicant_claim",
        "reason.cap.per_applicant_claim_tied",
        "reason.ineligible.per_applicant_claim",
        "reason.ineligible.per_applicant_claim_tied",
    }
)
"""The reasons of ``proportional`` as it held ``per_applicant_max`` until 2026-11-30: against
what an organisation's applications claimed, in rank order. It caps what the organisation is
awarded since; a round recorded with one of these reasons was decided by the older rule."""


def counted_claims(awards: Iterable[AwardRecord]) -> bool:
    """Whether ``awards`` (one committed round's) were decided by ``proportional`` counting
    ``per_applicant_max`` against claims (:data:`CLAIM_CAP_CODES`): a re-run by this tilskudd
    differs for that reason alone, and says so."""
    return any(r.get("code") in CLAIM_CAP_CODES for award in awards for r in award.reasons)


@dataclass(frozen=True)
class RoundDifference:
    """An application whose decision differs between the ledger and the re-run."""

    application_id: str
    recorded: tuple[str, int] | None
    """(status, amount) in the ledger; None if the re-run has an application the ledger lacks."""
    rerun: tuple[str, int] | None
    input_errors: tuple[Issue, ...] = ()
    """The errors the re-run finds in the input for an application it rejects and the ledger
    did not: the same file, read by this tilskudd, has a problem the one that committed the
    round did not see (an error cell it read as empty, say)."""


@dataclass(frozen=True)
class RoundVerification:
    """The result of re-running one committed round."""

    round: int
    commit: CommitRecord
    input_path: str | None
    ok: bool
    problem: str | None = None
    """Why the round could not be re-run (input missing, hash differs), None if it was; in
    English (:attr:`problem_phrase` in any language)."""
    differences: tuple[RoundDifference, ...] = field(default_factory=tuple)
    awarded: int = 0
    problem_phrase: Phrase | None = None
    claims_counted: bool = False
    """The round was decided by ``proportional`` counting ``per_applicant_max`` against claims
    (:func:`counted_claims`), which this tilskudd no longer does: the differences are that."""


def _not_rerun(commit: CommitRecord, path: Path | None, problem: Phrase) -> RoundVerification:
    return RoundVerification(
        commit.round,
        commit,
        None if path is None else str(path),
        False,
        str(problem),
        problem_phrase=problem,
    )


def verify_round(
    ledger: Ledger,
    programme: Programme,
    commit: CommitRecord,
    *,
    input_path: str | Path | None = None,
) -> RoundVerification:
    """Re-run ``commit`` from its input (recorded, or ``input_path``) and compare the awards."""
    from tilskudd.pipeline import read_applications
    from tilskudd.validation import ids_read_since, legacy_row_ids

    given = input_path if input_path is not None else commit.input_path
    if given is None:
        return _not_rerun(commit, None, Phrase("ledger.error.verify_no_input", round=commit.round))
    path = Path(given)
    if not path.is_file():
        return _not_rerun(
            commit,
            path,
            Phrase("ledger.error.verify_input_missing", path=str(path), round=commit.round),
        )
    actual = file_sha256(path)
    if actual != commit.input_sha256:
        return _not_rerun(
            commit,
            path,
            Phrase(
                "ledger.error.verify_input_differs",
                path=str(path),
                round=commit.round,
                actual=actual[:16],
                recorded=commit.input_sha256[:16],
            ),
        )
    reading = commit.reading
    try:
        policy = Policy.from_record(commit.policy)
    except ValidationError as exc:
        # Recorded by another tilskudd (a setting this one does not know, say): said as a round
        # that could not be re-run, not a traceback.
        fields = sorted({".".join(map(str, e["loc"][:1])) or "policy" for e in exc.errors()})
        return _not_rerun(
            commit,
            path,
            Phrase(
                "ledger.error.verify_policy_unreadable",
                round=commit.round,
                version=commit.tool_version,
                fields=fields,
            ),
        )
    # Read exactly as the round was: a ranking rule requires a score or rank of every row.
    checked = read_applications(
        path,
        sheet=reading.get("sheet"),
        columns=reading.get("columns"),
        register=str(reading.get("register") or programme.register_year),
        display_name=commit.input_file or str(path),
        rule=policy.rule,
        # In the round's currency, as it was read (kroner where the reading names none).
        currency=str(reading.get("currency") or NOK),
    )
    if all(r.number != commit.round for r in programme.rounds):
        # The [[round]] was taken out of tilskudd.toml since: the commit holds all a re-run
        # needs (budget, policy), so the round is re-run as recorded, not refused.
        from tilskudd.programme import Round

        taken_out = Round(number=commit.round, name=commit.round_name)
        programme = programme.model_copy(update={"rounds": (*programme.rounds, taken_out)})
    context = ledger.round_context(programme, commit.round, before=commit.seq)
    # The frame may have been changed in the programme file since; the recorded one was used.
    context = replace(context, frame=commit.frame)
    result = run_programme_round(checked, context, policy, programme, budget=commit.budget)
    rerun = {d.application_id: d for d in result.allocation.decisions}
    # A rejected row told apart by its row was "S-01 (row 17)" in rounds committed before
    # 2026-11-29, and is "S-01 (A17)" now: the same application.
    legacy = legacy_row_ids(rerun)
    awards = [a for a in ledger.awards(round=commit.round) if a.commit_seq == commit.seq]
    # An id read otherwise since (A\u20111 is A-1, a CSV file's 1,00 is 1): the same application.
    legacy |= ids_read_since((a.application_id for a in awards), rerun)
    recorded: dict[str, AwardRecord] = {
        legacy.get(a.application_id, a.application_id): a for a in awards
    }
    differences = []
    for app_id in sorted(set(recorded) | set(rerun)):
        old = recorded.get(app_id)
        new = rerun.get(app_id)
        old_key = (old.status, old.amount) if old is not None else None
        new_key = (str(new.status), new.amount) if new is not None else None
        if old_key != new_key:
            errors: tuple[Issue, ...] = ()
            newly_rejected = new is not None and new.status is Status.REJECTED
            if newly_rejected and old_key is not None and old_key[0] != Status.REJECTED:
                row = result.rejected_by_id().get(app_id)
                errors = tuple(i for i in row.issues if i.is_error) if row else ()
            differences.append(RoundDifference(app_id, old_key, new_key, errors))
    return RoundVerification(
        round=commit.round,
        commit=commit,
        input_path=str(path),
        ok=not differences,
        differences=tuple(differences),
        awarded=result.allocation.awarded,
        claims_counted=bool(differences) and counted_claims(recorded.values()),
    )
