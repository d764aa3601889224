"""``huikuan``: reconcile exports from the command line.

    huikuan [--lang zh|en] match --left FILE [FILE ...] --right FILE [FILE ...]
                  [--template NAME | --rules FILE] --out DIR [--backend duckdb|spark]
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
from huikuan.cli.inputs import check_inputs, empty_file_warnings
from huikuan.cli.inspect import inspect_files
from huikuan.cli.messages import say
from huikuan.cli.profile import add_parser as add_profile_parser
from huikuan.cli.profile import run_profile
from huikuan.cli.progress import Reporter
from huikuan.cli.report import add_parser as add_report_parser
from huikuan.cli.report import run_report
from huikuan.cli.summary import print_summary
from huikuan.domain.errors import HuikuanError
from huikuan.engine import (
    Template,
    choose_template,
    load_rules_file,
    load_template,
    reconcile,
    template_names,
)
from huikuan.importers import SideImport, load_side
from huikuan.results import LANGS, Lang, ResultFolder, default_lang, write_result


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
    match.add_argument("--lang", choices=LANGS, default=argparse.SUPPRESS, help="as before the command")
    match.add_argument("--explain", action="store_true",
                       help="print each rule's SQL (DuckDB and Spark) and stop; no files needed "
                            "with --template NAME or --rules FILE")
    parser.add_argument("--lang", choices=LANGS, default=None,
                        help="language of messages and result.xlsx "
                             "(default: zh under a zh_* locale, else en)")
    inspect = commands.add_parser("inspect", help="what huikuan sees in export files")
    inspect.add_argument("files", nargs="+", metavar="FILE")
    inspect.add_argument("--json", action="store_true", help="machine-readable output")
    commands.add_parser("templates", help="list the shipped matching templates")
    add_profile_parser(commands)
    add_report_parser(commands)
    return parser


def _load(paths: Sequence[str], reporter: Reporter, lang: Lang) -> SideImport:
    return load_side(paths, on_file=lambda path: reporter.start(say("reading", lang, name=path.name)),
                     on_read=lambda read: reporter.finish(rows=read.rows_read),
                     on_rows=reporter.reading)


def _template(args: argparse.Namespace, left: SideImport, right: SideImport) -> Template:
    if args.rules:
        return load_rules_file(args.rules)
    if args.template == "auto":
        return choose_template(left.roles, right.roles)
    return load_template(args.template)


def cmd_match(args: argparse.Namespace, lang: Lang) -> int:
    started = time.perf_counter()
    out = Path(args.out)
    folder = ResultFolder(out)  # --out is checked before any input is looked at
    check_inputs([*args.left, *args.right], lang)
    with folder as staging, Reporter(enabled=None if not args.quiet else False,
                                                rows_word=say("rows", lang)) as reporter:
        reporter.phase(say("reading_files", lang), len(args.left) + len(args.right))
        left = _load(args.left, reporter, lang)
        right = _load(args.right, reporter, lang)
        template = _template(args, left, right)
        reporter.phase(say("matching", lang, template=template.name), len(template.rules))
        result = reconcile(left.entries, right.entries, template, backend=args.backend,
                           progress=lambda name, _done, _total: reporter.rule_done(
                               say("rule", lang, name=name)))
        reporter.phase(say("writing", lang), 2)
        summary = write_result(result, left, right, staging, backend=args.backend, lang=lang,
                               elapsed=time.perf_counter() - started,
                               on_file=lambda name: reporter.start(say("writing_file", lang, name=name)))
    warnings = empty_file_warnings([*left.files, *right.files], lang)
    if not args.quiet:
        print_summary(summary, out, lang, extra_warnings=warnings)
    elif warnings:
        print("\n".join(f"huikuan: {w}" for w in warnings), file=sys.stderr)
    errors = [*left.errors, *right.errors]
    if errors:
        print(say("rows_not_read", lang, count=len(errors), first=errors[0], path=out / "summary.json"),
              file=sys.stderr)
    return 0


def run(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``huikuan`` command; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    lang: Lang = args.lang or default_lang()
    try:
        if args.command == "match" and args.explain:
            return explain_match(args)
        if args.command == "match":
            missing = [f"--{name}" for name in ("left", "right", "out") if not getattr(args, name)]
            if missing:  # required unless --explain
                parser.error(f"the following arguments are required: {', '.join(missing)}")
            return cmd_match(args, lang)
        if args.command == "inspect":
            return inspect_files(args.files, as_json=args.json)
        if args.command == "profile":
            return run_profile(args)
        if args.command == "report":
            return run_report(args)
        for name in template_names():
            template = load_template(name)
            print(f"{name:20} {template.title}")
        return 0
    except HuikuanError as exc:
        print(say("error", lang, message=" ".join(str(exc).split())), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(say("interrupted", lang), file=sys.stderr)
        return 130


def main() -> None:
    sys.exit(run())


if __name__ == "__main__":
    main()
