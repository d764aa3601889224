"""The SQL every shipped template runs, in DuckDB's dialect and Spark's, kept as reviewed files.

A change to the SQL generator (or to a template) shows up here as a diff to read before the
golden files are rewritten with ``HUIKUAN_UPDATE_GOLDEN=1``; nothing else reads the generated
statements before they run. The Spark statements are also parsed back by SQLGlot, so a
transpilation that produced something Spark cannot read fails here rather than on a cluster.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest
import sqlglot

from huikuan.engine import load_template, template_names
from huikuan.engine.explain import Step, explain_template

GOLDEN_SQL = Path(__file__).parent / "golden_sql"
DIALECTS = ("duckdb", "spark")


def rendered(step: Step, dialect: str) -> str:
    statements = step.statements if dialect == "duckdb" else step.spark()
    return ";\n\n".join(statements) + "\n"


def steps_of_shipped_templates() -> list[tuple[str, Step]]:
    return [(name, step) for name in template_names() for step in explain_template(load_template(name))]


def assert_snapshot(text: str, path: Path) -> None:
    """Compare with a golden file; write it only when HUIKUAN_UPDATE_GOLDEN is set."""
    if os.environ.get("HUIKUAN_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), (f"no golden file {path.relative_to(GOLDEN_SQL)}; run with "
                           "HUIKUAN_UPDATE_GOLDEN=1 to create it, then review it")
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), text.splitlines(True),
                                            f"{path.name} (expected)", "now"))
        # the Spark statements are SQLGlot's translation: a new SQLGlot version can change them
        raise AssertionError(f"generated SQL differs from {path.relative_to(GOLDEN_SQL)} "
                             f"(SQLGlot {sqlglot.__version__})\n{diff}")


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize(("template", "step"), steps_of_shipped_templates(),
                         ids=lambda v: v if isinstance(v, str) else v.name)
def test_generated_sql_matches_the_reviewed_snapshot(template: str, step: Step, dialect: str):
    assert_snapshot(rendered(step, dialect), GOLDEN_SQL / template / f"{step.name}.{dialect}.sql")


@pytest.mark.parametrize(("template", "step"), steps_of_shipped_templates(),
                         ids=lambda v: v if isinstance(v, str) else v.name)
def test_spark_sql_parses_back(template: str, step: Step):
    for statement in step.spark():
        parsed = sqlglot.parse_one(statement, read="spark")
        assert parsed.find(sqlglot.exp.Select) is not None, f"{template} {step.name}: no SELECT"


def test_every_snapshot_belongs_to_a_shipped_step():
    """A renamed or removed rule must not leave its old snapshot behind, unreviewed."""
    expected = {GOLDEN_SQL / template / f"{step.name}.{dialect}.sql"
                for template, step in steps_of_shipped_templates() for dialect in DIALECTS}
    assert set(GOLDEN_SQL.rglob("*.sql")) == expected


def test_explain_lists_every_rule_in_order_with_its_description():
    template = load_template("payout-bank")
    steps = explain_template(template)
    assert [s.name for s in steps] == ["scope", *(r.name for r in template.rules), "reasons"]
    assert [s.description for s in steps[1:-1]] == [r.description for r in template.rules]
    assert steps[3].title == "rule 3 of 3: subset, suggested"
