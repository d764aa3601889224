"""The matching engine: declarative rules over canonical entries, on DuckDB or Spark."""

from huikuan.engine.reconciler import MatchResult, reconcile
from huikuan.engine.rules import Rule, Template
from huikuan.engine.templates import choose_template, load_rules_file, load_template, template_names

__all__ = ["MatchResult", "Rule", "Template", "choose_template", "load_rules_file", "load_template",
           "reconcile", "template_names"]
