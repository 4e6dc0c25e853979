"""What a person sees of `flask scheduler run` on the console: one line "scheduler actief"
with its jobs at start, and a clean stop on Ctrl-C (also pressed twice): exit code 0, no
traceback, no SchedulerNotRunningError."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from marketplace.jobs import JOBS

ROOT = Path(__file__).resolve().parents[2]


def test_start_line_and_clean_ctrl_c(app, database, tmp_path):
    env = {**os.environ, "DATABASE_URL": database[1], "MARKETPLACE_CONFIG": "testing",
           "MARKETPLACE_INSTANCE": str(tmp_path)}
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "scheduler", "run"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 60
        while not any("scheduler actief" in line for line in lines):
            assert process.poll() is None, "".join(lines)
            assert time.monotonic() < deadline, f"no start line within 60 s: {lines}"
            time.sleep(0.1)
        process.send_signal(signal.SIGINT)
        time.sleep(0.2)
        if process.poll() is None:
            process.send_signal(signal.SIGINT)  # impatient: Ctrl-C again
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    reader.join(timeout=10)
    process.stdout.close()
    output = "".join(lines)
    start = next(line for line in lines if "scheduler actief" in line)
    assert f"met {len(JOBS)} taken" in start and all(job.name in start for job in JOBS), start
    assert sum("scheduler actief" in line for line in lines) == 1
    assert process.returncode == 0, output
    assert "Traceback" not in output and "SchedulerNotRunningError" not in output, output
    assert "scheduler gestopt" in output
