"""The generic reader as a user meets it: ``inspect`` names it, ``profile create --from`` saves its
guess, ``match`` uses it and warns."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from huikuan.importers import detect, import_file
from tests.conftest import FIXTURES

CARD = FIXTURES / "generic" / "cn_card_purchases_positive.csv"
ALIPAY = FIXTURES / "alipay_account_2023-11.csv"
#: a bank no module knows, with the Alipay payout of 2023-11-06 11:00 (1000.00) credited next day
BANK = ("交易日期,摘要,对方户名,收入,支出,余额\n"
        "2023-11-01,转账,某某物流有限公司,,320.00,8680.00\n"
        "2023-11-07,支付宝提现,支付宝（中国）网络技术有限公司,1000.00,,9680.00\n"
        "2023-11-09,代发工资,,,5000.00,4680.00\n")


@pytest.fixture
def profiles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "profiles"
    monkeypatch.setenv("HUIKUAN_PROFILE_DIR", str(folder))
    return folder


def huikuan(*args: str | Path, profiles: Path) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("huikuan")
    env = {**os.environ, "COLUMNS": "200", "HUIKUAN_PROFILE_DIR": str(profiles)}
    return subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True, env=env, check=False)


def test_inspect_names_the_generic_reader_its_columns_and_confidence(profiles: Path):
    done = huikuan("inspect", CARD, profiles=profiles)
    assert done.returncode == 0, done.stderr
    assert "[generic]" in done.stdout
    assert "columns: date=交易日, post_date=记账日, amount=入账金额" in done.stdout
    assert "confidence 0.74" in done.stdout
    as_json = json.loads(huikuan("inspect", CARD, "--json", profiles=profiles).stdout)[0]
    assert as_json["format"] == "generic"
    assert as_json["confidence"] == 0.74
    assert as_json["meta"]["columns"].startswith("date=交易日")
    assert as_json["meta"]["sign"].startswith("card: purchases written positive")
    assert {"kind": "bank_debit", "currency": "CNY", "count": 3, "amount": "-1398.70"} in as_json["totals"]


def test_profile_from_the_guess_reads_the_file_the_same_way(profiles: Path):
    guessed = import_file(CARD)
    done = huikuan("profile", "create", "--from", CARD, "--name", "my-card", profiles=profiles)
    assert done.returncode == 0, done.stderr
    saved = (profiles / "my-card.toml").read_text("utf-8")
    assert 'amount = "入账金额"' in saved
    assert "negate = true" in saved  # purchases written positive: the profile turns them round
    assert detect(CARD)[0].id == "profile:my-card"
    by_profile = import_file(CARD)
    assert by_profile.format_id == "profile:my-card"
    pairs = [(e["line"], e["kind"], e["amount_minor"]) for e in by_profile.entries.to_pylist()]
    assert pairs == [(e["line"], e["kind"], e["amount_minor"]) for e in guessed.entries.to_pylist()]
    assert [e.line for e in by_profile.errors] == [9]  # the footer (合计) is not a row error


def test_profile_from_a_file_in_another_currency_with_an_in_out_column(profiles: Path):
    meituan = FIXTURES / "generic" / "meituan_personal.csv"
    guessed = import_file(meituan)
    done = huikuan("profile", "create", "--from", meituan, "--name", "meituan", profiles=profiles)
    assert done.returncode == 0, done.stderr
    by_profile = import_file(meituan)
    assert by_profile.format_id == "profile:meituan"
    assert by_profile.role == "personal"
    assert [e["amount_minor"] for e in by_profile.entries.to_pylist()] == [
        e["amount_minor"] for e in guessed.entries.to_pylist()]


def test_profile_from_a_headerless_file_is_refused_with_the_reason(profiles: Path):
    done = huikuan("profile", "create", "--from", FIXTURES / "generic" / "us_bank_headerless.csv",
                   "--name", "wf", profiles=profiles)
    assert done.returncode != 0
    assert "us_bank_headerless.csv" in done.stderr
    assert "no header row" in done.stderr
    assert not (profiles / "wf.toml").exists()


def test_match_with_a_generic_bank_statement_warns_and_still_matches(tmp_path: Path, profiles: Path):
    bank = tmp_path / "some-bank.csv"
    bank.write_text(BANK, encoding="utf-8")
    out = tmp_path / "out"
    done = huikuan("match", "--left", ALIPAY, "--right", bank, "--out", out, profiles=profiles)
    assert done.returncode == 0, done.stderr
    assert "generic reader" in done.stdout
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert summary["template"] == "payout-bank"
    [file] = summary["right"]["files"]
    assert file["format"] == "generic"
    assert any("generic reader: date=交易日期" in w for w in file["warnings"])
    assert [c["ok"] for c in file["checks"]] == [True]  # the running balance agrees
    with (out / "matches.csv").open(encoding="utf-8", newline="") as fh:
        matches = list(csv.DictReader(fh))
    assert [(m["file"], m["record_id"], m["amount"], m["status"]) for m in matches] == [
        ("alipay_account_2023-11.csv", "20231106200040011100560012345683", "-1000.00", "auto"),
        ("some-bank.csv", "some-bank.csv:3", "1000.00", "auto")]
