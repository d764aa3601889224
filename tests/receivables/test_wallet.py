"""The wallet walk of a pooled Alipay wallet: opening + settled − fees − refunds − payouts."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from huikuan.cli.main import run
from huikuan.importers import import_file
from huikuan.receivables import ResultSet, wallet_walks
from huikuan.synth import generate_files
from tests.engine.entries import line, order
from tests.receivables.chains import left, right, write_result

WALLET = "2088-shop"


def _wallet(tmp_path: Path, *, drop_payment: bool = False) -> Path:
    lines = [
        line("p1", "payment", 50000, 2, order_ref="A", match="M1", account=WALLET),
        line("f1", "fee", -2500, 2, order_ref="A", match="M1", account=WALLET, category="交易分账"),
        line("p2", "payment", 30000, 3, order_ref="B", match="M2", account=WALLET),
        line("w1", "payout", -60000, 4, account=WALLET, reason="out_of_scope", in_scope=False),
        line("r1", "refund", -5000, 5, order_ref="A", match="M1", account=WALLET),
        line("s1", "subsidy", 1000, 5, account=WALLET, reason="no_order"),
        line("w2", "payout", -20000, 6, account=WALLET, reason="out_of_scope", in_scope=False),
    ]
    if drop_payment:  # a line the export lost: the walk must not close
        lines = [entry for entry in lines if entry["record_id"] != "p2"]
    return write_result(tmp_path / "wallet", [
        *left(order("A", 50000, 1, match="M1"), order("B", 30000, 1, match="M2")),
        *right(*lines),
    ])


def test_walk_closes_against_the_stated_balances(tmp_path: Path) -> None:
    with ResultSet([_wallet(tmp_path)]) as rs:
        (walk,) = wallet_walks(rs, balances={WALLET: (10000, 3500)})
    assert (walk.settled_minor, walk.fees_minor, walk.refunds_minor, walk.other_minor, walk.payouts_minor) \
        == (80000, -2500, -5000, 1000, -80000)
    assert walk.computed_closing_minor == 10000 + 80000 - 2500 - 5000 + 1000 - 80000 == 3500
    assert walk.gap_minor == 0
    assert walk.closes is True
    assert [(s.inflow_minor, s.payout_minor) for s in walk.steps] == [(77500, -60000), (-4000, -20000)]


def test_walk_with_a_missing_line_does_not_close_and_names_the_gap(tmp_path: Path) -> None:
    with ResultSet([_wallet(tmp_path, drop_payment=True)]) as rs:
        (walk,) = wallet_walks(rs, balances={WALLET: (10000, 3500)})
    assert walk.closes is False
    assert walk.gap_minor == 30000
    # 100.00 + 500.00 − 25.00 cannot pay out 600.00: the first payout overdraws the wallet, and
    # it stays overdrawn through the second
    assert [(s.record_id, s.balance_after_minor) for s in walk.overdrawn] == [
        ("w1", 10000 + 50000 - 2500 - 60000), ("w2", 10000 + 50000 - 2500 - 60000 - 5000 + 1000 - 20000)]


def test_without_balances_the_walk_says_what_the_opening_must_have_been(tmp_path: Path) -> None:
    with ResultSet([_wallet(tmp_path, drop_payment=True)]) as rs:
        (walk,) = wallet_walks(rs)
    assert walk.closes is None
    assert walk.gap_minor is None
    # the lowest point is after the second payout
    assert walk.least_opening_minor == -(50000 - 2500 - 60000 - 5000 + 1000 - 20000)


# ---- the bill's own balance column ------------------------------------------------------------
def _billed(tmp_path: Path, *, drop: str = "", newest_first: bool = False, name: str = "billed") -> Path:
    """The wallet above as Alipay states it: 账户余额 after every line, from 100.00. The payment
    and its fee of the first order share a second (and the fee comes second in the file)."""
    rows = [  # record, kind, amount, day, balance after the line
        ("p1", "payment", 50000, 2, 60000), ("f1", "fee", -2500, 2, 57500),
        ("p2", "payment", 30000, 3, 87500), ("w1", "payout", -60000, 4, 27500),
        ("r1", "refund", -5000, 5, 22500), ("s1", "subsidy", 1000, 5, 23500),
        ("w2", "payout", -20000, 6, 3500),
    ]
    lines = []
    for position, (record, kind, amount, when, balance) in enumerate(rows):
        number = (20 - position) if newest_first else (10 + position)
        lines.append(line(record, kind, amount, when, account=WALLET, balance=balance, line=number,
                          file="alipay.csv", reason="no_order"))
    if drop:  # a line the export lost: its neighbours' balances no longer follow
        lines = [entry for entry in lines if entry["record_id"] != drop]
    if newest_first:
        lines.reverse()
    return write_result(tmp_path / name, [*left(order("A", 50000, 1)), *right(*lines)])


def test_bill_balances_close_the_walk_without_typed_balances(tmp_path: Path) -> None:
    with ResultSet([_billed(tmp_path)]) as rs:
        (walk,) = wallet_walks(rs)
    assert walk.balances_from == "bill"
    assert (walk.opening_minor, walk.closing_minor) == (10000, 3500)
    assert walk.computed_closing_minor == 3500
    assert walk.first_break is None
    assert walk.closes is True
    assert walk.bill is not None
    assert walk.bill.lines == 7


def test_a_newest_first_bill_is_walked_in_the_order_it_states_its_balance(tmp_path: Path) -> None:
    with ResultSet([_billed(tmp_path, newest_first=True)]) as rs:
        (walk,) = wallet_walks(rs)
    assert (walk.opening_minor, walk.closing_minor) == (10000, 3500)
    assert walk.first_break is None
    assert walk.closes is True


def test_a_missing_line_breaks_the_walk_at_the_line_after_it(tmp_path: Path) -> None:
    with ResultSet([_billed(tmp_path, drop="p2")]) as rs:
        (walk,) = wallet_walks(rs)
    assert walk.closes is False
    brk = walk.first_break
    assert brk is not None
    # w1 (line 13) states 275.00; from f1's 575.00 the payout of 600.00 gives −25.00
    assert (brk.file, brk.line) == ("alipay.csv", 13)
    assert (brk.expected_minor, brk.stated_minor, brk.gap_minor) == (57500 - 60000, 27500, 30000)
    assert walk.bill is not None
    assert walk.bill.breaks == 1
    # the bill's own ends still frame the walk: the movement falls short by the lost payment
    assert (walk.opening_minor, walk.closing_minor, walk.gap_minor) == (10000, 3500, 30000)


def test_a_missing_line_in_a_newest_first_bill_is_found_too(tmp_path: Path) -> None:
    with ResultSet([_billed(tmp_path, drop="r1", newest_first=True)]) as rs:
        (walk,) = wallet_walks(rs)
    brk = walk.first_break
    assert brk is not None
    assert (brk.line, brk.expected_minor, brk.stated_minor) == (15, 27500 + 1000, 23500)


def test_typed_balances_override_the_bill(tmp_path: Path) -> None:
    with ResultSet([_billed(tmp_path)]) as rs:
        (walk,) = wallet_walks(rs, balances={WALLET: (None, 4000)})
    assert walk.balances_from == "caller"
    assert (walk.opening_minor, walk.closing_minor) == (10000, 4000)  # the opening still the bill's
    assert walk.gap_minor == 500
    assert walk.closes is False


def test_a_result_written_before_balances_existed_still_walks(tmp_path: Path) -> None:
    folder = _billed(tmp_path)
    table = pq.read_table(folder / "entries.parquet")
    pq.write_table(table.drop_columns(["balance_minor"]), folder / "entries.parquet")
    with ResultSet([folder]) as rs:
        (walk,) = wallet_walks(rs, balances={WALLET: (10000, 3500)})
    assert walk.bill is None
    assert walk.balances_from == "caller"
    assert walk.closes is True


def test_a_synthetic_month_walks_from_the_bill_to_its_closing(tmp_path: Path) -> None:
    """A generated Tmall month (one 账务明细 and a second export overlapping it), matched: the
    walk takes its ends from the bill's 账户余额 and every line's balance follows from the last."""
    files = generate_files(tmp_path / "data", orders=300, seed=11)
    out = tmp_path / "orders"
    assert run(["match", "--quiet", "--left", *map(str, files.orders), "--right", *map(str, files.alipay),
                "--out", str(out)]) == 0
    main = import_file(files.alipay[0]).entries
    balances, amounts = main["balance_minor"].to_pylist(), main["amount_minor"].to_pylist()
    assert None not in balances
    with ResultSet([out]) as rs:
        (walk,) = wallet_walks(rs)
    assert walk.balances_from == "bill"
    assert walk.bill is not None
    assert walk.bill.breaks == 0
    assert walk.opening_minor == balances[0] - amounts[0]
    assert walk.closing_minor == balances[-1]
    assert walk.computed_closing_minor == walk.closing_minor
    assert walk.closes is True
