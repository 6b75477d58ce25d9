"""Structural rules: csa never imports streamlit; every registered page exists."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", sorted((ROOT / "csa").rglob("*.py")), ids=lambda p: p.name)
def test_csa_never_imports_streamlit(path):
    assert "streamlit" not in imports_of(path), f"{path} imports streamlit"


def test_every_registered_page_exists():
    from ui.navigation import PAGES

    for spec in PAGES:
        assert (ROOT / spec.path).exists(), f"{spec.path} is registered but missing"


def test_every_page_file_is_registered():
    from ui.navigation import PAGES

    registered = {spec.path for spec in PAGES}
    for path in sorted((ROOT / "pages").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        assert rel in registered, f"{rel} is not in ui.navigation"


def test_no_page_file_directly_in_pages():
    """Streamlit's legacy multipage mode globs pages/*.py and would serve such a file on a
    fresh server before app.py's role-aware navigation has run."""
    assert sorted((ROOT / "pages").glob("*.py")) == []
