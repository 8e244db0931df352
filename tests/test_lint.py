"""Pyflakes-level checks (unused imports and names, undefined names) over the whole project."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_no_unused_or_undefined_names():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--select", "F,E9",
                             "sports", "tests", "benchmarks", "app.py"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
