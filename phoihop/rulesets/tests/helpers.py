"""Helpers for rule-set tests, shared with the apps that register sections: copy a folder, edit a file."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from django.apps import apps

from phoihop.rulesets.loader import DATA_DIR


def copy_ruleset(tmp_path: Path, code: str = "soctrang-2013") -> Path:
    """A writable copy of a shipped rule-set folder."""
    target = tmp_path / code
    shutil.copytree(DATA_DIR / code, target)
    return target


def edit(folder: Path, file: str, change: Callable[[Any], Any]) -> None:
    """Load one YAML file of `folder`, let `change` modify it in place, write it back."""
    path = folder / file
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def snapshot_database() -> dict[str, list[dict[str, Any]]]:
    """Every row of every installed model, to show a refused or rolled-back load changed nothing."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }
