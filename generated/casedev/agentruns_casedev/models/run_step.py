from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import DecodeError
from ..models.step_type import StepType
from ..types import UNSET, Unset, _datetime_fromisoformat, _datetime_rfc3339

T = TypeVar("T", bound="RunStep")


@_attrs_define
class RunStep:
    """
    Attributes:
        id (str | Unset):
        type_ (StepType | Unset):
        content (None | str | Unset):
        tool_name (None | str | Unset):
        tool_input (Any | Unset): Tool input, free-form.
        tool_output (Any | Unset): Tool output, free-form.
        duration_ms (int | None | Unset):
        timestamp (datetime.datetime | Unset):
    """

    id: str | Unset = UNSET
    type_: StepType | Unset = UNSET
    content: None | str | Unset = UNSET
    tool_name: None | str | Unset = UNSET
    tool_input: Any | Unset = UNSET
    tool_output: Any | Unset = UNSET
    duration_ms: int | None | Unset = UNSET
    timestamp: datetime.datetime | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_: str | Unset = UNSET
        if not isinstance(self.type_, Unset):
            type_ = self.type_.value

        content: None | str | Unset
        if isinstance(self.content, Unset):
            content = UNSET
        else:
            content = self.content

        tool_name: None | str | Unset
        if isinstance(self.tool_name, Unset):
            tool_name = UNSET
        else:
            tool_name = self.tool_name

        tool_input = self.tool_input

        tool_output = self.tool_output

        duration_ms: int | None | Unset
        if isinstance(self.duration_ms, Unset):
            duration_ms = UNSET
        else:
            duration_ms = self.duration_ms

        timestamp: str | Unset = UNSET
        if not isinstance(self.timestamp, Unset):
            timestamp = self.timestamp.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if type_ is not UNSET:
            field_dict["type"] = type_
        if content is not UNSET:
            field_dict["content"] = content
        if tool_name is not UNSET:
            field_dict["toolName"] = tool_name
        if tool_input is not UNSET:
            field_dict["toolInput"] = tool_input
        if tool_output is not UNSET:
            field_dict["toolOutput"] = tool_output
        if duration_ms is not UNSET:
            field_dict["durationMs"] = duration_ms
        if timestamp is not UNSET:
            field_dict["timestamp"] = timestamp

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Build RunStep from decoded JSON, checking every value against the schema.

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
        type_ = d.get("type", UNSET)
        if type_ is not UNSET:
            _present += 1
            if type(type_) is not str:
                raise DecodeError.wrong_type(type_, "string").at("type")
            try:
                type_ = cast(StepType, StepType._value2member_map_.get(type_)) or StepType(type_)
            except ValueError as exc:
                raise DecodeError.invalid(exc).at("type") from None
        content = d.get("content", UNSET)
        if content is not UNSET:
            _present += 1
            if content is not None:
                if type(content) is not str:
                    raise DecodeError.wrong_type(content, "string").at("content")
        tool_name = d.get("toolName", UNSET)
        if tool_name is not UNSET:
            _present += 1
            if tool_name is not None:
                if type(tool_name) is not str:
                    raise DecodeError.wrong_type(tool_name, "string").at("toolName")
        tool_input = d.get("toolInput", UNSET)
        if tool_input is not UNSET:
            _present += 1
        tool_output = d.get("toolOutput", UNSET)
        if tool_output is not UNSET:
            _present += 1
        duration_ms = d.get("durationMs", UNSET)
        if duration_ms is not UNSET:
            _present += 1
            if duration_ms is not None:
                if type(duration_ms) is not int:
                    raise DecodeError.wrong_type(duration_ms, "integer").at("durationMs")
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
        # The attrs __init__ of these models only assigns each field, so assigning here directly
        # gives the same object for less (no argument parsing; additional_properties made once).
        _model = cls.__new__(cls)
        _model.id = id
        _model.type_ = type_
        _model.content = content
        _model.tool_name = tool_name
        _model.tool_input = tool_input
        _model.tool_output = tool_output
        _model.duration_ms = duration_ms
        _model.timestamp = timestamp
        _model.additional_properties = {}

        if len(d) != _present:
            _model.additional_properties = {k: v for k, v in d.items() if k not in _RunStep_KEYS}
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


_RunStep_KEYS: frozenset[str] = frozenset(
    {
        "id",
        "type",
        "content",
        "toolName",
        "toolInput",
        "toolOutput",
        "durationMs",
        "timestamp",
    }
)
