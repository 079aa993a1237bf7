"""What a reader and a type checker see of the public API: each client method's real parameters,
docstring and return model; typed options that a misspelling cannot slip past; and pyright's
type-completeness score of the package."""

from __future__ import annotations

import importlib
import inspect
import json
import os
import pydoc
import subprocess
import sys
import typing
from pathlib import Path

import pytest
from mypy import api as mypy_api

import agentruns
from agentruns import RunResponse, registry
from spec_tools import a_base_url, a_key

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PER_CALL = ["timeout", "max_retries", "total_timeout"]


def returned(provider: str) -> type:
    """What the provider's get_run returns, as its plan declares it (`Plan[T]` gives T): its run
    operation's model, or the parts it fetches as one (a LettaRun)."""
    module = importlib.import_module(f"agentruns.clients.{provider}")
    model: type = typing.get_args(typing.get_type_hints(module.plan_get_run)["return"])[-1]
    return model


def clients(provider: str) -> list[type]:
    info = registry.get(provider)
    return [info.sync_client, info.async_client]


@pytest.mark.parametrize("provider", registry.names())
def test_each_method_shows_its_parameters_and_its_model(provider: str) -> None:
    model = returned(provider)
    ids = [p.name for p in registry.get(provider).ref_parameters]
    for client_class in clients(provider):
        client = client_class(api_key=a_key(provider, "signature"), base_url=a_base_url(provider))
        try:
            run, response = inspect.signature(client.get_run), inspect.signature(client.get_run_response)
        finally:
            if not client.is_async:
                client.close()
        assert run.return_annotation is model
        assert response.return_annotation == RunResponse[model]
        names = list(run.parameters)
        assert len(names) >= len(ids) and names[-3:] == PER_CALL  # the ids, the provider's own, the per-call options
        assert all(run.parameters[name].kind is inspect.Parameter.KEYWORD_ONLY for name in PER_CALL)
        assert list(response.parameters) == names
        assert inspect.iscoroutinefunction(client_class.get_run) is client_class.is_async


@pytest.mark.parametrize("provider", registry.names())
def test_help_shows_a_method_with_its_own_docstring(provider: str) -> None:
    client_class = registry.get(provider).sync_client
    with client_class(api_key=a_key(provider, "signature"), base_url=a_base_url(provider)) as client:
        shown = pydoc.render_doc(client.get_run, renderer=pydoc.plaintext)
        shown_response = pydoc.render_doc(client.get_run_response, renderer=pydoc.plaintext)
    model = returned(provider)
    assert f"method of agentruns.clients.{provider}.{client_class.__name__} instance" in shown
    assert "get_run(" in shown and model.__name__ in shown and "Operation" not in shown
    assert "Returns a RunResponse" in shown_response and "Returns a RunResponse" not in shown
    in_class = pydoc.render_doc(client_class, renderer=pydoc.plaintext)
    # Listed among the class's methods, not as a data attribute (pydoc 3.13 writes a long
    # signature over several lines: read without its layout).
    assert "get_run(self" in "".join(in_class.replace("|", " ").split())


SNIPPET = """
import agentruns
from agentruns import CasedevClient

agentruns.fetch("casedev:run_1", tiemout=3)
agentruns.fetch_many(["casedev:run_1"], concurency=4)
agentruns.wait("casedev:run_1", poll_intervl=1.0)
with CasedevClient() as client:
    client.get_run("run_1", max_retrys=1)
    reveal_type(client.get_run("run_1", timeout=2.0))
run = agentruns.fetch("casedev:run_1", timeout=2.0, max_retries=1)
reveal_type(run.request_id)
"""


def test_a_type_checker_refuses_misspelled_options(tmp_path: Path) -> None:
    source = tmp_path / "usage.py"
    source.write_text(SNIPPET)
    out, _, status = mypy_api.run(
        ["--strict", "--no-error-summary", "--cache-dir", str(ROOT / ".mypy_cache"), str(source)]
    )
    assert status == 1, out
    for misspelled in ("tiemout", "concurency", "poll_intervl", "max_retrys"):
        assert f'Unexpected keyword argument "{misspelled}"' in out, out
    assert 'Revealed type is "agentruns_casedev.models.run_details.RunDetails"' in out
    assert 'Revealed type is "str | None"' in out
    errors = [line for line in out.splitlines() if ": error:" in line]
    assert len(errors) == 4, out  # the misspellings, and nothing in the correct lines


def test_pyright_finds_the_public_api_fully_typed(tmp_path: Path) -> None:
    """`pyright --verifytypes agentruns` (basedpyright's): at least 98% of the exported symbols
    have a known type. It takes the interpreter from PATH, so this venv's goes first."""
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    result = subprocess.run(
        [str(BIN / "basedpyright"), "--verifytypes", "agentruns", "--ignoreexternal", "--outputjson"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    report = json.loads(result.stdout)["typeCompleteness"]
    assert report["exportedSymbolCounts"]["withKnownType"] > 400, report["exportedSymbolCounts"]
    assert report["completenessScore"] >= 0.98, [s["name"] for s in report["symbols"] if not s["isTypeKnown"]]


def test_request_id_of_is_public() -> None:
    assert "request_id_of" in agentruns.__all__
    assert agentruns.request_id_of.__doc__ and "support" in agentruns.request_id_of.__doc__
