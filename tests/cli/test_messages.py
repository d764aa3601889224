"""What the command says: each bad input named once for what it is, warnings for empty files,
Chinese under a Chinese locale, progress lines in logs, and formula text made harmless."""

from __future__ import annotations

import io
import os
from pathlib import Path

import openpyxl

from huikuan.cli.progress import Reporter
from tests.cli.test_match_command import ALIPAY, ORDERS, huikuan, read_csv


def error_line(done) -> str:
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


def test_a_missing_file_is_named_once(tmp_path: Path):
    line = error_line(huikuan("match", "--left", "nosuch.csv", "--right", ALIPAY, "--out", tmp_path / "o",
                              cwd=tmp_path))
    assert line == "huikuan: error: nosuch.csv: file not found"


def test_a_folder_a_pdf_and_an_image_are_called_what_they_are(tmp_path: Path):
    folder = tmp_path / "exports"
    folder.mkdir()
    pdf = tmp_path / "bill.csv"  # the name says CSV, the content is a PDF
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    png = tmp_path / "screenshot.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(32))
    assert "exports: is a folder, not a file" in error_line(
        huikuan("match", "--left", folder, "--right", ALIPAY, "--out", tmp_path / "o"))
    assert "bill.csv: is a PDF" in error_line(huikuan("match", "--left", ORDERS, "--right", pdf,
                                                      "--out", tmp_path / "o"))
    assert "screenshot.png: is an image (PNG)" in error_line(
        huikuan("match", "--left", png, "--right", ALIPAY, "--out", tmp_path / "o"))
    assert not (tmp_path / "o").exists()


def test_a_header_only_file_warns_no_records(tmp_path: Path):
    header_only = tmp_path / "orders_header_only.csv"
    header_only.write_bytes(ORDERS.read_bytes().splitlines(keepends=True)[0])
    done = huikuan("match", "--left", header_only, "--right", ALIPAY, "--out", tmp_path / "o")
    assert done.returncode == 0, done.stderr
    assert "orders_header_only.csv: no records" in done.stdout


def test_chinese_under_a_chinese_locale_and_english_on_request(tmp_path: Path):
    env_zh = {**os.environ, "LANG": "zh_CN.UTF-8", "LC_ALL": ""}
    done = huikuan_env(env_zh, "match", "--left", ORDERS, "--right", ALIPAY, "--out", tmp_path / "a")
    assert done.returncode == 0, done.stderr
    for word in ("匹配", "待查", "回款"):
        assert word in done.stdout
    assert "行无法读取" in done.stderr
    book = openpyxl.load_workbook(tmp_path / "a" / "result.xlsx", read_only=True)
    assert book.sheetnames[0] == "待处理"
    done = huikuan_env(env_zh, "match", "--left", ORDERS, "--right", ALIPAY, "--out", tmp_path / "b",
                       "--lang", "en")
    assert "Matches" in done.stdout
    assert "待查" not in done.stdout


def huikuan_env(env: dict[str, str], *args: str | Path):
    import subprocess
    import sys
    exe = Path(sys.executable).with_name("huikuan")
    return subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True, env=env, check=False)


def test_progress_off_a_terminal_is_a_plain_line_with_rows_read():
    stream = io.StringIO()
    with Reporter(every=0.0, stream=stream) as reporter:
        reporter.phase("reading files", 2)
        reporter.start("reading a.csv")
        reporter.finish(rows=1200)
        reporter.start("reading b.csv")
        reporter.finish(rows=34)
    lines = stream.getvalue().splitlines()
    assert lines
    assert all(line.startswith("huikuan: [") for line in lines)
    assert "reading b.csv 2/2, 1,234 rows" in lines[-1]


def test_progress_counts_the_rows_of_the_file_being_read():
    stream = io.StringIO()
    with Reporter(every=0.0, stream=stream) as reporter:
        reporter.phase("reading files", 2)
        reporter.start("reading a.csv")
        reporter.finish(rows=1000)
        reporter.start("reading big.csv")
        reporter.reading(50_000)
        middle = stream.getvalue().splitlines()[-1]
        reporter.reading(100_000)
        reporter.finish(rows=120_000)
    assert "reading big.csv 1/2, 51,000 rows" in middle
    assert "reading big.csv 2/2, 121,000 rows" in stream.getvalue().splitlines()[-1]


def test_progress_says_nothing_for_a_run_shorter_than_its_interval():
    stream = io.StringIO()
    with Reporter(every=60.0, stream=stream) as reporter:
        reporter.phase("reading files", 1)
        reporter.finish(rows=10)
    assert stream.getvalue() == ""


def test_formula_text_from_an_export_is_made_inert(tmp_path: Path):
    orders = tmp_path / "erp_orders.csv"
    orders.write_text(
        "订单号,实付金额,支付时间,商品名称,买家昵称\n"
        '"=HYPERLINK(""http://evil.example"",""点我"")",-12.50,2023-11-02 10:00:00,"+cmd|calc",@buyer\n'
        "-77,30.00,2023-11-03 10:00:00,羊毛袜,li\n", encoding="utf-8")
    out = tmp_path / "out"
    done = huikuan("match", "--left", orders, "--right", ALIPAY, "--out", out,
                   "--template", "orders-settlement")
    assert done.returncode == 0, done.stderr
    rows = {r["record_id"]: r for r in read_csv(out / "unmatched.csv") if r["file"] == "erp_orders.csv"}
    assert '\'=HYPERLINK("http://evil.example","点我")' in rows
    evil = rows['\'=HYPERLINK("http://evil.example","点我")']
    assert evil["memo"] == "'+cmd|calc"
    assert evil["counterparty"] == "'@buyer"
    assert evil["amount"] == "-12.50"  # an amount is a number, never escaped
    assert "'-77" in rows
    sheet = openpyxl.load_workbook(out / "result.xlsx").worksheets[2]  # 未匹配 or Unmatched
    ids = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://evil.example","点我")' in ids
    assert all(not (isinstance(i, str) and i.startswith("=")) for i in ids)


def test_inspect_names_a_missing_file_and_a_folder_once(tmp_path: Path):
    done = huikuan("inspect", "nosuch.csv", tmp_path.name, cwd=tmp_path.parent)
    assert done.returncode == 2
    assert done.stdout.splitlines() == [
        "nosuch.csv: file not found",
        f"{tmp_path.name}: is a folder, not a file; name the export files inside it",
    ]
