"""Timing and peak memory of one call, measured inside the running process."""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psutil


@dataclass
class Measurement:
    seconds: float
    peak_rss: int      # bytes: highest resident set size of the process during the call
    start_rss: int     # bytes: resident set size when the call started
    value: Any = None
    #: the same for anonymous memory alone (heap, Arrow's pool): RSS also counts pages of files
    #: the process maps, such as a spilled entry table, which the kernel drops under pressure
    peak_anon: int = 0
    start_anon: int = 0

    @property
    def peak_gib(self) -> float:
        return self.peak_rss / 2**30


def measure(call: Callable[[], Any], interval: float = 0.01) -> Measurement:
    """Run ``call`` once; sample RSS every ``interval`` seconds on a thread."""
    gc.collect()
    process = psutil.Process()
    start = process.memory_info().rss
    peak = start
    start_anon = peak_anon = anonymous()
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, peak_anon
        while not done.is_set():
            peak = max(peak, process.memory_info().rss)
            peak_anon = max(peak_anon, anonymous())
            done.wait(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    began = time.perf_counter()
    try:
        value = call()
    finally:
        elapsed = time.perf_counter() - began
        done.set()
        sampler.join()
    peak = max(peak, process.memory_info().rss)
    return Measurement(elapsed, peak, start, value, max(peak_anon, anonymous()), start_anon)


def anonymous() -> int:
    """Bytes of anonymous resident memory (Linux ``RssAnon``; 0 where the system has none)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("RssAnon:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def gib(n: int) -> str:
    return f"{n / 2**30:.2f}"


def print_table(title: str, header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table (printed and returned, for bench/RESULTS.md)."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    lines = [f"### {title}", "",
             "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |",
             "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    lines += ["| " + " | ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows]
    text = "\n".join(lines) + "\n"
    print(text, flush=True)
    return text
