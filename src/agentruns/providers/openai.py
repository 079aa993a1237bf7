"""OpenAI Responses: a response and every one of its input items, fetched complete in one call.

`GET /responses/{response_id}` (the response: its output items, usage and status, with the extra
data `include` names) and `GET /responses/{response_id}/input_items` (the items it was given,
read oldest first page after page: `{object, data, first_id, last_id, has_more}` envelopes,
`after=<last_id>`): 1 + ceil(input items / page_size) requests. `get_run` returns both as one
`OpenaiRun`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from agentruns_openai.api.responses import get_response, list_input_items
from agentruns_openai.models import IncludeEnum, ItemResource, Response, ResponseItemList
from attrs import frozen

from .._plan import Plan, body, paginate, request, send

# Input items asked for per page: the most the API gives (its `limit` is 1 to 100).
INPUT_ITEMS_PAGE_SIZE = 100


@frozen
class OpenaiRun:
    """An OpenAI response, complete: the response itself and every item of its input, oldest first."""

    response: Response
    input_items: list[ItemResource] | None  # None: not asked for (input_items=False)

    @property
    def run_body(self) -> Any:
        """The run operation's body, where the normalized run reads its status and ids."""
        return self.response

    @property
    def _request_id(self) -> str | None:
        """The request id of the response's own answer, the first of the call's."""
        return self.response._request_id

    def to_dict(self) -> dict[str, Any]:
        items = None if self.input_items is None else [item.to_dict() for item in self.input_items]
        return {"response": self.response.to_dict(), "input_items": items}


def plan_get_run(
    response_id: str,
    *,
    include: Iterable[IncludeEnum | str] = (),
    page_size: int = INPUT_ITEMS_PAGE_SIZE,
    input_items: bool = True,
) -> Plan[OpenaiRun]:
    """The response `response_id` (resp_...) with every input item, and the extra data `include`
    names (`"message.output_text.logprobs"`, `"reasoning.encrypted_content"`, ...) on both;
    `input_items=False`: the response alone, in one request (its input_items None)."""
    include = tuple(include)
    response = yield from send(request(get_response, body(Response), response_id=response_id, include=include))
    if not input_items:
        return OpenaiRun(response, None)
    # The items page as specs/openai.yaml declares (x-agentruns: pages), oldest first.
    first = request(
        list_input_items, body(ResponseItemList), response_id=response_id, limit=page_size, order="asc", include=include
    )
    items = yield from paginate(first, page_size)
    return OpenaiRun(response, items)
