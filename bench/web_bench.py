"""Web benchmark: a month uploaded and reconciled through the web stack, and workbench pages
over a million records.

    python bench/web_bench.py [--orders 100000] [--records 1000000]

Part 1 (issue 12: "upload + run of 100 000 lines per side under 60 s, the progress bar
moving"): a simulated Tmall month goes through the same service calls the upload page and the
worker make — stage (hash while copying), preview (= ``huikuan inspect``), accept (original +
entries Parquet + DB row), then the run job on the queue. Baseline in the same process: ``huikuan
match`` on the same files (import + reconcile + write, no database). The run's progress updates
are recorded as the page would poll them: the longest stretch without a new value is what a user
watches standing still.

Part 2 (issue 12: "each page in under 300 ms on 1 M records"): the run's orders-settlement
``entries.parquet`` is replicated (ids suffixed, so every copy is its own set of matches) to about
``--records`` rows, then ``workbench.page`` is timed per tab, on the last page, and with each
filter: on the fly over the engine's folder, and over the prepared folder the pages read
(``workbench.prepare``, written once per change of decisions; its time is printed too).
Baseline: DuckDB reading the first 50 rows of the engine's Parquet file with no filter, sort or
count — the least a page can cost.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from measure import measure, print_table


def setup_django(data: Path) -> None:
    os.environ["HUIKUAN_DATA_DIR"] = str(data)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huikuan.web.settings.dev")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def upload_and_run(files: list[tuple[Path, str]], progress: list[tuple[float, int]]) -> Any:
    from django.contrib.auth.models import User

    from huikuan.web.jobs import work_once
    from huikuan.web.models import Run
    from huikuan.web.services import imports, runs, setup

    admin = User.objects.create_user("bench-admin", password="x")
    company = setup.create_company("基准测试公司", admin=admin)
    store = setup.add_store(company, name="天猫旗舰店", platform="tmall", wallet_account="2088", user=admin)
    bank = setup.add_bank_account(company, bank="招商银行", number="5719000000000000", user=admin)
    for path, role in files:
        token, _ = imports.stage_upload(company, path.name, imports.file_chunks(path))
        imports.preview(company, token)
        imports.accept(company, token, user=admin, store=store if role != "bank" else None,
                       bank_account=bank if role == "bank" else None)
    run = runs.start_run(company, store, bank, dt.date(2023, 11, 1), dt.date(2023, 11, 30), user=admin)
    began = time.perf_counter()
    original = runs._progress

    def record(run_: Run, percent: int, step: str) -> None:
        progress.append((time.perf_counter() - began, percent))
        original(run_, percent, step)

    runs._progress = record  # type: ignore[assignment]
    try:
        assert work_once()
    finally:
        runs._progress = original  # type: ignore[assignment]
    progress.append((time.perf_counter() - began, 100))
    run.refresh_from_db()
    assert run.status == "done", run.error
    return run


def replicate(entries: Path, target: Path, records: int) -> int:
    """``entries`` copied until about ``records`` rows, ids and order numbers suffixed per copy."""
    import duckdb

    with duckdb.connect() as con:
        n = con.execute(f"SELECT count(*) FROM read_parquet('{entries}')").fetchone()[0]  # type: ignore[index]
        copies = max(1, -(-records // n))
        names = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet('{entries}')").fetchall()]
        suffixed = {"record_id", "match_id", "order_ref", "dedupe_key", "batch_ref"}
        select = ", ".join(
            f"CASE WHEN {c} IS NULL THEN NULL ELSE {c} || '-' || k END AS {c}" if c in suffixed else c
            for c in names)
        con.execute(f"COPY (SELECT {select} FROM read_parquet('{entries}'), range({copies}) t(k)) "
                    f"TO '{target}' (FORMAT parquet, COMPRESSION zstd)")
        return int(con.execute(f"SELECT count(*) FROM read_parquet('{target}')").fetchone()[0])  # type: ignore[index]


def best_of(call: Callable[[], Any], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        call()
        times.append(time.perf_counter() - began)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--records", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        setup_django(base / "web")
        from huikuan.cli.main import run as cli
        from huikuan.synth import generate_files

        month = generate_files(base / "files", orders=args.orders, seed=11)
        files = [*((p, "orders") for p in month.orders), *((p, "settlement") for p in month.alipay),
                 *((p, "bank") for p in month.bank)]
        lines = {role: sum(sum(1 for _ in p.open("rb")) for p, r in files if r == role)
                 for role in ("orders", "settlement", "bank")}

        cli_args = ["match", "--quiet", "--left", *map(str, month.orders), "--right", *map(str, month.alipay),
                    "--out", str(base / "cli-result")]
        baseline = measure(lambda: cli(cli_args))
        progress: list[tuple[float, int]] = []
        web = measure(lambda: upload_and_run(files, progress))
        run = web.value
        gaps = [b[0] - a[0] for a, b in itertools.pairwise(progress)]
        print_table(
            f"Upload + run through the web stack ({lines['orders']:,} order lines, "
            f"{lines['settlement']:,} Alipay lines, {lines['bank']:,} bank lines)",
            ["path", "seconds", "vs baseline", "peak RSS GiB", "progress updates", "longest still s"],
            [["huikuan match, orders ↔ Alipay (baseline)", f"{baseline.seconds:.1f}", "1.00×",
              f"{baseline.peak_gib:.2f}", "", ""],
             ["web: stage + preview + accept every file, run both flows", f"{web.seconds:.1f}",
              f"{web.seconds / baseline.seconds:.2f}×", f"{web.peak_gib:.2f}", str(len(progress)),
              f"{max(gaps):.1f}" if gaps else ""]])
        print("run timings:", run.timings)

        from huikuan.web import storage, workbench

        folder = storage.company_dir(run.company) / run.result_path / "orders-settlement"
        big = base / "big" / "orders-settlement"
        big.mkdir(parents=True)
        total = replicate(folder / "entries.parquet", big / "entries.parquet", args.records)
        (big / "differences.csv").write_bytes((folder / "differences.csv").read_bytes())
        (big / "summary.json").write_bytes((folder / "summary.json").read_bytes())

        import duckdb

        def floor() -> None:
            with duckdb.connect() as con:
                con.execute(f"SELECT * FROM read_parquet('{big / 'entries.parquet'}') LIMIT 50").fetchall()

        floor_s = best_of(floor)
        prepared_at = base / "big" / "prepared"
        preparing = measure(lambda: workbench.prepare(big, prepared_at))
        sample = workbench.page(prepared_at, "auto", workbench.Filters())
        order_ref = next(r["order_ref"] for r in sample.rows if r["order_ref"])
        amount = next(r["amount_minor"] for r in sample.rows if r["amount_minor"])

        def cases(folder: Path) -> list[tuple[str, Callable[[], Any]]]:
            return [
                ("tab counts and cards", lambda: (workbench.tab_counts(folder), workbench.overview(folder))),
                *((f"{tab}, page 1", lambda tab=tab: workbench.page(folder, tab, workbench.Filters()))
                  for tab in workbench.TABS),
                ("auto, last page", lambda: workbench.page(
                    folder, "auto", workbench.Filters(), number=10**9)),
                ("auto, order number", lambda: workbench.page(
                    folder, "auto", workbench.Filters(text=str(order_ref)))),
                ("unmatched left, amount", lambda: workbench.page(
                    folder, "unmatched_left", workbench.Filters(amount=f"{abs(amount) / 100:.2f}"))),
                ("auto, one week", lambda: workbench.page(
                    folder, "auto", workbench.Filters(date_from="2023-11-06", date_to="2023-11-12"))),
            ]

        rows = [["first 50 rows, no filter or sort (baseline)", f"{floor_s * 1000:.0f}", "1.0×", "", ""]]
        timings = []
        for (name, raw), (_, ready) in zip(cases(big), cases(prepared_at), strict=True):
            on_the_fly, seconds = best_of(raw), best_of(ready)
            timings.append(seconds)
            rows.append([name, f"{on_the_fly * 1000:.0f}", f"{on_the_fly / floor_s:.1f}×",
                         f"{seconds * 1000:.0f}", f"{seconds / floor_s:.1f}×"])
        print_table(f"Workbench pages over {total:,} records (best of 5; prepared once in "
                    f"{preparing.seconds:.1f} s, peak RSS {preparing.peak_gib:.2f} GiB)",
                    ["page", "on the fly ms", "vs baseline", "prepared ms", "vs baseline"], rows)
        print(f"prepared: median page {statistics.median(timings) * 1000:.0f} ms, "
              f"slowest {max(timings) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
