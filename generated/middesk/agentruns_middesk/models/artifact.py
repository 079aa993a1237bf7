from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import DecodeError
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.artifact_source import ArtifactSource


T = TypeVar("T", bound="Artifact")


@_attrs_define
class Artifact:
    """
    Attributes:
        title (str):
        type_ (str):
        confidence (Any | Unset): open: named by the docs without a type.
        summary (str | Unset):
        sources (list[ArtifactSource] | Unset):
    """

    title: str
    type_: str
    confidence: Any | Unset = UNSET
    summary: str | Unset = UNSET
    sources: list[ArtifactSource] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        title = self.title

        type_ = self.type_

        confidence = self.confidence

        summary = self.summary

        sources: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.sources, Unset):
            sources = []
            for sources_item_data in self.sources:
                sources_item = sources_item_data.to_dict()
                sources.append(sources_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "title": title,
                "type": type_,
            }
        )
        if confidence is not UNSET:
            field_dict["confidence"] = confidence
        if summary is not UNSET:
            field_dict["summary"] = summary
        if sources is not UNSET:
            field_dict["sources"] = sources

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Build Artifact from decoded JSON, checking every value against the schema.

        Raises:
            DecodeError: a value has the wrong type or format, or a required field is missing;
                `DecodeError.path` names the field (for example ``steps[3].started_at``).
        """
        from ..models.artifact_source import ArtifactSource  # noqa: PLC0415

        if not isinstance(src_dict, Mapping):
            raise DecodeError.wrong_type(src_dict, "object")
        d = dict(src_dict)
        _field = ""
        try:
            _field = "title"
            title = d.pop("title")
            if type(title) is not str:
                raise DecodeError.wrong_type(title, "string")
            _field = "type"
            type_ = d.pop("type")
            if type(type_) is not str:
                raise DecodeError.wrong_type(type_, "string")
            _field = "confidence"
            confidence = d.pop("confidence", UNSET)
            _field = "summary"
            summary = d.pop("summary", UNSET)
            if summary is not UNSET:
                if type(summary) is not str:
                    raise DecodeError.wrong_type(summary, "string")
            _field = "sources"
            sources = d.pop("sources", UNSET)
            if sources is not UNSET:
                if type(sources) is not list:
                    raise DecodeError.wrong_type(sources, "array")
                _sources_items = []
                for _index0, _item0 in enumerate(sources):
                    try:
                        _item0 = ArtifactSource.from_dict(_item0)
                    except DecodeError as exc:
                        raise exc.at(_index0) from None
                    except (TypeError, ValueError, AttributeError, OverflowError) as exc:
                        raise DecodeError.invalid(exc).at(_index0) from None
                    _sources_items.append(_item0)
                sources = _sources_items

        except DecodeError as exc:
            raise exc.at(_field) from None
        except KeyError:
            raise DecodeError("required field is missing").at(_field) from None
        except (TypeError, ValueError, AttributeError, OverflowError) as exc:
            raise DecodeError.invalid(exc).at(_field) from None
        artifact = cls(
            title=title,
            type_=type_,
            confidence=confidence,
            summary=summary,
            sources=sources,
        )

        artifact.additional_properties = d
        return artifact

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
