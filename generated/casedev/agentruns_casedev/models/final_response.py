from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import DecodeError
from ..types import UNSET, Unset

T = TypeVar("T", bound="FinalResponse")


@_attrs_define
class FinalResponse:
    """
    Attributes:
        summary (str | Unset):
        created_object_ids (list[str] | Unset):
        issues (list[str] | Unset):
    """

    summary: str | Unset = UNSET
    created_object_ids: list[str] | Unset = UNSET
    issues: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        summary = self.summary

        created_object_ids: list[str] | Unset = UNSET
        if not isinstance(self.created_object_ids, Unset):
            created_object_ids = self.created_object_ids

        issues: list[str] | Unset = UNSET
        if not isinstance(self.issues, Unset):
            issues = self.issues

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if summary is not UNSET:
            field_dict["summary"] = summary
        if created_object_ids is not UNSET:
            field_dict["createdObjectIds"] = created_object_ids
        if issues is not UNSET:
            field_dict["issues"] = issues

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Build FinalResponse from decoded JSON, checking every value against the schema.

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
        summary = d.get("summary", UNSET)
        if summary is not UNSET:
            _present += 1
            if type(summary) is not str:
                raise DecodeError.wrong_type(summary, "string").at("summary")
        created_object_ids = d.get("createdObjectIds", UNSET)
        if created_object_ids is not UNSET:
            _present += 1
            if type(created_object_ids) is not list:
                raise DecodeError.wrong_type(created_object_ids, "array").at("createdObjectIds")
            _created_object_ids_items = []
            for _index0, _item0 in enumerate(created_object_ids):
                try:
                    if type(_item0) is not str:
                        raise DecodeError.wrong_type(_item0, "string")
                except DecodeError as exc:
                    raise exc.at(_index0).at("createdObjectIds") from None
                _created_object_ids_items.append(_item0)
            created_object_ids = _created_object_ids_items

        issues = d.get("issues", UNSET)
        if issues is not UNSET:
            _present += 1
            if type(issues) is not list:
                raise DecodeError.wrong_type(issues, "array").at("issues")
            _issues_items = []
            for _index0, _item0 in enumerate(issues):
                try:
                    if type(_item0) is not str:
                        raise DecodeError.wrong_type(_item0, "string")
                except DecodeError as exc:
                    raise exc.at(_index0).at("issues") from None
                _issues_items.append(_item0)
            issues = _issues_items

        # The attrs __init__ of these models only assigns each field, so assigning here directly
        # gives the same object for less (no argument parsing; additional_properties made once).
        _model = cls.__new__(cls)
        _model.summary = summary
        _model.created_object_ids = created_object_ids
        _model.issues = issues
        _model.additional_properties = {}

        if len(d) != _present:
            _model.additional_properties = {k: v for k, v in d.items() if k not in _FinalResponse_KEYS}
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


_FinalResponse_KEYS: frozenset[str] = frozenset(
    {
        "summary",
        "createdObjectIds",
        "issues",
    }
)
