"""The WeChat Pay trade bill read column-wise against the per-row reference, on generated bills.

Hypothesis writes trade bills the way WeChat Pay writes them and the way they arrive damaged:
every cell behind a backtick (sometimes two, sometimes tab-padded or bare), the SUCCESS, full and
REFUND layouts, refunds with and without their own id, revoked payments, fees given back, ids
repeated within a block and across blocks (numbered ``#2`` … in file order), odd statuses and
currencies, the summary footer (missing, disguised, in the middle, or followed by data), blank,
short, quoted and multi-line lines. Both readings must give the same entries, row errors, warnings,
checks and named lines (see :func:`assert_same_reading`).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from huikuan.importers.cells import normalise_header
from huikuan.importers.sources._wechat_columns import SUMMARY_PREFIXES
from huikuan.importers.sources.wechat_pay import WechatTrade
from tests.importers.test_vector_equivalence import (
    AMOUNTS,
    BLOCKS,
    DIGITS,
    IDS,
    SETTINGS,
    TIMES,
    WORDS,
    assert_same_reading,
)

FULL = ["交易时间", "公众账号ID", "商户号", "特约商户号", "设备号", "微信订单号", "商户订单号", "用户标识",
        "交易类型", "交易状态", "付款银行", "货币种类", "应结订单金额", "代金券金额", "微信退款单号",
        "商户退款单号", "退款金额", "充值券退款金额", "退款类型", "退款状态", "商品名称", "商户数据包",
        "手续费", "费率", "订单金额", "申请退款金额", "费率备注"]
#: the SUCCESS bill has no refund columns; the REFUND bill adds the refund's times
SUCCESS_ONLY = [c for c in FULL if c not in ("微信退款单号", "商户退款单号", "退款金额", "充值券退款金额",
                                             "退款类型", "退款状态")]
REFUNDS = [*FULL[:20], "退款申请时间", "退款成功时间", *FULL[20:]]
SUMMARY = ["总交易单数", "应结订单总金额", "退款总金额", "充值券退款总金额", "手续费总金额", "订单总金额",
           "申请退款总金额"]

CENTS = st.integers(-10**6, 10**8).map(
    lambda c: f"{'-' if c < 0 else ''}{abs(c) // 100}.{abs(c) % 100:02d}")
WHEN = st.builds(lambda d, s: f"2023-11-{d:02d} {s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}",
                 st.integers(1, 30), st.integers(0, 86399))
#: a few ids drawn again and again, so that rows share them within and across blocks
SHARED = st.sampled_from(["4200001987202311021234567801", "4200001987202311021234567802", "503015"])
NO_ID = st.sampled_from(["0", "/", "-", ""])

#: per column: the cells of a bill as WeChat writes it, and odd cells (which the per-row code may
#: read differently or refuse); columns not listed are constant
USUAL_AND_ODD: dict[str, tuple[st.SearchStrategy[str], st.SearchStrategy[str]]] = {
    "交易时间": (WHEN, TIMES),
    "微信订单号": (st.one_of(SHARED, DIGITS, DIGITS, DIGITS), IDS),
    "商户订单号": (st.sampled_from(["E202311013988749897", "WX20231102000101", "E1"]), IDS),
    "用户标识": (st.sampled_from(["oUpF8u0264641544Wx", "", "a b"]), WORDS),
    "交易类型": (st.sampled_from(["JSAPI", "NATIVE", "MICROPAY", ""]),
                 st.sampled_from(["\u2003JSAPI", "\x1cAPP", "x y", "ＡＰＰ"])),
    "交易状态": (st.sampled_from(["SUCCESS", "SUCCESS", "REFUND", "REVOKED"]),
                 st.sampled_from(["refund", "Success", "\u017fUCCESS", "CLOSED", "", "NOTPAY"])),
    "货币种类": (st.sampled_from(["CNY", "CNY", "cny", "USD", "JPY", ""]),
                 st.sampled_from(["人民币", "CN", "C1Y", "ＣＮＹ", "\u017fGD"])),
    "微信退款单号": (st.one_of(SHARED, NO_ID, DIGITS, DIGITS),
               st.sampled_from(["1.2E+19", "５０３", "12345678901234.0"])),
    "商户退款单号": (st.one_of(NO_ID, st.just("RF2023110351246807")), IDS),
    "退款类型": (st.sampled_from(["ORIGINAL", "BALANCE", ""]), WORDS),
    "退款状态": (st.sampled_from(["SUCCESS", "PROCESSING", "FAIL", "CHANGE", ""]),
                 st.sampled_from(["success", "\u017fUCCESS", "?"])),
    "退款申请时间": (WHEN, TIMES),
    "退款成功时间": (st.one_of(st.just(""), WHEN), TIMES),
    "商户数据包": (st.sampled_from(["", "attach", "a|b"]), WORDS),
    "手续费": (CENTS.map(lambda c: f"{c}000"),  # five decimals, whole fen
               st.one_of(st.sampled_from(["0.00612", "-0.25001", "0.6"]), AMOUNTS)),
    "费率": (st.sampled_from(["0.60%", "", "0.38%"]), WORDS),
    **{name: (st.one_of(CENTS, st.just("0.00")), st.one_of(st.sampled_from(["", "12.340"]), AMOUNTS))
       for name in ("应结订单金额", "代金券金额", "退款金额", "充值券退款金额", "订单金额", "申请退款金额")},
}
CONSTANT = {"公众账号ID": "wx8a1b2c3d4e5f6a7b", "商户号": "1900012345", "特约商户号": "0", "设备号": "",
            "付款银行": "CMB_DEBIT", "费率备注": ""}


@st.composite
def wechat_cell(draw: Callable[..., Any], value: str, odd: bool) -> str:
    """A cell as WeChat writes it (behind a backtick), or as a re-saved bill has it."""
    forms = ["tick", "tick_tab", "tab", "plain", "wide", "formula"] + (["double"] if odd else [])
    form = draw(st.sampled_from(["tick"] * 10 + forms))
    return {"tick": f"`{value}", "double": f"``{value}", "tick_tab": f"`{value}\t",
            "tab": f"{value}\t", "plain": value, "wide": f"`\u3000{value}",
            "formula": f'="{value}"'}[form]


def wechat_row(header: list[str]) -> st.SearchStrategy[list[str]]:
    """A data row of ``header``'s layout: usual (read column-wise) two times in three, else with
    an odd cell or two (one at a time, so that the rest of the row does not hide it)."""

    @st.composite
    def row(draw: Callable[..., Any]) -> list[str]:
        varied = [name for name in header if name in USUAL_AND_ODD]
        odd = (set(draw(st.lists(st.sampled_from(varied), min_size=1, max_size=2)))
               if draw(st.integers(0, 2)) == 0 else set())
        cells = []
        for name in header:
            if name == "商品名称":
                value = "".join(draw(st.lists(WORDS, max_size=3)))
            elif name in CONSTANT:
                value = CONSTANT[name]
            else:
                usual, unusual = USUAL_AND_ODD[name]
                value = draw(unusual if name in odd else usual)
            cells.append(draw(wechat_cell(value, name in odd)))
        return cells

    return row()


@st.composite
def wechat_bill(draw: Callable[..., Any]) -> bytes:
    """A whole trade bill: header, rows with damaged lines among them, summary."""
    header = draw(st.sampled_from([FULL, FULL, SUCCESS_ONLY, REFUNDS]))
    first = draw(st.sampled_from(["总交易单数", "总交易单数", "#总交易单数", "\u2003总交易单数",
                                  "总 交易单数", "`总交易单数"]))
    # the summary's values: a count and six amounts, as a rule (else the whole file is refused)
    stated = [draw(st.integers(0, 20).map(str)), *draw(st.lists(CENTS, min_size=6, max_size=6))]
    if draw(st.integers(0, 9)) == 0:
        stated[draw(st.integers(0, 6))] = draw(st.one_of(AMOUNTS, DIGITS))
    values = ",".join(f"`{v}" for v in stated)
    footer = draw(st.sampled_from([
        [",".join([first, *SUMMARY[1:]]), values],
        [",".join([first, *SUMMARY[1:]])],  # the summary row is missing
        [],  # no summary at all
        [",".join([first, *SUMMARY[1:]]), values, ",".join(draw(wechat_row(header)))],
    ]))
    lines = [",".join(header)]
    for row in draw(st.lists(wechat_row(header), min_size=1, max_size=30)):
        lines += draw(st.sampled_from(DAMAGE))(row)
        lines.append(",".join(row))
    lines += footer
    newline = draw(st.sampled_from(["\r\n", "\n"]))
    text = newline.join(lines) + draw(st.sampled_from([newline, ""]))
    bom = draw(st.sampled_from(["\ufeff", ""]))  # as downloaded: UTF-8 with a BOM
    return (bom + text).encode("utf-8", errors="surrogateescape")


#: what may come before a data row: nothing (mostly), or a line damaged as real files are
DAMAGE: list[Callable[[list[str]], list[str]]] = [
    *[lambda row: []] * 8,
    lambda row: [""],
    lambda row: ["," * (len(row) - 1)],
    lambda row: [" \t ,\u3000,"],
    lambda row: [",".join(row[:3])],  # cut short
    lambda row: [",".join(['"a,b"', *row[1:]])],  # a quoted cell
    lambda row: [",".join([*row[:3], '"memo\nnext line"', *row[4:]])],  # a line break in it
    lambda row: [",".join(["`总交易单数", *SUMMARY[1:]])],  # a summary in the middle
    lambda row: [",".join(["\u2003" + row[0], *row[1:]])],  # a footer candidate that is data
]


@settings(SETTINGS, max_examples=200)
@given(content=wechat_bill(), block=BLOCKS)
def test_wechat_trade_vectorised_equals_per_row(content: bytes, block: int,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    assert_same_reading(WechatTrade(), content, block, monkeypatch)


def test_a_clean_wechat_bill_is_read_column_wise(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Every row of a clean bill (refunds and fees given back included) goes through
    vector_parse and none through parse_row — else the equivalence above says little."""
    from huikuan.synth import generate_files

    files = generate_files(tmp_path / "wechat", orders=400, seed=5, platform="wechat")
    importer = WechatTrade()
    seen = {"vector": 0, "row": 0}
    vector_parse, parse_row = importer.vector_parse, importer.parse_row

    def counted_vector(rows: Any) -> Any:
        seen["vector"] += len(rows)
        return vector_parse(rows)

    def counted_row(row: Any, ctx: Any) -> None:
        seen["row"] += 1
        parse_row(row, ctx)

    monkeypatch.setattr(importer, "vector_parse", counted_vector)
    monkeypatch.setattr(importer, "parse_row", counted_row)
    from huikuan.importers.reader import SourceFile

    result = importer.read(SourceFile(files.bills[0]))
    assert not result.errors
    assert all(check.ok for check in result.checks)
    assert seen == {"vector": result.rows_read, "row": 0}
    assert result.rows_read == files.rows[files.bills[0].name]
    kinds = set(result.entries["kind"].to_pylist())
    assert {"payment", "refund", "fee"} <= kinds


def test_repeated_ids_are_numbered_in_file_order_across_blocks(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same 微信订单号 on lines 2, 4 and 6, with a row parse_row must read in between:
    whatever block each falls in, the ids are X, X#2, X#3 in line order, as per row."""
    row = ("`2023-11-01 08:56:57,`wx1,`19,`0,`,`{tid},`E1,`u,`JSAPI,`{status},`CMB,`CNY,`5.00,"
           "`0.00,`0,`0,`0.00,`0.00,`,`,`tea,`,`0.03000,`0.60%,`5.00,`0.00,`")
    lines = [",".join(FULL)]
    for i in range(8):
        lines.append(row.format(tid="4200" if i % 2 == 0 else f"41{i}", status="SUCCESS"))
    lines[3] = lines[3].replace("`5.00,`0.00,`0,", "`5.0.0,`0.00,`0,")  # a row error on line 4
    lines[5] = lines[5].replace("`CNY", "`cny")  # still the column-wise reading
    content = ("\n".join(lines) + "\n").encode()
    for block in (200, 400, 1 << 20):
        assert_same_reading(WechatTrade(), content, block, monkeypatch)
    path = tmp_path / "bill.csv"
    path.write_bytes(content)
    from huikuan.importers.reader import SourceFile

    ids = WechatTrade().read(SourceFile(path)).entries["record_id"].to_pylist()
    assert [i for i in ids if i.startswith("4200") and not i.endswith("/fee")] == [
        "4200", "4200#2", "4200#3"]


def test_every_character_that_may_start_the_summary_is_a_footer_prefix() -> None:
    """A row whose first cell normalises to 总交易单数 must be a footer candidate of the
    column-wise reader, or a summary would be read as data: every such first character is
    listed (recomputed here from this Python's Unicode database)."""
    pad_and_guards = " \t\r\n\u3000\u00a0\ufeff\"#总"
    starts = set()
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code < 0xE000:
            continue
        folded = unicodedata.normalize("NFKC", chr(code))
        if folded and (folded[0] in pad_and_guards or re.match(r"\s", folded[0])):
            starts.add(chr(code))
    assert starts <= set(SUMMARY_PREFIXES)
    assert normalise_header("\u2003总交易单数") == "总交易单数"


def test_a_row_left_to_parse_row_takes_its_id_before_a_later_row(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A refund whose 交易类型 starts with an em space is read by parse_row (str.strip() is
    wider than the column-wise trim), after the block's column-wise rows: it still gets the
    refund id and the later refund of the same id gets ``#2``, as when read row by row."""
    row = ("`2023-11-0{day} 08:56:57,`wx1,`19,`0,`,`42000{day},`E1,`u,`{kind},`REFUND,`CMB,`CNY,"
           "`0.00,`0.00,`{refund},`RF1,`5.00,`0.00,`ORIGINAL,`SUCCESS,`tea,`,`-0.03000,`0.60%,`0.00,"
           "`5.00,`")
    lines = [",".join(FULL), row.format(day=1, refund="5030", kind="\u2003JSAPI"),
             row.format(day=2, refund="5031", kind="JSAPI"),
             row.format(day=3, refund="5030", kind="JSAPI")]
    content = ("\n".join(lines) + "\n").encode()
    assert_same_reading(WechatTrade(), content, 1 << 20, monkeypatch)
    path = tmp_path / "bill.csv"
    path.write_bytes(content)
    from huikuan.importers.reader import SourceFile

    entries = WechatTrade().read(SourceFile(path)).entries
    refunds = [(e["line"], e["record_id"], e["category"]) for e in entries.to_pylist()
               if e["kind"] == "refund"]
    assert refunds == [(2, "5030", "JSAPI REFUND"), (3, "5031", "JSAPI REFUND"),
                       (4, "5030#2", "JSAPI REFUND")]
