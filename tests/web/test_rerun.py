"""A re-run keeps the decisions that still apply: the same inputs replay to identical effective
entries; a new file that settles a hand-matched order leaves that match listed as stale."""

from __future__ import annotations

import io
from pathlib import Path

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from huikuan.results.decisions import apply_decisions
from huikuan.web.jobs import work_once
from huikuan.web.models import Decision, Run
from huikuan.web.services import decisions, runs
from huikuan.web.storage import resolve
from tests.web.helpers import reconcile_month, upload
from tests.web.test_decisions import a_pair, keys, suggesting_month, tab

pytestmark = [pytest.mark.web, pytest.mark.django_db]
__all__ = ["suggesting_month"]  # the fixture, shared with test_decisions


def rerun(shop, run: Run) -> Run:
    again = runs.start_run(shop.company, shop.store, shop.bank, run.period_start, run.period_end,
                           user=shop.user)
    assert work_once()
    again.refresh_from_db()
    assert again.status == "done", again.error
    return again


def effective_bytes(run: Run, flow: str) -> bytes:
    """The run's effective entries (its entries.parquet with its active decisions applied),
    sorted by record, as CSV bytes."""
    entries = pq.read_table(resolve(run.company, run.result_path) / flow / "entries.parquet")
    table = apply_decisions(entries, [decisions.as_data(d) for d in decisions.active(run, flow)],
                            decisions.file_names(run), relation=decisions.RELATION[flow])
    table = table.sort_by([("side", "ascending"), ("file", "ascending"), ("line", "ascending"),
                           ("record_id", "ascending")])
    out = io.BytesIO()
    pacsv.write_csv(table, out)
    return out.getvalue()


def decide_a_month(shop, run: Run) -> None:
    """Every kind of decision, one of them undone."""
    decisions.confirm(shop.user, run, "payout-bank", tab(run, "payout-bank", "suggested")[0]["match_id"])
    left, right = a_pair(run)
    decisions.manual_match(shop.user, run, "orders-settlement", decisions.refs(run, keys([left, right])))
    rounding = tab(run, "orders-settlement", "differences")[0]["match_id"]
    group = decisions.group(run, "orders-settlement", rounding)
    decisions.write_off(shop.user, run, "orders-settlement", group, "rounding", note="尾差 1 分")
    auto = tab(run, "orders-settlement", "auto")
    decisions.unmatch(shop.user, run, "orders-settlement", auto[0]["match_id"])
    decisions.add_note(shop.user, run, "orders-settlement", decisions.refs(run, keys(auto[2:3])), "已核对")
    undone = decisions.add_note(shop.user, run, "payout-bank",
                                decisions.refs(run, keys(tab(run, "payout-bank", "unmatched_left")[:1])), "x")
    decisions.undo(shop.user, run, undone.decision.pk)


def test_a_run_and_its_decisions_replay_to_identical_effective_entries(shop, suggesting_month) -> None:
    first = reconcile_month(shop, suggesting_month)
    decide_a_month(shop, first)
    second = rerun(shop, first)
    carried = list(second.decisions.order_by("id"))
    assert len(carried) == 5  # the undone note stays behind
    assert all(d.active and d.carried_from is not None for d in carried)
    for flow in ("orders-settlement", "payout-bank"):
        assert effective_bytes(second, flow) == effective_bytes(first, flow)
    for name in ("manual", "written_off", "confirmed", "unmatched_right"):
        flow = "payout-bank" if name == "confirmed" else "orders-settlement"
        assert keys(tab(second, flow, name)) == keys(tab(first, flow, name)) != []
    # the first run is superseded: decisions are made on the latest run only
    payout = decisions.refs(first, keys(tab(first, "payout-bank", "unmatched_left")[:1]))
    with pytest.raises(decisions.DecisionRefused):
        decisions.add_note(shop.user, first, "payout-bank", payout, "late")
    assert not first.decisions.filter(note="late").exists()
    # and the decisions carried a second time still name the decisions first made
    third = rerun(shop, second)
    assert effective_bytes(third, "orders-settlement") == effective_bytes(first, "orders-settlement")


def late_payment(folder: Path, bill: Path, order_ref: str, amount_minor: int) -> Path:
    """An Alipay statement (the synth layout) with one payment for ``order_ref``, as a late
    re-export of the month would bring it."""
    lines = bill.read_bytes().decode("gbk").splitlines()
    head = lines[:5]
    yuan = f"{amount_minor // 100}.{amount_minor % 100:02d}"
    row = (f"20231130200040011100569999999999\t,2023113022001782119999999999\t,T200P{order_ref}\t,羊毛帽子\t,"
           f"2023-11-30 20:00:00\t,黄**(hua***@qq.com)\t,+{yuan}\t,\t,{yuan}\t,支付宝\t,在线支付\t,\t,")
    tail = [lines[-4], "#支出合计：0笔，共0.00元", f"#收入合计：1笔，共{yuan}元", lines[-1]]
    path = folder / "alipay_2023-11_late.csv"
    path.write_bytes("\r\n".join([*head, row, *tail, ""]).encode("gbk"))
    return path


def test_a_new_file_keeps_the_decisions_that_still_apply_and_lists_the_rest(shop, suggesting_month,
                                                                            tmp_path) -> None:
    first = reconcile_month(shop, suggesting_month)
    left, right = a_pair(first)
    decisions.confirm(shop.user, first, "payout-bank", tab(first, "payout-bank", "suggested")[0]["match_id"])
    decisions.manual_match(shop.user, first, "orders-settlement", decisions.refs(first, keys([left, right])))
    payment = decisions.refs(first, keys([right]))
    decisions.add_note(shop.user, first, "orders-settlement", payment, "买家补款")
    upload(shop, late_payment(tmp_path, suggesting_month.alipay[0], left["order_ref"], left["amount_minor"]))

    second = rerun(shop, first)
    assert len(second.input_hashes["platform"]) == len(first.input_hashes["platform"]) + 1
    by_kind = {d.kind: d for d in second.decisions.all()}
    assert by_kind["confirm"].active
    assert by_kind["note"].active
    assert by_kind["manual_match"].stale_reason == "a record is already matched"
    # the order found its payment in the new file; the payment it was matched with by hand is
    # unmatched again, still with its note
    now = {r["record_id"]: r for r in tab(second, "orders-settlement", "auto", text=left["record_id"])}
    assert now[left["record_id"]]["match_status"] == "auto"
    unmatched = {r["record_id"]: r for r in tab(second, "orders-settlement", "unmatched_right")}
    assert unmatched[right["record_id"]]["note"] == "买家补款"
    assert tab(second, "payout-bank", "confirmed")


def test_the_run_page_lists_the_decisions_that_no_longer_apply(shop, suggesting_month, tmp_path,
                                                               client) -> None:
    from django.urls import reverse

    first = reconcile_month(shop, suggesting_month)
    left, right = a_pair(first)
    decisions.manual_match(shop.user, first, "orders-settlement", decisions.refs(first, keys([left, right])))
    upload(shop, late_payment(tmp_path, suggesting_month.alipay[0], left["order_ref"], left["amount_minor"]))
    second = rerun(shop, first)
    client.force_login(shop.user)
    page = client.get(reverse("run", args=[shop.company.pk, second.pk])).content.decode()
    assert "有记录已经匹配" in page  # "a record is already matched", in the page's language
    assert left["record_id"] in page
    assert Decision.objects.filter(run=second, stale_reason="").count() == 0
