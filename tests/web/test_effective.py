"""The prepared folder the pages read (``huikuan.web.effective``) shows exactly what the run plus
its decisions show when computed on the fly: every tab, every page, every filter, the counts and
the cards; and it follows each new decision and undo."""

from __future__ import annotations

import duckdb
import pytest

from huikuan.receivables import ResultSet
from huikuan.web import workbench
from huikuan.web.effective import effective_folder
from huikuan.web.models import Run
from huikuan.web.services import decisions
from huikuan.web.storage import resolve
from tests.web.helpers import reconcile_month

pytestmark = [pytest.mark.web, pytest.mark.django_db]

FLOW = "orders-settlement"


def on_the_fly(run: Run, tab: str, filters: workbench.Filters, number: int, size: int) -> workbench.Page:
    with duckdb.connect() as con:
        overlay = decisions.effective(run, FLOW, con).overlay
    return workbench.page(resolve(run.company, run.result_path) / FLOW, tab, filters, number, size,
                          overlay=overlay)


def assert_same_pages(run: Run) -> None:
    prepared = effective_folder(run, FLOW)
    with duckdb.connect() as con:
        overlay = decisions.effective(run, FLOW, con).overlay
    original = resolve(run.company, run.result_path) / FLOW
    assert workbench.tab_counts(prepared) == workbench.tab_counts(original, overlay)
    assert workbench.overview(prepared) == workbench.overview(original, overlay)
    some = workbench.page(prepared, "auto", workbench.Filters(), size=5).rows[0]
    filters = [workbench.Filters(), workbench.Filters(text=str(some["order_ref"])),
               workbench.Filters(amount=f"{abs(some['amount_minor']) / 100:.2f}"),
               workbench.Filters(date_from="2023-11-10", date_to="2023-11-20")]
    for tab in workbench.TABS:
        for f in filters:
            first = on_the_fly(run, tab, f, 1, 7)
            for number in range(1, min(first.pages, 4) + 1):
                expected = on_the_fly(run, tab, f, number, 7)
                got = workbench.page(prepared, tab, f, number, 7)
                assert (got.total, got.pages, got.number) == (expected.total, expected.pages, expected.number)
                assert got.rows == expected.rows, (tab, f, number)
            last = workbench.page(prepared, tab, f, 10**6, 7)  # past the end: the last page
            assert last.rows == on_the_fly(run, tab, f, 10**6, 7).rows


def test_prepared_pages_equal_the_run_plus_its_decisions(shop, month) -> None:
    run = reconcile_month(shop, month)
    assert_same_pages(run)  # no decision yet
    left = workbench.page(effective_folder(run, FLOW), "unmatched_left", workbench.Filters(), size=500).rows
    right = workbench.page(effective_folder(run, FLOW), "unmatched_right", workbench.Filters(), size=500).rows
    pair = next((a, b) for a in left for b in right if a["amount_minor"] == b["amount_minor"] > 0)
    before = effective_folder(run, FLOW)
    outcome = decisions.manual_match(shop.user, run, FLOW, decisions.refs(
        run, [(r["file"], r["record_id"], r["side"]) for r in pair]))
    after = effective_folder(run, FLOW)
    assert after != before, "a new decision must give a new prepared folder"
    manual = workbench.page(after, "manual", workbench.Filters()).rows
    assert {(r["record_id"], r["side"]) for r in manual} == {(r["record_id"], r["side"]) for r in pair}
    assert all(r["decision_id"] == str(outcome.decision.pk) for r in manual)
    assert_same_pages(run)
    decisions.undo(shop.user, run, outcome.decision.pk)
    undone = effective_folder(run, FLOW)
    assert workbench.page(undone, "manual", workbench.Filters()).total == 0
    assert workbench.tab_counts(undone) == workbench.tab_counts(before)


def test_the_reports_read_the_decisions(shop, month) -> None:
    """The 回款 pages open ``selectors.result_folders``: a hand match shows there too."""
    from huikuan.web.selectors import result_folders

    run = reconcile_month(shop, month)
    folder = effective_folder(run, FLOW)
    left = workbench.page(folder, "unmatched_left", workbench.Filters(), size=500).rows
    right = workbench.page(folder, "unmatched_right", workbench.Filters(), size=500).rows
    pair = next((a, b) for a in left for b in right if a["amount_minor"] == b["amount_minor"] > 0)
    decisions.manual_match(shop.user, run, FLOW, decisions.refs(
        run, [(r["file"], r["record_id"], r["side"]) for r in pair]))
    with ResultSet(result_folders([run])) as rs:
        found = rs.query("SELECT match_status FROM entries WHERE record_id = ? AND side = 'left'",
                         [pair[0]["record_id"]])
    assert found["match_status"].to_pylist() == ["manual"]


def test_a_result_written_before_balances_existed_still_opens(shop, month, tmp_path) -> None:
    """Runs made by an earlier version lack ``balance_minor``: the pages and decisions read them
    with the column null instead of failing."""
    import pyarrow.parquet as pq

    run = reconcile_month(shop, month)
    path = resolve(run.company, run.result_path) / FLOW / "entries.parquet"
    table = pq.read_table(path)
    pq.write_table(table.drop_columns(["balance_minor"]), path)
    folder = effective_folder(run, FLOW)
    rows = workbench.page(folder, "auto", workbench.Filters()).rows
    assert rows
    auto = sum(1 for status in table["match_status"].to_pylist() if status == "auto")
    assert workbench.tab_counts(folder)["auto"] == auto
    left = workbench.page(folder, "unmatched_left", workbench.Filters(), size=500).rows
    right = workbench.page(folder, "unmatched_right", workbench.Filters(), size=500).rows
    pair = next((a, b) for a in left for b in right if a["amount_minor"] == b["amount_minor"] > 0)
    decisions.manual_match(shop.user, run, FLOW, decisions.refs(
        run, [(r["file"], r["record_id"], r["side"]) for r in pair]))
    assert workbench.page(effective_folder(run, FLOW), "manual", workbench.Filters()).total == 2


def test_text_search_finds_part_of_an_order_number_or_a_counterparty(shop, month) -> None:
    """Digits search order numbers and record ids as substrings; letters search case-blind."""
    import pyarrow.parquet as pq

    run = reconcile_month(shop, month)
    folder = effective_folder(run, FLOW)
    entries = [r for r in pq.read_table(folder / "entries.parquet").to_pylist() if r["tab"] == "auto"]
    part = next(r["order_ref"] for r in entries if r["order_ref"])[-7:-1]  # the middle of a number
    expected = {r["record_id"] for r in entries if part in (r["order_ref"] or "") or part in r["record_id"]
                or part in (r["counterparty"] or "")}
    found = workbench.page(folder, "auto", workbench.Filters(text=part), size=10_000).rows
    assert {r["record_id"] for r in found} == expected
    name = next(r["counterparty"] for r in entries if r["counterparty"] and r["counterparty"][:1].isalpha())
    typed = name[:4].swapcase()
    expected = {r["record_id"] for r in entries if typed.lower() in (r["counterparty"] or "").lower()
                or typed.lower() in (r["order_ref"] or "").lower() or typed.lower() in r["record_id"].lower()}
    found = workbench.page(folder, "auto", workbench.Filters(text=typed), size=10_000).rows
    assert {r["record_id"] for r in found} == expected


def test_the_run_job_prepares_every_flow_before_anyone_opens_a_page(shop, month) -> None:
    from huikuan.web.effective import version

    run = reconcile_month(shop, month)
    for flow in run.flows:
        prepared = resolve(run.company, run.result_path) / "effective" / version(run, flow) / flow
        assert (prepared / workbench.PREPARED).is_file(), flow
