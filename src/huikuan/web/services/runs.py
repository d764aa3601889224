"""Reconciliation runs: start one (a Run row plus a queued job) and execute it in the worker.

A run reads the stored entries of the store's and the bank account's imports over the period —
never the original files again — and runs orders ↔ settlement, then payouts ↔ bank, through
:func:`huikuan.engine.reconcile`, writing each flow's result folder with
:func:`huikuan.results.write_result` (which swaps a folder in whole). Progress goes to the Run
row so the page can poll it and survive a reload.

The run's life: queued → running → done, failed or cancelled, each end in the audit log
(``run.end``). A worker that dies mid-run leaves its job to another worker (``web/jobs.py``),
which starts the run over; after the last attempt the run fails with :func:`abandon_run`'s
message. A user cancels with :func:`cancel_run`: a queued run at once, a running one at its
next progress step."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from huikuan import __version__
from huikuan.domain.entry import ENTRY_SCHEMA, conform
from huikuan.domain.roles import Role
from huikuan.engine import Template, load_template, reconcile
from huikuan.importers import ImportResult, SideImport
from huikuan.importers.registry import split_duplicates
from huikuan.results import ResultFolder, write_result
from huikuan.web.effective import effective_folder
from huikuan.web.jobs import JobCancelled, enqueue
from huikuan.web.models import AuditLog, BankAccount, Company, Decision, Import, Job, Run, Store
from huikuan.web.models.runs import RUN_ENDED
from huikuan.web.redact import file_names_only
from huikuan.web.services import periods
from huikuan.web.services.carry_over import RunNotRunning, take_over
from huikuan.web.storage import company_dir, entries_path, original_path, run_dir

log = logging.getLogger(__name__)

#: flow name → (template, left roles, right roles), in the order a run does them
FLOWS = {
    "orders-settlement": ("orders-settlement", ("orders",), ("platform",)),
    "payout-bank": ("payout-bank", ("platform",), ("bank",)),
}


class RunRefused(Exception):
    """A run that cannot start; the message says what is missing."""


class Cancelled(JobCancelled):
    """The run was cancelled while it ran: the job stops at its next progress step."""


class NotCancellable(Exception):
    """A run that has already ended; the message says so."""


def inputs_for(store: Store, bank_account: BankAccount | None, start: dt.date,
               end: dt.date) -> dict[str, list[Import]]:
    """The imports a run reads, by role: the store's orders and platform bills and the bank
    account's statements whose period touches [start, end], oldest first (so that a later,
    overlapping re-export is the copy reported as duplicate)."""
    touching = Import.objects.filter(company=store.company, period_start__date__lte=end,
                                     period_end__date__gte=start).order_by("created", "id")
    found = {
        "orders": list(touching.filter(store=store, role="orders")),
        "platform": list(touching.filter(store=store, role="platform")),
        "bank": list(touching.filter(bank_account=bank_account, role="bank")) if bank_account else [],
    }
    return found


def template_hash(template: Template) -> str:
    """A fingerprint of the rules as loaded: a changed template file gives a new hash."""
    return hashlib.sha256(repr(template).encode()).hexdigest()


def backend_for_runs() -> str:
    """Spark when a cluster is configured (``HUIKUAN_SPARK_MASTER``, as the Spark backend reads
    it), else DuckDB in the worker's process. Both give the same results."""
    return "spark" if os.environ.get("HUIKUAN_SPARK_MASTER") else "duckdb"


def start_run(company: Company, store: Store, bank_account: BankAccount | None, start: dt.date,
              end: dt.date, *, user: Any = None) -> Run:
    """Queue a run of every flow the inputs allow; refuses when there is nothing to match."""
    if store.company_id != company.pk or (bank_account and bank_account.company_id != company.pk):
        raise RunRefused(_("Unknown store or bank account."))
    if end < start:
        raise RunRefused(_("The period ends before it starts."))
    inputs = inputs_for(store, bank_account, start, end)
    if not inputs["orders"] or not inputs["platform"]:
        raise RunRefused(_("Import the store's orders and its platform bill for this period first."))
    flows = [f for f, (_, left, right) in FLOWS.items()
             if all(inputs[r] for r in (*left, *right))]
    if periods.locked_period(company, store, start, end) is not None:
        raise RunRefused(_("This period is locked; an admin must unlock it before a new run."))
    with transaction.atomic():
        run = Run.objects.create(
            company=company, store=store, bank_account=bank_account, period_start=start,
            period_end=end, engine_version=__version__, backend=backend_for_runs(),
            input_hashes={role: [i.content_hash for i in imports] for role, imports in inputs.items()},
            templates={f: {"template": FLOWS[f][0], "hash": template_hash(load_template(FLOWS[f][0]))}
                       for f in flows},
            created_by=user if user is not None and user.is_authenticated else None)
        AuditLog.objects.create(company=company, user=run.created_by, action="run.start",
                                target=f"run:{run.pk}", details={"flows": flows})
        enqueue("run", run_id=run.pk)
    return run


def side(company: Company, imports: Sequence[Import]) -> SideImport:
    """One side of a flow from stored entries: the files in import order, later copies of a
    record (same dedupe key) set aside as duplicates exactly as ``load_side`` does for files."""
    files = []
    for record in imports:
        entries = conform(pq.read_table(entries_path(company, record.content_hash)))
        files.append(ImportResult(
            # the kept original is named by its hash; the file's own name is a label (``display``)
            path=original_path(company, record.content_hash, Path(record.file_name).suffix),
            display=record.file_name, format_id=record.format_id,
            title=record.format_title, role=Role(record.role), encoding=record.encoding or None,
            entries=entries, rows_read=record.rows_read, warnings=list(record.warnings)))
    tables = [f.entries for f in files]
    entries = pa.concat_tables(tables) if tables else ENTRY_SCHEMA.empty_table()
    kept, duplicates = split_duplicates(entries)
    return SideImport(files, kept, duplicates)


def execute_run(run_id: int) -> None:
    """The job: run every flow of the run, reporting progress; a failure is stored on the run.
    Raises :class:`Cancelled` when the run is cancelled before it finishes."""
    run = Run.objects.select_related("company").get(pk=run_id)
    if run.status in ("done", "failed"):
        return  # its worker died after the run ended, before the job did: nothing left to do
    if not _start_over(run):
        _ended(run, "cancelled")
        raise Cancelled
    try:
        _execute(run)
        # the previous run's decisions move over as the run shows as done (one transaction under
        # the period's lock), so nobody acts on it without them and none made meanwhile is lost
        _progress(run, 99, "decisions")
        run.refresh_from_db()
        try:
            take_over(run)  # marks the run done
        except RunNotRunning:
            raise Cancelled from None  # cancelled during the last step: nothing was carried
    except Cancelled:
        _ended(run, "cancelled")
        raise
    except Exception as exc:
        error = file_names_only(" ".join(str(exc).split()))[:2000]
        if Run.objects.filter(pk=run.pk, status="running").update(status="failed", error=error,
                                                                  finished=timezone.now()):
            _ended(run, "failed", error=error)
        else:
            _ended(run, "cancelled")  # cancelled while it went wrong: the user's word stands
            raise Cancelled from exc
        raise
    _ended(run, "done")
    # the pages read each flow prepared for paging: write it here, in the background job, rather
    # than on the first page view (which prepares it itself if this could not)
    try:
        for flow in run.flows:
            effective_folder(run, flow)
    except Exception:
        log.exception("run %s: preparing the workbench failed", run.pk)


def _start_over(run: Run) -> bool:
    """Mark the run running from the start (a retry after a dead worker included); False when it
    was cancelled meanwhile. Decisions an earlier attempt carried over are removed: nobody can
    act on a run before it is done, and the carry-over at the end of this attempt brings them."""
    with transaction.atomic():
        started = Run.objects.filter(pk=run.pk, status__in=("queued", "running")).update(
            status="running", started=timezone.now(), finished=None, progress=1, step="", error="",
            result_path="", timings={})
        if started:
            Decision.objects.filter(run=run, carried_from__isnull=False).delete()
    return bool(started)


def _ended(run: Run, status: str, **details: Any) -> None:
    """The audit row of a run's end (done, failed or cancelled); cancelled also gets its end time."""
    if status == "cancelled":
        Run.objects.filter(pk=run.pk).update(step="", finished=timezone.now())
    AuditLog.objects.create(company=run.company, user=None, action="run.end", target=f"run:{run.pk}",
                            details={"status": status, **details})


def abandon_run(run_id: int, attempts: int) -> None:
    """The run's job was given up: its worker died on every attempt. The run fails with a
    message a clerk can act on (the job row says the same for the administrator)."""
    run = Run.objects.select_related("company").get(pk=run_id)
    error = ngettext(
        "The run stopped unexpectedly (the background worker was interrupted) %(n)d time; start it "
        "again, and tell your administrator if it keeps happening.",
        "The run stopped unexpectedly (the background worker was interrupted) %(n)d times; start it "
        "again, and tell your administrator if it keeps happening.", attempts) % {"n": attempts}
    if Run.objects.filter(pk=run.pk, status__in=("queued", "running")).update(
            status="failed", error=error, step="", finished=timezone.now()):
        _ended(run, "failed", error=error, attempts=attempts)
    elif run.status == "cancelled":
        _ended(run, "cancelled")


def cancel_run(user: Any, run: Run) -> None:
    """Cancel a run that has not ended: a queued one at once, a running one at its next progress
    step (its job then ends as cancelled, not failed, and is not retried)."""
    periods.require(user, run, "reconcile")
    with transaction.atomic():
        if not Run.objects.filter(pk=run.pk).exclude(status__in=RUN_ENDED).update(status="cancelled"):
            raise NotCancellable(_("This run has already ended."))
        periods.audit(run, user, "run.cancel", f"run:{run.pk}", was=run.status)
        # a job no worker took yet ends here; a taken one stops at its next step
        if Job.objects.filter(kind="run", args__run_id=run.pk, status="queued").update(
                status="cancelled", finished=timezone.now()):
            _ended(run, "cancelled")


def _execute(run: Run) -> None:
    company = run.company
    by_hash = {i.content_hash: i for i in company.imports.all()}
    flows = run.flows
    share = 98 // max(len(flows), 1)
    folder = run_dir(company, run.pk)
    timings: dict[str, Any] = {}
    for number, flow in enumerate(flows):
        base = 1 + number * share
        _, left_roles, right_roles = FLOWS[flow]
        _progress(run, base, f"{flow}: reading")
        clock = time.perf_counter()
        left = side(company, [by_hash[h] for r in left_roles for h in run.input_hashes[r]])
        right = side(company, [by_hash[h] for r in right_roles for h in run.input_hashes[r]])
        template = load_template(run.templates[flow]["template"])
        rules = max(len(template.rules), 1)

        def on_rule(name: str, done: int, _total: int, base: int = base, flow: str = flow,
                    rules: int = rules) -> None:
            _progress(run, base + share * 7 * min(done, rules) // (10 * rules), f"{flow}: {name}")

        result = reconcile(left.entries, right.entries, template, backend=run.backend, progress=on_rule)
        _progress(run, base + share * 8 // 10, f"{flow}: writing")
        with ResultFolder(folder / flow) as staging:
            write_result(result, left, right, staging, backend=run.backend,
                         elapsed=time.perf_counter() - clock)
        timings[flow] = round(time.perf_counter() - clock, 3)
    run.timings = timings
    Run.objects.filter(pk=run.pk).update(result_path=str(folder.relative_to(company_dir(company))),
                                         timings=timings)


def _progress(run: Run, percent: int, step: str) -> None:
    """Report progress; raises :class:`Cancelled` when the run was cancelled meanwhile."""
    if not Run.objects.filter(pk=run.pk, status="running").update(progress=max(1, min(percent, 99)),
                                                                  step=step[:200]):
        raise Cancelled
