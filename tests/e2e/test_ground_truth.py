"""The whole chain on a simulated month — real file formats, real importers, the engine —
scored against the generator's answer key."""

from __future__ import annotations

from pathlib import Path

import pytest

from huikuan.engine import load_template, reconcile
from huikuan.importers import load_side
from huikuan.synth import Noise, generate_files
from huikuan.synth.truth import ORDERS_SETTLEMENT, PAYOUT_BANK
from tests.e2e.truth import read_truth, score


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory):
    return generate_files(tmp_path_factory.mktemp("shop"), orders=4000, months=2, seed=11)


@pytest.mark.parametrize("flow", [ORDERS_SETTLEMENT, PAYOUT_BANK])
def test_auto_matches_are_right_and_nearly_complete(shop, flow):
    left_files, right_files = shop.sides(flow)
    left, right = load_side(left_files), load_side(right_files)
    assert not left.errors
    assert not right.errors
    result = reconcile(left.entries, right.entries, load_template(flow))
    s = score(result, left, right, read_truth(shop.truth, flow))
    assert s.auto_pairs > 0
    assert s.precision >= 0.999, f"precision {s.precision:.4%}"
    assert s.recall >= 0.995, f"recall {s.recall:.4%}; first missed: {s.missed[:3]}"
    assert s.reason_agreement >= 0.99, s.reasons.most_common()


def test_duplicates_from_the_overlapping_export_are_the_ones_the_truth_names(shop):
    side = load_side(shop.alipay)
    truth = read_truth(shop.truth, ORDERS_SETTLEMENT)
    dropped = {("right", f, r) for f, r in zip(side.duplicates["file"].to_pylist(),
                                                side.duplicates["record_id"].to_pylist(), strict=True)}
    expected = {k for k, (_, e) in truth.items() if e == "duplicate"}
    assert dropped == expected
    assert dropped


def test_same_amount_payouts_on_nearby_days_pair_in_time_order(tmp_path: Path):
    files = generate_files(tmp_path, orders=3000, seed=3, noise=Noise(carry_in=0))
    left, right = load_side(files.alipay), load_side(files.bank)
    result = reconcile(left.entries, right.entries, load_template(PAYOUT_BANK))
    s = score(result, left, right, read_truth(files.truth, PAYOUT_BANK))
    assert s.precision == 1.0
    assert s.recall == 1.0
