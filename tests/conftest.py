"""Shared test fixtures: where the public samples live, and the golden-file switch."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = Path(os.environ.get("HUIKUAN_SAMPLES", ROOT.parent / "shared" / "samples"))
FIXTURES = Path(__file__).parent / "fixtures"


def sample(relative: str) -> Path:
    """A file of ../shared/samples; the test is skipped loudly if the folder is missing."""
    path = SAMPLES / relative
    if not SAMPLES.is_dir():
        pytest.fail(f"the public samples are missing: expected them at {SAMPLES}")
    assert path.is_file(), f"sample {relative} not found in {SAMPLES}"
    return path


@pytest.fixture
def samples_dir() -> Path:
    return SAMPLES


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Spark tests share one JVM: keep them on one xdist worker."""
    for item in items:
        if item.get_closest_marker("spark"):
            item.add_marker(pytest.mark.xdist_group("spark"))
