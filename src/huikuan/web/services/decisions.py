"""The clerk's actions on a run: confirm, reject, match by hand, unmatch, write off, note, undo.

Each action is a :class:`~huikuan.web.models.Decision` row plus an AuditLog row, made only when
the period is open, the user's role allows it, and :mod:`huikuan.results.decisions` says the
decision applies to the run's effective state (run + earlier active decisions). What the pages
show is that effective state (``effective``); the run's files are never changed.

Two clerks may act at the same instant: each decision takes the period's lock
(``periods.hold_period``) before it reads the active decisions and checks itself against them, so
the second sees the first; when that is why it no longer applies, it says someone else just
changed the records. The pages send the time they were shown (``seen``), so "just" means since
the clerk looked; without it, since the action was asked for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huikuan.domain.money import parse_amount
from huikuan.reports.finding_model import WrittenOffGroup
from huikuan.results.decisions import Decision as DecisionData
from huikuan.results.decisions import DecisionKind, RecordRef, Replay, refusal_parts, replay
from huikuan.results.overlay import entries_relation
from huikuan.web.models import Decision, Import, Run, WriteOffLimit
from huikuan.web.models.decisions import DEFAULT_WRITE_OFF_LIMIT_MINOR
from huikuan.web.services.periods import audit, hold_period, period_of, refuse_if_locked, require
from huikuan.web.storage import resolve

#: how each flow's sides compare (``results.decisions.difference``): orders equal their payments;
#: a payout leaving the wallet is the opposite of the bank credit it becomes
RELATION = {"orders-settlement": "equal", "payout-bank": "opposite"}


class DecisionRefused(Exception):
    """A decision that does not apply; the message says why."""


@dataclass
class Outcome:
    """A decision made, with the sums of its records as the clerk saw them."""

    decision: Decision
    left_minor: int
    right_minor: int
    difference_minor: int


def refuse_if_superseded(run: Run) -> None:
    """Decisions are made on the latest finished run of a store and period only: a later finished
    run has already taken over this one's decisions, and one made here now would be lost to it.
    A later run not finished (queued, running, failed) takes them over when it finishes
    (``carry_over.take_over``, under the period's lock like every decision)."""
    later = Run.objects.filter(company=run.company, store=run.store, period_start=run.period_start,
                               period_end=run.period_end, pk__gt=run.pk, status="done")
    if later.exists():
        raise DecisionRefused(_("A newer run of this period exists: make decisions there."))


def translate_refusal(why: str) -> str:
    """A refusal of :mod:`huikuan.results.decisions` in the interface's language (the templates
    of ``REFUSALS`` are in the .po files; the fields are record ids, dates and amounts)."""
    template, fields = refusal_parts(why)
    text = _(template).format(**fields)
    return text[:1].upper() + text[1:]


def write_off_limit(company: Any) -> int:
    row = WriteOffLimit.objects.filter(company=company).first()
    return row.limit_minor if row else DEFAULT_WRITE_OFF_LIMIT_MINOR


def file_names(run: Run) -> dict[str, str]:
    """Content hash → file name as the run's entries.parquet ``file`` column holds it."""
    hashes = [h for role in run.input_hashes.values() for h in role]
    return dict(Import.objects.filter(company=run.company, content_hash__in=hashes)
                .values_list("content_hash", "file_name"))


def entries_source(run: Run, flow: str) -> str:
    """The run's entries of ``flow`` as a DuckDB relation."""
    if flow not in run.templates or not run.result_path:
        raise DecisionRefused(_("This run has no such result."))
    path: Path = resolve(run.company, run.result_path) / flow / "entries.parquet"
    return entries_relation(path)


def active(run: Run, flow: str) -> list[Decision]:
    found = run.decisions.filter(flow=flow, undone__isnull=True, stale_reason="")
    return list(found.order_by("created", "id"))


def active_at(run: Run, flow: str, moment: dt.datetime) -> list[Decision]:
    """The decisions of ``run``'s ``flow`` active at ``moment``: what a page shown then showed."""
    found = run.decisions.filter(flow=flow, stale_reason="", created__lte=moment).exclude(undone__lte=moment)
    return list(found.order_by("created", "id"))


def written_off_groups(run: Run) -> list[WrittenOffGroup]:
    """The run's active write-offs as the findings take them (unusual write-offs: many, or
    large, by one user). A group is named by its first record, which the workbench finds."""
    return [WrittenOffGroup(str(d.records[0]["record_id"]) if d.records else f"#{d.pk}", d.amount_minor,
                            d.reason, d.created_by.get_username() if d.created_by else "", d.created,
                            d.currency, d.flow)
            for f in run.flows for d in active(run, f) if d.kind == DecisionKind.WRITE_OFF]


def as_data(decision: Decision) -> DecisionData:
    """The decision as :mod:`huikuan.results.decisions` takes it. Its id is the decision as first
    made (a carried copy names its original), so a re-run's decision_id column is the same."""
    return DecisionData(str(decision.carried_from_id or decision.pk), DecisionKind(decision.kind),
                        tuple(RecordRef(r["hash"], r["record_id"], r["side"]) for r in decision.records),
                        decision.amount_minor, decision.reason, decision.note)


def engine_differences(con: duckdb.DuckDBPyConnection, run: Run, flow: str) -> dict[str, int]:
    """match id → the engine's difference (differences.csv, the first disagreeing check)."""
    path = resolve(run.company, run.result_path) / flow / "differences.csv"
    if not path.exists():
        return {}
    rows = con.execute("SELECT match_id, difference FROM read_csv(?, header=true, all_varchar=true) "
                       'ORDER BY match_id, "check"', [str(path)]).fetchall()
    found: dict[str, int] = {}
    for match_id, written in rows:
        found.setdefault(match_id, parse_amount(written))
    return found


def replay_on(con: duckdb.DuckDBPyConnection, run: Run, flow: str,
              decisions: Sequence[DecisionData]) -> Replay:
    return replay(con, entries_source(run, flow), decisions, file_names(run),
                  relation=RELATION.get(flow, "equal"), write_off_limit_minor=write_off_limit(run.company),
                  # read only when needed: on a large run differences.csv is long
                  engine_differences=engine_differences(con, run, flow)
                  if any(d.kind == DecisionKind.WRITE_OFF for d in decisions) else None)


def effective(run: Run, flow: str, con: duckdb.DuckDBPyConnection) -> Replay:
    """The active decisions of ``run``'s ``flow`` replayed; ``overlay`` lays them over the entries."""
    return replay_on(con, run, flow, [as_data(d) for d in active(run, flow)])


def refs(run: Run, keys: Sequence[tuple[str, str, str]]) -> tuple[RecordRef, ...]:
    """(file name, record_id, side) as the pages name records → references that survive a re-run."""
    by_name = {name: h for h, name in file_names(run).items()}
    found = tuple(RecordRef(by_name.get(f, ""), r, s) for f, r, s in keys)
    if not found or any(not ref.hash for ref in found):
        raise DecisionRefused(_("Choose records of this run."))
    return found


def group(run: Run, flow: str, match_id: str, *, seen: dt.datetime | None = None) -> tuple[RecordRef, ...]:
    """The records now in match ``match_id`` (effective state), as a page shown at ``seen``
    (or now) named it."""
    from huikuan.results.overlay import effective_sql

    with duckdb.connect() as con:
        overlay = effective(run, flow, con).overlay
        con.register("decision_overlay", overlay)
        now = effective_sql(entries_source(run, flow), "decision_overlay")
        rows = con.execute(f"SELECT file, record_id, side FROM ({now}) "
                           "WHERE match_id = ? ORDER BY side, file, record_id", [match_id]).fetchall()
    if not rows:
        if seen is not None and _ids(active_at(run, flow, seen)) != _ids(active(run, flow)):
            raise DecisionRefused(_someone_else())
        raise DecisionRefused(_("That match no longer exists."))
    return refs(run, rows)


def decide(user: Any, run: Run, flow: str, kind: DecisionKind, records: Sequence[RecordRef], *,
           reason: str = "", note: str = "", seen: dt.datetime | None = None) -> Outcome:
    """Record one decision if it applies after the active ones; refuse with the reason if not.
    ``seen``: when the page the clerk acted on was shown; if another decision landed since and
    this one no longer applies, that is why."""
    seen = seen or timezone.now()
    require(user, run, "decide")
    period_of(run)  # committed first, so that a lock of an overlapping period sees it and waits
    with transaction.atomic():
        period = hold_period(run)
        refuse_if_locked(run)
        refuse_if_superseded(run)
        records = tuple(records)
        with duckdb.connect() as con:
            now = active(run, flow)
            new = DecisionData("new", kind, records, None if kind == DecisionKind.WRITE_OFF else 0, reason,
                               note.strip())
            done = replay_on(con, run, flow, [*(as_data(d) for d in now), new])
            refused = [why for d, why in done.refused if d.id == "new"]
            if refused:
                raise DecisionRefused(_changed_since(con, run, flow, new, seen=seen, now=now)
                                      or translate_refusal(refused[0]))
        amounts = done.sums["new"]
        amount = amounts[2] if kind == DecisionKind.WRITE_OFF else 0
        decision = Decision.objects.create(
            company=run.company, store=run.store, period=period, run=run, flow=flow, kind=kind,
            records=[{"hash": r.hash, "record_id": r.record_id, "side": r.side} for r in records],
            amount_minor=amount, amounts=dict(zip(("left", "right", "difference"), amounts, strict=True)),
            reason=reason, note=note.strip(), created_by=user)
        # in the decision's transaction: the log names only decisions that took effect
        audit(run, user, f"decision.{kind}", f"decision:{decision.pk}", run=run.pk, flow=flow,
              records=decision.records, amount_minor=amount, reason=reason)
    return Outcome(decision, *amounts)


def _changed_since(con: duckdb.DuckDBPyConnection, run: Run, flow: str, new: DecisionData, *,
                   seen: dt.datetime, now: Sequence[Decision]) -> str | None:
    """The refusal to give when ``new`` would have applied to the decisions active when the clerk
    looked (``seen``) but does not to those active ``now``: someone else's came in between."""
    before = active_at(run, flow, seen)
    if _ids(before) == _ids(now):
        return None
    if any(d.id == "new" for d, _why in replay_on(con, run, flow, [*map(as_data, before), new]).refused):
        return None
    return _someone_else()


def _ids(decisions: Sequence[Decision]) -> list[int]:
    return [d.pk for d in decisions]


def _someone_else() -> str:
    return _("Someone else just changed these records: look again and retry.")


def confirm(user: Any, run: Run, flow: str, match_id: str, note: str = "", *,
            seen: dt.datetime | None = None) -> Outcome:
    seen = seen or timezone.now()  # before the match id is looked up
    return decide(user, run, flow, DecisionKind.CONFIRM, group(run, flow, match_id, seen=seen), note=note,
                  seen=seen)


def reject(user: Any, run: Run, flow: str, match_id: str, note: str = "", *,
           seen: dt.datetime | None = None) -> Outcome:
    seen = seen or timezone.now()  # before the match id is looked up
    return decide(user, run, flow, DecisionKind.REJECT, group(run, flow, match_id, seen=seen), note=note,
                  seen=seen)


def manual_match(user: Any, run: Run, flow: str, records: Sequence[RecordRef], note: str = "", *,
                 seen: dt.datetime | None = None) -> Outcome:
    """Match the records by hand; the outcome carries both sides' sums and their difference."""
    return decide(user, run, flow, DecisionKind.MANUAL_MATCH, records, note=note, seen=seen)


def unmatch(user: Any, run: Run, flow: str, match_id: str, note: str = "", *,
            seen: dt.datetime | None = None) -> Outcome:
    seen = seen or timezone.now()  # before the match id is looked up
    return decide(user, run, flow, DecisionKind.UNMATCH, group(run, flow, match_id, seen=seen), note=note,
                  seen=seen)


def write_off(user: Any, run: Run, flow: str, records: Sequence[RecordRef], reason: str, *,
              note: str = "", seen: dt.datetime | None = None) -> Outcome:
    """核销: accept the records' difference (a whole match, or unmatched records made one) with a
    reason from ``WRITE_OFF_REASONS``, up to the company's limit (``write_off_limit``)."""
    if not reason:
        raise DecisionRefused(_("Choose a reason for the write-off."))
    return decide(user, run, flow, DecisionKind.WRITE_OFF, records, reason=reason, note=note, seen=seen)


def add_note(user: Any, run: Run, flow: str, records: Sequence[RecordRef], note: str, *,
             seen: dt.datetime | None = None) -> Outcome:
    return decide(user, run, flow, DecisionKind.NOTE, records, note=note, seen=seen)


def undo(user: Any, run: Run, decision_id: int, *, seen: dt.datetime | None = None) -> Decision:
    """Undo an active decision: it stays, marked undone. Refused when a later active decision
    depends on it (undo that one first), so the effective state never jumps. ``seen``: when the
    page the clerk acted on was shown."""
    seen = seen or timezone.now()
    require(user, run, "decide")
    period_of(run)
    with transaction.atomic():
        hold_period(run)  # before reading the active decisions, like ``decide``
        refuse_if_locked(run)
        refuse_if_superseded(run)
        decision = run.decisions.filter(pk=decision_id).first()
        if decision is not None and decision.undone is not None and decision.undone > seen:
            raise DecisionRefused(_someone_else())  # undone by someone else since
        if decision is None or not decision.active:
            raise DecisionRefused(_("That decision is not active."))
        rest = [as_data(d) for d in active(run, decision.flow) if d.pk != decision.pk]
        with duckdb.connect() as con:
            done = replay_on(con, run, decision.flow, rest)
        if done.refused:
            raise DecisionRefused(_("A later decision depends on this one: undo that first."))
        decision.undone, decision.undone_by = timezone.now(), user
        decision.save(update_fields=["undone", "undone_by"])
        audit(run, user, "decision.undo", f"decision:{decision.pk}", run=run.pk, kind=decision.kind)
    return decision
