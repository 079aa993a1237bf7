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


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in sorted(SRC.rglob("*.py"))}


def _imports(name: str) -> set[str]:
    """The modules of the package that module `name` imports: relative imports of any level and
    absolute ones, at any depth of code (inside functions and TYPE_CHECKING blocks included)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            submodules = {f"{module}.{alias.name}" for alias in node.names} & MODULES.keys()
            found |= submodules
            if module in MODULES and len(submodules) < len(node.names):  # names of the module itself
                found.add(module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names} & MODULES.keys()
    return found - {name}


GRAPH = {name: _imports(name) for name in MODULES}


def test_the_import_graph_reads_every_module_and_every_kind_of_import() -> None:
    assert len(MODULES) > 60 and "agentruns._transport.socket_pool" in MODULES
    assert "agentruns._transport.http11" in GRAPH["agentruns._transport.socket_pool"]  # from .http11 import
    assert "agentruns.errors" in GRAPH["agentruns._transport.asyncio_pool"]  # from ..errors import
    assert "agentruns._transport.httpx_senders" in GRAPH["agentruns._client"]  # inside a function
    assert "agentruns.registry" in GRAPH["agentruns.normalizers"]  # a package's own __init__


def test_every_module_imports_without_a_circle() -> None:
    cycles = []

    def visit(module: str, path: list[str]) -> None:
        for imported in sorted(GRAPH[module]):
            if imported in path:
                cycles.append([*path[path.index(imported) :], imported])
            else:
                visit(imported, [*path, imported])

    for module in GRAPH:
        visit(module, [module])
    assert cycles == []


def test_the_senders_import_nothing_above_them() -> None:
    below = {"agentruns._constants", "agentruns._types", "agentruns.errors"}
    for name in MODULES:
        if name.startswith("agentruns._transport"):
            above = {m for m in GRAPH[name] if not m.startswith("agentruns._transport") and m not in below}
            assert above == set(), name


def test_the_judge_knows_no_sender_and_the_request_loop_no_sender_kind() -> None:
    assert {m for m in GRAPH["agentruns._judge"] if m.startswith("agentruns._transport.")} <= {
        "agentruns._transport.target"
    }
    kinds = {"socket_pool", "asyncio_pool", "httpx_senders"}
    assert not {m.rpartition(".")[2] for m in GRAPH["agentruns._request_loop"]} & kinds


def test_the_registry_and_the_request_path_name_no_client_and_no_road() -> None:
    assert "agentruns._client" not in GRAPH["agentruns.registry"]
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


def test_every_provider_has_its_two_written_clients() -> None:
    for name in registry.names():
        sync, asynchronous = registry.get(name).clients()
        assert (sync.provider, sync.is_async, asynchronous.provider, asynchronous.is_async) == (name, False, name, True)


def test_the_library_makes_no_code_at_run_time() -> None:
    """No exec or eval: every method is written out (make regen writes the clients' own), so
    tracebacks, `inspect.getsource` and `help()` point at real files."""
    calls = [
        f"{name}:{node.lineno}"
        for name, path in MODULES.items()
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("exec", "eval")
    ]
    assert calls == []


def test_a_client_method_is_real_code_in_its_written_module() -> None:
    for name in registry.names():
        for client_class in registry.get(name).clients():
            method = client_class.get_run
            assert inspect.getsourcefile(method) == str(SRC / "clients" / f"{name}.py")
            assert "plan_get_run(" in inspect.getsource(method) and "self._run(" in inspect.getsource(method)
            assert method.__code__.co_filename != "<string>"


def test_the_registry_holds_what_runs_need_and_the_emulator_walks_the_schemas() -> None:
    info = registry.get("casedev")
    for walking in ("resolve", "merged", "response_schema", "resolve_response", "run_schema", "schema_at"):
        assert not hasattr(info, walking), walking
    # The status table is declared (x-agentruns: statuses), not walked out of the schemas.
    assert info.statuses == info.spec["x-agentruns"]["statuses"]
    users = {name for name, imported in GRAPH.items() if "agentruns.testing.schemas" in imported}
    assert users and all(name.startswith("agentruns.testing") for name in users), users


def test_the_command_is_built_on_the_public_api() -> None:
    """agentruns.cli imports no private module of the package (watch is agentruns.watch)."""
    private = {m for m in GRAPH["agentruns.cli"] if any(part.startswith("_") for part in m.split(".")[1:])}
    assert private == set()
