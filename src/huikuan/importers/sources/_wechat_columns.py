"""The WeChat Pay trade bill read column-wise: :meth:`WechatTrade.parse_row` on whole columns.

A 200 000-order bill took about 17 µs a row through the per-row code; here the cells of a block
are cleaned, parsed and turned into entries by Arrow kernels, and only the rows this reading
cannot vouch for go to ``parse_row`` (see :mod:`huikuan.importers.vector`). Two things make the
trade bill harder than a stateless format, and both are kept exactly:

- **record ids seen twice** become ``id#2``, ``id#3`` … in file order (:func:`unique_id`). The
  vector reader parses a block's ``ok`` rows before the per-row code reads the block's other
  rows, so a row is ``ok`` only where its id is new to the file, unique in the block, and not
  the id any other row of the block would claim. Every other row of that id goes to
  ``parse_row`` in line order and is numbered exactly as before.
- **running totals** (:func:`tally`) for the summary check are added up for the ``ok`` rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc

from huikuan.domain.entry import Kind, Status
from huikuan.domain.money import format_minor_array
from huikuan.importers import vector_cells as vc
from huikuan.importers.cells import IdError, clean_id
from huikuan.importers.sources._cn_bills import tally
from huikuan.importers.vector import VectorEntries, VectorRows

if TYPE_CHECKING:
    from huikuan.importers.base import ReadContext, TableImporter

#: every first character of a cell that :func:`normalise_header` may turn into ``总交易单数``:
#: padding, spaces, ``#`` and ``"`` (stripped), characters whose NFKC form starts with one of
#: them, and 总 itself. A row starting with one is a footer candidate, read by the per-row code.
#: (A test recomputes the set from the Unicode database.)
SUMMARY_PREFIXES: tuple[str, ...] = tuple(
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \"#\x85\xa0\xa8\xaf\xb4\xb8\u02d8\u02d9\u02da\u02db\u02dc"
    "\u02dd\u037a\u0384\u0385\u1680\u1fbd\u1fbf\u1fc0\u1fc1\u1fcd\u1fce\u1fcf\u1fdd\u1fde"
    "\u1fdf\u1fed\u1fee\u1ffd\u1ffe\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2017\u2028\u2029\u202f\u203e\u205f\u3000\u309b\u309c总\ufc5e\ufc5f\ufc60"
    "\ufc61\ufc62\ufc63\ufe49\ufe4a\ufe4b\ufe4c\ufe5f\ufe70\ufe72\ufe74\ufe76\ufe78\ufe7a"
    "\ufe7c\ufe7e\ufeff\uff02\uff03\uffe3")

#: a cell starting with a character str.strip() removes (clean_cell has removed the others)
_LEADING_SPACE = (r"^[\x09-\x0d\x1c-\x20\x85\xa0\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}"
                  r"\x{202f}\x{205f}\x{3000}]")
_AMOUNTS = ("settle", "coupon", "refund", "coupon_refund", "fee", "order_amount", "refund_requested")
_IDS = ("transaction_id", "merchant_order", "refund_id", "merchant_refund")
_NONE = ("/", "0", "-")  # what an optional id cell writes for "none" (optional_id)
_REFUND_STATUS = {"SUCCESS": Status.REFUNDED.value, "PROCESSING": Status.PENDING.value,
                  "FAIL": Status.CLOSED.value, "CHANGE": Status.PENDING.value}


def trade_entries(importer: TableImporter, rows: VectorRows) -> VectorEntries:
    """The entries and tallies ``parse_row`` gives for each row it can vouch for."""
    n = len(rows)
    ok = pa.repeat(True, n)
    values: dict[str, pa.Array] = {}
    for name in _AMOUNTS:
        values[name], parsed = _amount_or_zero(rows[name], importer.currency)
        ok = pc.and_(ok, parsed)
    ids: dict[str, pa.Array] = {}
    for name in _IDS:
        ids[name], id_ok = vc.ident(rows[name])
        ok = pc.and_(ok, id_ok)
    # str.upper() folds a few non-ASCII letters into ASCII ones (ſ → S): those rows go per row
    status_cell = rows["status"]
    ok = pc.and_(ok, pc.fill_null(pc.string_is_ascii(status_cell), False))
    status = pc.utf8_upper(status_cell)
    success = pc.equal(status, "SUCCESS")
    refund = pc.or_(pc.equal(status, "REFUND"), pc.equal(status, "REVOKED"))
    ok = pc.and_(ok, pc.or_(success, refund))  # anything else is the row error parse_row gives
    currency, currency_ok = _currency(rows["currency"], importer.currency)
    ok = pc.and_(ok, currency_ok)
    # the refund's time is 退款成功时间 where the bill has it
    when = pc.if_else(pc.and_(refund, vc.filled(rows["refund_done"])), rows["refund_done"],
                      rows["time"])
    ts, ts_ok = vc.timestamp(vc.strings(when), importer.tz)
    ok = pc.and_(ok, ts_ok)
    refund_status = rows["refund_status"]
    ok = pc.and_(ok, pc.or_(success, pc.fill_null(pc.string_is_ascii(refund_status), False)))
    trade_type = rows["trade_type"]
    ok = pc.and_(ok, pc.or_(success, pc.invert(pc.match_substring_regex(trade_type,
                                                                         _LEADING_SPACE))))
    transaction = ids["transaction_id"]
    refund_id = _optional(ids["refund_id"])
    key = vc.strings(pc.if_else(success, transaction, refund_id))
    named_by_status = pc.indices_nonzero(pc.and_(refund, pc.invert(vc.filled(refund_id))))
    if len(named_by_status):  # a refund without its own id: <微信订单号>/refund (or /revoked)
        key = vc.scatter(key, named_by_status, pc.binary_join_element_wise(
            pc.take(transaction, named_by_status), pc.utf8_lower(pc.take(status, named_by_status)),
            "/"))
    ok = pc.and_(ok, vc.filled(key))  # an empty id is numbered "", "#2" …: left to parse_row
    ok = claim_new_ids(rows, key, ok)
    _add_to_tally(rows.ctx, values, ok)

    order_amount = pc.if_else(vc.filled(rows["order_amount"]), values["order_amount"],
                              values["settle"])
    payment_text = _notes(
        rows["goods"], rows["attach"],
        _labelled("应结订单金额 ", values["settle"], currency,
                  pc.not_equal(values["settle"], order_amount)),
        _labelled("代金券 ", values["coupon"], currency, pc.not_equal(values["coupon"], 0)))
    merchant_refund = _optional(ids["merchant_refund"])
    refund_text = _notes(
        rows["goods"],
        pc.if_else(vc.filled(merchant_refund),
                   pc.binary_join_element_wise("商户退款单号", merchant_refund, " "), ""),
        rows["refund_type"])
    refund_category = pc.if_else(vc.filled(trade_type),
                                 pc.binary_join_element_wise(trade_type, status, " "), status)
    common = {"order_ref": ids["merchant_order"], "batch_ref": transaction,
              "counterparty": rows["user"], "currency": currency, "ts": ts}
    main = {
        **common, "record_id": key,
        "kind": pc.if_else(success, Kind.PAYMENT.value, Kind.REFUND.value),
        "amount_minor": pc.if_else(success, pc.abs(order_amount),
                                   pc.negate(pc.abs(values["refund"]))),
        "text": pc.if_else(success, payment_text, refund_text),
        "status": pc.if_else(success, Status.PAID.value, pc.fill_null(
            vc.lookup(pc.utf8_upper(refund_status), _REFUND_STATUS), Status.REFUNDED.value)),
        "category": pc.if_else(success, trade_type, refund_category),
    }
    rate = rows["rate"]
    fee = {
        **common, "record_id": pc.binary_join_element_wise(key, "fee", "/"),
        "kind": Kind.FEE.value, "amount_minor": pc.negate(values["fee"]),
        "text": pc.if_else(vc.filled(rate), pc.binary_join_element_wise("费率", rate, " "), ""),
        "category": "手续费", "present": pc.not_equal(values["fee"], 0),
    }
    return VectorEntries(ok, [main, fee])


def _amount_or_zero(cells: pa.Array, currency: str) -> tuple[pa.Array, pa.Array]:
    """An amount column where an empty cell is 0 (``WechatTrade.amount``), and where it was read.
    A bill repeats few distinct amounts (prices, 0.00, fees), so where they are few each is
    parsed once and the results are spread back to the rows."""
    encoded = pc.dictionary_encode(cells)
    distinct = encoded.dictionary
    few = len(distinct) * 4 < len(cells)
    texts = distinct if few else cells
    value, parsed = vc.amount(texts, currency)
    written = vc.filled(texts)
    value, parsed = pc.if_else(written, value, 0), pc.or_(pc.invert(written), parsed)
    if few:
        value, parsed = pc.take(value, encoded.indices), pc.take(parsed, encoded.indices)
    return value, parsed


def _currency(cells: pa.Array, default: str) -> tuple[pa.Array, pa.Array]:
    """货币种类 as parse_row takes it: three letters upper-cased, anything else the default.
    Three characters that are not ASCII letters would fail the entry's currency check: per row."""
    three = pc.equal(pc.utf8_length(cells), 3)
    letters = pc.match_substring_regex(cells, "^[A-Za-z]{3}$")
    currency = pc.if_else(three, pc.utf8_upper(cells), default)
    return vc.strings(currency), pc.or_(pc.invert(three), letters)


def _optional(cells: pa.Array) -> pa.Array:
    """:func:`optional_id` for a column of ids that are already exact."""
    return pc.if_else(pc.is_in(cells, value_set=pa.array(_NONE)), "", cells)


def _labelled(label: str, amounts: pa.Array, currency: pa.Array, where: pa.Array) -> pa.Array:
    """``label`` and the amount as :func:`format_minor` writes it, where ``where``; else ``""``."""
    positions = pc.indices_nonzero(where)
    empty = pa.repeat("", len(amounts)).cast(pa.string())
    if len(positions) == 0:
        return empty
    amounts, currency = pc.take(amounts, positions), pc.take(currency, positions)
    text = pc.binary_join_element_wise(label, format_minor_array(amounts, currency), "")
    return vc.scatter(empty, positions, text)


def _notes(*parts: pa.Array) -> pa.Array:
    """``" | ".join`` of the parts that are not empty, row by row (joined only where two are)."""
    joined = parts[0]
    for part in parts[1:]:
        has_part = vc.filled(part)
        if not pc.any(has_part).as_py():
            continue
        has_joined = vc.filled(joined)
        both = pc.indices_nonzero(pc.and_(has_joined, has_part))
        joined = pc.if_else(has_joined, joined, part)
        if len(both):
            text = pc.binary_join_element_wise(pc.take(joined, both), pc.take(part, both), " | ")
            joined = vc.scatter(vc.strings(joined), both, text)
    return vc.strings(joined)


class _Claimed:
    """The ids the column-wise path claimed in this file, as Arrow arrays."""

    def __init__(self) -> None:
        self.arrays: list[pa.Array] = []


def claim_new_ids(rows: VectorRows, key: pa.Array, ok: pa.Array) -> pa.Array:
    """``ok`` narrowed to rows whose id no other row of the file claims before them, and those
    ids counted as seen (see the module docstring). A row not ``ok`` may still claim its id in
    ``parse_row``: its id is worked out here as parse_row would, and rows sharing it wait."""
    seen = tally(rows.ctx).ids
    held = [k for k in (_row_key(rows, i) for i in pc.indices_nonzero(pc.invert(ok)).to_pylist())
            if k is not None]
    # the ids this path claimed, as Arrow; the counter holds them too, and whatever parse_row
    # claimed: listed only when there is such an id (a file with odd rows)
    claimed = rows.ctx.state(_Claimed).arrays
    if len(seen) == sum(len(ids) for ids in claimed):
        taken = pa.concat_arrays([*claimed, pa.array(held, pa.string())])
    else:
        taken = pa.array([*seen, *held], pa.string())
    picked = pc.indices_nonzero(ok)
    candidates = pc.take(key, picked)
    clash = pc.is_in(candidates, value_set=taken)
    if len(pc.unique(candidates)) != len(candidates):  # the same id twice in the block
        counts = pc.value_counts(candidates)
        twice = pc.filter(counts.field("values"), pc.greater(counts.field("counts"), 1))
        clash = pc.or_(clash, pc.is_in(candidates, value_set=twice))
    if pc.any(clash).as_py():
        ok = vc.scatter(ok, pc.filter(picked, clash), pa.repeat(False, pc.sum(clash).as_py()))
        candidates = pc.filter(candidates, pc.invert(clash))
    candidates = vc.strings(candidates)
    claimed.append(candidates)
    dict.update(seen, dict.fromkeys(candidates.to_pylist(), 1))  # new keys: no counting needed
    return ok


def _row_key(rows: VectorRows, i: int) -> str | None:
    """The id parse_row would hand to :func:`unique_id` for row ``i``, if it got that far."""
    status = rows["status"][i].as_py().upper()
    if status not in ("SUCCESS", "REFUND", "REVOKED"):
        return None
    transaction = _exact_id(rows["transaction_id"][i].as_py())
    if status == "SUCCESS":
        return transaction
    refund_id = _exact_id(rows["refund_id"][i].as_py())
    return refund_id if refund_id not in ("", *_NONE) else f"{transaction}/{status.lower()}"


def _exact_id(cell: str) -> str:
    try:
        return clean_id(cell) if cell else ""
    except IdError:
        return ""


def _add_to_tally(ctx: ReadContext, values: dict[str, pa.Array], ok: pa.Array) -> None:
    """The summary's running totals, as parse_row adds them row by row."""
    t = tally(ctx)
    count = pc.sum(ok).as_py() or 0
    t.counts["rows"] += count
    t.sums["rows"] += 0
    for key, name in (("settle", "settle"), ("refund", "refund"), ("coupon_refund", "coupon_refund"),
                      ("fee", "fee"), ("refund_requested", "refund_requested"),
                      ("order", "order_amount")):
        t.sums[key] += _exact_sum(pc.filter(values[name], ok))


def _exact_sum(values: pa.Array) -> int:
    """The sum as a Python int: Arrow's int64 sum would wrap around on huge amounts."""
    if len(values) == 0:
        return 0
    largest = pc.max(pc.abs(values)).as_py() or 0
    if largest * len(values) < 2**62:
        return int(pc.sum(values).as_py() or 0)
    return sum(values.to_pylist())
