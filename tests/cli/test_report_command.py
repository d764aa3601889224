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
from huikuan.domain.money import format_minor, parse_amount
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


def _statement_balances(path: Path) -> tuple[str, str, str]:
    """(account, opening, closing) as the Alipay statement itself states them: the first row's
    balance less its amount, and the last row's balance."""
    lines = path.read_bytes().decode("gbk").splitlines()
    account = next(line for line in lines if line.startswith("#账号")).split("[")[1].rstrip("]")
    header = next(i for i, line in enumerate(lines) if line.startswith("账务流水号"))
    names = [c.strip() for c in lines[header].split(",")]
    rows = [[c.strip() for c in line.split(",")] for line in lines[header + 1:] if not line.startswith("#")]
    at = {name: names.index(name) for name in ("收入金额（+元）", "支出金额（-元）", "账户余额（元）")}
    first, last = rows[0], rows[-1]
    moved = parse_amount(first[at["收入金额（+元）"]] or first[at["支出金额（-元）"]])
    opening = parse_amount(first[at["账户余额（元）"]]) - moved
    return account, format_minor(opening), last[at["账户余额（元）"]]


def test_wallet_walk_closes_on_the_statements_own_balances(month: tuple[Path, Path], tmp_path: Path) -> None:
    orders, _ = month
    statement = next(p for p in (orders.parent / "data").glob("alipay_*.csv") if "overlap" not in p.name)
    account, opening, closing = _statement_balances(statement)
    out = tmp_path / "wallet.csv"
    assert run(["report", "wallet", "--result", str(orders), "--balance", f"{account}={opening}:{closing}",
                "--format", "csv", "--out", str(out)]) == 0
    with out.open(encoding="utf-8-sig", newline="") as f:
        (row,) = list(csv.DictReader(f))
    assert (row["账单期末"], row["差额"], row["结论"]) == (closing, "0.00", "平")
    # one fen off and the walk says so, with the gap
    off = format_minor(parse_amount(closing) + 1)
    assert run(["report", "wallet", "--result", str(orders), "--balance", f"{account}={opening}:{off}",
                "--format", "csv", "--out", str(out)]) == 0
    with out.open(encoding="utf-8-sig", newline="") as f:
        (row,) = list(csv.DictReader(f))
    assert (row["差额"], row["结论"]) == ("0.01", "不平")


def test_custom_report_from_words_and_from_a_saved_spec(month: tuple[Path, Path], tmp_path: Path) -> None:
    orders, _ = month
    by_words, by_spec = tmp_path / "words.csv", tmp_path / "spec.csv"
    assert run(["report", "custom", "--result", str(orders), "--dims", "status", "--measures",
                "count,amount", "--format", "csv", "--out", str(by_words)]) == 0
    with by_words.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    collection = tmp_path / "collection.csv"
    assert run(["report", "collection", "--result", str(orders), "--format", "csv",
                "--out", str(collection)]) == 0
    with collection.open(encoding="utf-8-sig", newline="") as f:
        paid_orders = int(list(csv.DictReader(f))[-1]["订单数"])
    # every order once: the unpaid ones plus the paid ones the collection report counts
    by_status = {r["回款状态"]: int(r["笔数"]) for r in rows[:-1]}
    assert sum(by_status.values()) == int(rows[-1]["笔数"]) == by_status.get("未付款", 0) + paid_orders
    spec = tmp_path / "mine.json"
    spec.write_text(json.dumps({"dimensions": ["status"], "measures": ["count", "amount"]}), "utf-8")
    assert run(["report", "custom", "--result", str(orders), "--spec", str(spec), "--format", "csv",
                "--out", str(by_spec)]) == 0
    assert by_spec.read_text("utf-8-sig") == by_words.read_text("utf-8-sig")


def test_custom_report_errors_are_one_line(month: tuple[Path, Path], tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    orders, _ = month
    for extra, words in ((["--dims", "shop", "--measures", "count"], "dimension 'shop' is not one of"),
                         ([], "needs at least one measure: count, amount"),
                         (["--spec", str(tmp_path / "none.json")], "cannot read the report definition")):
        capsys.readouterr()
        assert run(["report", "custom", "--result", str(orders), *extra, "--format", "csv",
                    "--out", str(tmp_path / "x.csv")]) == 2
        err = capsys.readouterr().err
        assert words in err, err
        assert len(err.strip().splitlines()) == 1, err


def test_findings_take_contract_rates_from_a_toml_file(month: tuple[Path, Path], tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    orders, _ = month
    out, contract = tmp_path / "findings.csv", tmp_path / "contract.toml"
    fees = tmp_path / "fees.csv"
    assert run(["report", "fees", "--result", str(orders), "--format", "csv", "--out", str(fees)]) == 0
    with fees.open(encoding="utf-8-sig", newline="") as f:
        charged = {r["费用类型"]: r["实际费率"] for r in csv.DictReader(f) if r["费用类型"] != "合计"}
    category, rate = next(iter(charged.items()))
    # the contract promises half of what was charged: a finding naming that fee type
    contract.write_text(f'[rates]\n"{category}" = {float(rate) / 2}\n', "utf-8")
    assert run(["report", "findings", "--result", str(orders), "--contract", str(contract), "--format", "csv",
                "--out", str(out)]) == 0
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert any(r["类型"] == "费率高于合同" and category in r["发现"] for r in rows), rows
    contract.write_text('[rates]\n"x" = "five"\n', "utf-8")
    capsys.readouterr()
    assert run(["report", "findings", "--result", str(orders), "--contract", str(contract), "--format", "csv",
                "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "contract.toml [rates] x: 'five' is not a rate" in err
    assert len(err.strip().splitlines()) == 1
