"""A database-backed job queue: a Job row per unit of work and ``huikuan-web run_worker``
polling for them. No broker, no extra server: SQLite or PostgreSQL is the queue.

A worker claims a job with one conditional UPDATE — a queued job, or a running one whose lease
ran out because its worker died — so two workers never run the same job. While the job runs, a
heartbeat thread of the worker renews the lease (``HUIKUAN_JOB_LEASE_SECONDS``, every
``HUIKUAN_JOB_HEARTBEAT_SECONDS``); a job taken ``HUIKUAN_JOB_MAX_ATTEMPTS`` times whose worker
died each time is given up: marked failed, and its kind's ``abandoned`` hook tells the user. A
job that raises fails at once (a bug or bad input does not get better by retrying); one that
raises :class:`JobCancelled` ends as cancelled. Leases compare the workers' clocks: run the
workers on one host or keep the hosts' clocks in sync. The job functions are plain services,
and tests call them directly as well as through :func:`work_once`.

Why not django-tasks or django-q2 (both on PyPI, both work on SQLite and PostgreSQL): django-tasks'
database backend leaves the task of a killed worker "running" for ever (its issue #46, open) and
cannot stop a running task; django-q2's ORM broker hands a task out again a fixed ``retry`` after
it was taken, heartbeat or not, so a long run either runs twice or waits that long after a crash,
and it brings a multiprocess cluster and pickled payloads. Neither knows the Run row that the
user watches and cancels, so the lease, the retry limit and the cancel would be written here
anyway; a lease on this one table is less code than adapting either."""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from huikuan.web.models import Job
from huikuan.web.redact import file_names_only

log = logging.getLogger(__name__)


class JobCancelled(Exception):
    """Raised by a job function that stops because someone cancelled its work."""


@dataclass(frozen=True)
class Kind:
    #: does the work: called with the job's args
    run: Callable[..., None]
    #: called once, with the job's args and ``attempts``, when the job is given up because its
    #: worker died on every attempt; it tells the user (the job row itself is already failed)
    abandoned: Callable[..., None]


def _kinds() -> dict[str, Kind]:
    from huikuan.web.services.imports import abandon_preview, execute_preview
    from huikuan.web.services.runs import abandon_run, execute_run

    return {"run": Kind(execute_run, abandon_run), "preview": Kind(execute_preview, abandon_preview)}


def enqueue(kind: str, **args: Any) -> Job:
    """Queue a job; it becomes visible to workers when the surrounding transaction commits."""
    if kind not in _kinds():
        raise ValueError(f"unknown job kind {kind!r}")
    return Job.objects.create(kind=kind, args=args)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def _lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.HUIKUAN_JOB_LEASE_SECONDS)


def give_up_abandoned() -> int:
    """Fail every running job whose lease ran out after its last allowed attempt; how many."""
    now = timezone.now()
    given_up = 0
    expired = Job.objects.filter(status="running", lease_until__lt=now,
                                 attempts__gte=settings.HUIKUAN_JOB_MAX_ATTEMPTS)
    for job in expired:
        with transaction.atomic():
            # conditional like a claim: of two workers looking at once, one gives it up
            if not Job.objects.filter(pk=job.pk, status="running", attempts=job.attempts,
                                      lease_until__lt=now).update(
                    status="failed", finished=now, lease_until=None,
                    error=f"its worker stopped during each of {job.attempts} attempt(s)"):
                continue
            log.error("job %s (%s) given up: its worker stopped during each of %s attempt(s)",
                      job.pk, job.kind, job.attempts)
            _kinds()[job.kind].abandoned(attempts=job.attempts, **job.args)
            given_up += 1
    return given_up


def claim_next() -> Job | None:
    """Take the oldest queued job, or a running one whose worker died (its lease ran out), or
    None when there is none."""
    give_up_abandoned()
    now = timezone.now()
    claimable = Q(status="queued") | Q(status="running", lease_until__lt=now,
                                       attempts__lt=settings.HUIKUAN_JOB_MAX_ATTEMPTS)
    for job_id in Job.objects.filter(claimable).order_by("id").values_list("id", flat=True)[:5]:
        # one UPDATE whose WHERE repeats the test: a second worker finds the row changed and
        # takes nothing (PostgreSQL re-checks the WHERE on the row the first one committed)
        taken = Job.objects.filter(claimable, pk=job_id).update(
            status="running", started=now, lease_until=now + _lease(), attempts=F("attempts") + 1,
            worker=worker_name())
        if taken:
            return Job.objects.get(pk=job_id)
    return None


def _still_mine(job: Job) -> Any:
    """The job's row as long as this worker holds it (nobody took it over since)."""
    return Job.objects.filter(pk=job.pk, status="running", attempts=job.attempts)


@contextmanager
def heartbeat(job: Job) -> Iterator[None]:
    """Renew ``job``'s lease from a thread (with its own database connection) while the body runs."""
    if connection.in_atomic_block:
        # claimed inside a transaction not yet committed (a test's): no other worker can see
        # the job, and the thread's connection would wait for this one's row lock for ever
        yield
        return
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(settings.HUIKUAN_JOB_HEARTBEAT_SECONDS):
                try:
                    if not _still_mine(job).update(lease_until=timezone.now() + _lease()):
                        log.error("job %s: lease lost to another worker", job.pk)
                        return
                except Exception:  # a database hiccup: try again at the next beat
                    log.exception("job %s: could not renew the lease", job.pk)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"heartbeat-job-{job.pk}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def run_job(job: Job) -> None:
    """Run a claimed job and record how it ended; a failure is stored, not raised."""
    with heartbeat(job):
        try:
            _kinds()[job.kind].run(**job.args)
        except JobCancelled:
            _finish(job, "cancelled")
            return
        except Exception as exc:
            log.exception("job %s (%s) failed", job.pk, job.kind)
            _finish(job, "failed", file_names_only(str(exc))[:2000])
            return
        _finish(job, "done")


def _finish(job: Job, status: str, error: str = "") -> None:
    # conditional: a worker that lost its job to another (a lease that ran out while it was
    # stuck) does not overwrite what the other one records
    _still_mine(job).update(status=status, error=error, finished=timezone.now(), lease_until=None)


def work_once() -> bool:
    """Run one job if there is one to take; True when a job ran."""
    job = claim_next()
    if job is None:
        return False
    run_job(job)
    return True


#: how often a worker removes abandoned uploads (``clean_staging``), between jobs
HOUSEKEEPING_SECONDS = 600


def _housekeeping() -> None:
    """Between jobs: uploads nobody accepted within ``HUIKUAN_STAGING_MAX_AGE_HOURS`` and part
    files of interrupted ones go. A failure is logged; it never stops the worker."""
    from huikuan.web.services.imports import clean_staging

    try:
        removed = clean_staging()
    except Exception:
        log.exception("cleaning the staging folders failed")
    else:
        if removed:
            log.info("removed %d abandoned uploads", removed)


def work(poll_seconds: float = 0.5, max_jobs: int | None = None, idle_exit: bool = False,
         stop: threading.Event | None = None) -> int:
    """Run jobs until stopped (``stop`` set: the job in hand is finished first), or ``max_jobs``
    ran, or the queue is empty with ``idle_exit``."""
    stop = stop or threading.Event()
    done = 0
    tidied: float = -HOUSEKEEPING_SECONDS  # monotonic time of the last housekeeping: run it at once
    while not stop.is_set() and (max_jobs is None or done < max_jobs):
        if time.monotonic() - tidied >= HOUSEKEEPING_SECONDS:
            tidied = time.monotonic()
            _housekeeping()
        if work_once():
            done += 1
        elif idle_exit:
            break
        else:
            stop.wait(poll_seconds)
    return done
