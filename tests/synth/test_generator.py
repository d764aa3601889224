"""The ground-truth generator: its files read cleanly, and its answer key is complete and right."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import timedelta
from itertools import pairwise
from pathlib import Path

import pyarrow.compute as pc
import pytest

from huikuan.importers import ImportResult, import_file, load_side
from huikuan.synth import ORDERS_SETTLEMENT, PAYOUT_BANK, Noise, SynthFiles, generate_files
from huikuan.synth.__main__ import main

ORDERS = 3000
FLOWS_OF = {"taobao_orders": (ORDERS_SETTLEMENT,), "cmb_corporate": (PAYOUT_BANK,),
            "alipay_account": (ORDERS_SETTLEMENT, PAYOUT_BANK)}


@dataclass
class Run:
    files: SynthFiles
    results: dict[str, ImportResult]
    entries: dict[tuple[str, str], dict]          # (file, record_id) -> entry
    truth: list[dict[str, str]]
    differences: list[dict[str, str]]

    def rows(self, flow: str, expected: str | None = None) -> list[dict[str, str]]:
        return [t for t in self.truth
                if t["flow"] == flow and (expected is None or t["expected"] == expected)]

    def groups(self, flow: str) -> dict[str, list[dict]]:
        found: dict[str, list[dict]] = defaultdict(list)
        for t in self.rows(flow, "match"):
            found[t["group"]].append({**self.entries[t["file"], t["record_id"]], "side": t["side"]})
        return found


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    files = generate_files(tmp_path_factory.mktemp("synth"), orders=ORDERS, months=2, seed=7)
    results = {p.name: import_file(p) for p in (*files.orders, *files.alipay, *files.bank)}
    entries = {(name, e["record_id"]): e for name, r in results.items() for e in r.entries.to_pylist()}
    return Run(files, results, entries, _read_csv(files.truth), _read_csv(files.differences))


def test_every_file_is_read_by_its_importer_without_errors(run: Run):
    formats = {name: r.format_id for name, r in run.results.items()}
    assert formats == {
        "orders_2023-11.csv": "taobao_orders", "orders_2023-12.csv": "taobao_orders",
        "alipay_2023-11.csv": "alipay_account", "alipay_2023-12.csv": "alipay_account",
        "alipay_2023-12_overlap.csv": "alipay_account",
        "cmb_2023-11.csv": "cmb_corporate", "cmb_2023-12.csv": "cmb_corporate",
    }
    for name, result in run.results.items():
        assert result.encoding == "gbk", name
        assert not result.errors, (name, result.errors[:3])
        assert result.rows_read == run.files.rows[name] > 0, name
        if result.format_id != "taobao_orders":  # the order export has no footer
            assert result.checks, name
            assert all(c.ok for c in result.checks), (name, result.warnings)


def test_truth_has_one_row_per_entry_and_flow_and_nothing_else(run: Run):
    expected = Counter(
        (flow, name, record_id)
        for name, result in run.results.items()
        for flow in FLOWS_OF[result.format_id]
        for record_id in result.entries["record_id"].to_pylist()
    )
    truth = Counter((t["flow"], t["file"], t["record_id"]) for t in run.truth)
    assert max(truth.values()) == 1
    assert truth == expected


def test_sides_follow_the_flows(run: Run):
    for t in run.truth:
        left, right = run.files.sides(t["flow"])
        side_files = {p.name for p in (left if t["side"] == "left" else right)}
        assert t["file"] in side_files, t
        assert (t["group"] != "") == (t["expected"] == "match"), t


def test_an_order_group_is_one_order_with_its_payment_fees_and_refunds(run: Run):
    cents = {d["group"] for d in run.differences if d["kind"] == "cent"}
    groups = {g: m for g, m in run.groups(ORDERS_SETTLEMENT).items() if g.startswith("order:")}
    assert groups
    before = after = 0
    for group, members in groups.items():
        number = group.removeprefix("order:")
        assert {m["order_ref"] for m in members} == {number}, group
        kinds = Counter(m["kind"] for m in members)
        assert (kinds["order"], kinds["payment"]) == (1, 1), (group, kinds)
        order = next(m for m in members if m["kind"] == "order")
        payment = next(m for m in members if m["kind"] == "payment")
        refunds = [m["amount_minor"] for m in members if m["kind"] == "refund"]
        granted = sum(m["amount_minor"] for m in members if m["kind"] == "order_refund")
        if refunds:  # 售后: the refund is a line of its own
            after += 1
            assert sum(refunds) == granted, group
            assert (order["amount_minor"] == payment["amount_minor"]) == (group not in cents), group
        elif granted:  # 售中: the payment line already nets the refund
            before += 1
            assert payment["amount_minor"] == order["amount_minor"] + granted, group
        else:
            assert (order["amount_minor"] == payment["amount_minor"]) == (group not in cents), group
        assert all(m["side"] == ("left" if m["kind"].startswith("order") else "right") for m in members)
    assert before > 0
    assert after > 0


def test_orders_paid_together_are_one_group_with_one_payment_line(run: Run):
    groups = {g: m for g, m in run.groups(ORDERS_SETTLEMENT).items() if g.startswith("payment:")}
    assert len(groups) >= 10
    for group, members in groups.items():
        trade = group.removeprefix("payment:")
        orders = [m for m in members if m["kind"] == "order"]
        payments = [m for m in members if m["kind"] == "payment"]
        fees = [m for m in members if m["kind"] == "fee"]
        numbers = {o["order_ref"] for o in orders}
        assert 2 <= len(orders) <= 4, group
        assert len({o["counterparty"] for o in orders}) == 1, group  # one buyer
        assert {o["batch_ref"] for o in orders} == {trade}, group      # the export's 支付单号
        assert len(payments) == 1, group
        payment = payments[0]
        assert payment["batch_ref"] == trade
        assert payment["order_ref"] is None   # no single order owns the payment line
        assert payment["amount_minor"] == sum(o["amount_minor"] for o in orders), group
        assert len(fees) >= len(orders), group  # every order's 天猫佣金 at least
        for fee in fees:
            assert fee["batch_ref"] != trade, group
            assert fee["order_ref"] in numbers
            assert fee["order_ref"] in fee["text"]  # the order number is in 备注, nowhere else
        refunds = [m for m in members if m["kind"] == "refund"]
        assert {r["order_ref"] for r in refunds} <= numbers


def test_differences_list_cent_and_refund_groups_with_their_amounts(run: Run):
    groups = run.groups(ORDERS_SETTLEMENT)
    kinds = Counter(d["kind"] for d in run.differences)
    assert kinds["cent"] > 0
    assert kinds["refund"] > 0
    for d in run.differences:
        members = groups[d["group"]]
        order = sum(m["amount_minor"] for m in members if m["kind"] == "order")
        payment = sum(m["amount_minor"] for m in members if m["kind"] == "payment")
        refunds = sum(m["amount_minor"] for m in members if m["kind"] == "refund")
        right = payment if d["kind"] == "cent" else payment + refunds
        assert (_fen(d["left_amount"]), _fen(d["right_amount"])) == (order, right), d
        if d["kind"] == "cent":
            assert abs(order - payment) == 1


def test_a_payout_group_is_one_payout_and_its_credit_in_fifo_order(run: Run):
    pairs: dict[int, list] = defaultdict(list)
    for group, members in run.groups(PAYOUT_BANK).items():
        by_kind = {m["kind"]: m for m in members}
        assert sorted(m["kind"] for m in members) == ["bank_credit", "payout"], group
        payout, credit = by_kind["payout"], by_kind["bank_credit"]
        assert payout["batch_ref"] == group.removeprefix("payout:")
        assert credit["amount_minor"] == -payout["amount_minor"] > 0
        assert timedelta(0) <= credit["ts"] - payout["ts"] <= timedelta(days=9), group  # 国庆 at most
        if credit["batch_ref"] is not None:
            assert credit["batch_ref"] == payout["batch_ref"]
        pairs[credit["amount_minor"]].append((payout["ts"], credit["ts"]))
    for same_amount in pairs.values():  # nth payout of an amount ↔ nth credit of that amount
        same_amount.sort()
        assert [c for _, c in same_amount] == sorted(c for _, c in same_amount)


def test_same_amount_payouts_on_nearby_days_exist(run: Run):
    payouts = sorted((m["ts"], -m["amount_minor"]) for members in run.groups(PAYOUT_BANK).values()
                     for m in members if m["kind"] == "payout")
    collisions = [(a, b) for a, b in pairwise(payouts)
                  if a[1] == b[1] and b[0] - a[0] <= timedelta(days=2)]
    assert len(collisions) >= 2
    unreferenced = [m for members in run.groups(PAYOUT_BANK).values() for m in members
                    if m["kind"] == "bank_credit" and m["batch_ref"] is None]
    assert len(unreferenced) > len(run.groups(PAYOUT_BANK)) / 2  # most credits carry no serial


def test_noise_rates_are_honoured(run: Run):
    noise = Noise()
    counts = Counter((t["flow"], t["expected"]) for t in run.truth)
    payments = Counter(t["expected"] for t in run.rows(ORDERS_SETTLEMENT)
                       if run.entries[t["file"], t["record_id"]]["kind"] == "payment")
    alipay_rows = sum(n for name, n in run.files.rows.items() if name.startswith("alipay_"))

    def near(actual: int, rate: float, population: int) -> bool:
        wanted = rate * population
        return abs(actual - wanted) <= max(2.0, 0.25 * wanted)

    os_ = ORDERS_SETTLEMENT
    assert near(counts[os_, "unpaid"], noise.unpaid, ORDERS)
    closed = Counter(t["expected"] for t in run.rows(ORDERS_SETTLEMENT)
                     if run.entries[t["file"], t["record_id"]]["kind"] == "order")["order_closed"]
    closed_rate = noise.closed + noise.refund_before_settlement * noise.full_before_share
    assert near(closed, closed_rate, ORDERS)
    assert near(counts[os_, "not_settled"], noise.not_settled, ORDERS)
    assert near(payments["no_order"], noise.no_order, ORDERS)
    assert near(payments["timing"], noise.carry_in, ORDERS)
    assert near(counts[os_, "duplicate"], noise.duplicates, alipay_rows)
    assert counts[os_, "duplicate"] == counts[PAYOUT_BANK, "duplicate"]
    kinds = Counter(d["kind"] for d in run.differences)
    assert near(kinds["cent"], noise.cent, ORDERS)
    partial_before = noise.refund_before_settlement * (1 - noise.full_before_share)
    assert near(kinds["refund"], noise.refund + partial_before, ORDERS)
    assert counts[os_, "fee_without_order"] >= payments["no_order"]
    assert counts[PAYOUT_BANK, "payout_not_received"] >= 1
    assert counts[PAYOUT_BANK, "unknown_credit"] >= 1
    assert counts[os_, "timing"] > payments["timing"]  # month-end orders not settled yet


def test_timing_and_not_settled_are_told_apart_by_the_payment_date(run: Run):
    end = max(e["ts"] for e in run.entries.values() if e["source"] == "alipay_account")
    for t in run.rows(ORDERS_SETTLEMENT):
        entry = run.entries[t["file"], t["record_id"]]
        if entry["kind"] != "order":
            continue
        if t["expected"] == "timing":
            assert entry["ts"] > end - timedelta(days=10)
        elif t["expected"] == "not_settled":
            assert entry["ts"] < end - timedelta(days=10)
        elif t["expected"] == "unpaid":
            assert entry["amount_minor"] == 0
        elif t["expected"] == "order_closed":  # never paid, or paid and refunded in full
            refund = run.entries.get((t["file"], f"{t['record_id']}/refund"))
            assert entry["amount_minor"] == (-refund["amount_minor"] if refund else 0)


def test_the_overlap_copies_are_what_load_side_drops_as_duplicates(run: Run):
    side = load_side(run.files.alipay)
    dropped = Counter(zip(side.duplicates["file"].to_pylist(), side.duplicates["record_id"].to_pylist(),
                          strict=True))
    truth = Counter((t["file"], t["record_id"]) for t in run.rows(PAYOUT_BANK, "duplicate"))
    assert dropped == truth
    originals = set(zip(side.entries["file"].to_pylist(), side.entries["record_id"].to_pylist(),
                        strict=True))
    assert not any(name.endswith("_overlap.csv") for name, _ in originals)


def test_same_seed_same_bytes_other_seed_other_data(tmp_path: Path):
    first = generate_files(tmp_path / "a", orders=400, seed=3)
    second = generate_files(tmp_path / "b", orders=400, seed=3)
    other = generate_files(tmp_path / "c", orders=400, seed=4)
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b").iterdir())
    assert len(names) == 6  # orders, alipay, overlap, cmb, truth, differences
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert first.truth_counts == second.truth_counts
    assert first.truth.read_bytes() != other.truth.read_bytes()


def test_without_noise_every_settled_order_and_payout_matches(tmp_path: Path):
    files = generate_files(tmp_path, orders=500, noise=Noise.clean())
    assert len(files.alipay) == 1  # no overlapping re-export
    truth = _read_csv(files.truth)
    labels = Counter((t["flow"], t["side"], t["expected"]) for t in truth)
    assert set(labels) <= {
        (ORDERS_SETTLEMENT, "left", "match"), (ORDERS_SETTLEMENT, "left", "timing"),
        (ORDERS_SETTLEMENT, "right", "match"), (ORDERS_SETTLEMENT, "right", "out_of_scope"),
        (PAYOUT_BANK, "left", "match"), (PAYOUT_BANK, "left", "timing"),
        (PAYOUT_BANK, "left", "out_of_scope"), (PAYOUT_BANK, "right", "match"),
        (PAYOUT_BANK, "right", "out_of_scope"),
    }
    assert _read_csv(files.differences) == []


def test_no_orders_still_gives_readable_files(tmp_path: Path):
    files = generate_files(tmp_path, orders=0)
    for path in (*files.orders, *files.alipay, *files.bank):
        result = import_file(path)
        assert not result.errors
        assert all(c.ok for c in result.checks)


def test_noise_rates_must_be_shares():
    with pytest.raises(ValueError, match="cent"):
        Noise(cent=1.5)


def test_command_line_writes_and_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["--orders", "120", "--out", str(tmp_path), "--seed", "2", "--months", "2"]) == 0
    out = capsys.readouterr().out
    for text in ("orders_2023-12.csv", "truth.csv", "written in"):
        assert text in out
    assert (tmp_path / "cmb_2023-11.csv").is_file()
    amounts = import_file(tmp_path / "alipay_2023-11.csv").entries["amount_minor"]
    assert pc.all(pc.is_valid(amounts)).as_py()


def _fen(text: str) -> int:
    whole, _, cents = text.lstrip("-").partition(".")
    value = int(whole) * 100 + int(cents)
    return -value if text.startswith("-") else value
