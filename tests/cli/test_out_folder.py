"""``--out``: refused in one line before any work when it cannot take a result; a previous result
is replaced whole; a run that fails while writing leaves the previous result as it was."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from huikuan.cli.main import run
from tests.cli.test_match_command import ALIPAY, BANK, ORDERS, contract_ok, huikuan


def one_line_error(done) -> str:
    assert done.returncode == 2, (done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


def test_out_that_is_a_file_is_refused_before_reading_input(tmp_path: Path):
    target = tmp_path / "result.csv"
    target.write_text("mine\n")
    # the left file does not exist either: the folder is checked first, so it is the one named
    done = huikuan("match", "--left", tmp_path / "missing.csv", "--right", ALIPAY, "--out", target)
    line = one_line_error(done)
    assert "result.csv: is a file, not a folder" in line
    assert target.read_text() == "mine\n"


def test_out_under_a_regular_file_is_refused(tmp_path: Path):
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    done = huikuan("match", "--left", ORDERS, "--right", ALIPAY, "--out", blocker / "sub" / "out")
    assert "is a file" in one_line_error(done)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder anyway; the "
                                              "parent-is-a-file case above covers unwritable paths there")
def test_out_in_a_read_only_folder_is_refused(tmp_path: Path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        done = huikuan("match", "--left", ORDERS, "--right", ALIPAY, "--out", locked / "out")
        assert "permission denied" in one_line_error(done)
    finally:
        locked.chmod(0o700)


def test_a_folder_with_other_files_is_refused_and_left_alone(tmp_path: Path):
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "contract.docx").write_bytes(b"keep me")
    done = huikuan("match", "--left", ORDERS, "--right", ALIPAY, "--out", folder)
    assert "not empty and is not a previous huikuan result" in one_line_error(done)
    assert [p.name for p in folder.iterdir()] == ["contract.docx"]


def test_a_previous_result_is_replaced_whole(tmp_path: Path):
    out = tmp_path / "out"
    assert huikuan("match", "--left", ORDERS, "--right", ALIPAY, "--out", out, "--quiet").returncode == 0
    (out / "notes-from-last-month.txt").write_text("stale")
    done = huikuan("match", "--left", ALIPAY, "--right", BANK, "--out", out, "--quiet")
    assert done.returncode == 0, done.stderr
    assert not (out / "notes-from-last-month.txt").exists()
    assert json.loads((out / "summary.json").read_text("utf-8"))["template"] == "payout-bank"
    contract_ok(out)
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no staging or old folder left beside it


def test_a_run_failing_while_writing_keeps_the_previous_result(tmp_path: Path, monkeypatch):
    out = tmp_path / "out"
    assert run(["match", "--left", str(ORDERS), "--right", str(ALIPAY), "--out", str(out), "--quiet"]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def killed(*args, **kwargs):
        raise KeyboardInterrupt  # as if the clerk pressed Ctrl-C while result.xlsx was being written

    monkeypatch.setattr("huikuan.results.write.write_workbook", killed)
    assert run(["match", "--left", str(ALIPAY), "--right", str(BANK), "--out", str(out), "--quiet"]) == 130
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_an_old_result_without_the_marker_is_still_recognised(tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    for name in ("matches.csv", "unmatched.csv", "summary.json"):
        (out / name).write_text("from an older huikuan\n")
    done = huikuan("match", "--left", ORDERS, "--right", ALIPAY, "--out", out, "--quiet")
    assert done.returncode == 0, done.stderr
    contract_ok(out)


def test_a_run_killed_while_writing_leaves_the_previous_result(tmp_path: Path):
    import signal
    import subprocess
    import sys
    import time

    from huikuan.synth import generate_files

    files = generate_files(tmp_path / "shop", orders=3000, months=1, seed=5)
    out = tmp_path / "out"
    assert huikuan("match", "--left", ORDERS, "--right", ALIPAY, "--out", out, "--quiet").returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    exe = Path(sys.executable).with_name("huikuan")
    process = subprocess.Popen([str(exe), "match", "--left", *map(str, files.orders), "--right",
                                *map(str, files.alipay), "--out", str(out), "--quiet"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # kill it as soon as the new matches.csv exists: the moment the old code left a mixture
        deadline = time.monotonic() + 120
        while process.poll() is None and time.monotonic() < deadline:
            if any(tmp_path.glob("out.tmp-*/matches.csv")):
                process.send_signal(signal.SIGKILL)
                break
            time.sleep(0.005)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL, "the run finished before it could be killed"
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    contract_ok(out)
