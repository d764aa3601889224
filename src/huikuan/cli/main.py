"""``huikuan``: reconcile exports from the command line.

    huikuan match --left FILE [FILE ...] --right FILE [FILE ...] [--template NAME | --rules FILE]
                  --out DIR [--backend duckdb|spark]
    huikuan inspect FILE [FILE ...]
    huikuan templates
    huikuan profile create FILE --name NAME --date COLUMN --amount COLUMN [--id COLUMN …]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from huikuan import __version__
from huikuan.cli.explain import explain_match
from huikuan.cli.inspect import inspect_files
from huikuan.cli.output import write_results
from huikuan.cli.profile import add_parser as add_profile_parser
from huikuan.cli.profile import run_profile
from huikuan.cli.progress import Reporter
from huikuan.cli.summary import print_summary
from huikuan.domain.errors import HuikuanError
from huikuan.engine import choose_template, load_rules_file, load_template, reconcile, template_names
from huikuan.engine.rules import Template
from huikuan.importers.registry import SideImport, load_side


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="huikuan", description="Reconcile an online merchant's money.")
    parser.add_argument("--version", action="version", version=f"huikuan {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    match = commands.add_parser("match", help="match the left files against the right files")
    match.add_argument("--left", nargs="+", metavar="FILE", help="e.g. order exports")
    match.add_argument("--right", nargs="+", metavar="FILE", help="e.g. platform bills")
    chosen = match.add_mutually_exclusive_group()
    chosen.add_argument("--template", default="auto",
                        help=f"auto (default) or one of: {', '.join(template_names())}")
    chosen.add_argument("--rules", metavar="FILE", help="your own rules file (TOML)")
    match.add_argument("--out", metavar="DIR", help="folder for the result files")
    match.add_argument("--backend", choices=("duckdb", "spark"), default="duckdb")
    match.add_argument("--quiet", action="store_true", help="print nothing but errors")
    match.add_argument("--explain", action="store_true",
                       help="print each rule's SQL (DuckDB and Spark) and stop; no files needed "
                            "with --template NAME or --rules FILE")
    inspect = commands.add_parser("inspect", help="what huikuan sees in export files")
    inspect.add_argument("files", nargs="+", metavar="FILE")
    inspect.add_argument("--json", action="store_true", help="machine-readable output")
    commands.add_parser("templates", help="list the shipped matching templates")
    add_profile_parser(commands)
    return parser


def _load(paths: Sequence[str], reporter: Reporter) -> SideImport:
    return load_side(paths, on_file=lambda path: reporter.advance(f"reading {path.name}"))


def _template(args: argparse.Namespace, left: SideImport, right: SideImport) -> Template:
    if args.rules:
        return load_rules_file(args.rules)
    if args.template == "auto":
        return choose_template(left.roles, right.roles)
    return load_template(args.template)


def cmd_match(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    with Reporter(enabled=None if not args.quiet else False) as reporter:
        reporter.phase("reading files", len(args.left) + len(args.right))
        left = _load(args.left, reporter)
        right = _load(args.right, reporter)
        template = _template(args, left, right)
        reporter.phase(f"matching ({template.name})", len(template.rules))
        result = reconcile(left.entries, right.entries, template, backend=args.backend,
                           progress=lambda name, done, total: reporter.advance(f"rule {name}"))
        reporter.phase("writing results", 1)
        summary = write_results(result, left, right, Path(args.out), backend=args.backend,
                                elapsed=time.perf_counter() - started)
        reporter.advance()
    if not args.quiet:
        print_summary(summary, Path(args.out))
    errors = [*left.errors, *right.errors]
    if errors:
        print(f"huikuan: {len(errors)} row(s) could not be read, first: {errors[0]} "
              f"(all are listed in {Path(args.out) / 'summary.json'})", file=sys.stderr)
    return 0


def run(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``huikuan`` command; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "match" and args.explain:
            return explain_match(args)
        if args.command == "match":
            missing = [f"--{name}" for name in ("left", "right", "out") if not getattr(args, name)]
            if missing:  # required unless --explain
                parser.error(f"the following arguments are required: {', '.join(missing)}")
            return cmd_match(args)
        if args.command == "inspect":
            return inspect_files(args.files, as_json=args.json)
        if args.command == "profile":
            return run_profile(args)
        for name in template_names():
            template = load_template(name)
            print(f"{name:20} {template.title}")
        return 0
    except HuikuanError as exc:
        print(f"huikuan: error: {' '.join(str(exc).split())}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("huikuan: interrupted", file=sys.stderr)
        return 130


def main() -> None:
    sys.exit(run())


if __name__ == "__main__":
    main()
