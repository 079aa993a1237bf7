from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import DecodeError
from ..models.usage_entry_kind import UsageEntryKind
from ..types import UNSET, Unset, _datetime_fromisoformat, _datetime_rfc3339

T = TypeVar("T", bound="UsageEntry")


@_attrs_define
class UsageEntry:
    """One billed call: an LLM call (kind llm) or an API call (kind api).

    Attributes:
        id (str | Unset):
        kind (UsageEntryKind | Unset):
        service (None | str | Unset):
        endpoint (None | str | Unset):
        method (None | str | Unset):
        status_code (int | None | Unset):
        cost_micros (int | Unset): Cost in integer micro-dollars.
        prompt_tokens (int | None | Unset):
        completion_tokens (int | None | Unset):
        total_tokens (int | None | Unset):
        model (None | str | Unset):
        timestamp (datetime.datetime | Unset):
        metadata (Any | Unset): Free-form entry metadata.
    """

    id: str | Unset = UNSET
    kind: UsageEntryKind | Unset = UNSET
    service: None | str | Unset = UNSET
    endpoint: None | str | Unset = UNSET
    method: None | str | Unset = UNSET
    status_code: int | None | Unset = UNSET
    cost_micros: int | Unset = UNSET
    prompt_tokens: int | None | Unset = UNSET
    completion_tokens: int | None | Unset = UNSET
    total_tokens: int | None | Unset = UNSET
    model: None | str | Unset = UNSET
    timestamp: datetime.datetime | Unset = UNSET
    metadata: Any | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        kind: str | Unset = UNSET
        if not isinstance(self.kind, Unset):
            kind = self.kind.value

        service: None | str | Unset
        if isinstance(self.service, Unset):
            service = UNSET
        else:
            service = self.service

        endpoint: None | str | Unset
        if isinstance(self.endpoint, Unset):
            endpoint = UNSET
        else:
            endpoint = self.endpoint

        method: None | str | Unset
        if isinstance(self.method, Unset):
            method = UNSET
        else:
            method = self.method

        status_code: int | None | Unset
        if isinstance(self.status_code, Unset):
            status_code = UNSET
        else:
            status_code = self.status_code

        cost_micros = self.cost_micros

        prompt_tokens: int | None | Unset
        if isinstance(self.prompt_tokens, Unset):
            prompt_tokens = UNSET
        else:
            prompt_tokens = self.prompt_tokens

        completion_tokens: int | None | Unset
        if isinstance(self.completion_tokens, Unset):
            completion_tokens = UNSET
        else:
            completion_tokens = self.completion_tokens

        total_tokens: int | None | Unset
        if isinstance(self.total_tokens, Unset):
            total_tokens = UNSET
        else:
            total_tokens = self.total_tokens

        model: None | str | Unset
        if isinstance(self.model, Unset):
            model = UNSET
        else:
            model = self.model

        timestamp: str | Unset = UNSET
        if not isinstance(self.timestamp, Unset):
            timestamp = self.timestamp.isoformat()

        metadata = self.metadata

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if kind is not UNSET:
            field_dict["kind"] = kind
        if service is not UNSET:
            field_dict["service"] = service
        if endpoint is not UNSET:
            field_dict["endpoint"] = endpoint
        if method is not UNSET:
            field_dict["method"] = method
        if status_code is not UNSET:
            field_dict["statusCode"] = status_code
        if cost_micros is not UNSET:
            field_dict["costMicros"] = cost_micros
        if prompt_tokens is not UNSET:
            field_dict["promptTokens"] = prompt_tokens
        if completion_tokens is not UNSET:
            field_dict["completionTokens"] = completion_tokens
        if total_tokens is not UNSET:
            field_dict["totalTokens"] = total_tokens
        if model is not UNSET:
            field_dict["model"] = model
        if timestamp is not UNSET:
            field_dict["timestamp"] = timestamp
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Build UsageEntry from decoded JSON, checking every value against the schema.

        Raises:
            DecodeError: a value has the wrong type or format, or a required field is missing;
                `DecodeError.path` names the field (for example ``steps[3].started_at``).
        """
        # Fast path for the dicts JSON decoding produces; any other Mapping is accepted too.
        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise DecodeError.wrong_type(src_dict, "object")
        d = src_dict
        # Known keys present; unknown ones are looked for only when the count falls short.
        _present = 0
        id = d.get("id", UNSET)
        if id is not UNSET:
            _present += 1
            if type(id) is not str:
                raise DecodeError.wrong_type(id, "string").at("id")
        kind = d.get("kind", UNSET)
        if kind is not UNSET:
            _present += 1
            if type(kind) is not str:
                raise DecodeError.wrong_type(kind, "string").at("kind")
            try:
                kind = cast(UsageEntryKind, UsageEntryKind._value2member_map_.get(kind)) or UsageEntryKind(kind)
            except ValueError as exc:
                raise DecodeError.invalid(exc).at("kind") from None
        service = d.get("service", UNSET)
        if service is not UNSET:
            _present += 1
            if service is not None:
                if type(service) is not str:
                    raise DecodeError.wrong_type(service, "string").at("service")
        endpoint = d.get("endpoint", UNSET)
        if endpoint is not UNSET:
            _present += 1
            if endpoint is not None:
                if type(endpoint) is not str:
                    raise DecodeError.wrong_type(endpoint, "string").at("endpoint")
        method = d.get("method", UNSET)
        if method is not UNSET:
            _present += 1
            if method is not None:
                if type(method) is not str:
                    raise DecodeError.wrong_type(method, "string").at("method")
        status_code = d.get("statusCode", UNSET)
        if status_code is not UNSET:
            _present += 1
            if status_code is not None:
                if type(status_code) is not int:
                    raise DecodeError.wrong_type(status_code, "integer").at("statusCode")
        cost_micros = d.get("costMicros", UNSET)
        if cost_micros is not UNSET:
            _present += 1
            if type(cost_micros) is not int:
                raise DecodeError.wrong_type(cost_micros, "integer").at("costMicros")
        prompt_tokens = d.get("promptTokens", UNSET)
        if prompt_tokens is not UNSET:
            _present += 1
            if prompt_tokens is not None:
                if type(prompt_tokens) is not int:
                    raise DecodeError.wrong_type(prompt_tokens, "integer").at("promptTokens")
        completion_tokens = d.get("completionTokens", UNSET)
        if completion_tokens is not UNSET:
            _present += 1
            if completion_tokens is not None:
                if type(completion_tokens) is not int:
                    raise DecodeError.wrong_type(completion_tokens, "integer").at("completionTokens")
        total_tokens = d.get("totalTokens", UNSET)
        if total_tokens is not UNSET:
            _present += 1
            if total_tokens is not None:
                if type(total_tokens) is not int:
                    raise DecodeError.wrong_type(total_tokens, "integer").at("totalTokens")
        model = d.get("model", UNSET)
        if model is not UNSET:
            _present += 1
            if model is not None:
                if type(model) is not str:
                    raise DecodeError.wrong_type(model, "string").at("model")
        timestamp = d.get("timestamp", UNSET)
        if timestamp is not UNSET:
            _present += 1
            if type(timestamp) is not str:
                raise DecodeError.wrong_type(timestamp, "date-time string").at("timestamp")
            try:
                timestamp = _datetime_fromisoformat(timestamp)
            except ValueError:
                try:
                    timestamp = _datetime_rfc3339(timestamp)
                except ValueError as exc:
                    raise DecodeError.invalid(exc).at("timestamp") from None
        metadata = d.get("metadata", UNSET)
        if metadata is not UNSET:
            _present += 1
        # The attrs __init__ of these models only assigns each field, so assigning here directly
        # gives the same object for less (no argument parsing; additional_properties made once).
        _model = cls.__new__(cls)
        _model.id = id
        _model.kind = kind
        _model.service = service
        _model.endpoint = endpoint
        _model.method = method
        _model.status_code = status_code
        _model.cost_micros = cost_micros
        _model.prompt_tokens = prompt_tokens
        _model.completion_tokens = completion_tokens
        _model.total_tokens = total_tokens
        _model.model = model
        _model.timestamp = timestamp
        _model.metadata = metadata
        _model.additional_properties = {}

        if len(d) != _present:
            _model.additional_properties = {k: v for k, v in d.items() if k not in _UsageEntry_KEYS}
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


_UsageEntry_KEYS: frozenset[str] = frozenset(
    {
        "id",
        "kind",
        "service",
        "endpoint",
        "method",
        "statusCode",
        "costMicros",
        "promptTokens",
        "completionTokens",
        "totalTokens",
        "model",
        "timestamp",
        "metadata",
    }
)
