from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import DecodeError
from ..types import UNSET, Unset

T = TypeVar("T", bound="UsageSummary")


@_attrs_define
class UsageSummary:
    """
    Attributes:
        cost_micros (int | Unset): Total cost in integer micro-dollars.
        total_input_tokens (int | Unset):
        total_output_tokens (int | Unset):
        total_tokens (int | Unset):
    """

    cost_micros: int | Unset = UNSET
    total_input_tokens: int | Unset = UNSET
    total_output_tokens: int | Unset = UNSET
    total_tokens: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        cost_micros = self.cost_micros

        total_input_tokens = self.total_input_tokens

        total_output_tokens = self.total_output_tokens

        total_tokens = self.total_tokens

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if cost_micros is not UNSET:
            field_dict["costMicros"] = cost_micros
        if total_input_tokens is not UNSET:
            field_dict["totalInputTokens"] = total_input_tokens
        if total_output_tokens is not UNSET:
            field_dict["totalOutputTokens"] = total_output_tokens
        if total_tokens is not UNSET:
            field_dict["totalTokens"] = total_tokens

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Build UsageSummary from decoded JSON, checking every value against the schema.

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
        cost_micros = d.get("costMicros", UNSET)
        if cost_micros is not UNSET:
            _present += 1
            if type(cost_micros) is not int:
                raise DecodeError.wrong_type(cost_micros, "integer").at("costMicros")
        total_input_tokens = d.get("totalInputTokens", UNSET)
        if total_input_tokens is not UNSET:
            _present += 1
            if type(total_input_tokens) is not int:
                raise DecodeError.wrong_type(total_input_tokens, "integer").at("totalInputTokens")
        total_output_tokens = d.get("totalOutputTokens", UNSET)
        if total_output_tokens is not UNSET:
            _present += 1
            if type(total_output_tokens) is not int:
                raise DecodeError.wrong_type(total_output_tokens, "integer").at("totalOutputTokens")
        total_tokens = d.get("totalTokens", UNSET)
        if total_tokens is not UNSET:
            _present += 1
            if type(total_tokens) is not int:
                raise DecodeError.wrong_type(total_tokens, "integer").at("totalTokens")
        # The attrs __init__ of these models only assigns each field, so assigning here directly
        # gives the same object for less (no argument parsing; additional_properties made once).
        _model = cls.__new__(cls)
        _model.cost_micros = cost_micros
        _model.total_input_tokens = total_input_tokens
        _model.total_output_tokens = total_output_tokens
        _model.total_tokens = total_tokens
        _model.additional_properties = {}

        if len(d) != _present:
            _model.additional_properties = {k: v for k, v in d.items() if k not in _UsageSummary_KEYS}
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


_UsageSummary_KEYS: frozenset[str] = frozenset(
    {
        "costMicros",
        "totalInputTokens",
        "totalOutputTokens",
        "totalTokens",
    }
)
