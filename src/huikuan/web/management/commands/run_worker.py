"""``huikuan-web run_worker``: execute queued jobs (reconciliation runs) from the database."""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from huikuan.web.jobs import work, worker_name


class Command(BaseCommand):
    help = ("Run queued background jobs (reconciliation runs) until stopped. SIGTERM or Ctrl-C: "
            "the job in hand is finished, then the worker exits; a worker killed outright leaves "
            "its job to another worker once its lease runs out.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--poll", type=float, default=0.5, help="seconds between looks at an empty queue")
        parser.add_argument("--once", action="store_true", help="exit when the queue is empty")

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()

        def stopping(signum: int, _frame: Any) -> None:
            self.stderr.write(f"signal {signum}: finishing the job in hand, then stopping")
            stop.set()

        before = {}
        if threading.current_thread() is threading.main_thread():  # signals reach the main thread only
            before = {signum: signal.signal(signum, stopping) for signum in (signal.SIGTERM, signal.SIGINT)}
        self.stdout.write(f"worker {worker_name()} waiting for jobs")
        self.stdout.flush()
        try:
            done = work(poll_seconds=options["poll"], idle_exit=options["once"], stop=stop)
        finally:
            for signum, handler in before.items():
                signal.signal(signum, handler)
        self.stdout.write(f"{done} job(s) run")
