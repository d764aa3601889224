"""The background worker as it runs in production: a separate ``huikuan-web run_worker`` process
against the test database, killed with SIGKILL in the middle of a run. Another worker takes the
run over once the lease runs out and finishes it; after the last attempt the run fails with a
message a clerk understands. Cancelling a run, the end of a run in the audit log, SIGTERM."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

import huikuan
from huikuan.synth import SynthFiles, generate_files
from huikuan.web.jobs import claim_next, work_once
from huikuan.web.models import AuditLog, Job, Membership, Run
from huikuan.web.models.runs import RUN_ENDED
from huikuan.web.services import runs
from huikuan.web.storage import resolve
from tests.web.conftest import PASSWORD, Shop
from tests.web.helpers import reconcile_month, upload_month
from tests.web.test_decisions import suggesting_month
from tests.web.test_rerun import decide_a_month

pytestmark = [pytest.mark.web, pytest.mark.django_db(transaction=True)]
__all__ = ["suggesting_month"]  # the fixture, shared with test_decisions

SRC = Path(huikuan.__file__).resolve().parent.parent
#: short enough that a dead worker's job is taken over within seconds
LEASE = {"HUIKUAN_JOB_LEASE_SECONDS": "3", "HUIKUAN_JOB_HEARTBEAT_SECONDS": "0.5"}


@pytest.fixture(scope="module")
def big_month(tmp_path_factory: pytest.TempPathFactory) -> SynthFiles:
    """A month large enough that a run takes some seconds, so a worker can be killed during it."""
    return generate_files(tmp_path_factory.mktemp("big"), orders=int(os.environ.get(
        "HUIKUAN_TEST_WORKER_ORDERS", "6000")), seed=5)


def _database_url() -> str:
    """The test database as ``HUIKUAN_DATABASE_URL`` for a worker process."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{quote(str(Path(db['NAME']).resolve()))}"
    auth = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{quote(db['NAME'])}"


@pytest.fixture
def start_worker(settings, tmp_path: Path) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    """Start ``python -m huikuan.web run_worker`` on the test database and data dir; every worker
    started is killed at the end of the test, whatever happened."""
    started: list[subprocess.Popen[bytes]] = []

    def start(**env: str) -> subprocess.Popen[bytes]:
        log = (tmp_path / f"worker-{len(started)}.log").open("wb")
        worker = subprocess.Popen(
            [sys.executable, "-m", "huikuan.web", "run_worker", "--poll", "0.2"],
            env={**os.environ, "PYTHONPATH": str(SRC), "DJANGO_SETTINGS_MODULE": "huikuan.web.settings.dev",
                 "HUIKUAN_DATA_DIR": str(settings.DATA_DIR), "HUIKUAN_DATABASE_URL": _database_url(),
                 **LEASE, **env},
            stdout=log, stderr=subprocess.STDOUT)
        log.close()
        started.append(worker)
        return worker

    try:
        yield start
    finally:
        for worker in started:
            if worker.poll() is None:
                worker.kill()
            worker.wait(10)


def _wait_for(what: str, check: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds:.0f} s for {what}")
        time.sleep(0.05)


def _run(run: Run) -> Run:
    run.refresh_from_db()
    return run


def _start(shop: Shop, month: SynthFiles) -> Run:
    upload_month(shop, month)
    return runs.start_run(shop.company, shop.store, shop.bank, dt.date(2023, 11, 1), dt.date(2023, 11, 30),
                          user=shop.user)


def _kill_midway(worker: subprocess.Popen[bytes], run: Run, attempt: int = 1) -> int:
    """SIGKILL ``worker`` once it is well into its ``attempt`` at ``run``; the progress reached."""

    def well_into_it() -> bool:
        job = Job.objects.get(args__run_id=run.pk)
        if _run(run).status in RUN_ENDED:
            return True
        # the attempt began (the job was taken again, then the run started over) and got going
        return job.attempts == attempt and run.started is not None and job.started is not None \
            and run.started >= job.started and run.progress >= 10

    _wait_for(f"attempt {attempt} to get into the run", well_into_it)
    assert run.status == "running", f"the run ended ({run.status}) before the worker could be killed"
    os.kill(worker.pid, signal.SIGKILL)
    assert worker.wait(10) == -signal.SIGKILL
    return _run(run).progress


def _files(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in ("matches.csv", "unmatched.csv")}


def test_a_run_whose_worker_is_killed_is_finished_by_another_worker(shop, big_month, start_worker) -> None:
    run = _start(shop, big_month)
    reached = _kill_midway(start_worker(), run)
    job = Job.objects.get()
    assert (run.status, job.status, job.attempts) == ("running", "running", 1)  # as the dead worker left it
    second = start_worker()
    _wait_for("the second worker to finish the run",
              lambda: _run(run).status in RUN_ENDED and Job.objects.get().status != "running")
    assert (run.status, run.progress, run.error) == ("done", 100, ""), run.error
    job.refresh_from_db()
    assert (job.status, job.attempts, job.error) == ("done", 2, "")
    assert reached > 1
    ends = AuditLog.objects.filter(action="run.end", target=f"run:{run.pk}")
    assert [end.details["status"] for end in ends] == ["done"]
    # the retried run's results are those of a run that was never interrupted
    second.kill()
    second.wait(10)
    again = runs.start_run(shop.company, shop.store, shop.bank, run.period_start, run.period_end)
    assert work_once()
    assert _run(again).status == "done"
    for flow in run.flows:
        assert _files(resolve(shop.company, run.result_path) / flow) == \
            _files(resolve(shop.company, again.result_path) / flow)


def test_a_run_whose_worker_dies_on_every_attempt_fails_with_a_message_for_the_clerk(
        shop, big_month, start_worker, settings) -> None:
    run = _start(shop, big_month)
    attempts = {"HUIKUAN_JOB_MAX_ATTEMPTS": "2"}
    _kill_midway(start_worker(**attempts), run)
    _kill_midway(start_worker(**attempts), run, attempt=2)  # the second attempt starts over, dies too
    start_worker(**attempts)
    _wait_for("the third worker to give the run up", lambda: _run(run).status in RUN_ENDED)
    with translation.override(settings.LANGUAGE_CODE):
        message = ngettext(
            "The run stopped unexpectedly (the background worker was interrupted) %(n)d time; start it "
            "again, and tell your administrator if it keeps happening.",
            "The run stopped unexpectedly (the background worker was interrupted) %(n)d times; start it "
            "again, and tell your administrator if it keeps happening.", 2) % {"n": 2}
    assert (run.status, run.error) == ("failed", message)
    assert "worker" not in message  # the clerk reads it in Chinese
    job = Job.objects.get()
    assert (job.status, job.attempts) == ("failed", 2)
    end = AuditLog.objects.get(action="run.end", target=f"run:{run.pk}")
    assert end.details["status"] == "failed"
    client = Client()
    client.force_login(shop.user)
    page = client.get(reverse("run", args=[shop.company.pk, run.pk])).content.decode()
    assert message in page


def test_a_worker_stops_cleanly_on_sigterm(start_worker, tmp_path: Path) -> None:
    worker = start_worker()
    log = tmp_path / "worker-0.log"
    _wait_for("the worker to start", lambda: "waiting for jobs" in log.read_text())
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(20) == 0
    assert "0 job(s) run" in log.read_text()


def test_two_workers_never_take_the_same_abandoned_job(shop, month) -> None:
    """A job whose lease ran out goes to exactly one of two workers claiming at the same instant."""
    run = _start(shop, month)
    Job.objects.update(status="running", attempts=1, lease_until=timezone.now() - dt.timedelta(seconds=1))
    barrier = threading.Barrier(4)
    taken: list[int | None] = []

    def claim() -> None:
        try:
            barrier.wait()
            job = claim_next()
            taken.append(job.pk if job else None)
        finally:
            connection.close()

    threads = [threading.Thread(target=claim) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(taken, key=str) == sorted([Job.objects.get().pk, None, None, None], key=str)
    assert Job.objects.get().attempts == 2
    assert _run(run).status == "queued"


def _accountant_client(shop: Shop) -> Client:
    client = Client()
    assert client.login(username=shop.user.username, password=PASSWORD)
    return client


def test_a_queued_run_is_cancelled_at_once_and_never_runs(shop, month) -> None:
    run = _start(shop, month)
    url = reverse("cancel_run", args=[shop.company.pk, run.pk])
    viewer = Membership.objects.create(user=type(shop.user).objects.create_user("viewer", password=PASSWORD),
                                       company=shop.company, role="viewer").user
    looker = Client()
    looker.force_login(viewer)
    assert looker.post(url).status_code == 404  # a viewer cannot
    page = reverse("run", args=[shop.company.pk, run.pk])
    assert url not in looker.get(page).content.decode()  # and is not offered the button
    assert _run(run).status == "queued"
    client = _accountant_client(shop)
    assert url in client.get(page).content.decode()
    page = client.post(url, follow=True).content.decode()
    assert _run(run).status == "cancelled"
    with translation.override("zh-hans"):
        assert str(dict(Run._meta.get_field("status").choices)["cancelled"]) in page
    assert Job.objects.get().status == "cancelled"
    assert not work_once()  # nothing left to run
    actions = AuditLog.objects.filter(target=f"run:{run.pk}").order_by("id").values_list("action", flat=True)
    assert list(actions) == ["run.start", "run.cancel", "run.end"]
    assert client.post(url).status_code == 302  # a second cancel is refused with a message, not an error
    assert _run(run).status == "cancelled"


def test_a_running_run_stops_at_its_next_step_and_is_not_retried(shop, big_month) -> None:
    run = _start(shop, big_month)
    worker = threading.Thread(target=lambda: (work_once(), connection.close()))
    worker.start()
    try:
        _wait_for("the run to start", lambda: _run(run).progress >= 2 or run.status in RUN_ENDED)
        assert run.status == "running"
        _accountant_client(shop).post(reverse("cancel_run", args=[shop.company.pk, run.pk]))
    finally:
        worker.join(60)
    assert not worker.is_alive()
    job = Job.objects.get()
    assert (job.status, job.attempts) == ("cancelled", 1)
    assert (_run(run).status, run.error) == ("cancelled", "")
    assert not run.result_path
    assert not work_once()
    assert AuditLog.objects.get(action="run.end", target=f"run:{run.pk}").details["status"] == "cancelled"


def test_a_retried_run_carries_the_previous_runs_decisions_over_once(shop, suggesting_month) -> None:
    """A worker that died after carrying the decisions over, before the run was done: the retry
    starts over and the new run holds each decision once."""
    first = reconcile_month(shop, suggesting_month)
    decide_a_month(shop, first)
    second = runs.start_run(shop.company, shop.store, shop.bank, first.period_start, first.period_end)
    assert work_once()
    carried = sorted(second.decisions.values_list("carried_from", flat=True))
    assert len(carried) == 5
    # the state the dead worker left: carried over, not yet done, its lease run out
    Run.objects.filter(pk=second.pk).update(status="running", progress=99)
    Job.objects.filter(args__run_id=second.pk).update(
        status="running", finished=None, lease_until=timezone.now() - dt.timedelta(seconds=1))
    assert work_once()
    assert (_run(second).status, Job.objects.get(args__run_id=second.pk).attempts) == ("done", 2)
    assert sorted(second.decisions.values_list("carried_from", flat=True)) == carried
    assert all(d.active for d in second.decisions.all())
