"""Saved profiles: a layout huikuan does not know, mapped once, read the same way next time."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from huikuan.domain.errors import HuikuanError, InputError
from huikuan.importers import detect, import_file
from huikuan.importers.profiles import create_profile

LEDGER = ("单号,日期,收入,支出,对方,备注\n"
          "X-1,2023/11/01,12.50,,客户甲,first\nX-2,2023/11/02,,3.00,快递,second\n")


@pytest.fixture
def profiles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "profiles"
    monkeypatch.setenv("HUIKUAN_PROFILE_DIR", str(folder))
    return folder


def ledger(tmp_path: Path, name: str = "ledger.csv", text: str = LEDGER) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("gbk"))
    return path


def test_a_guess_until_a_profile_is_saved_then_the_profile(tmp_path: Path, profiles: Path):
    path = ledger(tmp_path)
    assert detect(path)[0].id == "generic"  # no module knows it: the generic reader's guess
    create_profile(path, "shop-ledger", "platform",
                   {"id": "单号", "date": "日期", "credit": "收入", "debit": "支出", "counterparty": "对方",
                    "memo": "备注"})
    later = ledger(tmp_path, "ledger-december.csv", LEDGER.replace("X-1", "X-9"))
    result = import_file(later)
    assert result.format_id == "profile:shop-ledger"
    rows = result.entries.to_pylist()
    assert [(r["record_id"], r["kind"], r["amount_minor"]) for r in rows] == [
        ("X-9", "payment", 1250), ("X-2", "fee", -300)]
    assert rows[1]["counterparty"] == "快递"


def test_profile_with_a_column_that_is_not_there_names_it(tmp_path: Path, profiles: Path):
    with pytest.raises(InputError, match=r"\['时间'\].*columns seen: 单号, 日期"):
        create_profile(ledger(tmp_path), "broken", "orders", {"date": "时间", "amount": "收入"})


def test_profile_needs_an_amount(tmp_path: Path, profiles: Path):
    with pytest.raises(HuikuanError, match="--amount or both --debit and --credit"):
        create_profile(ledger(tmp_path), "no-amount", "orders", {"date": "日期", "debit": "支出"})


def test_command_line_create_and_list(tmp_path: Path, profiles: Path):
    exe = Path(sys.executable).with_name("huikuan")
    env = {**os.environ, "HUIKUAN_PROFILE_DIR": str(profiles)}
    created = subprocess.run([str(exe), "profile", "create", str(ledger(tmp_path)), "--name", "mine",
                              "--role", "bank", "--date", "日期", "--credit", "收入", "--debit", "支出"],
                             capture_output=True, text=True, env=env, check=False)
    assert created.returncode == 0, created.stderr
    assert "saved" in created.stdout
    assert "bank_credit" in created.stdout
    listed = subprocess.run([str(exe), "profile", "list"], capture_output=True, text=True, env=env,
                            check=False)
    assert "mine" in listed.stdout
    assert "bank" in listed.stdout
