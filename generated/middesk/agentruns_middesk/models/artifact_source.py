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
        if not isinstance(src_dict, Mapping):
            raise DecodeError.wrong_type(src_dict, "object")
        d = dict(src_dict)
        _field = ""
        try:
            _field = "url"
            url = d.pop("url")
            if type(url) is not str:
                raise DecodeError.wrong_type(url, "string")
            _field = "source_name"
            source_name = d.pop("source_name")
            if type(source_name) is not str:
                raise DecodeError.wrong_type(source_name, "string")
            _field = "source_tier"
            source_tier = d.pop("source_tier")
            _field = "source_type"
            source_type = d.pop("source_type")
            if type(source_type) is not str:
                raise DecodeError.wrong_type(source_type, "string")
        except DecodeError as exc:
            raise exc.at(_field) from None
        except KeyError:
            raise DecodeError("required field is missing").at(_field) from None
        except (TypeError, ValueError, AttributeError, OverflowError) as exc:
            raise DecodeError.invalid(exc).at(_field) from None
        artifact_source = cls(
            url=url,
            source_name=source_name,
            source_tier=source_tier,
            source_type=source_type,
        )

        artifact_source.additional_properties = d
        return artifact_source

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
