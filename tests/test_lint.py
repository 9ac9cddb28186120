"""Ruff (ruff.toml) finds no unused or undefined names, no loop-closure or mutable-default bugs,
no invalid escapes: the lint runs inside the one test command, so CI runs it too."""
import os
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def ruff_command():
    """Ruff from the test venv (the ``test`` extra installs it), else from the PATH."""
    local = os.path.join(os.path.dirname(sys.executable), "ruff")
    return local if os.path.exists(local) else shutil.which("ruff")


def test_ruff_finds_nothing():
    ruff = ruff_command()
    if ruff is None:
        pytest.fail("ruff is not installed: pip install -e '.[test]'")
    result = subprocess.run([ruff, "check", "--no-cache", "--output-format", "concise", "."], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"ruff check . found problems (fix them or see ruff.toml):\n{result.stdout}{result.stderr}"
