from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import DecodeError

T = TypeVar("T", bound="ArtifactSource")


@_attrs_define
class ArtifactSource:
    """
    Attributes:
        url (str):
        source_name (str):
        source_tier (Any): open: named by the docs without a type.
        source_type (str):
    """

    url: str
    source_name: str
    source_tier: Any
    source_type: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        source_name = self.source_name

        source_tier = self.source_tier

        source_type = self.source_type

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "url": url,
                "source_name": source_name,
                "source_tier": source_tier,
                "source_type": source_type,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Build ArtifactSource from decoded JSON, checking every value against the schema.

        Raises:
            DecodeError: a value has the wrong type or format, or a required field is missing;
                `DecodeError.path` names the field (for example ``steps[3].started_at``).
        """
        # Fast path for the dicts JSON decoding produces; any other Mapping is accepted too.
        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise DecodeError.wrong_type(src_dict, "object")
        d = src_dict
        try:
            url = d["url"]
            source_name = d["source_name"]
            source_tier = d["source_tier"]
            source_type = d["source_type"]
        except KeyError as exc:
            raise DecodeError("required field is missing").at(exc.args[0]) from None
        # Known keys present; unknown ones are looked for only when the count falls short.
        _present = 4
        if type(url) is not str:
            raise DecodeError.wrong_type(url, "string").at("url")
        if type(source_name) is not str:
            raise DecodeError.wrong_type(source_name, "string").at("source_name")
        if type(source_type) is not str:
            raise DecodeError.wrong_type(source_type, "string").at("source_type")
        # The attrs __init__ of these models only assigns each field, so assigning here directly
        # gives the same object for less (no argument parsing; additional_properties made once).
        _model = cls.__new__(cls)
        _model.url = url
        _model.source_name = source_name
        _model.source_tier = source_tier
        _model.source_type = source_type
        _model.additional_properties = {}

        if len(d) != _present:
            _model.additional_properties = {k: v for k, v in d.items() if k not in _ArtifactSource_KEYS}
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


_ArtifactSource_KEYS: frozenset[str] = frozenset(
    {
        "url",
        "source_name",
        "source_tier",
        "source_type",
    }
)
