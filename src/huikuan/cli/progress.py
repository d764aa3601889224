"""Progress: a rich bar on a terminal; elsewhere (a log, CI, a pipe) one plain line every few
seconds, so that a long run shows it is alive without flooding the log. A run shorter than the
interval prints nothing."""

from __future__ import annotations

import sys
import threading
import time
from types import TracebackType
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

PLAIN_EVERY_SECONDS = 5.0


class Reporter:
    """One progress bar per phase, plus a count of the rows read so far."""

    def __init__(self, enabled: bool | None = None, *, every: float = PLAIN_EVERY_SECONDS,
                 stream: TextIO | None = None, rows_word: str = "rows") -> None:
        self.stream = stream or sys.stderr
        on = True if enabled is None else enabled
        self.bar = on and enabled is not False and self.stream.isatty()
        self.plain = on and not self.bar
        self.every = every
        self.rows = 0
        self._reading = 0  # rows of the file being read
        self.rows_word = rows_word
        self._description = ""
        self._done = 0
        self._total = 0
        self._started = time.monotonic()
        self._last_line = self._started
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._heartbeat: threading.Thread | None = None
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> Reporter:
        if self.bar:
            self._progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                      TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
                                      console=Console(file=self.stream), transient=True)
            self._progress.start()
        elif self.plain:
            # a single step (one big file, one rule) can take long: speak up between calls too
            self._heartbeat = threading.Thread(target=self._beat, daemon=True)
            self._heartbeat.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stop.set()
        if self._heartbeat:
            self._heartbeat.join()
        if self._progress:
            self._progress.stop()

    def _beat(self) -> None:
        while not self._stop.wait(min(self.every, 1.0)):
            self._maybe_print()

    def _maybe_print(self, force: bool = False) -> None:
        with self._lock:
            now = time.monotonic()
            if not (force or now - self._last_line >= self.every):
                return
            self._last_line = now
            shown = self.rows + self._reading
            rows = f", {shown:,} {self.rows_word}" if shown else ""
            step = f" {self._done}/{self._total}" if self._total else ""
            print(f"huikuan: [{now - self._started:4.0f} s] {self._description}{step}{rows}",
                  file=self.stream, flush=True)

    def phase(self, description: str, total: int) -> None:
        """A new phase of ``total`` steps."""
        self._description, self._done, self._total = description, 0, total
        if self._progress:
            if self._task is not None:
                self._progress.update(self._task, completed=self._progress.tasks[-1].total)
            self._task = self._progress.add_task(description, total=total)
        elif self.plain:
            self._maybe_print()

    def start(self, description: str) -> None:
        """A step of the phase begins (a file being read, a rule running)."""
        self._description = description
        self._show()

    def reading(self, rows: int) -> None:
        """The file being read has read ``rows`` rows so far (shown on top of earlier files)."""
        self._reading = rows
        self._show()

    def finish(self, rows: int = 0) -> None:
        """The step is done; it read ``rows`` rows (files only)."""
        self.rows += rows
        self._reading = 0
        self._done += 1
        if self._progress and self._task is not None:
            self._progress.advance(self._task)
        self._show()

    def rule_done(self, description: str) -> None:
        """A step that is only heard of once it is done (the engine reports rules so)."""
        self.start(description)
        self.finish()

    def _show(self) -> None:
        if self._progress and self._task is not None:
            shown = self.rows + self._reading
            rows = f" · {shown:,} {self.rows_word}" if shown else ""
            self._progress.update(self._task, description=f"{self._description}{rows}")
        elif self.plain:
            self._maybe_print()
