"""Courier bills (快递对账单): one importer, two layouts (a 中通 monthly bill and a generic ERP bill)."""

from __future__ import annotations

from pathlib import Path

import pytest

from huikuan.importers import import_file
from huikuan.importers.sources.courier import courier_name
from tests.conftest import FIXTURES
from tests.importers.entries import entries_by_id as by_id
from tests.importers.golden import assert_golden

ZTO = FIXTURES / "courier_bill" / "zto_bill_2023-11.csv"
GENERIC = FIXTURES / "courier_bill" / "courier_generic_2023-11.csv"



def changed_zto(tmp_path: Path, old: str, new: str) -> Path:
    text = ZTO.read_bytes().decode("gbk")
    assert old in text
    path = tmp_path / "bill.csv"
    path.write_bytes(text.replace(old, new).encode("gbk"))
    return path


@pytest.mark.parametrize(("path", "name"), [(ZTO, "zto_bill_2023-11"), (GENERIC, "courier_generic_2023-11")])
def test_golden(path, name):
    assert_golden(import_file(path), name)


def test_zto_bill_waybills_are_costs_with_customer_code_and_courier():
    result = import_file(ZTO)
    assert (result.format_id, result.encoding) == ("courier_bill", "gbk")
    assert result.meta["account"] == "ZT57100012345"
    assert result.meta["period"] == "2023-11-01 至 2023-11-30"
    remote = by_id(result)["78312345678903"]
    assert (remote["kind"], remote["amount_minor"], remote["category"]) == ("shipment", -3500, "中通")
    assert remote["account"] == "ZT57100012345"
    assert "乌鲁木齐市" in remote["text"]
    assert "3kg" in remote["text"]
    assert remote["ts"].isoformat() == "2023-11-04T16:00:00+00:00"


def test_zto_footer_total_and_count_agree():
    result = import_file(ZTO)
    assert {c.name for c in result.checks} == {"费用合计", "运单数"}
    assert all(c.ok for c in result.checks)


def test_zto_footer_disagreement_is_a_warning(tmp_path: Path):
    result = import_file(changed_zto(tmp_path, ",66.50,", ",70.00,"))
    assert any("费用合计" in w and "70.00" in w for w in result.warnings)


def test_waybill_billed_twice_is_kept_and_reported():
    result = import_file(ZTO)
    entries = by_id(result)
    assert entries["78312345678902"]["amount_minor"] == -750
    assert entries["78312345678902/2"]["amount_minor"] == -750
    assert any("78312345678902 (2×)" in w for w in result.warnings)


def test_row_whose_parts_do_not_add_up_is_read_as_billed_and_reported():
    result = import_file(ZTO)
    assert by_id(result)["78312345678905"]["amount_minor"] == -1050
    assert any("line 12" in w and "9.50" in w and "10.50" in w for w in result.warnings)


def test_generic_bill_links_waybills_to_orders():
    result = import_file(GENERIC)
    assert result.format_id == "courier_bill"
    entries = by_id(result)
    sf = entries["SF1401234567890"]
    assert (sf["amount_minor"], sf["order_ref"], sf["category"]) == (-1200, "231101-518273645012345", "顺丰")
    assert entries["SF1401234567891"]["order_ref"] == "3518234567891234567"
    claim = entries["YT7001234567891"]
    assert (claim["amount_minor"], claim["order_ref"]) == (5000, None)  # a claim paid back to the merchant
    assert result.checks
    assert all(c.ok for c in result.checks)


def test_bad_weight_is_a_row_error_with_its_line(tmp_path: Path):
    result = import_file(changed_zto(tmp_path, "2,78312345678902,2023-11-02,广东省,深圳市,1.32,2,",
                                     "2,78312345678902,2023-11-02,广东省,深圳市,1.32,二,"))
    assert [e.line for e in result.errors] == [8]
    assert "计费重量" in result.errors[0].reason


@pytest.mark.parametrize(("text", "name"), [
    ("中通快递客户对账单", "中通"), ("顺丰速运", "顺丰"), ("韵达快递", "韵达"), ("某某物流", "某某物流"),
])
def test_courier_name(text, name):
    assert courier_name(text) == name
