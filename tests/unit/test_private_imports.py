"""No module imports another newsift module's private helpers (issue 18).

A helper two modules need is a public function of one of them (as the TC label assignment and the
hysteresis decoding are in ``newsift.persuasion``). The imports below predate this check; each is
to be made public where its owner next works on the file (then delete its entry). A new private
import fails.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "newsift"

KNOWN: set[tuple[str, str]] = set()  # every one made public (issue 18)


def private_imports() -> set[tuple[str, str]]:
    """``(importing module, imported private name)`` for every ``from newsift... import _x``."""
    found = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        is_init = parts[-1] == "__init__"
        if is_init:
            parts = parts[:-1]
        module = ".".join(parts)
        package = parts if is_init else parts[:-1]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom):
                continue
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "newsift" or target == module:
                continue
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.add((module, f"{target}.{alias.name}"))
    return found


def test_no_new_private_imports_across_modules():
    found = private_imports()
    new = sorted(found - KNOWN)
    assert not new, f"private helpers imported across modules (make them public): {new}"


def test_the_check_sees_a_private_import(tmp_path, monkeypatch):
    pkg = tmp_path / "newsift"
    (pkg / "a").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "a" / "__init__.py").write_text("")
    (pkg / "a" / "x.py").write_text("from .y import _helper, public\nfrom ..b import _other\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["PACKAGE"]), "PACKAGE", pkg)
    assert private_imports() == {
        ("newsift.a.x", "newsift.a.y._helper"),
        ("newsift.a.x", "newsift.b._other"),
    }
