"""A currency that is not three letters is a row error (issue 10 §5): an amount in "US" or
"人民币" cannot be summed with anything, and guessing what was meant would be worse."""

from __future__ import annotations

from pathlib import Path

import pytest

from huikuan.importers import import_file
from huikuan.importers.builder import EntryBuilder
from tests.conftest import sample


def test_bai2_account_in_a_two_letter_currency_gives_row_errors(tmp_path: Path):
    original = sample("bai2/svb-us.bai2")
    text = original.read_text(encoding="utf-8")
    damaged = tmp_path / "svb.bai2"
    damaged.write_text(text.replace(",USD,", ",US,"), encoding="utf-8")
    before, after = import_file(original), import_file(damaged)
    assert before.entries.num_rows > 0
    assert after.entries.num_rows == 0
    assert len(after.errors) == before.entries.num_rows  # every record accounted for
    assert all("'US' is not a three-letter" in e.reason for e in after.errors)


@pytest.mark.parametrize("currency", ["US", "usd", "人民币", "EURO", ""])
def test_builder_refuses_anything_but_three_capital_letters(currency: str):
    builder = EntryBuilder("test", "f.csv")
    with pytest.raises(ValueError, match="three-letter"):
        builder.add(line=2, kind="payment", amount_minor=100, raw="x", currency=currency)
    assert builder.count == 0
