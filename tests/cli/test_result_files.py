"""Every file of a result read back, column by column, and checked against the inputs: a side
label, an amount or a date that ends up in the wrong place must fail here."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import zipfile
from collections import Counter, defaultdict
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import openpyxl
import pyarrow.parquet as pq
import pytest
from python_calamine import CalamineWorkbook

from huikuan.domain.dates import SHANGHAI
from huikuan.domain.entry import ENTRY_SCHEMA
from huikuan.domain.money import format_minor
from huikuan.domain.reasons import DESCRIPTIONS_EN, DESCRIPTIONS_ZH, Reason
from huikuan.engine import load_template
from huikuan.importers import SideImport, load_side
from huikuan.synth import generate_files
from huikuan.synth.truth import ORDERS_SETTLEMENT
from tests.cli.test_match_command import contract_ok, huikuan

Key = tuple[str, str, str]  # side, file, record_id


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path.name} has no UTF-8 byte-order mark"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def unescape(cell: str) -> str:
    return cell[1:] if cell[:2] in {"'=", "'+", "'-", "'@", "'\t", "'\r"} else cell


class Inputs:
    """The two sides as the importers read them: what every output row is checked against."""

    def __init__(self, left: SideImport, right: SideImport) -> None:
        self.entries: dict[Key, dict[str, Any]] = {}
        self.duplicates: Counter[Key] = Counter()
        for side, imported in (("left", left), ("right", right)):
            for row in imported.entries.to_pylist():
                key = (side, row["file"], row["record_id"])
                assert key not in self.entries
                self.entries[key] = row
        self.kept = set(self.entries)
        for side, imported in (("left", left), ("right", right)):
            for row in imported.duplicates.to_pylist():
                self.duplicates[(side, row["file"], row["record_id"])] += 1
                self.entries.setdefault((side, row["file"], row["record_id"]), row)

    def check_record(self, row: dict[str, str], where: str) -> dict[str, Any]:
        """The record the row names exists on the side the row says, and every column agrees."""
        key = (row["side"], unescape(row["file"]), unescape(row["record_id"]))
        assert key in self.entries, f"{where}: {key} is not a record of the {row['side']} side"
        entry = self.entries[key]
        assert row["amount"] == format_minor(entry["amount_minor"], entry["currency"]), where
        assert unescape(row["currency"]) == entry["currency"], where
        local = entry["ts"].astimezone(SHANGHAI).date().isoformat() if entry["ts"] else ""
        assert row["date"] == local, where
        assert row["kind"] == entry["kind"], where
        assert unescape(row["counterparty"]) == (entry["counterparty"] or ""), where
        assert unescape(row["memo"]) == (entry["text"] or ""), where
        return entry


@pytest.fixture(scope="module")
def synth_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Inputs]:
    files = generate_files(tmp_path_factory.mktemp("shop"), orders=400, months=1, seed=7)
    left_files, right_files = files.sides(ORDERS_SETTLEMENT)
    out = tmp_path_factory.mktemp("run") / "result"
    done = huikuan("--lang", "zh", "match", "--left", *left_files, "--right", *right_files, "--out", out)
    assert done.returncode == 0, done.stderr
    return out, Inputs(load_side(left_files), load_side(right_files))


def test_matches_csv_columns_agree_with_the_inputs(synth_run):
    out, inputs = synth_run
    contract_ok(out)
    header, rows = read_csv(out / "matches.csv")
    assert header == ["match_id", "side", "file", "record_id", "amount", "currency", "rule", "status",
                      "date", "kind", "counterparty", "memo"]
    rules = {r.name for r in load_template(ORDERS_SETTLEMENT).rules}
    sides: dict[str, set[str]] = defaultdict(set)
    for n, row in enumerate(rows, start=2):
        inputs.check_record(row, f"matches.csv:{n}")
        assert row["match_id"].startswith("M")
        assert len(row["match_id"]) >= 7
        assert row["rule"] in rules
        assert row["status"] in {"auto", "suggested"}
        sides[row["match_id"]].add(row["side"])
    assert rows
    assert all(s == {"left", "right"} for s in sides.values())
    # a match is of an order and its own lines: the right side's lines carry the left order's number
    by_match: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_match[row["match_id"]].append({**inputs.entries[(row["side"], row["file"], row["record_id"])],
                                          "side": row["side"]})
    key_matches = [m for m in by_match.values() if m and all(e["order_ref"] for e in m)]
    assert key_matches
    for members in key_matches:
        assert len({e["order_ref"] for e in members}) == 1, members


def test_unmatched_csv_columns_agree_with_the_inputs(synth_run):
    out, inputs = synth_run
    header, rows = read_csv(out / "unmatched.csv")
    assert header == ["side", "file", "record_id", "amount", "currency", "reason", "date", "kind",
                      "counterparty", "memo", "reason_label"]
    for n, row in enumerate(rows, start=2):
        entry = inputs.check_record(row, f"unmatched.csv:{n}")
        assert row["reason_label"] == DESCRIPTIONS_ZH[Reason(row["reason"])]
        if row["side"] == "left":  # orders and their refunds; the bill's lines are on the right
            assert entry["kind"] in {"order", "order_refund"}
        else:
            assert entry["kind"] not in {"order", "order_refund"}
    duplicates = Counter((r["side"], r["file"], r["record_id"]) for r in rows if r["reason"] == "duplicate")
    assert duplicates == inputs.duplicates
    assert duplicates


def test_every_input_record_is_reported_exactly_once(synth_run):
    out, inputs = synth_run
    _, matches = read_csv(out / "matches.csv")
    _, unmatched = read_csv(out / "unmatched.csv")
    seen = Counter((r["side"], r["file"], r["record_id"]) for r in (*matches, *unmatched)
                   if r.get("reason") != "duplicate")
    assert set(seen) == inputs.kept
    assert max(seen.values()) == 1


def test_differences_csv_left_and_right_amounts_come_from_their_own_side(synth_run):
    out, _ = synth_run
    header, rows = read_csv(out / "differences.csv")
    assert header == ["match_id", "rule", "status", "check", "left_amount", "right_amount", "difference",
                      "currency", "reason", "reason_label"]
    assert rows, "the simulated month has cent differences; the test needs at least one"
    _, matches = read_csv(out / "matches.csv")
    members: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in matches:
        members[row["match_id"]].append(row)
    for row in rows:
        left_kinds, right_kinds = (part.split("+") for part in row["check"].split(" vs "))
        group = members[row["match_id"]]
        assert group, row
        assert {m["rule"] for m in group} == {row["rule"]}
        assert {m["status"] for m in group} == {row["status"]}
        left = sum(Decimal(m["amount"]) for m in group if m["side"] == "left" and m["kind"] in left_kinds)
        right = sum(Decimal(m["amount"]) for m in group if m["side"] == "right" and m["kind"] in right_kinds)
        assert Decimal(row["left_amount"]) == left, row
        assert Decimal(row["right_amount"]) == right, row
        assert Decimal(row["difference"]) in {left - right, left + right}, row
        assert Decimal(row["difference"]) != 0
        assert row["reason_label"] == DESCRIPTIONS_ZH[Reason(row["reason"])]


def test_entries_parquet_holds_every_record_once_with_its_decision(synth_run):
    out, inputs = synth_run
    table = pq.read_table(out / "entries.parquet")
    assert table.schema.names == [*ENTRY_SCHEMA.names, "side", "match_id", "match_status", "rule", "reason",
                                  "in_scope"]
    assert table.schema.field("amount_minor").type == "int64"
    _, matches = read_csv(out / "matches.csv")
    _, unmatched = read_csv(out / "unmatched.csv")
    matched = {(r["side"], r["file"], r["record_id"]): r for r in matches}
    reasons = {(r["side"], r["file"], r["record_id"]): r["reason"] for r in unmatched}
    rows = table.to_pylist()
    assert len(rows) == len(matches) + len(unmatched)
    assert Counter((r["side"], r["file"], r["record_id"]) for r in rows) == Counter(
        [*matched, *((r["side"], r["file"], r["record_id"]) for r in unmatched)])
    for row in rows:
        key = (row["side"], row["file"], row["record_id"])
        assert row["amount_minor"] == inputs.entries[key]["amount_minor"]
        if key in matched:
            assert (row["match_id"], row["match_status"], row["rule"], row["reason"]) == (
                matched[key]["match_id"], matched[key]["status"], matched[key]["rule"], None)
            assert row["in_scope"]
        else:
            assert (row["match_id"], row["match_status"], row["rule"]) == (None, None, None)
            assert row["reason"] == reasons[key]
            if row["reason"] == "duplicate":
                assert not row["in_scope"]
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    outside = sum(1 for r in rows if not r["in_scope"] and r["reason"] != "duplicate")
    assert outside == summary["left"]["not_in_this_flow"] + summary["right"]["not_in_this_flow"]


def _sheet_rows(sheet: Any) -> tuple[list[str], list[tuple[Any, ...]]]:
    rows = list(sheet.iter_rows(values_only=True))
    return list(rows[0]), rows[1:]


def test_workbook_has_typed_cells_chinese_sheets_and_frozen_filtered_headers(synth_run):
    out, _ = synth_run
    book = openpyxl.load_workbook(out / "result.xlsx")
    assert book.sheetnames == ["待处理", "匹配", "未匹配", "差异", "汇总"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref, sheet.title
    _, matches = read_csv(out / "matches.csv")
    header, rows = _sheet_rows(book["匹配"])
    assert header == ["匹配号", "方", "文件", "记录号", "日期", "类型", "金额", "币种", "对方", "备注",
                      "规则", "状态"]
    assert len(rows) == len(matches)
    sheet = book["匹配"]
    for n, (row, written) in enumerate(zip(rows, matches, strict=True), start=2):
        assert row[0] == written["match_id"]
        assert row[1] == {"left": "左", "right": "右"}[written["side"]]
        assert isinstance(row[3], str)  # never 3.5E+18
        assert row[3] == written["record_id"]
        assert isinstance(row[4], datetime)
        assert row[4].date() == date.fromisoformat(written["date"])
        assert isinstance(row[6], int | float)
        assert Decimal(str(row[6])) == Decimal(written["amount"])
        assert row[7] == written["currency"]
        assert row[11] == {"auto": "自动", "suggested": "建议"}[written["status"]]
        if n < 50:
            assert sheet.cell(n, 4).data_type == "s"
            assert "0.00" in sheet.cell(n, 7).number_format
            assert sheet.cell(n, 5).is_date
    _, unmatched = read_csv(out / "unmatched.csv")
    _, unmatched_rows = _sheet_rows(book["未匹配"])
    assert [r[9] for r in unmatched_rows] == [r["reason_label"] for r in unmatched]
    header, attention = _sheet_rows(book["待处理"])
    assert header[0] == "原因"
    open_records = [r for r in unmatched if r["reason"] not in {"duplicate"}
                    and r["reason"] not in {"out_of_scope", "transfer"}]
    _, differences = read_csv(out / "differences.csv")
    assert len(attention) >= len(differences)
    assert [r[11] for r in attention] == sorted(r[11] for r in attention)  # grouped by reason
    duplicates = {(r["file"], r["record_id"]) for r in unmatched if r["reason"] == "duplicate"}
    assert not {(r[3], r[4]) for r in attention if r[4]} & duplicates
    assert open_records or differences
    _, summary = _sheet_rows(book["汇总"])
    assert any(str(r[0]).startswith("回款") for r in summary)


def test_workbook_is_a_sound_zip_of_well_formed_parts_that_calamine_reads(synth_run):
    out, _ = synth_run
    with zipfile.ZipFile(out / "result.xlsx") as z:
        assert z.testzip() is None
        for name in z.namelist():
            ElementTree.fromstring(z.read(name))
    book = CalamineWorkbook.from_path(str(out / "result.xlsx"))
    assert book.sheet_names == ["待处理", "匹配", "未匹配", "差异", "汇总"]
    _, matches = read_csv(out / "matches.csv")
    rows = book.get_sheet_by_name("匹配").to_python()[1:]
    assert [(r[0], r[3], r[4]) for r in rows] == [
        (m["match_id"], m["record_id"], date.fromisoformat(m["date"])) for m in matches]
    assert [Decimal(str(r[6])) for r in rows] == [Decimal(m["amount"]) for m in matches]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_result_workbook(synth_run, tmp_path: Path):
    out, _ = synth_run
    done = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,2",
         "--outdir", str(tmp_path), str(out / "result.xlsx")],
        capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    with (tmp_path / "result-匹配.csv").open(encoding="utf-8", newline="") as fh:  # sheet 2 only
        rows = list(csv.reader(fh))[1:]
    _, matches = read_csv(out / "matches.csv")
    assert [(r[0], r[3]) for r in rows] == [(m["match_id"], m["record_id"]) for m in matches]
    assert [Decimal(r[6]) for r in rows] == [Decimal(m["amount"]) for m in matches]


def test_english_workbook_and_terminal(tmp_path: Path):
    from tests.cli.test_match_command import ALIPAY, ORDERS
    out = tmp_path / "out"
    done = huikuan("--lang", "en", "match", "--left", ORDERS, "--right", ALIPAY, "--out", out)
    assert done.returncode == 0, done.stderr
    assert "Matches" in done.stdout
    assert "回款" in done.stdout
    book = openpyxl.load_workbook(out / "result.xlsx")
    assert book.sheetnames == ["To do", "Matches", "Unmatched", "Differences", "Summary"]
    header, rows = _sheet_rows(book["Unmatched"])
    assert header[:3] == ["Side", "File", "Record"]
    assert {r[9] for r in rows} == {DESCRIPTIONS_EN[Reason(r[10])] for r in rows}
    # CSV headers and labels stay the contract's English names and Chinese labels whatever --lang says
    header, unmatched = read_csv(out / "unmatched.csv")
    assert header[:6] == ["side", "file", "record_id", "amount", "currency", "reason"]
    assert {r["reason_label"] for r in unmatched} == {"跨期", "交易关闭", "内部转账"}


def test_summary_has_fees_by_type_refunds_amounts_by_reason_and_the_collections_line(tmp_path: Path):
    from tests.cli.test_match_command import ALIPAY, ORDERS
    out = tmp_path / "out"
    assert huikuan("match", "--left", ORDERS, "--right", ALIPAY, "--out", out, "--quiet").returncode == 0
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert summary["huikuan_version"]
    # the bill's two commissions of the scarf order (天猫佣金 6.40, 淘宝客 3.84), filed under 交易分账
    assert summary["fees_by_type"] == [
        {"category": "交易分账", "currency": "CNY", "count": 2, "amount": "-10.24"}]
    # the hat's partial refund: granted in the order export, deducted in the bill
    assert summary["refunds"] == {"left": {"count": 1, "total": {"CNY": "-20.00"}},
                                  "right": {"count": 1, "total": {"CNY": "-20.00"}}}
    assert summary["left"]["unmatched_amount_by_reason"] == {"order_closed": {"CNY": "0.00"},
                                                             "timing": {"CNY": "99.00"}}
    # paid orders: scarf 128.00 + hat 59.90 + gloves 99.00 (the closed socks order does not count);
    # settled: 128.00 + 59.90 paid in, 10.24 fees and the 20.00 refund out; the gloves are outstanding
    assert summary["collections"] == {
        "ordered": {"CNY": "286.90"}, "orders": 3, "settled_net": {"CNY": "157.66"},
        "payments": {"CNY": "187.90"}, "fees": {"CNY": "-10.24"}, "refunds": {"CNY": "-20.00"}, "other": {},
        "outstanding": {"CNY": "99.00"}, "outstanding_orders": 1, "period": ["2023-10-28", "2023-11-28"],
    }
    _, unmatched = read_csv(out / "unmatched.csv")
    timing = [r for r in unmatched if r["reason"] == "timing"]
    assert sum(Decimal(r["amount"]) for r in timing) == Decimal(summary["collections"]["outstanding"]["CNY"])


def test_payout_flow_has_no_collections_line_and_no_out_of_scope_fees(tmp_path: Path):
    from tests.cli.test_match_command import ALIPAY, BANK
    out = tmp_path / "out"
    assert huikuan("match", "--left", ALIPAY, "--right", BANK, "--out", out, "--quiet").returncode == 0
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert summary["collections"] is None
    assert summary["fees_by_type"] == []  # the bill's commissions are not part of payouts ↔ bank
