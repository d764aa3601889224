"""The vectorised reader against the per-row reference, on generated files.

Hypothesis writes Alipay 账务明细, Taobao order and PDD 货款明细 exports the way they come damaged in real
life — preamble, cells padded with tabs and ideographic spaces, ``="…"`` guards, blank and
short lines, quoted cells with commas and line breaks, footers (also one in the middle of the
data), GBK or UTF-8, CRLF or LF, a stray undecodable byte, amounts and dates and ids in forms
the column-wise parsers leave to the per-row code — and asserts that both readings give the
same entries (every column, raw text and dedupe key included), the same row errors with their
lines and raw text, the same warnings, checks and named lines.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from huikuan.importers import builder, vector
from huikuan.importers.base import ImportResult, TableImporter
from huikuan.importers.reader import SourceFile
from huikuan.importers.sources.alipay_account import AlipayAccount
from huikuan.importers.sources.pdd import PddAccount
from huikuan.importers.sources.taobao_orders import TaobaoOrders

DIGITS = st.text("0123456789", min_size=1, max_size=22)
WORDS = st.sampled_from(["", "１２", "②", "羊毛围巾", "天猫佣金（类目）", "扣款", "花呗", "红包", "罚款",
                         "保证金",
                         "提现", "退款", "a", "x y", "lü", "１２３", "{", "}", "|", "-"])
ORDER = st.text("0123456789", min_size=14, max_size=21)


def _text(draw: Callable[..., Any]) -> str:
    return "".join(draw(st.lists(st.one_of(WORDS, ORDER), max_size=4)))


AMOUNTS = st.one_of(
    st.builds(lambda w, f, s: f"{s}{w}.{f}", st.integers(0, 10**9), st.text("0123456789", min_size=1,
                                                                         max_size=4),
              st.sampled_from(["", "+", "-"])),
    st.sampled_from(["", "0.00", "128.00", "-6.40", "1,234.50", "12.345", "12.340", "abc", "１２.００",
                     "￥5", "(3.00)", "5-", "99999999999999999999", "0"]),
)
TIMES = st.one_of(
    st.builds(lambda y, m, d, h, mi, s: f"{y:04d}-{m:02d}-{d:02d} {h:02d}:{mi:02d}:{s:02d}",
              st.integers(1990, 2030), st.integers(1, 12), st.integers(1, 31), st.integers(0, 23),
              st.integers(0, 59), st.integers(0, 59)),
    st.sampled_from(["", "2023-11-01", "2023/11/01 10:00", "2023-02-30 10:00:00",
                     "2023-11-01T10:00:00", "2023-11-01 24:00:00", "abc", "2023年11月1日",
                     "20231101", "2023-11-01 10:00"]),
)
IDS = st.one_of(DIGITS, st.sampled_from(["", "1.23457E+19", "123456789012.0", "AB-12", "１２３"]))


@st.composite
def cell_form(draw: Callable[..., Any], value: str) -> str:
    """A cell as exports write it: padded, guarded, or as it is."""
    form = draw(st.sampled_from(["plain", "plain", "plain", "tab", "space", "wide", "formula",
                                 "tick", "quote", "apostrophe", "formula_open"]))
    return {"plain": value, "tab": f"{value}\t", "space": f" {value} ", "wide": f"\u3000{value}",
            "formula": f'="{value}"', "tick": f"`{value}", "quote": f'"{value}"',
            "apostrophe": f"'{value}", "formula_open": f'="{value}'}[form]


@st.composite
def alipay_row(draw: Callable[..., Any]) -> list[str]:
    kinds = ["在线支付", "交易分账", "交易退款", "提现", "转账", "收费", "其他", "退款", "冻结", ""]
    merchant = draw(st.one_of(st.just(""), st.builds(lambda d: f"T200P{d}", DIGITS), IDS,
                              st.sampled_from(["T2000P1", "T200P"])))
    description = draw(st.sampled_from(["", "交易|交易付款", "a|b-c-退款", "服务费", "x-", "|", "-"]))
    cells = [draw(IDS), draw(IDS), merchant, _text(draw), draw(TIMES), _text(draw),
             draw(AMOUNTS), draw(AMOUNTS), draw(AMOUNTS), "支付宝", draw(st.sampled_from(kinds)),
             _text(draw), description, draw(st.one_of(st.just(""), IDS))]
    return [draw(cell_form(c)) for c in cells]


@st.composite
def taobao_row(draw: Callable[..., Any]) -> list[str]:
    statuses = ["交易成功", "交易关闭", "卖家已发货，等待买家确认", "等待买家付款",
                "买家已付款，等待卖家发货", "退款中", "其他"]
    cells = [draw(IDS), _text(draw), draw(AMOUNTS), draw(AMOUNTS), draw(AMOUNTS),
             draw(st.sampled_from(statuses)), draw(TIMES), draw(TIMES), _text(draw),
             draw(AMOUNTS), draw(TIMES), draw(IDS)]
    return [draw(cell_form(c)) for c in cells]


@st.composite
def pdd_row(draw: Callable[..., Any]) -> list[str]:
    types = ["交易收入", "交易退款", "提现", "保证金", "货款充值", "技术服务费", "扣款", "其他", ""]
    descriptions = ["", "0010002|交易收入-订单收入", "0020001| 交易退款 -x", "a-b|提现-c", "多多进宝",
                    "0010002|\u3000交易收入-订单收入", "|", "-"]
    cells = [draw(IDS), draw(TIMES), draw(st.one_of(AMOUNTS, st.just("-"))),
             draw(st.one_of(AMOUNTS, st.just("-"))), draw(st.sampled_from(types)),
             draw(st.one_of(st.just("-"), st.builds(str, WORDS))), draw(st.sampled_from(descriptions))]
    return [draw(cell_form(c)) for c in cells]


PDD_HEADER = ["商户订单号", "发生时间", "收入金额（+元）", "支出金额（-元）", "账务类型", "备注", "业务描述"]
ALIPAY_HEADER = ["账务流水号", "业务流水号", "商户订单号", "商品名称", "发生时间", "对方账号",
                 "收入金额（+元）", "支出金额（-元）", "账户余额（元）", "交易渠道", "业务类型", "备注",
                 "业务描述", "业务基础订单号"]
TAOBAO_HEADER = ["订单编号", "买家会员名", "买家应付货款", "买家实际支付金额", "总金额", "订单状态",
                 "订单创建时间", "订单付款时间", "宝贝标题", "退款金额", "确认收货时间", "支付单号"]


@st.composite
def export(draw: Callable[..., Any], header: list[str], rows: Any, preamble: list[str],
           footer: list[str]) -> tuple[bytes, str]:
    """(file bytes, codec): preamble, header, rows mixed with damaged lines, footer."""
    sep = draw(st.sampled_from([",", ",", "\t,"]))  # Alipay pads every cell with a tab
    lines = [*preamble, sep.join(header)]
    for row in draw(st.lists(rows, max_size=15)):
        extra = draw(st.sampled_from(["row"] * 6 + ["blank", "commas", "short", "quoted", "newline",
                                                     "footer", "footer", "bad_byte", "spaces"]))
        if extra == "blank":
            lines.append("")
        elif extra == "commas":
            lines.append("," * len(header))
        elif extra == "spaces":
            lines.append(" \t ,\u3000,")
        elif extra == "short":
            lines.append(sep.join(row[:3]))
        elif extra == "quoted":
            lines.append(",".join(['"a,b"', *row[1:]]))
        elif extra == "newline":
            lines.append(",".join([*row[:3], '"memo\nnext line"', *row[4:]]))
        elif extra == "footer":
            lines.append("#合计：1笔")
        elif extra == "bad_byte":
            lines.append(sep.join(row) + "\udcff")
        lines.append(sep.join(row))
    lines += footer
    newline = draw(st.sampled_from(["\r\n", "\n"]))
    codec = draw(st.sampled_from(["gbk", "utf-8"]))
    text = newline.join(lines) + draw(st.sampled_from([newline, ""]))
    return text.encode(codec, errors="surrogateescape"), codec


def _read(importer: TableImporter, path: Path) -> ImportResult:
    return importer.read(SourceFile(path))


def _outcome(result: ImportResult) -> dict[str, Any]:
    return {
        "entries": result.entries.to_pylist(),
        "errors": [(e.line, e.reason, e.raw) for e in result.errors],
        "warnings": result.warnings, "checks": [str(c) for c in result.checks],
        "layout": result.layout, "rows_read": result.rows_read, "meta": result.meta,
    }


def assert_same_reading(importer: TableImporter, content: bytes, block: int,
                        monkeypatch: pytest.MonkeyPatch) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.csv"
        path.write_bytes(content)
        with monkeypatch.context() as patch:
            patch.setattr(vector, "BLOCK_CHARS", block)
            if block in SPILLING:  # every batch to a spill file and mapped back, twice for Alipay
                patch.setattr(builder, "SPILL_BYTES", 1)
            try:
                fast = _outcome(_read(importer, path))
            except Exception as exc:  # the reference must fail the same way
                fast = {"failure": f"{type(exc).__name__}: {exc}"}
        with vector.per_row():
            try:
                reference = _outcome(_read(importer, path))
            except Exception as exc:
                reference = {"failure": f"{type(exc).__name__}: {exc}"}
    for key in ("failure", "rows_read", "entries", "errors", "warnings", "layout", "checks", "meta"):
        ours, theirs = fast.get(key), reference.get(key)
        if isinstance(ours, list) and isinstance(theirs, list) and ours != theirs:
            first = next((i for i, (a, b) in enumerate(zip(ours, theirs, strict=False)) if a != b),
                         min(len(ours), len(theirs)))
            shown = (ours[first:first + 1], theirs[first:first + 1], len(ours), len(theirs))
            raise AssertionError(f"{key} differ at item {first}: {shown}")
        assert ours == theirs, key


ALIPAY_PREAMBLE = ["#支付宝账务明细查询", "#账号：[20881234567890120156]",
                   "#-----------------------------------------账务明细列表-------------"]
ALIPAY_FOOTER = ["#-----------------------------------------账务明细列表结束----------",
                 "#支出合计：1笔，共-6.40元", "#收入合计：2笔，共256.00元", "#导出时间：[2023年12月01日]"]
BLOCKS = st.sampled_from([300, 700, 2048, 1 << 20])
SPILLING = (300, 2048)
SETTINGS = settings(max_examples=80, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow, HealthCheck.data_too_large])


@SETTINGS
@given(file=export(ALIPAY_HEADER, alipay_row(), ALIPAY_PREAMBLE, ALIPAY_FOOTER), block=BLOCKS)
def test_alipay_account_vectorised_equals_per_row(file: tuple[bytes, str], block: int,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    assert_same_reading(AlipayAccount(), file[0], block, monkeypatch)


@SETTINGS
@given(file=export(TAOBAO_HEADER, taobao_row(), [], ["#合计", "----end"]), block=BLOCKS)
def test_taobao_orders_vectorised_equals_per_row(file: tuple[bytes, str], block: int,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    assert_same_reading(TaobaoOrders(), file[0], block, monkeypatch)


@SETTINGS
@given(file=export(PDD_HEADER, pdd_row(),
                   ["拼多多店铺账务明细查询", "", "起始时间：2023-11-01 终止时间：2023-11-30"],
                   ["#收入合计：1笔，共5.00元", "#导出时间：2023-12-01"]), block=BLOCKS)
def test_pdd_account_vectorised_equals_per_row(file: tuple[bytes, str], block: int,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    assert_same_reading(PddAccount(), file[0], block, monkeypatch)


def test_a_clean_export_is_read_column_wise(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The equivalence above would hold trivially if everything fell back to the per-row code:
    on a clean export every data row goes through vector_parse and none through parse_row."""
    from huikuan.synth import generate_files

    files = generate_files(tmp_path / "shop", orders=300, seed=3)
    pdd = generate_files(tmp_path / "pdd", orders=300, seed=3, platform="pdd")
    cases: list[tuple[TableImporter, Path]] = [
        (AlipayAccount(), files.alipay[0]), (TaobaoOrders(), files.orders[0]),
        (PddAccount(), pdd.bills[0])]
    for importer, path in cases:
        seen = {"vector": 0, "row": 0}
        vector_parse, parse_row = importer.vector_parse, importer.parse_row

        def counted_vector(rows: Any, vector_parse: Any = vector_parse,
                           seen: dict[str, int] = seen) -> Any:
            seen["vector"] += len(rows)
            return vector_parse(rows)

        def counted_row(row: Any, ctx: Any, parse_row: Any = parse_row,
                        seen: dict[str, int] = seen) -> None:
            seen["row"] += 1
            parse_row(row, ctx)

        monkeypatch.setattr(importer, "vector_parse", counted_vector)
        monkeypatch.setattr(importer, "parse_row", counted_row)
        result = _read(importer, path)
        assert not result.errors
        assert seen == {"vector": result.rows_read, "row": 0}
        assert result.rows_read == {**files.rows, **pdd.rows}[path.name]


@pytest.mark.parametrize("lines_per_block", [2, 3, 4, 5])
def test_a_footer_at_the_end_of_a_block_carries_into_the_next(
        lines_per_block: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """A footer line mid-data, then a short line and a data row: the next block must still be
    read as after a footer (the short line is footer, the data row warns and is read). Every
    line has the same length, so blocks end exactly between lines."""
    row = ["2023110120004001110056{:010d}", "", "T200P3300000006276938738", "围巾",
           "2023-11-01 00:01:08", "", "+128.00", "", "", "支付宝", "在线支付", "", "", ""]
    body = [",".join(row).format(i) for i in range(12)]
    body[4], body[5] = "#备注：以下为补录", "x"
    body[9] = ""
    lines = [ALIPAY_PREAMBLE[0], ",".join(ALIPAY_HEADER), *body, *ALIPAY_FOOTER[1:3]]
    width = max(len(line.encode()) for line in lines) + 1
    padded = [line + " " * (width - len(line.encode()) - 1) for line in lines]
    content = "".join(f"{line}\n" for line in padded).encode()
    assert_same_reading(AlipayAccount(), content, width * lines_per_block, monkeypatch)
