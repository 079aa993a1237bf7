"""The structure says what the layer does: modules import one way (no circle, TYPE_CHECKING
imports included), every road implements the one sender interface, and the request path and the
registry know no road and no client class by name."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from agentruns import _judge, _request_loop, registry
from agentruns._transport import asyncio_pool, base, httpx_senders, socket_pool

SRC = Path(__file__).resolve().parent.parent / "src" / "agentruns"


def _imports(path: Path) -> set[str]:
    """The sibling modules `path` imports (relative imports of the package, any depth of code)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            found |= {node.module.split(".")[0]} if node.module else {alias.name for alias in node.names}
    return found


def test_the_package_modules_import_without_a_circle() -> None:
    graph = {path.stem: _imports(path) for path in SRC.glob("*.py")}
    cycles = []

    def visit(module: str, path: list[str]) -> None:
        for imported in graph.get(module, ()):
            if imported in path:
                cycles.append([*path[path.index(imported) :], imported])
            elif imported in graph:
                visit(imported, [*path, imported])

    for module in graph:
        visit(module, [module])
    assert cycles == []


def test_the_registry_and_the_request_path_name_no_client_and_no_road() -> None:
    assert "_client" not in _imports(SRC / "registry.py")
    source = inspect.getsource(_request_loop) + inspect.getsource(_judge)
    for road in (
        "SocketPool(",
        "AsyncioPool(",
        "HttpxSender(",
        "AsyncHttpxSender(",
        "isinstance(client",
        "isinstance(sender",
    ):
        assert road not in source, road


@pytest.mark.parametrize(
    ("road", "is_async"),
    [
        (socket_pool.SocketPool, False),
        (httpx_senders.HttpxSender, False),
        (asyncio_pool.AsyncioPool, True),
        (httpx_senders.AsyncHttpxSender, True),
    ],
)
def test_every_road_has_the_one_send(road: type, is_async: bool) -> None:
    send = road.send  # type: ignore[attr-defined]
    interface = base.AsyncSender if is_async else base.Sender
    assert list(inspect.signature(send).parameters) == ["self", "path", "params", "timeout", "limit"]
    assert inspect.signature(send).parameters == inspect.signature(interface.send).parameters
    assert inspect.iscoroutinefunction(send) is is_async
    closer = "aclose" if is_async else "close"
    assert callable(getattr(road, closer))
    assert any("closed" in vars(cls).get("__annotations__", {}) for cls in road.__mro__)  # declared, maybe on a base


def test_clients_register_themselves() -> None:
    for name in registry.names():
        sync, asynchronous = registry.get(name).clients()
        assert (sync.provider, sync.is_async, asynchronous.provider, asynchronous.is_async) == (name, False, name, True)
