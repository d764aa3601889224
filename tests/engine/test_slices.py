"""Large inputs run key rules one hash slice of the keys at a time: the answer must not change."""

from __future__ import annotations

from pathlib import Path

import pytest

from huikuan.engine import load_template, reconcile
from huikuan.importers import load_side
from huikuan.synth import generate_files


@pytest.fixture(scope="module")
def sides(tmp_path_factory: pytest.TempPathFactory):
    files = generate_files(Path(tmp_path_factory.mktemp("sliced")), orders=800, seed=9)
    return load_side(files.orders), load_side(files.alipay)


def test_sliced_key_rules_give_the_same_result(sides, backend):
    left, right = sides
    template = load_template("orders-settlement")
    whole = reconcile(left.entries, right.entries, template, backend=backend)
    sliced = reconcile(left.entries, right.entries, template, backend=backend, rows_per_slice=300)
    assert whole.matches.num_rows > 500
    assert sliced.matches.equals(whole.matches)
    assert sliced.unmatched.equals(whole.unmatched)
    assert sliced.differences.equals(whole.differences)
