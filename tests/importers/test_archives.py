"""Bills as the platforms' download APIs deliver them: a .zip of CSVs, a .gz. Each member is read
as a file of its own, named ``archive.zip!member.csv``; zip bombs are refused in one line."""

from __future__ import annotations

import gzip
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from huikuan.domain.errors import InputError
from huikuan.importers import import_file, import_files, load_side
from huikuan.importers.archive import MAX_MEMBERS
from tests.conftest import FIXTURES

ACCOUNT = FIXTURES / "alipay_account_2023-11.csv"
ORDERS = FIXTURES / "taobao_orders_2023-11.csv"


def amounts(result) -> list[int]:
    return result.entries["amount_minor"].to_pylist()


def test_zip_of_two_bills_reads_each_member_under_its_own_name(tmp_path: Path):
    path = tmp_path / "20881234_202311.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(ACCOUNT, "账务明细.csv")
        archive.write(ORDERS, "orders/淘宝订单.csv")
    first, second = import_files(path)
    assert (first.name, first.format_id) == ("20881234_202311.zip!账务明细.csv", "alipay_account")
    assert second.name == "20881234_202311.zip!orders/淘宝订单.csv"
    assert set(first.entries["file"].to_pylist()) == {"20881234_202311.zip!账务明细.csv"}
    assert amounts(first) == amounts(import_file(ACCOUNT))
    assert amounts(second) == amounts(import_file(ORDERS))
    # the row error of the orders file names the member, not a temporary copy
    assert [e.file for e in second.errors] == ["20881234_202311.zip!orders/淘宝订单.csv"]
    assert first.path == path


def test_gz_bill_is_the_file_inside(tmp_path: Path):
    path = tmp_path / "alipay.csv.gz"
    path.write_bytes(gzip.compress(ACCOUNT.read_bytes()))
    result = import_file(path)
    assert result.name == "alipay.csv.gz!alipay.csv"
    assert amounts(result) == amounts(import_file(ACCOUNT))
    assert result.checks
    assert all(check.ok for check in result.checks)


def test_a_file_kept_under_another_name_is_reported_by_the_name_given(tmp_path: Path):
    """The web app keeps uploads under generated names; entries, row errors and messages carry
    the name the user's file had (``detect(path, name)``), for a plain file and an archive."""
    from huikuan.importers.registry import detect

    plain = tmp_path / "upload.csv"
    plain.write_bytes(ORDERS.read_bytes())
    importer, _, source = detect(plain, "十一月 订单.csv")
    result = importer.read(source)
    assert set(result.entries["file"].to_pylist()) == {"十一月 订单.csv"}
    assert [e.file for e in result.errors] == ["十一月 订单.csv"]
    packed = tmp_path / "upload.csv.gz"
    packed.write_bytes(gzip.compress(ORDERS.read_bytes()))
    importer, _, source = detect(packed, "订单.csv.gz")
    assert importer.read(source).name == "订单.csv.gz!订单.csv"
    zipped = tmp_path / "upload.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.write(ACCOUNT, "a.csv")
        archive.write(ACCOUNT, "b.csv")
    with pytest.raises(InputError, match=r"^账单\.zip"):
        detect(zipped, "账单.zip")


def test_a_side_of_archives_keeps_member_names_in_the_entries(tmp_path: Path):
    path = tmp_path / "bills.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(ACCOUNT, "a.csv")
    side = load_side([path])
    assert set(side.entries["file"].to_pylist()) == {"bills.zip!a.csv"}
    assert side.entries.num_rows == import_file(ACCOUNT).entries.num_rows


def test_an_xlsx_is_not_mistaken_for_an_archive():
    from tests.conftest import SAMPLES

    result = import_file(SAMPLES / "adyen-settlement-detail" / "adyen-settlement-detail.xlsx")
    assert result.name == "adyen-settlement-detail.xlsx"


def test_too_many_members_are_refused(tmp_path: Path):
    path = tmp_path / "many.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for n in range(MAX_MEMBERS + 1):
            archive.writestr(f"{n}.csv", "a,b\n")
    with pytest.raises(InputError, match="1,001 files"):
        import_files(path)


def test_archive_inside_an_archive_is_refused(tmp_path: Path):
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.write(ACCOUNT, "a.csv")
    path = tmp_path / "outer.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("inner.zip", inner.getvalue())
    with pytest.raises(InputError, match="archive inside an archive") as caught:
        import_files(path)
    assert "outer.zip!inner.zip" in str(caught.value)


def _bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive, \
            archive.open("bill.csv", "w", force_zip64=True) as member:
        member.write(b"a,b\n")
        block = b"0" * (1 << 20)
        for _ in range(100):
            member.write(block)
    return path


def test_zip_bomb_is_refused_in_one_line_by_match(tmp_path: Path):
    path = _bomb(tmp_path / "bomb.zip")
    assert path.stat().st_size < 1 << 20
    exe = Path(sys.executable).with_name("huikuan")
    done = subprocess.run([str(exe), "match", "--left", str(path), "--right", str(ACCOUNT),
                           "--out", str(tmp_path / "out")], capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "400"}, timeout=120, check=False)
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert "bomb.zip!bill.csv" in lines[0]
    assert "zip bomb" in lines[0]



def test_gz_bomb_is_refused(tmp_path: Path):
    path = tmp_path / "bill.csv.gz"
    with gzip.open(path, "wb", compresslevel=9) as out:
        out.write(b"a,b\n")
        block = b"0" * (1 << 20)
        for _ in range(100):
            out.write(block)
    assert path.stat().st_size < 1 << 20
    with pytest.raises(InputError, match="zip bomb") as caught:
        import_files(path)
    assert "bill.csv.gz!bill.csv" in str(caught.value)


def test_damaged_gz_is_one_clear_error(tmp_path: Path):
    path = tmp_path / "bill.csv.gz"
    path.write_bytes(gzip.compress(ACCOUNT.read_bytes())[:60])
    with pytest.raises(InputError, match="damaged archive") as caught:
        import_files(path)
    assert "bill.csv.gz" in str(caught.value)
