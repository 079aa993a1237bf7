from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import DecodeError
from ..types import UNSET, Unset

T = TypeVar("T", bound="RunRequester")


@_attrs_define
class RunRequester:
    """The user or account that initiated a run.

    Attributes:
        id (str):
        name (str):
        email (str | Unset):
    """

    id: str
    name: str
    email: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        email = self.email

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
            }
        )
        if email is not UNSET:
            field_dict["email"] = email

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Build RunRequester from decoded JSON, checking every value against the schema.

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
            id = d.pop("id")
            if type(id) is not str:
                raise DecodeError.wrong_type(id, "string")
            _field = "name"
            name = d.pop("name")
            if type(name) is not str:
                raise DecodeError.wrong_type(name, "string")
            _field = "email"
            email = d.pop("email", UNSET)
            if email is not UNSET:
                if type(email) is not str:
                    raise DecodeError.wrong_type(email, "string")
        except DecodeError as exc:
            raise exc.at(_field) from None
        except KeyError:
            raise DecodeError("required field is missing").at(_field) from None
        except (TypeError, ValueError, AttributeError, OverflowError) as exc:
            raise DecodeError.invalid(exc).at(_field) from None
        run_requester = cls(
            id=id,
            name=name,
            email=email,
        )

        run_requester.additional_properties = d
        return run_requester

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
