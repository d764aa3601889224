"""``make demo``: a fresh demo database with a demo company, its month imported and reconciled,
then the worker and the server on 127.0.0.1, and the login to use.

The company: 暖冬羊毛 with a Tmall store (Alipay account), a Pinduoduo store and a CMB account;
a month of simulated orders from :mod:`huikuan.synth`. Everything lives under
``.huikuan-data/demo`` (``HUIKUAN_DATA_DIR`` to change), which is wiped first."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

DEMO_USER = "demo"
DEMO_PASSWORD = "huikuan-demo-2023"
OTHER_USER, OTHER_PASSWORD = "other", "huikuan-other-2023"


def free_port(preferred: int = 8000) -> int:
    """``preferred`` when nothing listens there, else any free port."""
    for port in (preferred, 0):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(probe.getsockname()[1])
    raise RuntimeError("no free port on 127.0.0.1")


def load_demo(orders: int = 3000, files_dir: Path | None = None) -> dict[str, object]:
    """Create the demo users, company, stores and accounts; import the month; run one
    reconciliation to the end. Needs Django set up and the database migrated."""
    from django.contrib.auth.models import User

    from huikuan.synth import generate_files
    from huikuan.web.jobs import work_once
    from huikuan.web.services import imports, runs, setup
    from huikuan.web.storage import company_dir

    accountant = User.objects.create_user(DEMO_USER, password=DEMO_PASSWORD, first_name="会计")
    owner = User.objects.create_user("demo-admin", password=DEMO_PASSWORD)
    company = setup.create_company("暖冬羊毛服饰有限公司", admin=owner)
    company.memberships.create(user=accountant, role="accountant")
    tmall = setup.add_store(company, name="暖冬羊毛天猫旗舰店", platform="tmall",
                            wallet_account="2088 1020 3040 5060", user=owner)
    pdd = setup.add_store(company, name="暖冬羊毛拼多多店", platform="pdd", user=owner)
    cmb = setup.add_bank_account(company, bank="招商银行 杭州分行", number="5719 0345 6789 0123",
                                 user=owner)
    setup.add_contract(company, store=tmall, commission_bp=500, payment_fee_bp=60, settlement_days=7,
                       user=owner)
    setup.add_contract(company, store=pdd, commission_bp=60, payment_fee_bp=0, settlement_days=14, user=owner)
    other_admin = User.objects.create_user("other-admin", password=OTHER_PASSWORD)
    other = setup.create_company("另一家公司", admin=other_admin)
    other_user = User.objects.create_user(OTHER_USER, password=OTHER_PASSWORD)
    other.memberships.create(user=other_user, role="accountant")

    folder = files_dir or company_dir(company).parent.parent / "demo-files"
    month = generate_files(folder / "tmall", orders=orders, seed=2023)
    pdd_month = generate_files(folder / "pdd", orders=max(orders // 3, 50), seed=2024, platform="pdd")
    for path, store, bank in [*((p, tmall, None) for p in (*month.orders, *month.alipay)),
                              *((p, None, cmb) for p in month.bank),
                              *((p, pdd, None) for p in (*pdd_month.orders, *pdd_month.bills))]:
        token, _ = imports.stage_upload(company, path.name, imports.file_chunks(path))
        imports.accept(company, token, user=accountant, store=store, bank_account=bank)
    run = runs.start_run(company, tmall, cmb, dt.date(2023, 11, 1), dt.date(2023, 11, 30), user=accountant)
    # the PDD store too, so the dashboard compares two stores (no bank flow: its payouts are not in CMB)
    runs.start_run(company, pdd, None, dt.date(2023, 11, 1), dt.date(2023, 11, 30), user=accountant)
    while work_once():
        pass
    run.refresh_from_db()
    return {"company": company, "run": run, "files": folder}


def main() -> int:
    data = Path(os.environ.get("HUIKUAN_DATA_DIR", ".huikuan-data/demo")).resolve()
    os.environ["HUIKUAN_DATA_DIR"] = str(data)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huikuan.web.settings.dev")
    shutil.rmtree(data, ignore_errors=True)
    manage = [sys.executable, "-m", "huikuan.web"]
    print(f"huikuan demo: a fresh database under {data}")
    subprocess.run([*manage, "migrate", "-v0"], check=True)
    subprocess.run([*manage, "createcachetable"], check=True)
    import django

    django.setup()
    print("loading the demo company: a month of a Tmall shop (3,000 orders), a PDD shop, a CMB account…")
    loaded = load_demo()
    run = loaded["run"]
    print(f"  imported and reconciled: run #{run.pk} {run.status}")  # type: ignore[attr-defined]
    port = free_port(int(os.environ.get("HUIKUAN_PORT", "8000")))
    worker = subprocess.Popen([*manage, "run_worker"])
    server = subprocess.Popen([*manage, "runserver", "--noreload", f"127.0.0.1:{port}"])
    print(f"\n  open  http://127.0.0.1:{port}/\n  login: {DEMO_USER} / {DEMO_PASSWORD}\n"
          f"  (a user of another company: {OTHER_USER} / {OTHER_PASSWORD})\n"
          "  Ctrl-C stops the server and the worker.\n",
          flush=True)
    def stop(*_: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)  # a `kill` stops the worker and the server too
    try:
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        for process in (server, worker):
            if process.poll() is None:
                process.terminate()
        for process in (server, worker):
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
