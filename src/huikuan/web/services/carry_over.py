"""A re-run keeps the decisions that still apply (DESIGN.md "Storage").

When a run of a store and period finishes, every active decision of the previous finished run
of the same store and period is replayed, in its order, on the new run's entries. Each becomes
a decision of the new run (``carried_from`` the old one): active when it still applies, else
kept with ``stale_reason`` saying why, for the run page to list. The old run keeps its own.

The copy and the new run's switch to done are one transaction under the period's lock
(``take_over``), the lock every decision takes: a decision on the previous run lands before the
copy (and is carried) or is refused after it (a newer finished run exists), never lost between."""

from __future__ import annotations

import duckdb
from django.db import transaction
from django.utils import timezone

from huikuan.web.models import Decision, Run
from huikuan.web.services.decisions import active, as_data, replay_on
from huikuan.web.services.periods import audit, hold_period, period_of, refuse_if_locked


def previous_run(run: Run) -> Run | None:
    """The latest finished run of the same store and period before ``run``."""
    return (Run.objects.filter(company=run.company, store=run.store, period_start=run.period_start,
                               period_end=run.period_end, status="done", pk__lt=run.pk)
            .exclude(result_path="").order_by("-pk").first())


@transaction.atomic
def carry_over(run: Run) -> tuple[int, int]:
    """Copy the previous run's active decisions onto ``run``; (kept, stale) counts."""
    before = previous_run(run)
    if before is None:
        return 0, 0
    kept = stale = 0
    for flow in sorted({d.flow for d in before.decisions.all()}):
        decisions = active(before, flow)
        if not decisions:
            continue
        if flow in run.templates:
            with duckdb.connect() as con:
                done = replay_on(con, run, flow, [as_data(d) for d in decisions])
            why = {d.id: reason for d, reason in done.refused}
        else:
            why = {as_data(d).id: "this run has no such flow" for d in decisions}
        for old in decisions:
            Decision.objects.create(
                company=old.company, store=old.store, period=old.period, run=run, flow=old.flow,
                kind=old.kind, records=old.records, amount_minor=old.amount_minor, amounts=old.amounts,
                currency=old.currency,
                reason=old.reason, note=old.note, created_by=old.created_by,
                carried_from_id=old.carried_from_id or old.pk,  # always the decision as first made
                stale_reason=why.get(as_data(old).id, "")[:300])
        stale += len(why)
        kept += len(decisions) - len(why)
    audit(run, None, "decision.carry_over", f"run:{run.pk}", previous=before.pk, kept=kept, stale=stale)
    return kept, stale


class RunNotRunning(Exception):
    """The run was cancelled before it could be marked done; nothing was carried over."""


def take_over(run: Run) -> tuple[int, int]:
    """Finish ``run``: the previous run's decisions carried over and the run marked done, at once
    for every clerk; (kept, stale) counts. Refused (``PeriodLocked``) when the period was locked
    while the run ran: a locked period's results and decisions stay as they were locked."""
    period_of(run)  # committed first, so that a lock of an overlapping period sees it and waits
    with transaction.atomic():
        hold_period(run)
        refuse_if_locked(run)
        counts = carry_over(run)
        if not Run.objects.filter(pk=run.pk, status="running").update(
                status="done", progress=100, step="", finished=timezone.now(), timings=run.timings):
            raise RunNotRunning  # cancelled meanwhile: the copies go back with the transaction
    return counts
