"""Each package says what is public, in ``__all__``, and documents it (as HTTPX tests its own).

For ``socialcover`` and every domain package: every name in ``__all__`` exists and is
documented, and every public attribute that is not a submodule is in ``__all__`` (anything
else is named with a leading underscore). A name is documented when it has its own docstring,
an attribute docstring where it is defined (a string literal just after its assignment, or
``#:`` comments just before it), or is named in the package's docstring or in docs/*.md.
"""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import itertools
import pkgutil
import re
import sys
import types
from pathlib import Path

import pytest

import socialcover

REPO = Path(__file__).resolve().parents[2]
FUTURE = importlib.import_module("__future__")  # its features become names of a module
PACKAGES = ["socialcover"] + [
    f"socialcover.{m.name}" for m in pkgutil.iter_modules(socialcover.__path__) if m.ispkg
]


@functools.cache
def _docs_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted((REPO / "docs").glob("*.md")))


def _own_docstring(obj: object) -> bool:
    if inspect.isclass(obj):
        doc = vars(obj).get("__doc__")
        # dataclasses and enums write one when the class has none
        generated = isinstance(doc, str) and doc.startswith(f"{obj.__name__}(")
        return isinstance(doc, str) and bool(doc.strip()) and not generated
    if inspect.ismodule(obj) or inspect.isroutine(obj):
        return bool((obj.__doc__ or "").strip())
    return False


def _assigned_names(statement: ast.stmt) -> set[str]:
    if isinstance(statement, ast.Assign):
        return {t.id for t in statement.targets if isinstance(t, ast.Name)}
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
        return {statement.target.id}
    return set()


@functools.cache
def _attribute_docstrings(module_name: str) -> frozenset[str]:
    """Names assigned at the top of a module with a string literal just after the assignment,
    or ``#:`` comment lines just before it (the two conventions Sphinx reads)."""
    source = inspect.getsource(sys.modules[module_name])
    lines = source.splitlines()
    body = ast.parse(source).body
    names: set[str] = set()
    for statement, following in itertools.pairwise([*body, None]):
        literal_after = (
            isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        )
        comment_before = statement.lineno > 1 and lines[statement.lineno - 2].startswith("#:")
        if literal_after or comment_before:
            names |= _assigned_names(statement)
    return frozenset(names)


def _has_attribute_docstring(package: str, obj: object) -> bool:
    """Whether the object has an attribute docstring where the package defines it."""
    for name, module in list(sys.modules.items()):
        if module is None or not (name == package or name.startswith(package + ".")):
            continue
        for attribute, value in vars(module).items():
            if value is obj and attribute in _attribute_docstrings(name):
                return True
    return False


def _documented(package: types.ModuleType, name: str) -> bool:
    obj = getattr(package, name)
    mentioned = re.compile(rf"\b{re.escape(name)}\b")
    return (
        name.startswith("__")  # __version__ and the like: standard metadata
        or _own_docstring(obj)
        or _has_attribute_docstring(package.__name__, obj)
        or bool(mentioned.search(package.__doc__ or ""))
        or bool(mentioned.search(_docs_text()))
    )


def _public_attributes(package: types.ModuleType) -> set[str]:
    return {
        name
        for name, value in vars(package).items()
        if not name.startswith("_")
        and getattr(FUTURE, name, None) is not value
        and not (
            isinstance(value, types.ModuleType)
            and value.__name__.startswith(package.__name__ + ".")
        )
    }


def test_every_domain_package_is_checked() -> None:
    assert {"socialcover.survey", "socialcover.store", "socialcover.testing"} <= set(PACKAGES)


@pytest.mark.parametrize("name", PACKAGES)
def test_public_names_exist_are_documented_and_are_all_declared(name: str) -> None:
    package = importlib.import_module(name)
    declared: list[str] = list(getattr(package, "__all__", []))
    assert len(declared) == len(set(declared)), f"{name}.__all__ names something twice"
    missing = [n for n in declared if not hasattr(package, n)]
    assert not missing, f"{name}.__all__ names what the package does not have: {missing}"
    undocumented = [n for n in declared if not _documented(package, n)]
    assert not undocumented, (
        f"{name}: public names without a docstring or a mention in docs/: {undocumented}"
    )
    undeclared = sorted(_public_attributes(package) - set(declared))
    assert not undeclared, (
        f"{name}: public attributes missing from __all__ (add them, or prefix with _): {undeclared}"
    )
