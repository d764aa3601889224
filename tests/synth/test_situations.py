"""The situations of issue 10 appear in the generated files as the platforms write them, and the
answer key treats them as a clerk would: refunds before and after settlement, orders paid
together, payout chains that break naive matching, a date-only bank statement, and the PDD and
WeChat Pay shops."""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from huikuan.importers import import_file, load_side
from huikuan.synth import PAYOUT_BANK, PDD_SETTLEMENT, WECHAT_SETTLEMENT, SynthFiles, generate_files
from huikuan.synth.holidays import is_bank_day

ORDERS = 3000
SHANGHAI = ZoneInfo("Asia/Shanghai")
ROUND = (100_000, 300_000, 500_000, 1_000_000, 3_000_000, 5_000_000)


class Shop:
    """One generated shop: its files, every imported entry, and its truth rows."""

    def __init__(self, files: SynthFiles) -> None:
        self.files = files
        paths = {p for flow in files.flows for side in files.sides(flow) for p in side}
        self.results = {p.name: import_file(p) for p in sorted(paths)}
        self.entries = {(name, e["record_id"]): e for name, r in self.results.items()
                        for e in r.entries.to_pylist()}
        with files.truth.open(encoding="utf-8", newline="") as fh:
            self.truth = list(csv.DictReader(fh))

    def groups(self, flow: str) -> dict[str, list[dict]]:
        found: dict[str, list[dict]] = defaultdict(list)
        for t in self.truth:
            if t["flow"] == flow and t["expected"] == "match":
                found[t["group"]].append(self.entries[t["file"], t["record_id"]])
        return found

    def label(self, flow: str, file: str, record_id: str) -> str:
        return next(t["expected"] for t in self.truth
                    if t["flow"] == flow and t["file"] == file and t["record_id"] == record_id)


@pytest.fixture(scope="module")
def autumn(tmp_path_factory: pytest.TempPathFactory) -> Shop:
    """A Tmall shop over September and October 2023 (国庆 29 Sep – 6 Oct), CMB corporate."""
    return Shop(generate_files(tmp_path_factory.mktemp("autumn"), orders=ORDERS, months=2, seed=5,
                               first_month="2023-09"))


@pytest.fixture(scope="module")
def personal(tmp_path_factory: pytest.TempPathFactory) -> Shop:
    return Shop(generate_files(tmp_path_factory.mktemp("personal"), orders=ORDERS, months=2, seed=5,
                               first_month="2023-09", bank_layout="personal"))


@pytest.fixture(scope="module")
def pdd(tmp_path_factory: pytest.TempPathFactory) -> Shop:
    return Shop(generate_files(tmp_path_factory.mktemp("pdd"), orders=ORDERS, months=2, seed=9,
                               platform="pdd"))


@pytest.fixture(scope="module")
def wechat(tmp_path_factory: pytest.TempPathFactory) -> Shop:
    return Shop(generate_files(tmp_path_factory.mktemp("wechat"), orders=ORDERS, months=2, seed=9,
                               platform="wechat"))


@pytest.mark.parametrize("name", ["autumn", "personal", "pdd", "wechat"])
def test_every_file_imports_cleanly_and_truth_names_every_entry_once(name: str,
                                                                     request: pytest.FixtureRequest):
    shop: Shop = request.getfixturevalue(name)
    for file, result in shop.results.items():
        assert not result.errors, (file, result.errors[:3])
        assert result.rows_read == shop.files.rows[file] > 0, file
        assert all(c.ok for c in result.checks), (file, result.warnings)
    expected = Counter((flow, file, record_id)
                       for flow in shop.files.flows
                       for side in shop.files.sides(flow) for path in side
                       for file, record_id in shop.entries if file == path.name)
    truth = Counter((t["flow"], t["file"], t["record_id"]) for t in shop.truth)
    assert truth == expected


def test_a_refund_before_settlement_is_netted_in_the_payment_line(autumn: Shop):
    netted = 0
    for group, members in autumn.groups("orders-settlement").items():
        kinds = Counter(m["kind"] for m in members)
        if kinds["order_refund"] and not kinds["refund"] and group.startswith("order:"):
            order = next(m for m in members if m["kind"] == "order")
            refund = next(m for m in members if m["kind"] == "order_refund")
            payment = next(m for m in members if m["kind"] == "payment")
            assert payment["amount_minor"] == order["amount_minor"] + refund["amount_minor"]
            assert order["category"] == "交易成功"  # a partial refund leaves the trade successful
            netted += 1
    assert netted >= 10


def test_a_full_refund_before_settlement_closes_the_order_and_leaves_no_alipay_line(autumn: Shop):
    alipay_orders = {e["order_ref"] for (file, _), e in autumn.entries.items()
                     if file.startswith("alipay_")}
    closed_paid = [e for e in autumn.entries.values()
                   if e["kind"] == "order" and e["category"] == "交易关闭" and e["amount_minor"] > 0]
    assert len(closed_paid) >= 5
    for order in closed_paid:
        refund = autumn.entries[order["file"], f"{order['record_id']}/refund"]
        assert refund["amount_minor"] == -order["amount_minor"]
        assert order["order_ref"] not in alipay_orders
        for record in (order["record_id"], refund["record_id"]):
            assert autumn.label("orders-settlement", order["file"], record) == "order_closed"


def test_combined_payment_fees_carry_the_order_only_in_the_memo(autumn: Shop):
    combined = {g: m for g, m in autumn.groups("orders-settlement").items() if g.startswith("payment:")}
    assert combined
    raw_fees = 0
    for group, members in combined.items():
        trade = group.removeprefix("payment:")
        for fee in (m for m in members if m["kind"] == "fee"):
            cells = [c.strip() for c in fee["raw"].split(",")]
            assert trade not in cells            # not the payment's 业务流水号
            assert f"{{{fee['order_ref']}}}" in fee["text"]  # 天猫佣金（类目）{订单编号}扣款
            raw_fees += 1
    assert raw_fees >= 2 * len(combined)


def _payout_pairs(shop: Shop) -> list[tuple[datetime, datetime, int]]:
    pairs = []
    for members in shop.groups(PAYOUT_BANK).values():
        payout = next(m for m in members if m["kind"] == "payout")
        credit = next(m for m in members if m["kind"] == "bank_credit")
        pairs.append((payout["ts"].astimezone(SHANGHAI), credit["ts"].astimezone(SHANGHAI),
                      credit["amount_minor"]))
    return sorted(pairs)


def test_round_amounts_repeat_within_a_week_and_a_chain_holds_a_late_credit(autumn: Shop):
    by_amount: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    for paid, credited, amount in _payout_pairs(autumn):
        by_amount[amount].append((paid, credited))
    round_repeats = [a for a, runs in by_amount.items() if a in ROUND and len(runs) >= 3]
    assert round_repeats
    late_in_chain = 0
    for runs in by_amount.values():
        for before, middle, after in zip(runs, runs[1:], runs[2:], strict=False):
            if after[0] - before[0] <= timedelta(days=7) and middle[1] - middle[0] >= timedelta(days=3):
                late_in_chain += 1
    assert late_in_chain >= 1


def test_payouts_at_night_and_over_national_day_are_credited_on_later_days(autumn: Shop):
    pairs = _payout_pairs(autumn)
    night = [(p, c) for p, c, _ in pairs if p.time() >= time(20)]
    assert night
    assert all(c.date() > p.date() for p, c in night)
    national_day = [(p, c) for p, c, _ in pairs if date(2023, 9, 29) <= p.date() <= date(2023, 10, 6)]
    held = [c for p, c in national_day if c.date() > date(2023, 10, 6)]
    assert held  # 国庆 turns a T+0 credit into a week
    assert all(is_bank_day(c.date()) for c in held)


def test_the_personal_statement_has_dates_only_and_same_day_credits_still_match(personal: Shop):
    bank = personal.files.bank
    assert bank
    assert all(p.name.startswith("cmb_personal_") for p in bank)
    header = bank[0].read_text("utf-8").splitlines()[0].split(",")
    assert header[0] == "记账日期"
    assert not any("时间" in h for h in header)
    assert {personal.results[p.name].format_id for p in bank} == {"cmb_personal"}
    credits = [e for (f, _), e in personal.entries.items() if f.startswith("cmb_personal_")]
    assert all(e["ts"].astimezone(SHANGHAI).time() == time(0) for e in credits)
    same_day = [(p, c) for p, c, _ in _payout_pairs(personal) if p.date() == c.date()]
    assert same_day
    assert all(c < p for p, c in same_day)  # the date reads as before the payout: still a match


def test_pdd_files_look_like_pinduoduo_and_groups_gather_order_lines(pdd: Shop):
    assert {r.format_id for r in pdd.results.values()} == {"pdd_orders", "pdd_account"}
    export = pdd.files.orders[0].read_text("utf-8-sig").splitlines()
    assert "退款金额" not in export[0]
    assert "售后状态" in export[0]
    account = pdd.files.bills[0].read_bytes().decode("gbk").splitlines()
    assert account[0] == "拼多多店铺账务明细查询"
    assert account[4].startswith("商户订单号,")
    assert account[-1].startswith("#导出时间")
    groups = pdd.groups(PDD_SETTLEMENT)
    refunded = 0
    for group, members in groups.items():
        number = group.removeprefix("order:")
        assert re.fullmatch(r"\d{6}-\d{15}", number)
        assert {m["order_ref"] for m in members} == {number}
        kinds = Counter(m["kind"] for m in members)
        assert (kinds["order"], kinds["payment"]) == (1, 1), group
        assert kinds["fee"] >= 1  # 技术服务费
        order = next(m for m in members if m["kind"] == "order")
        income = next(m for m in members if m["kind"] == "payment")
        assert income["amount_minor"] == order["amount_minor"]  # 商家实收金额 = 交易收入
        for refund in (m for m in members if m["kind"] == "refund"):
            assert "售后单号" in refund["text"]
            assert order["status"] == "refunded"
            refunded += 1
    assert refunded >= 10
    labels = Counter(t["expected"] for t in pdd.truth)
    for reason in ("unpaid", "order_closed", "not_settled", "timing", "no_order", "fee_without_order",
                   "out_of_scope"):
        assert labels[reason] > 0, reason


def test_wechat_groups_hold_payment_refunds_and_their_fees(wechat: Shop):
    assert {r.format_id for r in wechat.results.values()} == {"own_orders", "wechat_trade"}
    refunds = 0
    for group, members in wechat.groups(WECHAT_SETTLEMENT).items():
        kinds = Counter(m["kind"] for m in members)
        assert (kinds["order"], kinds["payment"]) == (1, 1), group
        order = next(m for m in members if m["kind"] == "order")
        payment = next(m for m in members if m["kind"] == "payment")
        assert order["order_ref"] == group.removeprefix("order:")
        assert payment["amount_minor"] == order["amount_minor"]  # 订单金额 = 实付金额
        ids = {m["record_id"] for m in members}
        for refund in (m for m in members if m["kind"] == "refund"):
            assert refund["record_id"] != payment["record_id"]   # its own 微信退款单号
            assert refund["batch_ref"] == payment["batch_ref"]   # the original 微信订单号
            fee = f"{refund['record_id']}/fee"
            if fee in ids:  # the fee given back is positive money
                assert wechat.entries[refund["file"], fee]["amount_minor"] > 0
            refunds += 1
        assert f"{payment['record_id']}/fee" in ids or payment["amount_minor"] < 100
    assert refunds >= 10
    side = load_side(wechat.files.bills)
    dropped = Counter(zip(side.duplicates["file"].to_pylist(), side.duplicates["record_id"].to_pylist(),
                          strict=True))
    assert dropped == Counter((t["file"], t["record_id"]) for t in wechat.truth
                              if t["expected"] == "duplicate")
    assert dropped
    labels = Counter(t["expected"] for t in wechat.truth)
    for reason in ("unpaid", "order_closed", "not_settled", "timing", "no_order", "fee_without_order"):
        assert labels[reason] > 0, reason


@pytest.mark.parametrize("options", [{"platform": "pdd"}, {"platform": "wechat"},
                                     {"bank_layout": "personal"}])
def test_same_arguments_same_bytes(tmp_path: Path, options: dict):
    generate_files(tmp_path / "a", orders=300, seed=1, **options)
    generate_files(tmp_path / "b", orders=300, seed=1, **options)
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b").iterdir())
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_unknown_platform_or_layout_is_refused(tmp_path: Path):
    with pytest.raises(ValueError, match="platform"):
        generate_files(tmp_path, orders=10, platform="jd")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="bank_layout"):
        generate_files(tmp_path, orders=10, bank_layout="swift")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="payout-bank"):
        generate_files(tmp_path, orders=10, platform="pdd").sides(PAYOUT_BANK)


def test_command_line_writes_a_wechat_shop(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    from huikuan.synth.__main__ import main

    assert main(["--orders", "80", "--out", str(tmp_path), "--platform", "wechat"]) == 0
    out = capsys.readouterr().out
    for text in ("erp_orders_2023-11.csv", "wechat_2023-11.csv", "orders-settlement:wechat"):
        assert text in out
    assert import_file(tmp_path / "wechat_2023-11.csv").format_id == "wechat_trade"
