from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import DecodeError
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.artifact import Artifact


T = TypeVar("T", bound="RunStep")


@_attrs_define
class RunStep:
    """One top-level execution step (for example an activity).

    Attributes:
        id (str):
        run_id (str):
        type_ (str): Step type, for example activity; open set.
        name (str):
        label (str):
        status (str): open: the step status values are not documented.
        started_at (datetime.datetime):
        agent (str | Unset):
        parent_step_id (None | str | Unset): open: nullability not documented; a top-level step has no parent.
        completed_at (datetime.datetime | None | Unset): open: nullability not documented; null while the step runs.
        artifacts (list[Artifact] | Unset):
    """

    id: str
    run_id: str
    type_: str
    name: str
    label: str
    status: str
    started_at: datetime.datetime
    agent: str | Unset = UNSET
    parent_step_id: None | str | Unset = UNSET
    completed_at: datetime.datetime | None | Unset = UNSET
    artifacts: list[Artifact] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        run_id = self.run_id

        type_ = self.type_

        name = self.name

        label = self.label

        status = self.status

        started_at = self.started_at.isoformat()

        agent = self.agent

        parent_step_id: None | str | Unset
        if isinstance(self.parent_step_id, Unset):
            parent_step_id = UNSET
        else:
            parent_step_id = self.parent_step_id

        completed_at: None | str | Unset
        if isinstance(self.completed_at, Unset):
            completed_at = UNSET
        elif isinstance(self.completed_at, datetime.datetime):
            completed_at = self.completed_at.isoformat()
        else:
            completed_at = self.completed_at

        artifacts: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.artifacts, Unset):
            artifacts = []
            for artifacts_item_data in self.artifacts:
                artifacts_item = artifacts_item_data.to_dict()
                artifacts.append(artifacts_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "run_id": run_id,
                "type": type_,
                "name": name,
                "label": label,
                "status": status,
                "started_at": started_at,
            }
        )
        if agent is not UNSET:
            field_dict["agent"] = agent
        if parent_step_id is not UNSET:
            field_dict["parent_step_id"] = parent_step_id
        if completed_at is not UNSET:
            field_dict["completed_at"] = completed_at
        if artifacts is not UNSET:
            field_dict["artifacts"] = artifacts

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Build RunStep from decoded JSON, checking every value against the schema.

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
            _field = "id"
            id = d.pop("id")
            if type(id) is not str:
                raise DecodeError.wrong_type(id, "string")
            _field = "run_id"
            run_id = d.pop("run_id")
            if type(run_id) is not str:
                raise DecodeError.wrong_type(run_id, "string")
            _field = "type"
            type_ = d.pop("type")
            if type(type_) is not str:
                raise DecodeError.wrong_type(type_, "string")
            _field = "name"
            name = d.pop("name")
            if type(name) is not str:
                raise DecodeError.wrong_type(name, "string")
            _field = "label"
            label = d.pop("label")
            if type(label) is not str:
                raise DecodeError.wrong_type(label, "string")
            _field = "status"
            status = d.pop("status")
            if type(status) is not str:
                raise DecodeError.wrong_type(status, "string")
            _field = "started_at"
            started_at = d.pop("started_at")
            if type(started_at) is not str:
                raise DecodeError.wrong_type(started_at, "date-time string")
            started_at = datetime.datetime.fromisoformat(started_at)
            _field = "agent"
            agent = d.pop("agent", UNSET)
            if agent is not UNSET:
                if type(agent) is not str:
                    raise DecodeError.wrong_type(agent, "string")
            _field = "parent_step_id"
            parent_step_id = d.pop("parent_step_id", UNSET)
            if parent_step_id is not UNSET:
                if parent_step_id is not None:
                    if type(parent_step_id) is not str:
                        raise DecodeError.wrong_type(parent_step_id, "string")
            _field = "completed_at"
            completed_at = d.pop("completed_at", UNSET)
            if completed_at is not UNSET:
                if completed_at is not None:
                    if type(completed_at) is not str:
                        raise DecodeError.wrong_type(completed_at, "date-time string")
                    completed_at = datetime.datetime.fromisoformat(completed_at)
            _field = "artifacts"
            artifacts = d.pop("artifacts", UNSET)
            if artifacts is not UNSET:
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
        run_step = cls(
            id=id,
            run_id=run_id,
            type_=type_,
            name=name,
            label=label,
            status=status,
            started_at=started_at,
            agent=agent,
            parent_step_id=parent_step_id,
            completed_at=completed_at,
            artifacts=artifacts,
        )

        run_step.additional_properties = d
        return run_step

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
