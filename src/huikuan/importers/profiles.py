"""Saved column mappings ("profiles") for layouts huikuan does not know.

A clerk names once which columns hold the id, date, amount (or debit and credit), order number
and memo; the profile remembers the header row, so the next file with that header is read the
same way without asking. Profiles are TOML files in ``$HUIKUAN_PROFILE_DIR`` (default
``~/.config/huikuan/profiles``).
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from huikuan.domain.entry import Kind
from huikuan.domain.errors import HuikuanError, InputError
from huikuan.domain.roles import Role
from huikuan.importers.base import Importer, ReadContext, Row, TableImporter
from huikuan.importers.cells import normalise_header
from huikuan.importers.columns import Amount, Column, Id, Text, When, fields
from huikuan.importers.generic import GenericReader, profile_columns
from huikuan.importers.generic_columns import direction_of
from huikuan.importers.generic_content import currency_of
from huikuan.importers.generic_layout import is_footer
from huikuan.importers.reader import RawRow, SourceFile

ROLES = tuple(Role)
FIELDS = ("id", "date", "amount", "debit", "credit", "order_ref", "memo", "counterparty", "currency",
          "batch_ref", "status", "direction")
_DEFAULT_KINDS = {
    Role.ORDERS: (Kind.ORDER, Kind.ORDER_REFUND),
    Role.PLATFORM: (Kind.PAYMENT, Kind.FEE),
    Role.BANK: (Kind.BANK_CREDIT, Kind.BANK_DEBIT),
    Role.COURIER: (Kind.SHIPMENT, Kind.SHIPMENT),
    Role.PERSONAL: (Kind.BANK_CREDIT, Kind.BANK_DEBIT),
}


def profile_dir() -> Path:
    configured = os.environ.get("HUIKUAN_PROFILE_DIR")
    if configured:
        return Path(configured)
    base = Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config"))
    return base / "huikuan" / "profiles"


@dataclass(frozen=True)
class Profile:
    """A saved mapping: header texts for each field, and what the rows are."""

    name: str
    role: Role
    columns: dict[str, str]
    header: tuple[str, ...]
    currency: str = "CNY"
    date_order: str = "ymd"
    decimal_comma: bool = False
    kinds: tuple[str, str] = field(default=(Kind.OTHER, Kind.OTHER))
    #: amounts written from the other side (a card statement where a purchase is positive)
    negate: bool = False

    def to_toml(self) -> str:
        def q(value: str) -> str:
            return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'

        lines = [f"name = {q(self.name)}", f"role = {q(self.role)}", f"currency = {q(self.currency)}",
                 f"date_order = {q(self.date_order)}",
                 f"decimal_comma = {'true' if self.decimal_comma else 'false'}",
                 f"positive_kind = {q(self.kinds[0])}", f"negative_kind = {q(self.kinds[1])}",
                 "# true when the file writes money out as positive (a card purchase from the bank's side)",
                 f"negate = {'true' if self.negate else 'false'}",
                 f"header = [{', '.join(q(h) for h in self.header)}]", "", "[columns]"]
        lines += [f"{k} = {q(v)}" for k, v in sorted(self.columns.items())]
        return "\n".join(lines) + "\n"

    @classmethod
    def from_data(cls, data: dict[str, Any], origin: str) -> Profile:
        try:
            role = Role(str(data["role"]))
            default = _DEFAULT_KINDS[role]
            return cls(
                name=str(data["name"]), role=role,
                columns={str(k): str(v) for k, v in data["columns"].items()},
                header=tuple(data["header"]), currency=str(data.get("currency", "CNY")),
                date_order=str(data.get("date_order", "ymd")),
                decimal_comma=bool(data.get("decimal_comma", False)),
                kinds=(str(data.get("positive_kind", default[0])),
                       str(data.get("negative_kind", default[1]))),
                negate=bool(data.get("negate", False)),
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise HuikuanError(f"{origin}: not a valid profile ({exc!r})") from None
        except ValueError:
            raise HuikuanError(f"{origin}: role {data['role']!r} is not one of {', '.join(Role)}") from None


class ProfileImporter(TableImporter):
    """Reads a file with a saved :class:`Profile`; detected when the header row is the saved one."""

    profile: ClassVar[Profile]

    def detect(self, source: SourceFile) -> float:
        saved = {normalise_header(h) for h in self.profile.header if h}
        for row in source.head_rows(60):
            if saved and saved <= {normalise_header(c) for c in row.cells}:
                return 0.95
        return 0.0

    def is_footer(self, row: RawRow) -> bool:
        """Totals and notes under the data (``合计``, ``Total``, ``#…``), as the generic reader sees them."""
        return is_footer(row)

    def parse_row(self, row: Row, ctx: ReadContext) -> None:
        p = self.profile
        if row.has("amount"):
            amount = self.money(row["amount"]) if row["amount"] else 0
        else:
            credit = self.money(row["credit"]) if row["credit"] else 0
            debit = self.money(row["debit"]) if row["debit"] else 0
            amount = abs(credit) - abs(debit)
        if row.has("direction"):
            amount = _directed(amount, row["direction"])
        if p.negate:
            amount = -amount
        currency = (currency_of(row["currency"]) or p.currency) if row.has("currency") else p.currency
        ctx.add(
            row, kind=p.kinds[0] if amount >= 0 else p.kinds[1], amount_minor=amount, currency=currency,
            ts=self.when(row["date"]), record_id=row.id("id") if row.has("id") and row["id"] else None,
            order_ref=row.id("order_ref") if row.has("order_ref") and row["order_ref"] else None,
            counterparty=row["counterparty"], batch_ref=row["batch_ref"] or None, text=row["memo"],
            status=row["status"] or None, category=f"profile:{p.name}",
        )


def _directed(amount: int, flag: str) -> int:
    """An unsigned amount turned by its 借贷标志 / Dr-Cr / 收/支 cell."""
    way = direction_of(flag)
    if way is None:
        raise ValueError(f"direction {flag!r} says neither money in nor money out")
    return way * abs(amount)


#: what the cells of a profile's fields hold (the rest is text)
_KINDS: dict[str, type[Column]] = {"id": Id, "date": When, "amount": Amount, "debit": Amount,
                                   "credit": Amount}


def importer_for(profile: Profile) -> ProfileImporter:
    required = ("date", "amount") if "amount" in profile.columns else ("date",)
    attrs: dict[str, Any] = {
        "id": f"profile:{profile.name}", "title": f"saved profile {profile.name!r}", "role": profile.role,
        "currency": profile.currency, "date_order": profile.date_order,
        "decimal_comma": profile.decimal_comma, "profile": profile,
        "columns": fields(**{k: _KINDS.get(k, Text)(v) for k, v in profile.columns.items()}),
        "required": required,
    }
    class_name = "Profile_" + re.sub(r"\W", "_", profile.name)
    cls = type(class_name, (ProfileImporter,), attrs)
    instance: ProfileImporter = cls()
    return instance


def load_profiles(folder: Path | None = None) -> list[Profile]:
    folder = folder or profile_dir()
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.toml")):
        try:
            found.append(Profile.from_data(tomllib.loads(path.read_text("utf-8")), str(path)))
        except tomllib.TOMLDecodeError as exc:
            raise HuikuanError(f"{path}: not valid TOML ({exc})") from None
    return found


def profile_importers() -> tuple[Importer, ...]:
    return tuple(importer_for(p) for p in load_profiles())


def create_profile(path: str | Path, name: str, role: Role | str, columns: dict[str, str], *,
                   currency: str = "CNY", date_order: str = "ymd", decimal_comma: bool = False,
                   folder: Path | None = None, overwrite: bool = False,
                   negate: bool = False) -> tuple[Path, Profile]:
    """Check the mapping against the file's header and save it. Errors name the missing column."""
    if role not in ROLES:
        raise HuikuanError(f"role must be one of {', '.join(ROLES)}")
    role = Role(role)
    if not re.fullmatch(r"[\w.-]+", name):
        raise HuikuanError(f"profile name {name!r}: use letters, digits, '-', '_' or '.'")
    unknown = set(columns) - set(FIELDS)
    if unknown:
        raise HuikuanError(f"unknown fields {sorted(unknown)}; use {', '.join(FIELDS)}")
    if "date" not in columns or not ("amount" in columns or {"debit", "credit"} <= set(columns)):
        raise HuikuanError("a profile needs --date and either --amount or both --debit and --credit")
    source = SourceFile(path)
    wanted = {normalise_header(v) for v in columns.values()}
    header = next((r for r in source.head_rows(60)
                   if wanted <= {normalise_header(c) for c in r.cells}), None)
    if header is None:
        cells = max(source.head_rows(60), key=lambda r: sum(bool(c) for c in r.cells), default=None)
        seen = ", ".join(c for c in (cells.cells if cells else []) if c)
        present = {normalise_header(c) for c in cells.cells} if cells else set()
        missing = sorted(v for v in columns.values() if normalise_header(v) not in present)
        raise InputError(source.name, f"no header row has the columns {missing}; columns seen: {seen}")
    profile = Profile(name=name, role=role, columns=dict(columns),
                      header=tuple(c for c in header.cells if c), currency=currency, date_order=date_order,
                      decimal_comma=decimal_comma, kinds=_DEFAULT_KINDS[role], negate=negate)
    folder = folder or profile_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.toml"
    if target.exists() and not overwrite:
        raise HuikuanError(f"profile {name!r} exists ({target}); choose another name or --overwrite")
    target.write_text(profile.to_toml(), encoding="utf-8")
    return target, profile


def create_profile_from(path: str | Path, name: str, *, folder: Path | None = None,
                        overwrite: bool = False) -> tuple[Path, Profile, list[str]]:
    """Save the generic reader's guess for ``path`` as a profile to edit, with notes on what a
    profile cannot hold. The file must have a header row: a profile recognises files by it."""
    source = SourceFile(path)
    layout = GenericReader().plan(source)
    if layout is None:
        raise InputError(source.name, "the generic reader finds no date and amount columns to save; "
                                      "name them with --date and --amount (or --debit and --credit)")
    if layout.cols.header is None or not layout.cols.from_header:
        raise InputError(source.name, "the file has no header row that names its columns, and a profile "
                                      "recognises a file by its header; the generic reader reads it as is")
    notes = []
    if layout.fee_booked:
        notes.append("the fee column is not kept by a profile: amounts will include no separate fee entry")
    if "currency" in layout.cols.index and layout.currency_note.startswith("per row"):
        notes.append(f"rows without a currency take {layout.currency}")
    target, profile = create_profile(
        path, name, layout.role, profile_columns(layout), currency=layout.currency,
        date_order=layout.cols.date_order, decimal_comma=layout.cols.decimal_comma, folder=folder,
        overwrite=overwrite, negate=layout.sign < 0)
    return target, profile, notes
