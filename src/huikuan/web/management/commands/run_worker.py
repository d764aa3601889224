"""``huikuan-web run_worker``: execute queued jobs (reconciliation runs) from the database."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from huikuan.web.jobs import work


class Command(BaseCommand):
    help = "Run queued background jobs (reconciliation runs) until stopped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--poll", type=float, default=0.5, help="seconds between looks at an empty queue")
        parser.add_argument("--once", action="store_true", help="exit when the queue is empty")

    def handle(self, *args: Any, **options: Any) -> None:
        done = work(poll_seconds=options["poll"], idle_exit=options["once"])
        self.stdout.write(f"{done} job(s) run")
