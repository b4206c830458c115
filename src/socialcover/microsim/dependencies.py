"""The order in which derived variables and programmes are computed.

A depth-first topological sort over the names each definition reads (Tarjan 1976, *Acta
Informatica* 6); a cycle (a benefit counted as income for another that counts the first in
return) is an error at the reference that closes it, with the cycle spelled out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from socialcover.microsim._errors import RuleError
from socialcover.microsim.expression import Var, walk

__all__ = ["order_definitions"]


def order_definitions(defs: Mapping[str, Any]) -> list[str]:
    """Topological order of definitions; a cycle is an error at the reference closing it."""
    state: dict[str, int] = {}
    order: list[str] = []
    path: list[tuple[str, Var | None]] = []

    def visit(name: str, via: Var | None) -> None:
        if state.get(name) == 2:
            return
        if state.get(name) == 1:
            names = [n for n, _ in path]
            cycle = [*names[names.index(name) :], name]
            where = via.where if via else defs[name].where
            raise RuleError(
                f"circular dependency between programmes/variables: {' -> '.join(cycle)}",
                where=where,
                code="microsim.circular-dependency",
                hint=f"Remove one of these references; e.g. if {cycle[0]} counts "
                f"{cycle[1]} as income, {cycle[-2]} must not count {cycle[0]}.",
            )
        state[name] = 1
        path.append((name, via))
        for expr in defs[name].exprs.values():
            for node in walk(expr):
                if isinstance(node, Var) and node.name in defs:
                    visit(node.name, node)
        path.pop()
        state[name] = 2
        order.append(name)

    for name in defs:
        visit(name, None)
    return order
