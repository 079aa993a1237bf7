from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import DecodeError
from ..types import UNSET, Unset

T = TypeVar("T", bound="RunLogs")


@_attrs_define
class RunLogs:
    """
    Attributes:
        opencode (str | Unset):
        runner (str | Unset):
    """

    opencode: str | Unset = UNSET
    runner: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        opencode = self.opencode

        runner = self.runner

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if opencode is not UNSET:
            field_dict["opencode"] = opencode
        if runner is not UNSET:
            field_dict["runner"] = runner

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Build RunLogs from decoded JSON, checking every value against the schema.

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
        opencode = d.get("opencode", UNSET)
        if opencode is not UNSET:
            _present += 1
            if type(opencode) is not str:
                raise DecodeError.wrong_type(opencode, "string").at("opencode")
        runner = d.get("runner", UNSET)
        if runner is not UNSET:
            _present += 1
            if type(runner) is not str:
                raise DecodeError.wrong_type(runner, "string").at("runner")
        # The attrs __init__ of these models only assigns each field, so assigning here directly
        # gives the same object for less (no argument parsing; additional_properties made once).
        _model = cls.__new__(cls)
        _model.opencode = opencode
        _model.runner = runner
        _model.additional_properties = {}

        if len(d) != _present:
            _model.additional_properties = {k: v for k, v in d.items() if k not in _RunLogs_KEYS}
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


_RunLogs_KEYS: frozenset[str] = frozenset(
    {
        "opencode",
        "runner",
    }
)
