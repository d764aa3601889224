"""``huikuan report``: a named report over result folders, written as xlsx, pdf or csv.

    huikuan report NAME --result DIR [--result DIR2 …] [--period 2026-10] [--as-of 2026-11-30]
                   [--contract-rate 交易分账=0.05 …] [--contract FILE.toml]
                   [--balance WALLET=OPENING:CLOSING …]
                   [--company NAME] --format xlsx|pdf|csv --out FILE
    huikuan report custom --result DIR --dims store,month --measures count,amount,collection_rate
                   [--filter status=settled …] [--grain orders|entries] | --spec FILE.json
    huikuan report --list
"""

from __future__ import annotations

import argparse
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

from huikuan.domain.money import parse_amount
from huikuan.reports import FORMATS, REPORTS, ReportError, ReportRequest, build_report, write_report
from huikuan.reports.custom_spec import CustomSpec, spec_from_json, spec_from_words


def add_parser(commands: Any) -> None:
    """The ``report`` sub-command's options, on the main parser's sub-commands."""
    report = commands.add_parser("report", help="a report over result folders (collection, aging, …)")
    report.add_argument("name", nargs="?", metavar="NAME", help="the report; --list names them")
    report.add_argument("--list", action="store_true", help="list the reports and stop")
    report.add_argument("--result", action="append", metavar="DIR", default=[],
                        help="a result folder of `huikuan match` (repeat for several)")
    report.add_argument("--period", metavar="YYYY-MM", help="a month (2026-10) or a year (2026)")
    report.add_argument("--as-of", metavar="DATE", help="aging date (default: the results' last date)")
    report.add_argument("--contract-rate", action="append", metavar="TYPE=RATE", default=[],
                        help="a fee type's contract rate, e.g. 交易分账=0.05 (repeat)")
    report.add_argument("--contract", metavar="FILE.toml",
                        help="contract fee rates: [rates] 交易分账 = 0.05, and per store [stores.\"2088…\"]")
    report.add_argument("--balance", action="append", metavar="WALLET=OPENING:CLOSING", default=[],
                        help="a wallet's balances in yuan for the wallet walk, e.g. 2088…=1000.00:2345.67 "
                             "(either may be empty; repeat)")
    report.add_argument("--dims", metavar="A,B", help="custom: dimensions (store, platform, month, …)")
    report.add_argument("--measures", metavar="A,B", help="custom: measures (count, amount, fees/sales, …)")
    report.add_argument("--filter", action="append", metavar="FIELD=VALUE", default=[],
                        help="custom: status=settled, status=settled,refunded, date=2026-10-01..2026-10-31,"
                             " amount=100.. (repeat)")
    report.add_argument("--grain", choices=("orders", "entries"),
                        help="custom: one row per order or per line")
    report.add_argument("--title", help="custom: the report's title")
    report.add_argument("--spec", metavar="FILE.json", help="custom: a saved definition")
    report.add_argument("--company", default="", help="name printed at the top of the report")
    report.add_argument("--format", choices=tuple(FORMATS), help="file format")
    report.add_argument("--out", metavar="FILE", help="the file to write")


def _as_of(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ReportError(f"--as-of {text}: give a date as 2026-11-30") from None


def _rates(items: list[str]) -> dict[str, float]:
    rates = {}
    for item in items:
        name, _, value = item.rpartition("=")
        try:
            rate = float(value.rstrip("%")) / (100 if value.endswith("%") else 1)  # ok-float: a fee rate
        except ValueError:
            rate = -1.0
        if not name or not 0 <= rate < 1:
            raise ReportError(f"--contract-rate {item}: give TYPE=RATE, e.g. 交易分账=0.05 or 交易分账=5%")
        rates[name] = rate
    return rates


def _rate_value(value: object, where: str) -> float:
    text = str(value).strip()
    try:
        rate = float(text.rstrip("%")) / (100 if text.endswith("%") else 1)  # ok-float: a fee rate
    except ValueError:
        rate = -1.0
    if not 0 <= rate < 1:
        raise ReportError(f"{where}: {value!r} is not a rate; write 0.05 or \"5%\"")
    return rate


def _contract(path_text: str | None) -> dict[str, float]:
    """Rates from a contract file: ``[rates]`` by fee type, ``[stores."ID"]`` for one store
    (kept as ``ID:type``, which the findings look up before the type alone)."""
    if not path_text:
        return {}
    path = Path(path_text)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise ReportError(f"{path}: cannot read the contract ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ReportError(f"{path}: not TOML ({exc})") from None
    unknown = set(data) - {"rates", "stores"}
    if unknown:
        raise ReportError(f"{path}: unknown table [{sorted(unknown)[0]}]; "
                          "a contract has [rates] and [stores.\"ID\"]")
    rates = {str(k): _rate_value(v, f"{path} [rates] {k}") for k, v in dict(data.get("rates", {})).items()}
    for store, table in dict(data.get("stores", {})).items():
        if not isinstance(table, dict):
            raise ReportError(f"{path}: [stores.\"{store}\"] must be a table of fee type = rate")
        rates |= {f"{store}:{k}": _rate_value(v, f"{path} [stores.{store}] {k}") for k, v in table.items()}
    return rates


def _balances(items: list[str]) -> dict[str, tuple[int | None, int | None]]:
    balances = {}
    for item in items:
        wallet, _, pair = item.rpartition("=")
        opening, colon, closing = pair.partition(":")
        try:
            if not wallet or not colon:
                raise ValueError(item)
            balances[wallet] = (parse_amount(opening) if opening.strip() else None,
                                parse_amount(closing) if closing.strip() else None)
        except ValueError:
            raise ReportError(f"--balance {item}: give WALLET=OPENING:CLOSING in yuan, "
                              "e.g. 2088123=1000.00:2345.67") from None
    return balances


def _custom(args: argparse.Namespace) -> CustomSpec | None:
    if args.name != "custom":
        if args.spec or args.dims or args.measures or args.filter:
            raise ReportError("--spec, --dims, --measures and --filter are for `huikuan report custom`")
        return None
    if args.spec:
        if args.dims or args.measures or args.filter:
            raise ReportError("give --spec FILE.json or --dims/--measures/--filter, not both")
        path = Path(args.spec)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise ReportError(f"{path}: cannot read the report definition ({exc.strerror})") from None
        return spec_from_json(text, str(path))
    return spec_from_words(args.dims, args.measures, args.filter, args.title, args.grain)


def run_report(args: argparse.Namespace) -> int:
    """List the reports, or build one and write it; errors are :class:`ReportError` (one line)."""
    if args.list:
        for spec in REPORTS.values():
            print(f"{spec.name:12} {spec.title}  — {spec.description}")
        return 0
    missing = [flag for flag, value in (("NAME", args.name), ("--result", args.result),
                                        ("--format", args.format), ("--out", args.out)) if not value]
    if missing:
        raise ReportError(f"huikuan report needs {', '.join(missing)} "
                          "(huikuan report --list names the reports)")
    if args.name not in REPORTS:
        raise ReportError(f"no report named {args.name!r}; the reports are: {', '.join(REPORTS)}")
    request = ReportRequest(results=[Path(r) for r in args.result], period=args.period,
                            as_of=_as_of(args.as_of), contract_rates=_contract(args.contract)
                            | _rates(args.contract_rate),
                            company=args.company, balances=_balances(args.balance), custom=_custom(args))
    out = Path(args.out)
    write_report(build_report(args.name, request), out, args.format)
    print(out)
    return 0
