"""The package's folders import one another one way, as the data flows: an input is read (`files/`), validated by an
engine (the rules; `columnar/` for tables), and its findings written (`formats/`); the command line and the
integrations sit on top. Every import counts, those inside functions too (a deferred import is still a dependency)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "kbc_validate"
KNOWN_CYCLES: set[frozenset[str]] = set()  # none: the repeated-payment rules of files/ and pain001/ are repeats/


def part(module: str) -> str | None:
    """The folder (subpackage) or top-level module of the package that `module` belongs to, else None."""
    names = module.split(".")
    if names[0] != "kbc_validate" or len(names) < 2:
        return None
    return names[1]


def imported(path: Path) -> Iterator[str]:
    """The modules (and names of modules) that the module at `path` imports, absolute."""
    here = path.relative_to(PACKAGE.parent).with_suffix("").parts
    package = here[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[: len(package) - node.level + 1]) if node.level else ""
            module = ".".join(filter(None, [base, node.module or ""]))
            yield module
            yield from (f"{module}.{alias.name}" for alias in node.names)


def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        source = part(".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts))
        if source is None:
            continue
        targets = {target for name in imported(path) if (target := part(name)) not in (None, source)}
        graph.setdefault(source, set()).update(t for t in targets if t is not None)
    return graph


def cycles(graph: dict[str, set[str]]) -> set[frozenset[str]]:
    """The strongly connected parts of `graph` of more than one node (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: set[frozenset[str]] = set()

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for after in graph.get(node, ()):
            if after not in index:
                visit(after)
                low[node] = min(low[node], low[after])
            elif after in stack:
                low[node] = min(low[node], index[after])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.add(frozenset(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_folders_of_the_package_import_one_another_without_a_cycle() -> None:
    assert cycles(import_graph()) == KNOWN_CYCLES


def test_readers_never_import_the_engines_of_tables_or_the_formats() -> None:
    graph = import_graph()
    assert not graph["files"] & {"columnar", "formats", "integrations", "cli"}
    assert not graph["columnar"] & {"formats", "integrations", "cli"}


def test_a_cycle_is_found() -> None:
    """The control: the cycle `files/` and `columnar/` made before issue #17 is found, and a chain is none."""
    assert cycles({"files": {"columnar"}, "columnar": {"files", "rules"}, "rules": set()}) == {
        frozenset({"files", "columnar"})}
    assert cycles({"cli": {"files"}, "files": {"rules"}, "rules": set()}) == set()
