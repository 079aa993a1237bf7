from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import DecodeError
from ..types import UNSET, Unset, _datetime_fromisoformat, _datetime_rfc3339

T = TypeVar("T", bound="AgentRunStep")


@_attrs_define
class AgentRunStep:
    """One journal entry: an LLM turn or a tool call, with token usage and cost. open: the seed shows a step only by
    example. Optional fields are nullable, as every optional scalar at run level is; money follows the run's int64
    cents.

        Attributes:
            input_ (Any): Step input, free-form.
            kind (str): Entry kind (an LLM turn or a tool call); open set.
            name (str):
            seq (int): Position of the entry in the run's journal.
            started_at (datetime.datetime):
            cache_read_tokens (int | None | Unset):
            cache_write_tokens (int | None | Unset):
            completed_at (datetime.datetime | None | Unset):
            cost_usd_cents (int | None | Unset): Cost of the step in integer US cents.
            input_tokens (int | None | Unset):
            model (None | str | Unset):
            output (Any | Unset): Step output, free-form.
            output_tokens (int | None | Unset):
    """

    input_: Any
    kind: str
    name: str
    seq: int
    started_at: datetime.datetime
    cache_read_tokens: int | None | Unset = UNSET
    cache_write_tokens: int | None | Unset = UNSET
    completed_at: datetime.datetime | None | Unset = UNSET
    cost_usd_cents: int | None | Unset = UNSET
    input_tokens: int | None | Unset = UNSET
    model: None | str | Unset = UNSET
    output: Any | Unset = UNSET
    output_tokens: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        input_ = self.input_

        kind = self.kind

        name = self.name

        seq = self.seq

        started_at = self.started_at.isoformat()

        cache_read_tokens: int | None | Unset
        if isinstance(self.cache_read_tokens, Unset):
            cache_read_tokens = UNSET
        else:
            cache_read_tokens = self.cache_read_tokens

        cache_write_tokens: int | None | Unset
        if isinstance(self.cache_write_tokens, Unset):
            cache_write_tokens = UNSET
        else:
            cache_write_tokens = self.cache_write_tokens

        completed_at: None | str | Unset
        if isinstance(self.completed_at, Unset):
            completed_at = UNSET
        elif isinstance(self.completed_at, datetime.datetime):
            completed_at = self.completed_at.isoformat()
        else:
            completed_at = self.completed_at

        cost_usd_cents: int | None | Unset
        if isinstance(self.cost_usd_cents, Unset):
            cost_usd_cents = UNSET
        else:
            cost_usd_cents = self.cost_usd_cents

        input_tokens: int | None | Unset
        if isinstance(self.input_tokens, Unset):
            input_tokens = UNSET
        else:
            input_tokens = self.input_tokens

        model: None | str | Unset
        if isinstance(self.model, Unset):
            model = UNSET
        else:
            model = self.model

        output = self.output

        output_tokens: int | None | Unset
        if isinstance(self.output_tokens, Unset):
            output_tokens = UNSET
        else:
            output_tokens = self.output_tokens

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "input": input_,
                "kind": kind,
                "name": name,
                "seq": seq,
                "started_at": started_at,
            }
        )
        if cache_read_tokens is not UNSET:
            field_dict["cache_read_tokens"] = cache_read_tokens
        if cache_write_tokens is not UNSET:
            field_dict["cache_write_tokens"] = cache_write_tokens
        if completed_at is not UNSET:
            field_dict["completed_at"] = completed_at
        if cost_usd_cents is not UNSET:
            field_dict["cost_usd_cents"] = cost_usd_cents
        if input_tokens is not UNSET:
            field_dict["input_tokens"] = input_tokens
        if model is not UNSET:
            field_dict["model"] = model
        if output is not UNSET:
            field_dict["output"] = output
        if output_tokens is not UNSET:
            field_dict["output_tokens"] = output_tokens

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Build AgentRunStep from decoded JSON, checking every value against the schema.

        Raises:
            DecodeError: a value has the wrong type or format, or a required field is missing;
                `DecodeError.path` names the field (for example ``steps[3].started_at``).
        """
        # Fast path for the dicts JSON decoding produces; any other Mapping is accepted too.
        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise DecodeError.wrong_type(src_dict, "object")
        d = src_dict
        try:
            input_ = d["input"]
            kind = d["kind"]
            name = d["name"]
            seq = d["seq"]
            started_at = d["started_at"]
        except KeyError as exc:
            raise DecodeError("required field is missing").at(exc.args[0]) from None
        # Known keys present; unknown ones are looked for only when the count falls short.
        _present = 5
        if type(kind) is not str:
            raise DecodeError.wrong_type(kind, "string").at("kind")
        if type(name) is not str:
            raise DecodeError.wrong_type(name, "string").at("name")
        if type(seq) is not int:
            raise DecodeError.wrong_type(seq, "integer").at("seq")
        if type(started_at) is not str:
            raise DecodeError.wrong_type(started_at, "date-time string").at("started_at")
        try:
            started_at = _datetime_fromisoformat(started_at)
        except ValueError:
            try:
                started_at = _datetime_rfc3339(started_at)
            except ValueError as exc:
                raise DecodeError.invalid(exc).at("started_at") from None
        cache_read_tokens = d.get("cache_read_tokens", UNSET)
        if cache_read_tokens is not UNSET:
            _present += 1
            if cache_read_tokens is not None:
                if type(cache_read_tokens) is not int:
                    raise DecodeError.wrong_type(cache_read_tokens, "integer").at("cache_read_tokens")
        cache_write_tokens = d.get("cache_write_tokens", UNSET)
        if cache_write_tokens is not UNSET:
            _present += 1
            if cache_write_tokens is not None:
                if type(cache_write_tokens) is not int:
                    raise DecodeError.wrong_type(cache_write_tokens, "integer").at("cache_write_tokens")
        completed_at = d.get("completed_at", UNSET)
        if completed_at is not UNSET:
            _present += 1
            if completed_at is not None:
                if type(completed_at) is not str:
                    raise DecodeError.wrong_type(completed_at, "date-time string").at("completed_at")
                try:
                    completed_at = _datetime_fromisoformat(completed_at)
                except ValueError:
                    try:
                        completed_at = _datetime_rfc3339(completed_at)
                    except ValueError as exc:
                        raise DecodeError.invalid(exc).at("completed_at") from None
        cost_usd_cents = d.get("cost_usd_cents", UNSET)
        if cost_usd_cents is not UNSET:
            _present += 1
            if cost_usd_cents is not None:
                if type(cost_usd_cents) is not int:
                    raise DecodeError.wrong_type(cost_usd_cents, "integer").at("cost_usd_cents")
        input_tokens = d.get("input_tokens", UNSET)
        if input_tokens is not UNSET:
            _present += 1
            if input_tokens is not None:
                if type(input_tokens) is not int:
                    raise DecodeError.wrong_type(input_tokens, "integer").at("input_tokens")
        model = d.get("model", UNSET)
        if model is not UNSET:
            _present += 1
            if model is not None:
                if type(model) is not str:
                    raise DecodeError.wrong_type(model, "string").at("model")
        output = d.get("output", UNSET)
        if output is not UNSET:
            _present += 1
        output_tokens = d.get("output_tokens", UNSET)
        if output_tokens is not UNSET:
            _present += 1
            if output_tokens is not None:
                if type(output_tokens) is not int:
                    raise DecodeError.wrong_type(output_tokens, "integer").at("output_tokens")
        # The attrs __init__ of these models only assigns each field, so assigning here directly
        # gives the same object for less (no argument parsing; additional_properties made once).
        _model = cls.__new__(cls)
        _model.input_ = input_
        _model.kind = kind
        _model.name = name
        _model.seq = seq
        _model.started_at = started_at
        _model.cache_read_tokens = cache_read_tokens
        _model.cache_write_tokens = cache_write_tokens
        _model.completed_at = completed_at
        _model.cost_usd_cents = cost_usd_cents
        _model.input_tokens = input_tokens
        _model.model = model
        _model.output = output
        _model.output_tokens = output_tokens
        _model.additional_properties = {}

        if len(d) != _present:
            _model.additional_properties = {k: v for k, v in d.items() if k not in _AgentRunStep_KEYS}
        return _model

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties


_AgentRunStep_KEYS: frozenset[str] = frozenset(
    {
        "input",
        "kind",
        "name",
        "seq",
        "started_at",
        "cache_read_tokens",
        "cache_write_tokens",
        "completed_at",
        "cost_usd_cents",
        "input_tokens",
        "model",
        "output",
        "output_tokens",
    }
)
