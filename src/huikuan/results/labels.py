"""Words a clerk reads in a result: column headers, sheet names, status and side labels, in
Chinese or English.

CSV headers are always the contract's English names (scripts outside the project read them);
these labels are for the workbook and the terminal, where a person reads them.
"""

from __future__ import annotations

import os
from typing import Literal

from huikuan.domain.reasons import describe

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

#: Column name → (Chinese, English) header in result.xlsx.
HEADERS: dict[str, tuple[str, str]] = {
    "match_id": ("匹配号", "Match"),
    "side": ("方", "Side"),
    "file": ("文件", "File"),
    "record_id": ("记录号", "Record"),
    "amount": ("金额", "Amount"),
    "currency": ("币种", "Currency"),
    "rule": ("规则", "Rule"),
    "status": ("状态", "Status"),
    "date": ("日期", "Date"),
    "kind": ("类型", "Kind"),
    "counterparty": ("对方", "Counterparty"),
    "memo": ("备注", "Memo"),
    "reason": ("原因代码", "Reason code"),
    "reason_label": ("原因", "Reason"),
    "check": ("核对项", "Check"),
    "left_amount": ("左方金额", "Left amount"),
    "right_amount": ("右方金额", "Right amount"),
    "difference": ("差额", "Difference"),
    "item": ("项目", "Item"),
    "count": ("笔数", "Count"),
}

#: Sheet key → (Chinese, English) sheet name.
SHEETS: dict[str, tuple[str, str]] = {
    "attention": ("待处理", "To do"),
    "matches": ("匹配", "Matches"),
    "unmatched": ("未匹配", "Unmatched"),
    "differences": ("差异", "Differences"),
    "summary": ("汇总", "Summary"),
}

_WORDS: dict[str, tuple[str, str]] = {
    "left": ("左", "left"),
    "right": ("右", "right"),
    "auto": ("自动", "auto"),
    "suggested": ("建议", "suggested"),
    # a suggested match is not a reason code, but it is on the to-do list all the same
    "confirm_suggested": ("建议匹配，请确认", "suggested match, please confirm"),
    # unmatched reasons a clerk's decision gives (huikuan.results.decisions)
    "rejected": ("建议匹配被拒绝", "suggested match rejected"),
    "unmatched_by_user": ("已手工取消匹配", "unmatched by hand"),
}


def default_lang() -> Lang:
    """Chinese under a zh_* locale (LC_ALL, then LC_MESSAGES, then LANG, as gettext looks), else English."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def header(column: str, lang: Lang) -> str:
    """The workbook header of ``column``."""
    zh, en = HEADERS[column]
    return zh if lang == "zh" else en


def sheet_name(key: str, lang: Lang) -> str:
    zh, en = SHEETS[key]
    return zh if lang == "zh" else en


def word(key: str, lang: Lang) -> str:
    """A side or status value as a person reads it (``left`` → 左)."""
    zh, en = _WORDS.get(key, (key, key))
    return zh if lang == "zh" else en


def reason_label(code: str, lang: Lang = "zh") -> str:
    """What a reason code means, for the ``reason_label`` column and the workbook."""
    if code == "suggested":
        return word("confirm_suggested", lang)
    if code in ("rejected", "unmatched_by_user"):
        return word(code, lang)
    return describe(code, lang)
