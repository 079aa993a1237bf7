"""OpenAI responses made coherent: the id echoes the path; a response ends after it starts and has
an end only once it is over; only a failed one has an error, only an incomplete one says why;
usage adds up (total = input + output, cached within input, reasoning within output) and is null
while the response is still queued or in progress, as the reference's streaming example shows;
items have ids of their own, and the call ids of tool calls and their outputs pair up.

A realistic response is shaped like the reference's examples: it reasons, calls the caller's
functions (each answered by its output), searches the web, and ends with a message whose text is
the response's output_text; its tools are the functions it called; its input is a user message,
with the developer's instructions. The coverage draw keeps every kind of item and tool the spec
lists, and an error or a reason to stop on any status (so each of their values occurs), only
making ids unique and pairs match."""

from __future__ import annotations

import json
from typing import Any

from . import TOOLS, RunDraft, set_present

INPUT_ITEMS = "listInputItems"
IN_PROGRESS = ("queued", "in_progress")
MODELS = ("gpt-5.4", "gpt-5.4-mini", "o4-mini")  # names the spec's model enum lists
# The prefix of an item's id by its type, as OpenAI's examples show them (msg_, fc_, rs_, ws_ ...).
ID_PREFIXES = {"message": "msg", "function_call": "fc", "function_call_output": "fco", "reasoning": "rs"}
QUESTIONS = ("Summarize the open incidents.", "What changed in the billing API?", "Draft a reply to the customer.")
# The `type` and `code` of OpenAI's error objects by HTTP status, as its API sends them: a wrong key
# is `invalid_request_error` / `invalid_api_key` (help.openai.com, "Error code 401 - Incorrect API
# key provided"), a missing response `invalid_request_error` with no code, a rate limit `requests`
# / `rate_limit_exceeded` ("Rate limit reached for requests"), a failure of its own `server_error`.
ERROR_FIELDS = {
    401: {"type": "invalid_request_error", "code": "invalid_api_key"},
    403: {"type": "invalid_request_error", "code": None},
    404: {"type": "invalid_request_error", "code": None},
    429: {"type": "requests", "code": "rate_limit_exceeded"},
    500: {"type": "server_error", "code": None},
}


def _item(run: RunDraft, schema: str, **fields: Any) -> dict[str, Any]:
    """A drawn item of the schema `schema`, with `fields` set."""
    drawn: dict[str, Any] = run.draw_schema(schema)
    drawn.update(fields)
    return drawn


def _realistic_output(run: RunDraft, body: dict[str, Any]) -> list[dict[str, Any]]:
    """reasoning → function call → its output → web search → … → the final message."""
    output: list[dict[str, Any]] = []
    finished = run.status == "completed"
    for index in range(max(run.steps - (1 if finished else 0), 0)):
        kind = index % 4
        if kind == 0:
            summary = [{"type": "summary_text", "text": f"Step {index}: look up what the question needs."}]
            output.append(_item(run, "ReasoningItem", summary=summary, encrypted_content=None, status="completed"))
        elif kind == 1:
            tool = TOOLS[(index // 4) % len(TOOLS)]
            arguments = json.dumps({"query": f"q{index}", "limit": 5})
            call = _item(run, "FunctionToolCall", name=tool, arguments=arguments, status="completed", caller=None)
            call.pop("namespace", None)
            output.append(call)
        elif kind == 2 and output and output[-1]["type"] == "function_call":
            result = json.dumps({"rows": index, "source": output[-1]["name"]})
            output.append(_item(run, "FunctionToolCallOutputResource", output=result, status="completed", caller=None))
        else:
            action = {"type": "search", "query": f"topic {index}", "queries": [f"topic {index}"]}
            output.append(_item(run, "WebSearchToolCall", action=action, status="completed"))
    if finished:
        text = f"Here is what I found ({len(output)} steps)."
        content: list[dict[str, Any]] = [{"type": "output_text", "text": text, "annotations": []}]
        output.append(_item(run, "OutputMessage", content=content, status="completed", phase=None))
    return output


def _realistic_input(run: RunDraft) -> list[dict[str, Any]]:
    """The conversation so far: user and assistant messages in turn, ending with the user's
    question (a run of n steps has about n // 2 of them, at least one)."""
    items = []
    count = max(1, run.steps // 2)
    for index in range(count if count % 2 else count - 1):
        if index % 2 == 0:
            question = [{"type": "input_text", "text": QUESTIONS[(index // 2) % len(QUESTIONS)]}]
            message = _item(run, "InputMessageResource", type="message", role="user", content=question)
            items.append(message | {"status": "completed"})
        else:
            answer = [{"type": "output_text", "text": f"Answer {index // 2}.", "annotations": []}]
            items.append(_item(run, "OutputMessage", content=answer, status="completed", phase=None))
    return items


def _pair_calls(run: RunDraft, items: list[dict[str, Any]]) -> None:
    """Unique item ids; each item with a call_id answers the call before it (or starts one)."""
    call_id = None
    for index, item in enumerate(items):
        if "id" in item and item["id"] is not None:
            kind = str(item.get("type", "item"))
            prefix = ID_PREFIXES.get(kind) or "".join(word[0] for word in kind.split("_"))
            item["id"] = f"{prefix}_{run.rng.getrandbits(64):016x}{index:04x}"
        if item.get("call_id") is None:  # absent or null (the coverage draw's), it stays so
            continue
        if str(item.get("type", "")).endswith("_output") and call_id is not None:
            item["call_id"] = call_id
            call_id = None
        else:
            call_id = item["call_id"] = f"call_{run.rng.getrandbits(64):016x}{index}"


def _usage(run: RunDraft, usage: dict[str, Any]) -> None:
    prompt, completion = run.rng.randint(200, 9000), run.rng.randint(20, 2000)
    usage["input_tokens"], usage["output_tokens"], usage["total_tokens"] = prompt, completion, prompt + completion
    if isinstance(usage.get("input_tokens_details"), dict):
        usage["input_tokens_details"]["cached_tokens"] = run.rng.randint(0, prompt // 2)
        usage["input_tokens_details"]["cache_write_tokens"] = run.rng.randint(0, prompt // 4)
    if isinstance(usage.get("output_tokens_details"), dict):
        usage["output_tokens_details"]["reasoning_tokens"] = run.rng.randint(0, completion)


def cohere(run: RunDraft) -> None:
    body = run.body
    items = run.bodies[INPUT_ITEMS]
    if not run.coverage:
        model = MODELS[run.rng.randrange(len(MODELS))]
        body["model"] = model
        body["output"] = _realistic_output(run, body)
        called = sorted({item["name"] for item in body["output"] if item["type"] == "function_call"})
        body["tools"] = [
            {
                "type": "function",
                "name": name,
                "description": f"Run {name}.",
                "parameters": {"type": "object"},
                "strict": True,
            }
            for name in called
        ]
        body["instructions"] = "You are a careful research assistant."
        items["data"] = _realistic_input(run)
        texts = [part["text"] for item in body["output"] if item["type"] == "message" for part in item["content"]]
        set_present(body, "output_text", "".join(texts) if texts else None)
        for key in ("previous_response_id", "conversation", "prompt", "moderation"):
            set_present(body, key, None)
    _pair_calls(run, body["output"])
    _pair_calls(run, items["data"])
    created = int(body["created_at"])
    over = run.status not in IN_PROGRESS
    set_present(body, "completed_at", created + run.rng.randint(1, 90))
    if not over and "completed_at" in body:
        body["completed_at"] = None
    if run.coverage:  # every error code and reason, whatever the status, so each occurs
        pass
    elif run.status != "failed":
        body["error"] = None
    elif body.get("error") is None:
        body["error"] = {"code": "server_error", "message": "The model failed to produce a response."}
    if run.coverage:
        pass
    elif run.status != "incomplete":
        body["incomplete_details"] = None
    elif body.get("incomplete_details") is None:
        body["incomplete_details"] = {"reason": "max_output_tokens"}
    if isinstance(body.get("usage"), dict):
        if over:
            _usage(run, body["usage"])
        else:
            body["usage"] = None
