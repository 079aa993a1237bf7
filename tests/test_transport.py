"""The request path, through httpx.MockTransport: retries, delays, timeouts, status → error, decoding."""

from __future__ import annotations

import email.utils
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import orjson
import pytest

from agentruns import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AsyncCasedevClient,
    AuthenticationError,
    BacksideClient,
    BadRequestError,
    CasedevClient,
    ConfigurationError,
    ConflictError,
    InvalidRequestError,
    MiddeskClient,
    NotFoundError,
    NsrocksClient,
    PermissionDeniedError,
    RateLimitError,
    ResponseTooLargeError,
    ResponseValidationError,
    ServerError,
    UnprocessableEntityError,
    _constants,
)
from spec_tools import example, load_spec

TOKEN = "sk_case_secret_token_123"
RUN_ID = "3c90c3cc-0d44-4b50-8888-8dd25736052a"
Handler = Callable[[httpx.Request], httpx.Response]


class Recorder:
    """A MockTransport handler answering from a script of responses, keeping every request."""

    def __init__(self, *responses: httpx.Response | Exception) -> None:
        self.script = list(responses)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        if isinstance(answer, Exception):
            raise answer
        return answer


def ok(provider: str = "casedev", body: Any = None, **headers: str) -> httpx.Response:
    return httpx.Response(200, content=orjson.dumps(example(provider) if body is None else body), headers=headers)


def casedev(recorder: Recorder, **options: Any) -> CasedevClient:
    http = httpx.Client(transport=httpx.MockTransport(recorder))
    return CasedevClient(api_key=TOKEN, base_url="https://api.case.dev", http_client=http, **options)


def test_success_returns_model_and_raw_response() -> None:
    recorder = Recorder(ok(**{"x-request-id": "req_1"}))
    response = casedev(recorder).get_run_response("run_1")
    assert response.status_code == 200
    assert response.request_id == "req_1"
    assert response.attempts == 1
    assert orjson.loads(response.content) == example("casedev")
    assert response.parsed.id == "<string>"
    request = recorder.requests[0]
    assert request.url == "https://api.case.dev/agent/v1/run/run_1/details"
    assert request.headers["authorization"] == f"Bearer {TOKEN}"


def test_server_errors_are_retried_with_growing_jittered_delays(delays: list[float]) -> None:
    recorder = Recorder(httpx.Response(503), httpx.Response(502), ok())
    run = casedev(recorder).get_run("run_1")
    assert run.id == "<string>"
    assert len(recorder.requests) == 3
    assert len(delays) == 2
    first, second = delays
    assert _constants.INITIAL_RETRY_DELAY <= first <= _constants.INITIAL_RETRY_DELAY + _constants.RETRY_JITTER
    assert 2 * _constants.INITIAL_RETRY_DELAY <= second <= 2 * _constants.INITIAL_RETRY_DELAY + _constants.RETRY_JITTER


def test_retries_stop_after_max_retries(delays: list[float]) -> None:
    recorder = Recorder(httpx.Response(500, json={"message": "boom"}, headers={"request-id": "req_9"}))
    with pytest.raises(ServerError) as caught:
        casedev(recorder, max_retries=3).get_run("run_1")
    assert len(recorder.requests) == 4
    assert len(delays) == 3
    error = caught.value
    assert (error.status_code, error.request_id, error.provider, error.operation) == (
        500,
        "req_9",
        "casedev",
        "getRunDetails",
    )
    assert error.response.status_code == 500
    assert b"boom" in error.body


def test_per_call_max_retries_overrides_client(delays: list[float]) -> None:
    recorder = Recorder(httpx.Response(503))
    with pytest.raises(ServerError):
        casedev(recorder, max_retries=5).get_run("run_1", max_retries=0)
    assert len(recorder.requests) == 1
    assert delays == []


@pytest.mark.parametrize(("retry_after", "expected"), [("3", 3.0), ("0.5", 0.5), ("60", _constants.MAX_RETRY_AFTER)])
def test_retry_after_seconds_is_honoured_up_to_the_cap(delays: list[float], retry_after: str, expected: float) -> None:
    recorder = Recorder(httpx.Response(429, headers={"Retry-After": retry_after}), ok())
    casedev(recorder).get_run("run_1")
    assert delays == [expected]


@pytest.mark.parametrize("retry_after", ["60.5", "3600", "1e9"])
def test_retry_after_past_the_cap_ends_the_call_at_once(delays: list[float], retry_after: str) -> None:
    recorder = Recorder(httpx.Response(429, headers={"Retry-After": retry_after}), ok())
    client = casedev(recorder)
    with pytest.raises(RateLimitError) as caught:
        client.get_run("run_1")
    assert caught.value.retry_after == float(retry_after)
    assert delays == [] and len(recorder.requests) == 1
    client.get_run("run_1")  # and it set no shared pause for the client's next call
    assert delays == []


def test_retry_after_http_date(delays: list[float]) -> None:
    when = email.utils.format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    recorder = Recorder(httpx.Response(429, headers={"Retry-After": when}), ok())
    casedev(recorder).get_run("run_1")
    assert 28 <= delays[0] <= 30


def test_rate_limit_error_carries_retry_after(delays: list[float]) -> None:
    recorder = Recorder(httpx.Response(429, headers={"Retry-After": "7"}))
    with pytest.raises(RateLimitError) as caught:
        casedev(recorder, max_retries=1).get_run("run_1")
    assert caught.value.retry_after == 7.0
    assert caught.value.status_code == 429
    assert delays == [7.0]


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (400, BadRequestError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (418, APIStatusError),
    ],
)
def test_client_errors_map_and_are_not_retried(delays: list[float], status: int, kind: type[Exception]) -> None:
    recorder = Recorder(httpx.Response(status, json={"message": "nope"}))
    with pytest.raises(kind) as caught:
        casedev(recorder).get_run("run_1")
    assert type(caught.value) is kind
    assert len(recorder.requests) == 1
    assert delays == []


def test_408_is_retried(delays: list[float]) -> None:
    recorder = Recorder(httpx.Response(408), ok())
    casedev(recorder).get_run("run_1")
    assert len(recorder.requests) == 2


@pytest.mark.parametrize("status", [520, 599])
def test_status_outside_httpstatus_is_a_server_error(delays: list[float], status: int) -> None:
    recorder = Recorder(httpx.Response(status, text="cdn says no"))
    with pytest.raises(ServerError) as caught:
        casedev(recorder, max_retries=0).get_run("run_1")
    assert caught.value.status_code == status


def test_unusual_2xx_status_still_parses() -> None:
    recorder = Recorder(httpx.Response(299, content=orjson.dumps(example("casedev"))))
    response = casedev(recorder).get_run_response("run_1")
    assert response.status_code == 299
    assert response.parsed.id == "<string>"


def test_redirect_is_not_followed_so_the_token_stays_home() -> None:
    recorder = Recorder(httpx.Response(302, headers={"Location": "https://evil.example/steal"}))
    with pytest.raises(APIStatusError) as caught:
        casedev(recorder).get_run("run_1")
    assert caught.value.status_code == 302
    assert [str(r.url.host) for r in recorder.requests] == ["api.case.dev"]


def test_connection_errors_retry_then_raise(delays: list[float]) -> None:
    recorder = Recorder(httpx.ConnectError("refused"))
    with pytest.raises(APIConnectionError) as caught:
        casedev(recorder, max_retries=2).get_run("run_1")
    assert not isinstance(caught.value, APITimeoutError)
    assert len(recorder.requests) == 3
    assert len(delays) == 2


def test_timeouts_are_their_own_branch(delays: list[float]) -> None:
    recorder = Recorder(httpx.ReadTimeout("slow"), ok())
    assert casedev(recorder).get_run("run_1").id == "<string>"
    recorder = Recorder(httpx.ReadTimeout("slow"))
    with pytest.raises(APITimeoutError):
        casedev(recorder, max_retries=0).get_run("run_1")


def test_timeout_reaches_the_request_per_client_and_per_call() -> None:
    recorder = Recorder(ok())
    client = casedev(recorder, timeout=7.0)
    client.get_run("run_1")
    client.get_run("run_1", timeout=httpx.Timeout(1.5))
    assert recorder.requests[0].extensions["timeout"]["read"] == 7.0
    assert recorder.requests[1].extensions["timeout"]["read"] == 1.5


def test_default_timeout_is_bounded() -> None:
    recorder = Recorder(ok())
    casedev(recorder).get_run("run_1")
    assert recorder.requests[0].extensions["timeout"] == _constants.DEFAULT_TIMEOUT.as_dict()


def test_non_json_body_is_a_validation_error() -> None:
    recorder = Recorder(httpx.Response(200, text="<html>maintenance</html>", headers={"content-type": "text/html"}))
    with pytest.raises(ResponseValidationError) as caught:
        casedev(recorder).get_run("run_1")
    assert "not JSON" in str(caught.value)
    assert "text/html" in str(caught.value)
    assert caught.value.path is None


def test_wrong_type_names_the_field_path() -> None:
    body = example("backside")
    body["steps"][0]["started_at"] = 12
    recorder = Recorder(ok(body=body))
    http = httpx.Client(transport=httpx.MockTransport(recorder))
    with pytest.raises(ResponseValidationError) as caught:
        BacksideClient(api_key=TOKEN, http_client=http).get_run("k", RUN_ID)
    assert caught.value.path == "steps[0].started_at"
    assert caught.value.provider == "backside"
    assert str(caught.value).startswith("[backside.getAgentRun] steps[0].started_at: ")


def test_missing_required_field_names_it() -> None:
    body = example("nsrocks")
    del body["mode"]
    http = httpx.Client(transport=httpx.MockTransport(Recorder(ok(body=body))))
    with pytest.raises(ResponseValidationError) as caught:
        NsrocksClient(api_key=TOKEN, http_client=http).get_run("adpl_1", "adrun_1")
    assert caught.value.path == "mode"
    assert "required field is missing" in str(caught.value)


def test_json_list_instead_of_object() -> None:
    with pytest.raises(ResponseValidationError) as caught:
        casedev(Recorder(ok(body=[1, 2]))).get_run("run_1")
    assert "expected object" in str(caught.value)


def test_response_size_limit(delays: list[float]) -> None:
    recorder = Recorder(httpx.Response(200, content=b"[" + b"1," * 5000 + b"1]"))
    with pytest.raises(ResponseTooLargeError) as caught:
        casedev(recorder, max_response_bytes=1000).get_run("run_1")
    assert caught.value.limit == 1000


@pytest.mark.parametrize("bad", ["", ".", ".."])
def test_dot_and_empty_ids_are_refused_before_any_request(bad: str) -> None:
    recorder = Recorder(ok())
    with pytest.raises(InvalidRequestError) as caught:
        casedev(recorder).get_run(bad)
    assert caught.value.field == "id"
    assert isinstance(caught.value, ValueError)
    assert recorder.requests == []


def test_ids_are_single_encoded_segments() -> None:
    recorder = Recorder(ok())
    casedev(recorder).get_run("a/../b?c=d#e f%2Fé")
    assert recorder.requests[0].url.raw_path == b"/agent/v1/run/a%2F..%2Fb%3Fc%3Dd%23e%20f%252F%C3%A9/details"


def test_backside_run_id_must_be_a_uuid() -> None:
    recorder = Recorder(ok("backside"))
    http = httpx.Client(transport=httpx.MockTransport(recorder))
    with pytest.raises(InvalidRequestError) as caught:
        BacksideClient(api_key=TOKEN, http_client=http).get_run("contact_deduper", "not-a-uuid")
    assert caught.value.field == "id"
    assert recorder.requests == []


def middesk(recorder: Recorder) -> MiddeskClient:
    return MiddeskClient(api_key=TOKEN, http_client=httpx.Client(transport=httpx.MockTransport(recorder)))


def test_middesk_asks_for_steps_by_default_and_not_when_told() -> None:
    recorder = Recorder(ok("middesk"))
    client = middesk(recorder)
    client.get_run(RUN_ID)
    client.get_run(RUN_ID, include=())
    client.get_run(RUN_ID, include="steps")
    assert [r.url.query for r in recorder.requests] == [b"include=steps", b"", b"include=steps"]


def test_middesk_unknown_include_is_refused_before_any_request() -> None:
    recorder = Recorder(ok("middesk"))
    with pytest.raises(InvalidRequestError) as caught:
        middesk(recorder).get_run(RUN_ID, include=("steps", "artifacts"))
    assert "unknown include 'artifacts'" in str(caught.value)
    assert caught.value.field == "include"
    assert recorder.requests == []


def test_api_key_and_base_url_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NSROCKS_API_KEY", "env-key")
    monkeypatch.setenv("NSROCKS_BASE_URL", "https://proxy.example/nsrocks")
    recorder = Recorder(ok("nsrocks"))
    client = NsrocksClient(http_client=httpx.Client(transport=httpx.MockTransport(recorder)))
    client.get_run("adpl_1", "adrun_1")
    assert str(recorder.requests[0].url) == "https://proxy.example/nsrocks/v1/agent-deployments/adpl_1/runs/adrun_1"
    assert recorder.requests[0].headers["authorization"] == "Bearer env-key"


@pytest.mark.parametrize(
    ("client", "variable"),
    [
        (BacksideClient, "BACKSIDE_API_KEY"),
        (MiddeskClient, "MIDDESK_API_KEY"),
        (CasedevClient, "CASEDEV_API_KEY"),
        (NsrocksClient, "NSROCKS_API_KEY"),
    ],
)
def test_missing_key_names_the_variable(monkeypatch: pytest.MonkeyPatch, client: type[Any], variable: str) -> None:
    monkeypatch.delenv(variable, raising=False)
    with pytest.raises(ConfigurationError) as caught:
        client()
    assert variable in str(caught.value)


def test_casedev_key_prefix_is_checked() -> None:
    with pytest.raises(ConfigurationError) as caught:
        CasedevClient(api_key="wrong_prefix_key")
    assert "sk_case_" in str(caught.value)
    assert "wrong_prefix_key" not in str(caught.value)


@pytest.mark.parametrize(
    ("client", "provider"),
    [(BacksideClient, "backside"), (MiddeskClient, "middesk"), (CasedevClient, "casedev"), (NsrocksClient, "nsrocks")],
)
def test_default_base_url_is_the_spec_server(client: type[Any], provider: str) -> None:
    assert client(api_key=TOKEN).base_url == load_spec(provider)["servers"][0]["url"]


def test_plain_http_is_refused_off_loopback() -> None:
    with pytest.raises(ConfigurationError) as caught:
        CasedevClient(api_key=TOKEN, base_url="http://api.case.dev")
    assert "allow_insecure_http" in str(caught.value)
    assert CasedevClient(api_key=TOKEN, base_url="http://api.case.dev", allow_insecure_http=True).base_url
    for loopback in ("http://127.0.0.1:8787", "http://localhost:1", "http://[::1]:8787"):
        assert CasedevClient(api_key=TOKEN, base_url=loopback).base_url == loopback


def test_token_never_rendered(delays: list[float], caplog: pytest.LogCaptureFixture) -> None:
    recorder = Recorder(httpx.Response(503, text=f"echo: Bearer {TOKEN}"), httpx.Response(401, text=f"bad key {TOKEN}"))
    client = casedev(recorder)
    with caplog.at_level(logging.DEBUG), pytest.raises(AuthenticationError) as caught:
        client.get_run("run_1")
    rendered = [repr(client), str(client), str(caught.value), repr(caught.value), caplog.text]
    assert len(recorder.requests) == 2
    assert "retrying" in caplog.text
    for text in rendered:
        assert TOKEN not in text


async def test_async_client_retries_and_maps_errors(delays: list[float]) -> None:
    recorder = Recorder(httpx.Response(503), ok())
    http = httpx.AsyncClient(transport=httpx.MockTransport(recorder))
    async with AsyncCasedevClient(api_key=TOKEN, http_client=http) as client:
        response = await client.get_run_response("run_1")
    assert response.attempts == 2
    assert len(delays) == 1
    recorder = Recorder(httpx.Response(404))
    http = httpx.AsyncClient(transport=httpx.MockTransport(recorder))
    async with AsyncCasedevClient(api_key=TOKEN, http_client=http) as client:
        with pytest.raises(NotFoundError):
            await client.get_run("run_1")
    assert not http.is_closed  # a client passed in belongs to its owner
