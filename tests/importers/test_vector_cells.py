"""Column helpers of the column-wise reader against plain Python on the same cells."""

from __future__ import annotations

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from huikuan.importers import vector_cells as vc

WORDS = ("退款", "提现", "佣金")
TEXTS = st.sampled_from(["", "交易退款", "提现到银行卡", "技术服务费", "佣金（类目）", "其他", "退", "款"])


@settings(max_examples=60, deadline=None)
@given(cells=st.lists(st.one_of(st.none(), TEXTS), min_size=0, max_size=400),
       chunks=st.integers(1, 3))
def test_word_search_equals_python_on_few_or_many_distinct_texts(cells: list[str | None],
                                                                 chunks: int) -> None:
    """Long columns of few texts take the once-per-distinct-text path; the answer is the same."""
    expected = [None if c is None else any(w in c for w in WORDS) for c in cells]
    size = max(1, len(cells) // chunks)
    parts = [pa.array(cells[i:i + size], pa.string()) for i in range(0, len(cells), size)]
    column = pa.chunked_array(parts, pa.string()) if chunks > 1 else pa.array(cells, pa.string())
    assert vc.contains_any(column, WORDS).to_pylist() == expected
    vc.forget()


def test_the_distinct_path_is_taken_for_a_long_column_of_few_texts() -> None:
    column = pa.array(["交易退款", "其他"] * 500, pa.string())
    assert vc._distinct(column) is not None
    assert vc.contains_any(column, WORDS).to_pylist() == [True, False] * 500
    unique = pa.array([f"订单{i}" for i in range(1000)], pa.string())
    assert vc._distinct(unique) is None  # a column of ids is searched directly
    vc.forget()
