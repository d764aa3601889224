"""Every file the command line writes, from a month whose every text field is an attack: no cell
runs as a formula, every attack is still there as text (docs/RESULTS.md, formula guard)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from huikuan.cli.main import run
from huikuan.reports import REPORTS
from tests.conftest import ROOT
from tests.hostile import BODY, STARTS, hostile_month, payload, scan_file

CHECKER = ROOT.parent / "shared" / "tools" / "check_contract.py"
COMPANY = payload(0, "暖冬羊毛")     # =cmd|… 暖冬羊毛
TITLE = payload(3, "按店铺")         # @cmd|… 按店铺


def _match(left: list[Path], right: list[Path], out: Path) -> Path:
    assert run(["match", "--left", *map(str, left), "--right", *map(str, right), "--out", str(out)]) == 0
    check = subprocess.run([sys.executable, str(CHECKER), str(out)], capture_output=True, text=True,
                           check=False)
    assert check.returncode == 0, check.stdout   # the contract holds: amounts as they were, columns in place
    return out


def test_every_result_file_and_report_of_a_hostile_month_holds_no_formula(tmp_path: Path) -> None:
    month = hostile_month(tmp_path)
    settlement = _match(month.left, month.alipay, tmp_path / "orders-settlement")
    payouts = _match(month.alipay, month.bank, tmp_path / "payout-bank")
    written = [p for folder in (settlement, payouts) for p in sorted(folder.iterdir())
               if p.suffix in (".csv", ".xlsx")]
    assert len(written) == 8
    reports = tmp_path / "reports"
    reports.mkdir()
    for name in REPORTS:
        custom = ["--dims", "store,fee_type,reason,kind", "--measures", "count,amount", "--title", TITLE] \
            if name == "custom" else []
        for fmt in ("csv", "xlsx"):
            out = reports / f"{name}.{fmt}"
            assert run(["report", name, "--result", str(settlement), "--result", str(payouts),
                        "--company", COMPANY, "--format", fmt, "--out", str(out), *custom]) == 0
            written.append(out)

    scans = {path.relative_to(tmp_path).as_posix(): scan_file(path) for path in written}
    armed = {name: scan.armed for name, scan in scans.items() if scan.armed}
    assert not armed, (f"cells that would run as formulas: {({n: len(a) for n, a in armed.items()})}, "
                       f"e.g. {[a[0] for a in armed.values()][:5]}")

    # the attacks are kept, as text behind one ', in every result file that shows input text
    for name in ("matches.csv", "unmatched.csv", "result.xlsx"):
        for flow in ("orders-settlement", "payout-bank"):
            scan = scans[f"{flow}/{name}"]
            attacks = [c for c in scan.cells if BODY in c]
            assert len(attacks) > 50, name
            # each is the payload itself (the importers trim a leading tab or CR) behind the guard
            assert all(c.startswith(BODY) or (c[0] == "'" and c[1] in STARTS and c[2:].startswith(BODY))
                       for c in attacks), attacks[:5]
            assert len(scan.guarded()) > 50, name
            assert any(c.startswith(("'=", "'＝")) for c in scan.guarded())   # file names too
    # a report's title rows carry the company's name and the custom report's title, guarded
    for name in REPORTS:
        cells = scans[f"reports/{name}.xlsx"].cells
        assert cells[0].startswith("'" + COMPANY), (name, cells[:2])
    assert any(TITLE in c for c in scans["reports/custom.xlsx"].cells)
