"""YAML read with its line numbers kept, so every error can point into the file.

PyYAML's ``compose()`` returns nodes carrying ``start_mark`` (0-based line and column); we turn
them into plain Python values wrapped in :class:`Node`, which remembers where it came from. A
scalar keeps its quoting style, so an expression's own column offsets map back onto the file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from socialcover.microsim._errors import Location, RuleError

__all__ = ["Node", "load_yaml"]


@dataclass(frozen=True)
class Node:
    """A YAML value and where it starts.

    Mappings hold ``dict[str, Node]``, sequences ``list[Node]``.
    """

    value: Any
    where: Location
    style: str | None = None  # None (plain), "'", '"', "|" or ">"

    def get(self, key: str) -> Node | None:
        if isinstance(self.value, dict):
            out = self.value.get(key)
            return out if isinstance(out, Node) else None
        return None

    def plain(self) -> Any:
        """The value with every Node unwrapped."""
        if isinstance(self.value, dict):
            return {k: v.plain() for k, v in self.value.items()}
        if isinstance(self.value, list):
            return [v.plain() for v in self.value]
        return self.value

    def expect_mapping(self, what: str) -> dict[str, Node]:
        if not isinstance(self.value, dict):
            raise RuleError(
                f"{what} must be a mapping (key: value lines), got {self.plain()!r}",
                where=self.where,
                code="microsim.bad-structure",
                hint=f"Write {what} as indented 'key: value' lines.",
            )
        return self.value

    def text_position(self, line: int, col: int) -> Location:
        """File position of (1-based ``line``, 0-based ``col``) inside this scalar's text."""
        base = self.where
        if self.style in ("|", ">"):
            # Block scalars start on the next line, indented; the indent is unknown here, so
            # point at the line and keep the expression column.
            return Location(base.file, base.line + line, col + 1)
        offset = 1 if self.style in ("'", '"') else 0
        if line == 1:
            return Location(base.file, base.line, base.column + offset + col)
        return Location(base.file, base.line + line - 1, col + 1)


def _scalar(node: yaml.ScalarNode, loader: yaml.SafeLoader) -> Any:
    value = loader.construct_object(node, deep=True)
    return value


def _convert(node: yaml.Node, file: str, loader: yaml.SafeLoader) -> Node:
    where = Location(file, node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if isinstance(key, (dt.date, dt.datetime)):
                key = key.isoformat()[:10]
            key_text = str(key)
            if key_text in out:
                raise RuleError(
                    f"the key {key_text!r} appears twice",
                    where=Location(
                        file, key_node.start_mark.line + 1, key_node.start_mark.column + 1
                    ),
                    code="microsim.duplicate-key",
                    hint="Keep one of the two entries (YAML would silently keep the last).",
                )
            out[key_text] = _convert(value_node, file, loader)
        return Node(out, where)
    if isinstance(node, yaml.SequenceNode):
        return Node([_convert(v, file, loader) for v in node.value], where)
    assert isinstance(node, yaml.ScalarNode)
    return Node(_scalar(node, loader), where, node.style)


def load_yaml(source: str | Path, *, text: str | None = None) -> Node:
    """Read a YAML file (or ``text`` named ``source``) into located :class:`Node` values.

    Raises :class:`RuleError` with the file position when the YAML is malformed.
    """
    file = str(source)
    if text is None:
        path = Path(source)
        if not path.exists():
            raise RuleError(
                f"no such file {file!r}",
                where=Location(file),
                code="microsim.file-not-found",
                hint="Check the path (relative paths start from the current directory).",
            )
        text = path.read_text(encoding="utf-8")
    try:
        loader = yaml.SafeLoader(text)
        try:
            root = loader.get_single_node()
            if root is None:
                return Node({}, Location(file, 1, 1))
            return _convert(root, file, loader)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(file, mark.line + 1, mark.column + 1) if mark else Location(file)
        raise RuleError(
            f"this is not valid YAML: {exc.problem or exc}",
            where=where,
            code="microsim.yaml-syntax",
            hint="Check indentation and quoting near this line; quote expressions "
            "that contain ': '.",
        ) from None
