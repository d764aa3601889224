"""``huikuan match --explain``: print what each rule of the chosen template runs, then stop.

With ``--template NAME`` or ``--rules FILE`` no export is read; with the default ``auto`` the
files given with ``--left``/``--right`` are read only to choose the template. Nothing is written.
"""

from __future__ import annotations

import argparse

from huikuan.domain.errors import RuleError
from huikuan.engine import choose_template, load_rules_file, load_template
from huikuan.engine.explain import explain_template
from huikuan.engine.rules import Template
from huikuan.importers.registry import load_side


def explained_template(args: argparse.Namespace) -> Template:
    """The template ``match`` would run with these arguments."""
    if args.rules:
        return load_rules_file(args.rules)
    if args.template != "auto":
        return load_template(args.template)
    if not (args.left and args.right):
        raise RuleError("--explain needs --template NAME or --rules FILE "
                        "(or --left and --right files to choose the template from)")
    return choose_template(load_side(args.left).roles, load_side(args.right).roles)


def explain_match(args: argparse.Namespace) -> int:
    """Print the template's scope, rules and reasons with their SQL; exit status 0."""
    template = explained_template(args)
    print(f"template {template.name}: {template.title}")
    for step in explain_template(template):
        print(f"\n== {step.name} — {step.title}")
        if step.description:
            print(f"   {step.description}")
        for duckdb_sql, spark_sql in zip(step.statements, step.spark(), strict=True):
            print(f"-- DuckDB\n{duckdb_sql}\n-- Spark (as the spark backend runs it)\n{spark_sql}")
    return 0
