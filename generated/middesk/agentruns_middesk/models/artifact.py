from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import DecodeError
from ..types import UNSET, Unset

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
        # Fast path for the dicts JSON decoding produces; any other Mapping is accepted too.
        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise DecodeError.wrong_type(src_dict, "object")
        d = src_dict
        try:
            title = d["title"]
            type_ = d["type"]
        except KeyError as exc:
            raise DecodeError("required field is missing").at(exc.args[0]) from None
        # Known keys present; unknown ones are looked for only when the count falls short.
        _present = 2
        if type(title) is not str:
            raise DecodeError.wrong_type(title, "string").at("title")
        if type(type_) is not str:
            raise DecodeError.wrong_type(type_, "string").at("type")
        confidence = d.get("confidence", UNSET)
        if confidence is not UNSET:
            _present += 1
        summary = d.get("summary", UNSET)
        if summary is not UNSET:
            _present += 1
            if type(summary) is not str:
                raise DecodeError.wrong_type(summary, "string").at("summary")
        sources = d.get("sources", UNSET)
        if sources is not UNSET:
            _present += 1
            if type(sources) is not list:
                raise DecodeError.wrong_type(sources, "array").at("sources")
            try:
                sources = [ArtifactSource.from_dict(_item0) for _item0 in sources]
            except DecodeError:
                for _index0, _item0 in enumerate(sources):
                    try:
                        ArtifactSource.from_dict(_item0)
                    except DecodeError as exc:
                        raise exc.at(_index0).at("sources") from None
                raise

        # The attrs __init__ of these models only assigns each field, so assigning here directly
        # gives the same object for less (no argument parsing; additional_properties made once).
        _model = cls.__new__(cls)
        _model.title = title
        _model.type_ = type_
        _model.confidence = confidence
        _model.summary = summary
        _model.sources = sources
        _model.additional_properties = {}

        if len(d) != _present:
            _model.additional_properties = {k: v for k, v in d.items() if k not in _Artifact_KEYS}
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


_Artifact_KEYS: frozenset[str] = frozenset(
    {
        "title",
        "type",
        "confidence",
        "summary",
        "sources",
    }
)

# Models this one refers to, imported after the class exists so that mutually referring modules
# load in any order (and from_dict does not run an import statement on every call).
from ..models.artifact_source import ArtifactSource  # noqa: E402
