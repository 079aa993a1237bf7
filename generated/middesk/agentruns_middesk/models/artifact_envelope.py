from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import DecodeError

T = TypeVar("T", bound="ArtifactEnvelope")


@_attrs_define
class ArtifactEnvelope:
    """Artifacts produced by a completed run.

    Attributes:
        artifacts (list[Artifact]):
    """

    artifacts: list[Artifact]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        artifacts = []
        for artifacts_item_data in self.artifacts:
            artifacts_item = artifacts_item_data.to_dict()
            artifacts.append(artifacts_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "artifacts": artifacts,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Build ArtifactEnvelope from decoded JSON, checking every value against the schema.

        Raises:
            DecodeError: a value has the wrong type or format, or a required field is missing;
                `DecodeError.path` names the field (for example ``steps[3].started_at``).
        """
        # Fast path for the dicts JSON decoding produces; any other Mapping is accepted too.
        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise DecodeError.wrong_type(src_dict, "object")
        d = src_dict
        try:
            artifacts = d["artifacts"]
        except KeyError as exc:
            raise DecodeError("required field is missing").at(exc.args[0]) from None
        # Known keys present; unknown ones are looked for only when the count falls short.
        _present = 1
        if type(artifacts) is not list:
            raise DecodeError.wrong_type(artifacts, "array").at("artifacts")
        try:
            artifacts = [Artifact.from_dict(_item0) for _item0 in artifacts]
        except DecodeError:
            for _index0, _item0 in enumerate(artifacts):
                try:
                    Artifact.from_dict(_item0)
                except DecodeError as exc:
                    raise exc.at(_index0).at("artifacts") from None
            raise

        # The attrs __init__ of these models only assigns each field, so assigning here directly
        # gives the same object for less (no argument parsing; additional_properties made once).
        _model = cls.__new__(cls)
        _model.artifacts = artifacts
        _model.additional_properties = {}

        if len(d) != _present:
            _model.additional_properties = {k: v for k, v in d.items() if k not in _ArtifactEnvelope_KEYS}
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


_ArtifactEnvelope_KEYS: frozenset[str] = frozenset(
    {
        "artifacts",
    }
)

# Models this one refers to, imported after the class exists so that mutually referring modules
# load in any order (and from_dict does not run an import statement on every call).
from ..models.artifact import Artifact  # noqa: E402
