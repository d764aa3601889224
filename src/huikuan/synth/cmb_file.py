"""Writes the China Merchants Bank corporate statement (交易明细): GBK, CRLF, a preamble with
account and period, 32 columns, tab-guarded 流水号 and account numbers, and the footer with
借方/贷方 counts and totals."""

from __future__ import annotations

from pathlib import Path

from huikuan.synth import ids
from huikuan.synth.bank import PAYOUT_CREDIT, BankRow
from huikuan.synth.catalogue import BANK_ACCOUNT, COMPANY
from huikuan.synth.period import DAY, Texts, yuan
from huikuan.synth.truth import BANK_LABELS, PAYOUT_BANK, TruthWriter

HEADER = (
    "交易日,交易时间,起息日,交易类型,借方金额,贷方金额,余额,摘要,流水号,流程实例号,业务名称,用途,"
    "业务参考号,业务摘要,其它摘要,收/付方分行名,收/付方名称,收/付方帐号,收/付方开户行行号,"
    "收/付方开户行名,收/付方开户行地址,母/子公司帐号分行名,母/子公司帐号,母/子公司名称,信息标志,"
    "有否附件信息,冲帐标志,扩展摘要,交易分析码,票据号,商务支付订单号,内部编号"
)
_TRAILING = "," * 14


def write_cmb(path: Path, rows: list[BankRow], *, first: int, balance: int, since: int, until: int,
              texts: Texts, payout_serials: list[str], truth: TruthWriter) -> int:
    """Write ``rows`` (bank positions ``first``…) for the days ``[since, until)``; ``balance`` is
    the balance before the first row. Returns the balance after the last row."""
    last_day = texts.compact[texts.day_index(until - DAY)]
    lines = [
        f"账号：{BANK_ACCOUNT},账户名称：{COMPANY},币种：人民币\r\n",
        f"起始日期：{texts.compact[texts.day_index(since)]},终止日期：{last_day}\r\n",
        "\r\n",
        f"{HEADER}\r\n",
    ]
    records: list[tuple[str, str]] = []
    labels: list[int] = []
    debits = credits = debit_total = credit_total = 0
    for position, row in enumerate(rows, start=first):
        balance += row.amount
        day = texts.compact[texts.day_index(row.at)]
        debit = yuan(-row.amount) if row.amount < 0 else ""
        credit = yuan(row.amount) if row.amount > 0 else ""
        if row.amount < 0:
            debits, debit_total = debits + 1, debit_total - row.amount
        else:
            credits, credit_total = credits + 1, credit_total + row.amount
        serial = ids.bank_serial(position)
        account = f"\t{row.account}" if row.account else ""
        lines.append(
            f"{day},{texts.clock[row.at % DAY]},{day},{row.tx_type},{debit},{credit},{yuan(balance)},"
            f"{row.summary},\t{serial},,,{row.purpose},,{row.biz_summary},,,{row.name},{account},"
            f"{_TRAILING}\r\n"
        )
        group = f"payout:{payout_serials[row.payout]}" if row.role == PAYOUT_CREDIT else ""
        records.append((serial, group))
        labels.append(BANK_LABELS[row.role])
    lines.append("\r\n")
    lines.append(f"借方笔数：{debits},借方金额：{yuan(debit_total)},"
                 f"贷方笔数：{credits},贷方金额：{yuan(credit_total)}\r\n")
    path.write_bytes("".join(lines).encode("gbk"))
    truth.write(PAYOUT_BANK, "right", path.name, records, labels)
    return balance
