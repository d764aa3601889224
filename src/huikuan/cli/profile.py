"""``huikuan profile``: save, list and remove column mappings for unknown layouts."""

from __future__ import annotations

import argparse

from huikuan.cli.inspect import inspect_files
from huikuan.domain.errors import HuikuanError
from huikuan.importers import PROFILE_FIELDS as FIELDS
from huikuan.importers import PROFILE_ROLES as ROLES
from huikuan.importers import create_profile, create_profile_from, load_profiles, profile_dir


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    profile = commands.add_parser("profile", help="save a column mapping for a layout huikuan does not know")
    actions = profile.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="map the columns of FILE and save the mapping")
    create.add_argument("file", metavar="FILE", nargs="?")
    create.add_argument("--from", dest="from_file", metavar="FILE",
                        help="save the generic reader's guess of FILE's columns, to edit later")
    create.add_argument("--name", required=True, help="profile name, e.g. my-erp-orders")
    create.add_argument("--role", choices=ROLES, default="orders",
                        help="what the file is: orders, platform (a wallet bill), bank or courier")
    for field in FIELDS:
        flag = field.replace("_", "-")
        create.add_argument(f"--{flag}", dest=f"col_{field}", metavar="COLUMN",
                            help=f"header of the {field.replace('_', ' ')} column")
    create.add_argument("--default-currency", default="CNY")
    create.add_argument("--date-order", choices=("ymd", "mdy", "dmy"), default="ymd")
    create.add_argument("--decimal-comma", action="store_true", help="amounts like 1.234,56")
    create.add_argument("--overwrite", action="store_true")
    actions.add_parser("list", help="list saved profiles")


def run_profile(args: argparse.Namespace) -> int:
    if args.action == "list":
        profiles = load_profiles()
        if not profiles:
            print(f"no profiles in {profile_dir()}")
        for p in profiles:
            mapping = ", ".join(f"{k}={v}" for k, v in sorted(p.columns.items()))
            print(f"{p.name:24} {p.role:9} {mapping}")
        return 0
    if args.from_file:
        path, _, notes = create_profile_from(args.from_file, args.name, overwrite=args.overwrite)
        print(f"saved {path} from the generic reader's guess; edit it if a column is wrong")
        for note in notes:
            print(f"note: {note}")
        return inspect_files([args.from_file])
    if not args.file:
        raise HuikuanError("profile create needs FILE (with --date, --amount …) or --from FILE")
    columns = {f: getattr(args, f"col_{f}") for f in FIELDS if getattr(args, f"col_{f}")}
    path, _ = create_profile(args.file, args.name, args.role, columns, currency=args.default_currency,
                             date_order=args.date_order, decimal_comma=args.decimal_comma,
                             overwrite=args.overwrite)
    print(f"saved {path}; this is what huikuan now reads from {args.file}:")
    return inspect_files([args.file])
