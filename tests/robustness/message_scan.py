"""Where the sources hand a message to a person through a service error: string literals
in the message position of DomainError and its kinds, `err(field, message)`, and the
lists of a ValidationFailed's errors (``errors[key] = [...]``, ``errors.setdefault(key,
[]).append(...)``, ``ValidationFailed({...})``). A literal there must be marked (N_, _,
lazy_gettext), or pybabel never extracts it and English readers get Dutch."""

from __future__ import annotations

import ast
from pathlib import Path

RAISERS = {"DomainError": 0, "NotFound": 0, "Conflict": 0, "Forbidden": 0, "Throttled": 0,
           "InvalidLink": 0, "err": 1}
MARKERS = {"_", "N_", "gettext", "lazy_gettext", "_l", "ngettext"}
ERROR_LISTS = {"errors", "found", "problems", "shape_errors", "mine"}


def _name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _literals(node: ast.AST, out: list[ast.AST]) -> None:
    """String literals and f-strings in `node` that no marker call wraps."""
    if isinstance(node, ast.Call) and _name(node.func) in MARKERS:
        return
    if isinstance(node, ast.Constant) and isinstance(node.value, str) or isinstance(
            node, ast.JoinedStr):
        out.append(node)
    elif isinstance(node, ast.Dict):
        for value in node.values:
            _literals(value, out)
    elif isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        for item in node.elts:
            _literals(item, out)
    elif isinstance(node, ast.IfExp):
        _literals(node.body, out)
        _literals(node.orelse, out)
    elif isinstance(node, ast.BinOp):
        _literals(node.left, out)
        _literals(node.right, out)


def error_kinds(paths: list[Path]) -> dict[str, int]:
    """RAISERS plus every class the sources derive from one of them (LinkExpired, ...)."""
    kinds = dict(RAISERS)
    classes = [node for path in paths for node in ast.walk(ast.parse(path.read_text("utf-8")))
               if isinstance(node, ast.ClassDef)]
    grown = True
    while grown:
        grown = False
        for node in classes:
            if node.name not in kinds and any(_name(base) in kinds for base in node.bases):
                kinds[node.name] = 0
                grown = True
    return kinds


def unmarked(source: str, kinds: dict[str, int] | None = None) -> list[ast.AST]:
    kinds = kinds or RAISERS
    found: list[ast.AST] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = _name(node.func)
            if name in kinds and len(node.args) > kinds[name]:
                _literals(node.args[kinds[name]], found)
            elif name == "ValidationFailed" and node.args:
                _literals(node.args[0], found)
            elif name == "append" and isinstance(node.func, ast.Attribute) and node.args:
                owner = node.func.value
                base = (owner.func.value if isinstance(owner, ast.Call)
                        and isinstance(owner.func, ast.Attribute)
                        else getattr(owner, "value", None))
                if _name(base) in ERROR_LISTS:
                    _literals(node.args[0], found)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Subscript) and _name(target.value) in ERROR_LISTS or (
                        isinstance(target, ast.Name) and target.id in ERROR_LISTS
                        and isinstance(node.value, ast.Dict)):
                    _literals(node.value, found)
    return found


def marked(source: str) -> list[tuple[int, str]]:
    """(line, msgid) of every N_("...") call."""
    return [(node.lineno, node.args[0].value) for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Call) and _name(node.func) == "N_" and node.args
            and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)]


def sources(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*.py") if "__pycache__" not in path.parts)
