"""No import circle between files anywhere in ``socialcover``.

The import-layer contract (pyproject.toml) keeps domain packages one way; this test keeps every
module one way too. The graph counts every import grimp finds, including those inside
functions and under ``TYPE_CHECKING``: a deferred import still ties two files together. A
circle is a strongly connected component of the graph; the failure names each one, with one
concrete path around it and the import lines that make it.
"""

from __future__ import annotations

import itertools

import grimp

Graph = dict[str, set[str]]


def _import_graph() -> tuple[grimp.ImportGraph, Graph]:
    graph = grimp.build_graph("socialcover", cache_dir=None)
    return graph, {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}


def strongly_connected(graph: Graph) -> list[list[str]]:
    """The components of more than one module (Tarjan's algorithm, iterative), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(sorted(component))
    return sorted(components)


def shortest_cycle(graph: Graph, component: list[str]) -> list[str]:
    """A shortest path from the component's first module back to itself, inside it."""
    start, members = component[0], set(component)
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for child in sorted(graph[node] & members):
                if child == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return [start, *reversed(path[:-1]), start]
                if child not in previous:
                    previous[child] = node
                    following.append(child)
        frontier = following
    raise AssertionError(f"{start} is in a component but on no cycle")


def _describe(grimp_graph: grimp.ImportGraph, graph: Graph, component: list[str]) -> str:
    cycle = shortest_cycle(graph, component)
    lines = [f"{len(component)} modules: {', '.join(component)}", "  e.g. " + " -> ".join(cycle)]
    for importer, imported in itertools.pairwise(cycle):
        for detail in grimp_graph.get_import_details(importer=importer, imported=imported)[:1]:
            lines.append(f"    {importer}:{detail['line_number']}: {detail['line_contents']}")
    return "\n".join(lines)


def test_the_cycle_finder_names_a_circle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e"}}
    assert strongly_connected(graph) == [["a", "b", "c"]]
    assert shortest_cycle(graph, ["a", "b", "c"]) == ["a", "b", "c", "a"]


def test_no_module_imports_itself_through_others() -> None:
    grimp_graph, graph = _import_graph()
    circles = [_describe(grimp_graph, graph, c) for c in strongly_connected(graph)]
    assert not circles, "Import circles between files:\n" + "\n".join(circles)
