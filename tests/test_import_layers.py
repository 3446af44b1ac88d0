"""The import layers of pyproject.toml's [tool.importlinter] hold (run by `make test`): core imports
no project app, core, register and accounts import none of the apps above them, and meetings
imports no archive module (the archive indexes on meetings.signals, so no cycle comes back)."""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_are_kept(monkeypatch):
    if os.environ.get("CI", "").lower() != "true":
        pytest.importorskip(
            "importlinter", reason="import-linter is a dev dependency (pip install -e .[dev])"
        )
    from importlinter.cli import lint_imports

    monkeypatch.chdir(ROOT)
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0
