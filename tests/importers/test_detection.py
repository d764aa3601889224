"""Every public sample is recognised by content, by exactly one format."""

from __future__ import annotations

from pathlib import Path

import pytest

from huikuan.domain.errors import UnknownFormatError
from huikuan.importers import detect, importers
from huikuan.importers.reader import SourceFile
from tests.conftest import FIXTURES, SAMPLES

ALL_SAMPLES = sorted(p for p in SAMPLES.rglob("*") if p.is_file() and p.suffix.lower() != ".md")


def test_samples_are_there():
    assert len(ALL_SAMPLES) >= 58, f"expected the 58 public samples in {SAMPLES}"


@pytest.mark.parametrize("path", ALL_SAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_sample_is_recognised_without_doubt(path: Path):
    importer, confidence, _ = detect(path)
    source = SourceFile(path)
    others = sorted(((imp.detect(source), imp.id) for imp in importers() if imp is not importer),
                    reverse=True)
    runner_up = others[0] if others else (0.0, "")
    assert confidence > runner_up[0], (
        f"{path.name}: {importer.id} ({confidence:.2f}) ties with {runner_up[1]} ({runner_up[0]:.2f})")


def test_unknown_layout_names_closest_formats_and_how_to_make_a_profile(tmp_path: Path):
    strange = tmp_path / "ledger.csv"
    strange.write_text("账务流水号,金额,时间\n1,2.00,2023-01-01\n", encoding="utf-8")
    with pytest.raises(UnknownFormatError) as caught:
        detect(strange)
    message = str(caught.value)
    assert "ledger.csv" in message
    assert "alipay_account" in message  # shares 账务流水号
    assert "huikuan profile create" in message


def test_every_fixture_is_recognised():
    for path in sorted(p for p in FIXTURES.rglob("*") if p.is_file() and "broken" not in p.name):
        detect(path)
