"""``huikuan match --explain`` and what a rules file with a typo does on the command line."""

from __future__ import annotations

from pathlib import Path

from huikuan.engine import load_template
from tests.cli.test_match_command import ALIPAY, BANK, ORDERS, huikuan


def test_explain_prints_every_rule_in_order_with_both_dialects_and_writes_nothing(tmp_path: Path):
    done = huikuan("match", "--template", "payout-bank", "--explain", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rules = load_template("payout-bank").rules
    headings = [line for line in done.stdout.splitlines() if line.startswith("== ")]
    assert headings == ["== scope — what each side brings to the rules",
                        *(f"== {r.name} — rule {i} of {len(rules)}: {r.type}, {r.tier}"
                          for i, r in enumerate(rules, start=1)),
                        "== reasons — why each record no rule claimed is left"]
    assert all(r.description in done.stdout for r in rules)
    # the window rule as DuckDB runs it, and as Spark runs it (SQLGlot writes `AS l`)
    assert "r.day - l.day BETWEEN 0 AND 10" in done.stdout
    assert "FROM open_records WHERE side = 'L' AND NOT ts_s IS NULL AND TRUE) AS l JOIN" in done.stdout
    assert done.stdout.count("-- DuckDB") == done.stdout.count("-- Spark") >= len(rules) + 2
    assert list(tmp_path.iterdir()) == []


def test_explain_a_rules_file(tmp_path: Path):
    rules = tmp_path / "mine.toml"
    rules.write_text('[[rules]]\nname = "ref"\ntype = "key"\nkey = "batch_ref"\n', encoding="utf-8")
    done = huikuan("match", "--rules", rules, "--explain")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("template mine: mine\n")
    assert "== ref — rule 1 of 1: key, auto" in done.stdout


def test_explain_chooses_the_template_from_the_files_as_match_would():
    done = huikuan("match", "--left", ALIPAY, "--right", BANK, "--explain")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("template payout-bank: ")


def test_explain_without_a_template_or_files_says_what_it_needs():
    done = huikuan("match", "--explain")
    assert done.returncode == 2
    assert done.stderr.strip() == ("huikuan: error: --explain needs --template NAME or --rules FILE "
                                   "(or --left and --right files to choose the template from)")


def test_match_still_requires_its_files_and_folder():
    done = huikuan("match", "--left", ORDERS)
    assert done.returncode == 2
    assert "the following arguments are required: --right, --out" in done.stderr


def test_a_typo_in_a_rules_file_stops_the_run_with_one_line(tmp_path: Path):
    rules = tmp_path / "mine.toml"
    rules.write_text('[[rules]]\nname = "amount"\ntype = "window"\nwindow_days = [0, 3]\n'
                     'ties = "timeorder"\n', encoding="utf-8")
    out = tmp_path / "out"
    done = huikuan("match", "--left", ALIPAY, "--right", BANK, "--rules", rules, "--out", out)
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == (
        f'huikuan: error: {rules}: rules[0].ties: "timeorder" is not one of time_order, suggest')
    assert not out.exists()
