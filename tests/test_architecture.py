"""The dependency arrows of STYLE.md, checked by parsing imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "summarizer", "ingest", "storage")
ALLOWED = {
    "bot": {"bot", "storage", "ingest", "summarizer"},
    "storage": {"storage", "ingest", "summarizer"},
    "ingest": {"ingest"},
    "summarizer": {"summarizer"},
}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", PACKAGES)
def test_package_imports_only_what_it_may(package: str) -> None:
    for path in _files(package):
        project = _imports(path) & set(PACKAGES)
        assert project <= ALLOWED[package], (
            f"{path.relative_to(ROOT)} imports {project - ALLOWED[package]}"
        )


@pytest.mark.parametrize("package", [p for p in PACKAGES if p != "storage"])
def test_only_storage_imports_sqlite_utils(package: str) -> None:
    for path in _files(package):
        assert "sqlite_utils" not in _imports(path), path


def test_summarizer_does_no_io() -> None:
    io_modules = {"httpx", "sqlite3", "sqlite_utils", "socket", "urllib", "requests", "telegram"}
    for path in _files("summarizer"):
        assert not (_imports(path) & io_modules), path
