from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import DecodeError
from ..models.usage_entry_kind import UsageEntryKind
from ..types import UNSET, Unset

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
        if not isinstance(src_dict, Mapping):
            raise DecodeError.wrong_type(src_dict, "object")
        d = dict(src_dict)
        _field = ""
        try:
            _field = "id"
            id = d.pop("id", UNSET)
            if id is not UNSET:
                if type(id) is not str:
                    raise DecodeError.wrong_type(id, "string")
            _field = "kind"
            kind = d.pop("kind", UNSET)
            if kind is not UNSET:
                if type(kind) is not str:
                    raise DecodeError.wrong_type(kind, "string")
                kind = UsageEntryKind(kind)
            _field = "service"
            service = d.pop("service", UNSET)
            if service is not UNSET:
                if service is not None:
                    if type(service) is not str:
                        raise DecodeError.wrong_type(service, "string")
            _field = "endpoint"
            endpoint = d.pop("endpoint", UNSET)
            if endpoint is not UNSET:
                if endpoint is not None:
                    if type(endpoint) is not str:
                        raise DecodeError.wrong_type(endpoint, "string")
            _field = "method"
            method = d.pop("method", UNSET)
            if method is not UNSET:
                if method is not None:
                    if type(method) is not str:
                        raise DecodeError.wrong_type(method, "string")
            _field = "statusCode"
            status_code = d.pop("statusCode", UNSET)
            if status_code is not UNSET:
                if status_code is not None:
                    if type(status_code) is not int:
                        raise DecodeError.wrong_type(status_code, "integer")
            _field = "costMicros"
            cost_micros = d.pop("costMicros", UNSET)
            if cost_micros is not UNSET:
                if type(cost_micros) is not int:
                    raise DecodeError.wrong_type(cost_micros, "integer")
            _field = "promptTokens"
            prompt_tokens = d.pop("promptTokens", UNSET)
            if prompt_tokens is not UNSET:
                if prompt_tokens is not None:
                    if type(prompt_tokens) is not int:
                        raise DecodeError.wrong_type(prompt_tokens, "integer")
            _field = "completionTokens"
            completion_tokens = d.pop("completionTokens", UNSET)
            if completion_tokens is not UNSET:
                if completion_tokens is not None:
                    if type(completion_tokens) is not int:
                        raise DecodeError.wrong_type(completion_tokens, "integer")
            _field = "totalTokens"
            total_tokens = d.pop("totalTokens", UNSET)
            if total_tokens is not UNSET:
                if total_tokens is not None:
                    if type(total_tokens) is not int:
                        raise DecodeError.wrong_type(total_tokens, "integer")
            _field = "model"
            model = d.pop("model", UNSET)
            if model is not UNSET:
                if model is not None:
                    if type(model) is not str:
                        raise DecodeError.wrong_type(model, "string")
            _field = "timestamp"
            timestamp = d.pop("timestamp", UNSET)
            if timestamp is not UNSET:
                if type(timestamp) is not str:
                    raise DecodeError.wrong_type(timestamp, "date-time string")
                timestamp = datetime.datetime.fromisoformat(timestamp)
            _field = "metadata"
            metadata = d.pop("metadata", UNSET)
        except DecodeError as exc:
            raise exc.at(_field) from None
        except KeyError:
            raise DecodeError("required field is missing").at(_field) from None
        except (TypeError, ValueError, AttributeError, OverflowError) as exc:
            raise DecodeError.invalid(exc).at(_field) from None
        usage_entry = cls(
            id=id,
            kind=kind,
            service=service,
            endpoint=endpoint,
            method=method,
            status_code=status_code,
            cost_micros=cost_micros,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            total_tokens=total_tokens,
            model=model,
            timestamp=timestamp,
            metadata=metadata,
        )

        usage_entry.additional_properties = d
        return usage_entry

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
