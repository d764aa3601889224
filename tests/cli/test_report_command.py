"""``huikuan report`` end to end: a synthetic shop's month matched, then reported."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from huikuan.cli.main import run
from huikuan.synth import generate_files
from tests.cli.test_match_command import huikuan


@pytest.fixture(scope="module")
def month(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(orders-settlement result, payout-bank result) of a generated Tmall month."""
    base = tmp_path_factory.mktemp("report-cli")
    files = generate_files(base / "data", orders=300, seed=11)
    orders, payouts = base / "orders", base / "payouts"
    assert run(["match", "--quiet", "--left", *map(str, files.orders), "--right", *map(str, files.alipay),
                "--out", str(orders)]) == 0
    assert run(["match", "--quiet", "--left", *map(str, files.alipay), "--right", *map(str, files.bank),
                "--out", str(payouts)]) == 0
    return orders, payouts


def test_list_names_the_reports() -> None:
    done = huikuan("report", "--list")
    assert done.returncode == 0
    names = [line.split()[0] for line in done.stdout.splitlines()]
    assert names[:1] == ["collection"]
    assert "aging" in names
    assert "payouts" in names


def test_collection_report_agrees_with_the_run_summary(month: tuple[Path, Path], tmp_path: Path) -> None:
    orders, _ = month
    out = tmp_path / "collection.csv"
    assert run(["report", "collection", "--result", str(orders), "--format", "csv", "--out", str(out)]) == 0
    with out.open(encoding="utf-8-sig", newline="") as f:
        total = list(csv.DictReader(f))[-1]
    summary = json.loads((orders / "summary.json").read_text("utf-8"))["collections"]
    # every matched bill line belongs to some order's group: what came in is the run's settled_net
    assert Decimal(total["实收净额"]) == Decimal(summary["settled_net"]["CNY"])
    assert Decimal(total["费用合计"]) == Decimal(summary["fees"]["CNY"])
    assert Decimal(total["未回款"]) > 0


def test_collection_xlsx_and_pdf(month: tuple[Path, Path], tmp_path: Path) -> None:
    orders, _ = month
    xlsx, pdf = tmp_path / "c.xlsx", tmp_path / "c.pdf"
    for path, fmt in ((xlsx, "xlsx"), (pdf, "pdf")):
        assert run(["report", "collection", "--result", str(orders), "--period", "2023-11",
                    "--company", "暖冬羊毛旗舰店", "--format", fmt, "--out", str(path)]) == 0
    sheet = openpyxl.load_workbook(xlsx).active
    assert sheet["A1"].value == "暖冬羊毛旗舰店　回款报表"
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "回款报表" in text
        assert "合计" in text
        assert "2023-11" in text


def test_payouts_and_aging_run_on_their_results(month: tuple[Path, Path], tmp_path: Path) -> None:
    orders, payouts = month
    for name, result in (("payouts", payouts), ("aging", orders), ("overdue", orders), ("fees", orders),
                         ("differences", orders)):
        assert run(["report", name, "--result", str(result), "--as-of", "2023-12-31", "--format", "xlsx",
                    "--out", str(tmp_path / f"{name}.xlsx")]) == 0, name
        assert openpyxl.load_workbook(tmp_path / f"{name}.xlsx").active["A4"].value


def test_errors_are_one_line_with_status_2(month: tuple[Path, Path], tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    orders, _ = month
    cases = [
        (("report", "nope", "--result", orders, "--format", "csv", "--out", tmp_path / "x.csv"),
         "no report named"),
        (("report", "collection", "--result", tmp_path, "--format", "csv", "--out", tmp_path / "x.csv"),
         "not a huikuan result"),
        (("report", "collection", "--result", orders, "--format", "csv"), "needs --out"),
        (("report", "fees", "--result", orders, "--contract-rate", "交易分账", "--format", "csv",
          "--out", tmp_path / "x.csv"), "TYPE=RATE"),
    ]
    for args, words in cases:
        capsys.readouterr()
        assert run([str(a) for a in args]) == 2, args
        err = capsys.readouterr().err
        assert words in err, err
        assert len(err.strip().splitlines()) == 1, err
    assert not (tmp_path / "x.csv").exists()
