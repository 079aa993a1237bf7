"""The providers, as their specs state them: the one registry every part of agentruns reads.

A provider is a spec, `specs/<name>.yaml`, whose clients `make regen` writes
(`agentruns/clients/<name>.py`), and, where its run is assembled from several operations, a
module of the same name under `agentruns/providers/` with the plan that fetches it. `make regen` ships each spec inside
its generated package (`agentruns_<name>/openapi.json`); this module reads it on first use, so
`import agentruns` loads no provider and fetching a casedev ref loads case.dev's alone.

What is read from the spec: the title, key variables and run operation (`x-agentruns`), how the
key is sent (`securitySchemes`), the default base URL (`servers`), and every operation's
parameters with their formats and patterns. Walking its schemas (a body's shape) is the
emulator's, in agentruns.testing.schemas."""

from __future__ import annotations

import functools
import importlib
import os
import re
from collections.abc import Mapping
from types import ModuleType
from typing import Any
from uuid import UUID

import msgspec

from . import _provider_names
from ._pages import PageStyle
from .errors import ConfigurationError, UnknownProviderError

SHIPPED_SPEC = "openapi.json"


class Parameter(msgspec.Struct, frozen=True):
    """One parameter of an operation, as its spec declares it."""

    name: str
    location: str  # "path" or "query"
    required: bool
    schema: Mapping[str, Any]
    explode: bool  # for arrays in the query: False means one comma-separated value

    @property
    def format_hint(self) -> str:
        """`<name>` as a ref shows it, with the format or pattern the value must have."""
        kind = self.schema.get("format") or (f"/{self.schema['pattern']}/" if "pattern" in self.schema else "")
        return f"<{self.name}:{kind}>" if kind else f"<{self.name}>"

    def problem(self, value: str) -> str | None:
        """Why `value` cannot be this path parameter, or None when it can."""
        if value in ("", ".", ".."):
            # httpx collapses dot segments even percent-encoded as one segment: `..` would fetch the parent.
            return f"{value!r} is not a usable {self.name} (empty and dot segments are refused)"
        if self.schema.get("format") == "uuid":
            try:
                UUID(value)
            except ValueError:
                return f"{self.name} {value[:80]!r} is not a UUID"
        pattern = self.schema.get("pattern")
        if pattern and not re.search(pattern, value):
            return f"{self.name} {value[:80]!r} does not match /{pattern}/"
        return None


class OperationInfo(msgspec.Struct, frozen=True, dict=True):  # dict: for its cached_property
    """One operation of a provider's spec."""

    operation_id: str
    method: str
    path: str
    parameters: tuple[Parameter, ...]
    # query parameter name -> the values its spec allows (enum of the value or of its items)
    allowed: Mapping[str, tuple[str, ...]]

    @functools.cached_property
    def path_parameters(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == "path")


class Auth(msgspec.Struct, frozen=True):
    """How a provider's key is sent, from its spec's `securitySchemes` and `security`: a bearer
    token in `Authorization`, or an API key in a header of the provider's own name."""

    scheme: str  # the security scheme's name in the spec ("bearerAuth", "ApiKeyAuth")
    header: str  # "Authorization", "X-N8N-API-KEY"
    prefix: str  # "Bearer " for a bearer token, "" for an API key header
    optional: bool  # the spec's security also allows no key at all (`{}`): a self-hosted server

    def value(self, key: str) -> str:
        return self.prefix + key


class ProviderInfo(msgspec.Struct, frozen=True):
    """What agentruns knows of one provider, all of it read from the provider's spec."""

    name: str  # "casedev": the spec's stem, the ref prefix and the generated package's suffix
    title: str  # "case.dev"
    env_prefix: str  # "CASEDEV": CASEDEV_API_KEY and CASEDEV_BASE_URL
    key_prefix: str | None  # keys must start with this, where the provider says so
    # The spec's first server that is a whole URL (its variables' defaults filled in), or None for
    # a self-hosted provider (`x-agentruns: self_hosted: true`), or a spec whose servers are all
    # relative: a base URL must then be given.
    default_base_url: str | None
    servers: tuple[str, ...]  # every server URL the spec lists, as written (templates included)
    auth: Auth
    package: str  # "agentruns_casedev"
    spec: Mapping[str, Any]
    operations: Mapping[str, OperationInfo]  # by operationId
    run_operation: OperationInfo  # the operation whose path parameters address a run
    # Query arguments the run operation is always sent with (`x-agentruns: run_query`), where the
    # run is not whole without them (n8n's includeData=true).
    run_query: Mapping[str, str] = {}
    # How each list operation pages (`x-agentruns: pages`, operationId -> its style).
    pages: Mapping[str, PageStyle] = {}
    # The provider's status values -> the normalized ones (`x-agentruns: statuses`; RunStatus values).
    statuses: Mapping[str, str] = {}
    # Where the run operation's body says the run's status (a JSON pointer).
    status_at: str = "/status"
    # Which fields of the run operation's body repeat which ref ids (ref parameter -> JSON pointer).
    echo: Mapping[str, str] = {}
    # How the clients' names begin, as declared (`x-agentruns: client_prefix`); "": the name capitalized.
    client_prefix: str = ""
    # What fetch() passes to get_run for the normalized view alone (`x-agentruns: view_arguments`).
    view_arguments: Mapping[str, Any] = {}

    @property
    def api_key_variable(self) -> str:
        return f"{self.env_prefix}_API_KEY"

    @property
    def base_url_variable(self) -> str:
        return f"{self.env_prefix}_BASE_URL"

    @property
    def ref_parameters(self) -> tuple[Parameter, ...]:
        return self.run_operation.path_parameters

    @property
    def ref_format(self) -> str:
        return f"{self.name}:" + "/".join(p.format_hint for p in self.ref_parameters)

    def operation_for(self, endpoint: ModuleType) -> OperationInfo:
        """The operation a generated endpoint module implements (it records METHOD and PATH)."""
        shape = path_shape(endpoint.PATH)  # the generator writes its own names of the ids ({run_id} for {runId})
        for operation in self.operations.values():
            if operation.method == endpoint.METHOD and path_shape(operation.path) == shape:
                return operation
        raise LookupError(f"{endpoint.__name__} implements no operation of specs/{self.name}.yaml")

    def model_class(self, schema_name: str) -> type[Any]:
        """The generated class of a component schema (regen renames a few, and records it)."""
        class_name = self.spec.get("x-generated", {}).get("class_names", {}).get(schema_name, schema_name)
        model: type[Any] = getattr(importlib.import_module(f"{self.package}.models"), class_name)
        return model

    @property
    def run_model(self) -> type[Any]:
        """The generated class of the run operation's 200 body."""
        return self.model_class(self.schema_name_of(self.run_operation))

    def schema_name_of(self, operation: OperationInfo, status: str = "200") -> str:
        """The component name of an operation's JSON body (of its items, for an array body)."""
        path_item = self.spec["paths"][operation.path][operation.method.lower()]
        response = _resolve_component(self.spec, path_item["responses"][status], "responses")
        schema = response["content"]["application/json"]["schema"]
        schema = schema.get("items", schema)
        return str(schema["$ref"].rsplit("/", 1)[1])

    @property
    def decode_error(self) -> type[ValueError]:
        """The generated package's DecodeError: what its models raise for a body that breaks the spec."""
        return _decode_error(self.package)

    def clients(self) -> tuple[type[Any], type[Any]]:
        """The provider's sync and async client classes, as `make regen` writes them
        (agentruns/clients/<name>.py; this imports that module)."""
        module = importlib.import_module(f"agentruns.clients.{self.name}")
        sync, async_ = self.client_names
        return getattr(module, sync), getattr(module, async_)

    @property
    def client_names(self) -> tuple[str, str]:
        """`("CasedevClient", "AsyncCasedevClient")`: `x-agentruns: client_prefix`, else the name capitalized."""
        prefix = self.client_prefix or self.name.capitalize()
        return f"{prefix}Client", f"Async{prefix}Client"

    def page_style(self, operation_id: str) -> PageStyle | None:
        """How the list operation `operation_id` pages, as the spec declares it (`x-agentruns:
        pages`); None for an operation that does not page."""
        return self.pages.get(operation_id)

    @property
    def sync_client(self) -> type[Any]:
        """The provider's blocking client class (`CasedevClient`)."""
        return self.clients()[0]

    @property
    def async_client(self) -> type[Any]:
        """The provider's asyncio client class (`AsyncCasedevClient`)."""
        return self.clients()[1]


def names() -> tuple[str, ...]:
    """Every provider's name, sorted: one per spec (see _provider_names)."""
    return _provider_names.names()


def get(name: str) -> ProviderInfo:
    """The provider `name`; UnknownProviderError (an InvalidRequestError) when there is none."""
    if name not in names():
        raise UnknownProviderError(
            f"unknown provider {name!r}; known: {', '.join(names())}",
            provider="agentruns",
            operation="registry",
            field="provider",
        )
    return _load(name)


def all_providers() -> tuple[ProviderInfo, ...]:
    return tuple(get(name) for name in names())


def provider_of(module_name: str) -> ProviderInfo:
    """The provider a module belongs to: its generated package or its provider module."""
    head, _, rest = module_name.partition(".")
    if head == "agentruns" and rest.startswith("providers."):
        return get(rest.split(".")[1])
    if head.startswith("agentruns_"):
        return get(head.removeprefix("agentruns_"))
    raise UnknownProviderError(
        f"{module_name} belongs to no provider", provider="agentruns", operation="registry", field="provider"
    )


@functools.cache
def _load(name: str) -> ProviderInfo:
    package = f"agentruns_{name}"
    # Imported, not looked up with importlib.util.find_spec: its models are imported next anyway,
    # and its __init__ loads nothing (the clients, with httpx, on first use).
    try:
        locations = getattr(importlib.import_module(package), "__path__", None)
    except ModuleNotFoundError as error:
        if error.name != package:
            raise
        locations = None
    if not locations:
        from ._extras import install_command

        raise ImportError(f"the generated client {package} is not installed: {install_command(generated=name)}")
    # os.path, not pathlib: a cold start imports nothing else that needs pathlib.
    spec_path = os.path.join(next(iter(locations)), SHIPPED_SPEC)
    # msgspec, which a fetch loads anyway: orjson is loaded only for a body off the fast path.
    with open(spec_path, "rb") as file:
        return from_spec(name, msgspec.json.decode(file.read()))


def from_spec(name: str, spec: Mapping[str, Any]) -> ProviderInfo:
    """A ProviderInfo read from a parsed OpenAPI document."""
    extension = spec["x-agentruns"]
    operations: dict[str, OperationInfo] = {}
    for path, path_item in spec["paths"].items():
        for method, operation in path_item.items():
            if method.startswith("x-") or method == "parameters":
                continue
            parameters = []
            allowed: dict[str, tuple[str, ...]] = {}
            for raw in (*path_item.get("parameters", ()), *operation.get("parameters", ())):
                raw = _resolve_component(spec, raw, "parameters")
                schema = raw.get("schema", {})
                parameters.append(
                    Parameter(
                        name=raw["name"],
                        location=raw["in"],
                        required=bool(raw.get("required", False)),
                        schema=schema,
                        explode=bool(raw.get("explode", raw.get("style", "form") == "form")),
                    )
                )
                values = _enum_of(spec, schema)
                if values is not None:
                    allowed[raw["name"]] = values
            operation_id = operation.get("operationId")
            if not operation_id:  # `make regen` refuses such a spec; a document made by hand may have one
                raise ConfigurationError(
                    f"{method.upper()} {path} has no operationId: agentruns names operations by it",
                    provider=name,
                    field="operationId",
                )
            operations[operation_id] = OperationInfo(
                operation_id=operation_id,
                method=method.upper(),
                path=path,
                parameters=tuple(parameters),
                allowed=allowed,
            )
    return ProviderInfo(
        name=name,
        title=extension["title"],
        env_prefix=extension["env_prefix"],
        key_prefix=extension.get("key_prefix"),
        default_base_url=None if extension.get("self_hosted") else _default_server(spec.get("servers") or ()),
        servers=tuple(server["url"] for server in spec.get("servers") or ()),
        auth=_auth(name, spec, operations[extension["run_operation"]]),
        run_query=dict(extension.get("run_query", {})),
        pages={op: PageStyle.declared(op, block) for op, block in (extension.get("pages") or {}).items()},
        statuses=dict(extension.get("statuses") or {}),
        status_at=extension.get("status_at", "/status"),
        echo=dict(extension.get("echo") or {}),
        client_prefix=extension.get("client_prefix", ""),
        view_arguments=dict(extension.get("view_arguments") or {}),
        package=f"agentruns_{name}",
        spec=spec,
        operations=operations,
        run_operation=operations[extension["run_operation"]],
    )


def _default_server(servers: Any) -> str | None:
    """The first server that is a whole http(s) URL, its variables' defaults filled in."""
    for server in servers:
        url = str(server["url"])
        for variable, declared in (server.get("variables") or {}).items():
            url = url.replace("{" + variable + "}", str(declared.get("default", "")))
        if url.startswith(("https://", "http://")) and "{" not in url:
            return url
    return None


def _auth(name: str, spec: Mapping[str, Any], run_operation: OperationInfo) -> Auth:
    """How the key is sent: the first of the run operation's security requirements (else the
    spec's) whose scheme agentruns speaks; optional where a requirement is empty (`{}`)."""
    raw = spec["paths"][run_operation.path][run_operation.method.lower()]
    requirements = raw.get("security", spec.get("security", [{}]))
    schemes = spec.get("components", {}).get("securitySchemes", {})
    optional = any(not requirement for requirement in requirements)
    for requirement in requirements:
        for scheme_name in requirement:
            scheme = schemes.get(scheme_name, {})
            if scheme.get("type") == "http" and str(scheme.get("scheme", "")).lower() == "bearer":
                return Auth(scheme_name, "Authorization", "Bearer ", optional)
            if scheme.get("type") == "apiKey" and scheme.get("in") == "header":
                return Auth(scheme_name, str(scheme["name"]), "", optional)
            if scheme.get("type") in ("oauth2", "openIdConnect"):
                # An access token the caller obtained travels as a bearer token (RFC 6750); no
                # OAuth flow is run here.
                return Auth(scheme_name, "Authorization", "Bearer ", optional)
    if optional or not requirements:
        return Auth("", "Authorization", "Bearer ", True)
    named = sorted({scheme_name for requirement in requirements for scheme_name in requirement})
    described = ", ".join(f"{n}: {_scheme_kind(schemes.get(n, {}))}" for n in named)
    raise ValueError(
        f"specs/{name}.yaml: its security names no scheme agentruns can send ({described}); it sends "
        "an http bearer token, an OAuth 2 or OpenID Connect access token, or an apiKey in a header"
    )


def _scheme_kind(scheme: Mapping[str, Any]) -> str:
    """A security scheme as its spec describes it (`http basic`, `apiKey in query`), for an error."""
    if scheme.get("type") == "http":
        return f"http {scheme.get('scheme', '')}".strip()
    if scheme.get("type") == "apiKey":
        return f"apiKey in {scheme.get('in', '?')}"
    return str(scheme.get("type") or "not defined in components.securitySchemes")


@functools.cache
def _decode_error(package: str) -> type[ValueError]:
    # Read on every response: looked up once per package.
    error: type[ValueError] = importlib.import_module(f"{package}.errors").DecodeError
    return error


@functools.cache
def endpoint_operation(endpoint: ModuleType) -> tuple[ProviderInfo, OperationInfo]:
    """The provider and operation a generated endpoint module implements (once per module)."""
    provider = provider_of(endpoint.__name__)
    return provider, provider.operation_for(endpoint)


_PATH_PARAMETER = re.compile(r"\{([^{}/]+)\}")


def path_shape(path: str) -> str:
    """A path with its parameters' names left out: the spec's `/runs/{runId}` and the generated
    module's `/runs/{run_id}` are one operation (a valid document has no two paths of one shape)."""
    return _PATH_PARAMETER.sub("{}", path)


@functools.cache
def builder_names(endpoint: ModuleType, path: str) -> dict[str, str] | None:
    """Each parameter's name in the spec's `path` -> the argument of the generated endpoint's
    builder that takes it (`runId` -> `run_id`, `run-id` -> `run_id`): the builder takes them in
    the path's order, as the generator sorts them. None where every name is the builder's own
    (the usual case: nothing to rename on each request)."""
    in_path = _PATH_PARAMETER.findall(path)
    code = endpoint._get_kwargs.__code__
    names = dict(zip(in_path, code.co_varnames[: code.co_argcount], strict=False))
    return names if any(spec != python for spec, python in names.items()) else None


def _resolve_component(spec: Mapping[str, Any], value: Mapping[str, Any], kind: str) -> Mapping[str, Any]:
    while "$ref" in value:
        value = spec["components"][kind][value["$ref"].rsplit("/", 1)[1]]
    return value


def _enum_of(spec: Mapping[str, Any], schema: Mapping[str, Any]) -> tuple[str, ...] | None:
    """The enum of a value schema, or of its array items; following $refs and nullable anyOfs."""
    schema = _resolve_component(spec, schema, "schemas")
    if schema.get("type") == "array" or "items" in schema:
        return _enum_of(spec, schema.get("items", {}))
    for option in schema.get("anyOf", ()):
        values = _enum_of(spec, option)
        if values is not None:
            return values
    enum = schema.get("enum")
    return tuple(v for v in enum if v is not None) if enum else None


__all__ = [
    "Auth",
    "OperationInfo",
    "Parameter",
    "ProviderInfo",
    "UnknownProviderError",
    "all_providers",
    "get",
    "names",
    "provider_of",
]
