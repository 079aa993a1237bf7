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
        if not isinstance(src_dict, Mapping):
            raise DecodeError.wrong_type(src_dict, "object")
        d = dict(src_dict)
        _field = ""
        try:
            _field = "summary"
            summary = d.pop("summary", UNSET)
            if summary is not UNSET:
                if type(summary) is not str:
                    raise DecodeError.wrong_type(summary, "string")
            _field = "createdObjectIds"
            created_object_ids = d.pop("createdObjectIds", UNSET)
            if created_object_ids is not UNSET:
                if type(created_object_ids) is not list:
                    raise DecodeError.wrong_type(created_object_ids, "array")
                _created_object_ids_items = []
                for _index0, _item0 in enumerate(created_object_ids):
                    try:
                        if type(_item0) is not str:
                            raise DecodeError.wrong_type(_item0, "string")
                    except DecodeError as exc:
                        raise exc.at(_index0) from None
                    except (TypeError, ValueError, AttributeError, OverflowError) as exc:
                        raise DecodeError.invalid(exc).at(_index0) from None
                    _created_object_ids_items.append(_item0)
                created_object_ids = _created_object_ids_items

            _field = "issues"
            issues = d.pop("issues", UNSET)
            if issues is not UNSET:
                if type(issues) is not list:
                    raise DecodeError.wrong_type(issues, "array")
                _issues_items = []
                for _index0, _item0 in enumerate(issues):
                    try:
                        if type(_item0) is not str:
                            raise DecodeError.wrong_type(_item0, "string")
                    except DecodeError as exc:
                        raise exc.at(_index0) from None
                    except (TypeError, ValueError, AttributeError, OverflowError) as exc:
                        raise DecodeError.invalid(exc).at(_index0) from None
                    _issues_items.append(_item0)
                issues = _issues_items

        except DecodeError as exc:
            raise exc.at(_field) from None
        except KeyError:
            raise DecodeError("required field is missing").at(_field) from None
        except (TypeError, ValueError, AttributeError, OverflowError) as exc:
            raise DecodeError.invalid(exc).at(_field) from None
        final_response = cls(
            summary=summary,
            created_object_ids=created_object_ids,
            issues=issues,
        )

        final_response.additional_properties = d
        return final_response

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
