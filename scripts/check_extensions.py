"""Check every spec's name and `x-agentruns` block: the name against what a provider's name is,
the block against specs/x-agentruns.schema.json, then against the spec itself: every operation
has an operationId, every GET answers 200 with a JSON body that names a component schema, its
run operation is one of its GETs, its run query names that operation's query parameters, its
echo names its path parameters, and each paged list is a GET whose query parameters include the
cursor's. `make lint-specs` runs it on every spec, `make regen` on each
it generates.

    python scripts/check_extensions.py [specs/<name>.yaml ...]
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jsonschema
import specdiff

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "specs" / "x-agentruns.schema.json"
PROVIDER_NAME = re.compile(r"[a-z][a-z0-9_]*")
HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})


def problems(name: str, spec: dict[str, Any]) -> list[str]:
    """What is wrong with the spec's block, each naming the field at fault; empty when nothing is."""
    if not PROVIDER_NAME.fullmatch(name):
        return [
            f"specs/{name}.yaml: {name!r} cannot be a provider's name (its spec's file name): it names the "
            f"package agentruns_<name>, its clients' module and the refs' prefix (<name>:<id>), so it is "
            f"lowercase letters, digits and underscores, a letter first (specs/{_suggested(name)}.yaml)"
        ]
    block = spec.get("x-agentruns")
    if block is None:
        return [f"specs/{name}.yaml: no x-agentruns block (see docs/guide/adding-a-provider.md)"]
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text()))
    found = [
        f"specs/{name}.yaml: x-agentruns{''.join(f'.{part}' for part in error.absolute_path)}: {error.message}"
        for error in sorted(validator.iter_errors(block), key=lambda error: list(map(str, error.absolute_path)))
    ]
    if found:
        return found
    # Plans, pages and the registry name an operation by its operationId: one without is refused
    # here, before anything is generated (a document that leaves one out gets one, cited).
    found = [
        f"specs/{name}.yaml: paths.{path}.{method}: no operationId (agentruns names operations by it: "
        "give it one, a departure cited in the spec's header)"
        for path, item in spec.get("paths", {}).items()
        for method, operation in item.items()
        if method in HTTP_METHODS and isinstance(operation, dict) and not operation.get("operationId")
    ]
    if found:
        return found
    operations = {
        operation["operationId"]: (method, path, operation)
        for path, item in spec.get("paths", {}).items()
        for method, operation in item.items()
        if isinstance(operation, dict) and "operationId" in operation
    }
    run = operations.get(block["run_operation"])
    if run is None or run[0] != "get":
        return [f"specs/{name}.yaml: x-agentruns.run_operation: {block['run_operation']!r} is not a GET of the spec"]
    found = [
        f"specs/{name}.yaml: paths.{path}.get: {why}"
        for operation_id, (method, path, operation) in operations.items()
        if method == "get" and (why := _body_problem(spec, operation))
    ]
    if found:
        return found
    found = [
        f"specs/{name}.yaml: x-agentruns.run_query.{key}: not a query parameter of {block['run_operation']}"
        for key in block.get("run_query", {})
        if key not in _query_parameters(spec, run)
    ]
    path_ids = [segment[1:-1] for segment in run[1].split("/") if segment.startswith("{")]
    found += [
        f"specs/{name}.yaml: x-agentruns.echo.{key}: not a path parameter of {block['run_operation']} ({', '.join(path_ids)})"
        for key in block.get("echo", {})
        if key not in path_ids
    ]
    for operation_id, style in (block.get("pages") or {}).items():
        at = f"specs/{name}.yaml: x-agentruns.pages.{operation_id}"
        listed = operations.get(operation_id)
        if listed is None or listed[0] != "get":
            found.append(f"{at}: {operation_id!r} is not a GET of the spec")
            continue
        query = _query_parameters(spec, listed)
        for field in ("cursor_param", "size_param"):
            if field in style and style[field] not in query:
                found.append(f"{at}.{field}: {style[field]!r} is not a query parameter of {operation_id}")
    return found


def _suggested(name: str) -> str:
    """A name of the allowed form close to `name` (`Agent-Protocol` -> `agent_protocol`)."""
    suggested = re.sub(r"[^a-z0-9_]+", "_", name.lower()).strip("_")
    return suggested if suggested[:1].isalpha() else f"p_{suggested}"


def _body_problem(spec: dict[str, Any], operation: dict[str, Any]) -> str | None:
    """Why a GET's answer is not one agentruns reads, or None: it must answer 200 with an
    `application/json` body whose schema names a component (`$ref`), or is an array of one; the
    generated model and the emulator's draws are found by that name."""
    response = operation.get("responses", {}).get("200", operation.get("responses", {}).get(200))
    if isinstance(response, dict) and "$ref" in response:
        response = spec.get("components", {}).get("responses", {}).get(response["$ref"].rsplit("/", 1)[1])
    if not isinstance(response, dict):
        return "no 200 response (agentruns reads a run from a 200 answer)"
    content = response.get("content") or {}
    if "application/json" not in content:
        others = ", ".join(sorted(content)) or "none"
        return f"its 200 response has no application/json body (it has {others}): name the JSON media type so"
    schema = content["application/json"].get("schema") or {}
    schema = schema.get("items", schema) if schema.get("type") == "array" else schema
    if "$ref" not in schema:
        return (
            "its 200 body is an inline schema: move it to components/schemas and $ref it (a departure, "
            "cited), so that its model has a name"
        )
    return None


def _query_parameters(spec: dict[str, Any], operation: tuple[str, str, dict[str, Any]]) -> set[str]:
    """The names of an operation's query parameters (its path item's too, `$ref`s followed)."""
    names = set()
    for parameter in (*spec["paths"][operation[1]].get("parameters", ()), *operation[2].get("parameters", ())):
        if "$ref" in parameter:
            parameter = spec["components"]["parameters"][parameter["$ref"].rsplit("/", 1)[1]]
        if parameter.get("in") == "query":
            names.add(parameter.get("name"))
    return names


def main(paths: Iterable[str]) -> int:
    chosen = [Path(p) for p in paths] or sorted((ROOT / "specs").glob("*.yaml"))
    found = [line for path in chosen for line in problems(path.stem, specdiff.load_spec(path.read_text()))]
    for line in found:
        print(line)
    if not found:
        print(f"x-agentruns: OK in {len(chosen)} specs")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
