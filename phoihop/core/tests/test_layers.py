"""The import contracts of pyproject.toml catch what they are meant to catch.

`./run test` runs `lint-imports` on the real tree; these tests show, on a copy of the tree, that the same
command fails when a lower app imports a higher one, or when two files of one app import each other.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
LAYERS = "Apps depend one way: every import runs down the layers"
ACYCLIC = "No import cycle between the files of an app"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the Python packages and of pyproject.toml, to break on purpose."""
    for package in ("phoihop", "config"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-logo", "--no-cache", str(tree / "pyproject.toml")],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def append_import(path: Path, line: str) -> None:
    path.write_text(path.read_text() + f"\n{line}\n")


def test_the_untouched_tree_keeps_every_contract(tree: Path) -> None:
    result = lint_imports(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{LAYERS} KEPT" in result.stdout
    assert f"{ACYCLIC} KEPT" in result.stdout


def test_an_upward_import_breaks_the_layers(tree: Path) -> None:
    # directory sits below cases: it may not know cases exists.
    append_import(tree / "phoihop" / "directory" / "selectors.py", "import phoihop.cases  # noqa")

    result = lint_imports(tree)

    assert result.returncode != 0
    assert f"{LAYERS} BROKEN" in result.stdout
    assert "phoihop.directory.selectors -> phoihop.cases" in result.stdout
    assert f"{ACYCLIC} KEPT" in result.stdout


def test_a_lazy_upward_import_breaks_the_layers_too(tree: Path) -> None:
    path = tree / "phoihop" / "audit" / "services.py"
    path.write_text(path.read_text() + "\n\ndef _upward():\n    from phoihop.routing import engine  # noqa\n")

    result = lint_imports(tree)

    assert result.returncode != 0
    assert f"{LAYERS} BROKEN" in result.stdout
    assert "phoihop.audit.services -> phoihop.routing.engine" in result.stdout


def test_two_files_of_an_app_importing_each_other_break_the_acyclic_contract(tree: Path) -> None:
    # selectors imports models; models importing selectors back closes a cycle.
    append_import(tree / "phoihop" / "directory" / "models.py", "from phoihop.directory import selectors  # noqa")

    result = lint_imports(tree)

    assert result.returncode != 0
    assert f"{ACYCLIC} BROKEN" in result.stdout
    assert "No cycles are allowed in phoihop.directory." in result.stdout
    assert f"{LAYERS} KEPT" in result.stdout
