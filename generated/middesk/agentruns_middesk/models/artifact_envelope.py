from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import DecodeError

if TYPE_CHECKING:
    from ..models.artifact import Artifact


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
        from ..models.artifact import Artifact  # noqa: PLC0415

        if not isinstance(src_dict, Mapping):
            raise DecodeError.wrong_type(src_dict, "object")
        d = dict(src_dict)
        _field = ""
        try:
            _field = "artifacts"
            artifacts = d.pop("artifacts")
            if type(artifacts) is not list:
                raise DecodeError.wrong_type(artifacts, "array")
            _artifacts_items = []
            for _index0, _item0 in enumerate(artifacts):
                try:
                    _item0 = Artifact.from_dict(_item0)
                except DecodeError as exc:
                    raise exc.at(_index0) from None
                except (TypeError, ValueError, AttributeError, OverflowError) as exc:
                    raise DecodeError.invalid(exc).at(_index0) from None
                _artifacts_items.append(_item0)
            artifacts = _artifacts_items

        except DecodeError as exc:
            raise exc.at(_field) from None
        except KeyError:
            raise DecodeError("required field is missing").at(_field) from None
        except (TypeError, ValueError, AttributeError, OverflowError) as exc:
            raise DecodeError.invalid(exc).at(_field) from None
        artifact_envelope = cls(
            artifacts=artifacts,
        )

        artifact_envelope.additional_properties = d
        return artifact_envelope

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
