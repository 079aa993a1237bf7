"""The error tree as SDK users read it: one public base, APIError, for whatever a provider's
answer raised, with the provider's own type, code and param where its body says them; every
error of a bad reference or provider in the same tree and module; and a bug of ours surfacing
as itself, not as the provider's fault."""

from __future__ import annotations

import httpx
import pytest

import agentruns
from agentruns import errors, refs, registry
from agentruns._judge import Judge
from agentruns._plan import Request
from agentruns._transport import Received


def status_error(status: int, body: bytes) -> errors.APIStatusError:
    info = registry.get("casedev")
    judge = Judge(info, "https://api.case.dev", "sk_case_secret")
    request = Request(info, "getRunDetails", "/agent/v1/run/r/details", (), lambda content: content)
    with pytest.raises(errors.APIStatusError) as caught:
        judge.verdict(request, Received(status, [(b"x-request-id", b"req_9")], body), 1)
    return caught.value


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (
            b'{"error": {"message": "No such response", "type": "invalid_request_error", "param": "id", "code": "not_found"}}',
            ("invalid_request_error", "not_found", "id"),
        ),
        (b'{"error": "run_not_found", "message": "no such run"}', (None, "run_not_found", None)),
        (b'{"type": "rate_limit", "code": 429}', ("rate_limit", "429", None)),
        (b'{"message": "missing or invalid X-N8N-API-KEY"}', (None, None, None)),
        (b"<html>Bad gateway</html>", (None, None, None)),
        (b"[1, 2]", (None, None, None)),
        (b'"Run not found"', (None, None, None)),  # the body a JSON string (LangGraph's)
        (b"", (None, None, None)),
    ],
)
def test_a_status_error_carries_the_provider_s_own_type_code_and_param(
    body: bytes, said: tuple[str | None, ...]
) -> None:
    error = status_error(404, body)
    assert isinstance(error, errors.NotFoundError) and isinstance(error, errors.APIError)
    assert (error.type, error.code, error.param) == said
    assert error.request_id == "req_9" and error.status_code == 404


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"error": {"message": "No such response", "type": "invalid_request_error"}}', "No such response"),
        (b'{"detail": "Thread not found"}', "Thread not found"),
        (b'"Run 1ef not found"', "Run 1ef not found"),  # an error body that is a JSON string
        (b'"  "', None),
        (b"[1, 2]", None),
    ],
)
def test_the_provider_s_own_message_is_read_from_an_error_body_of_any_json_type(
    body: bytes, message: str | None
) -> None:
    error = status_error(404, body)
    said = str(error).partition("HTTP 404: ")[2]
    assert said == (message or body.decode())  # else the body as it came
    assert error.body == body  # kept whole, whatever it says


def test_every_error_about_an_answer_shares_the_public_base() -> None:
    for kind in (
        errors.APIStatusError,
        errors.RateLimitError,
        errors.ServerError,
        errors.APIConnectionError,
        errors.APITimeoutError,
        errors.ResponseValidationError,
        errors.ResponseTooLargeError,
    ):
        assert issubclass(kind, agentruns.APIError), kind
    for kind in (errors.ConfigurationError, errors.InvalidRequestError, errors.WaitTimeoutError):
        assert not issubclass(kind, agentruns.APIError), kind
    timeout = errors.APITimeoutError("ReadTimeout", provider="casedev", operation="getRunDetails")
    assert (timeout.type, timeout.code, timeout.param, timeout.request_id) == (None, None, None, None)


def test_a_bad_ref_and_an_unknown_provider_are_in_the_tree_and_its_module() -> None:
    assert agentruns.InvalidRefError is errors.InvalidRefError is refs.InvalidRefError
    assert agentruns.UnknownProviderError is errors.UnknownProviderError is registry.UnknownProviderError
    with pytest.raises(errors.UnknownProviderError) as unknown:
        registry.get("acme")
    assert isinstance(unknown.value, errors.InvalidRequestError) and isinstance(unknown.value, LookupError)
    with pytest.raises(errors.InvalidRefError) as bad:
        agentruns.RunRef.parse("casedev")
    assert isinstance(bad.value, errors.AgentRunsError)


def test_a_bug_in_a_parser_surfaces_as_itself_not_as_a_bad_body() -> None:
    info = registry.get("casedev")
    judge = Judge(info, "https://api.case.dev", "sk_case_secret")

    def broken(content: bytes) -> object:
        raise AttributeError("'RunDetails' object has no attribute 'stpes'")  # a template's typo

    request = Request(info, "getRunDetails", "/agent/v1/run/r/details", (), broken)
    with pytest.raises(AttributeError, match="stpes"):
        judge.verdict(request, Received(200, [], b"{}"), 1)
    # A body that breaks the spec is still the provider's: a typed error naming it.
    with pytest.raises(errors.ResponseValidationError):
        judge.verdict(Request(info, "getRunDetails", "/x", (), lambda content: {}["id"]), Received(200, [], b"{}"), 1)


def test_the_key_never_shows_in_what_an_error_says() -> None:
    error = status_error(401, b'{"error": "invalid key sk_case_secret"}')
    assert "sk_case_secret" not in str(error) and isinstance(error.response, httpx.Response)
    assert error.code is None  # a sentence is no code
