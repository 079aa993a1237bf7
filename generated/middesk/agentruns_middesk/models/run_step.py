from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import DecodeError
from ..types import UNSET, Unset, _datetime_fromisoformat, _datetime_rfc3339

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
        # Fast path for the dicts JSON decoding produces; any other Mapping is accepted too.
        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise DecodeError.wrong_type(src_dict, "object")
        d = src_dict
        try:
            id = d["id"]
            run_id = d["run_id"]
            type_ = d["type"]
            name = d["name"]
            label = d["label"]
            status = d["status"]
            started_at = d["started_at"]
        except KeyError as exc:
            raise DecodeError("required field is missing").at(exc.args[0]) from None
        # Known keys present; unknown ones are looked for only when the count falls short.
        _present = 7
        if type(id) is not str:
            raise DecodeError.wrong_type(id, "string").at("id")
        if type(run_id) is not str:
            raise DecodeError.wrong_type(run_id, "string").at("run_id")
        if type(type_) is not str:
            raise DecodeError.wrong_type(type_, "string").at("type")
        if type(name) is not str:
            raise DecodeError.wrong_type(name, "string").at("name")
        if type(label) is not str:
            raise DecodeError.wrong_type(label, "string").at("label")
        if type(status) is not str:
            raise DecodeError.wrong_type(status, "string").at("status")
        if type(started_at) is not str:
            raise DecodeError.wrong_type(started_at, "date-time string").at("started_at")
        try:
            started_at = _datetime_fromisoformat(started_at)
        except ValueError:
            try:
                started_at = _datetime_rfc3339(started_at)
            except ValueError as exc:
                raise DecodeError.invalid(exc).at("started_at") from None
        agent = d.get("agent", UNSET)
        if agent is not UNSET:
            _present += 1
            if type(agent) is not str:
                raise DecodeError.wrong_type(agent, "string").at("agent")
        parent_step_id = d.get("parent_step_id", UNSET)
        if parent_step_id is not UNSET:
            _present += 1
            if parent_step_id is not None:
                if type(parent_step_id) is not str:
                    raise DecodeError.wrong_type(parent_step_id, "string").at("parent_step_id")
        completed_at = d.get("completed_at", UNSET)
        if completed_at is not UNSET:
            _present += 1
            if completed_at is not None:
                if type(completed_at) is not str:
                    raise DecodeError.wrong_type(completed_at, "date-time string").at("completed_at")
                try:
                    completed_at = _datetime_fromisoformat(completed_at)
                except ValueError:
                    try:
                        completed_at = _datetime_rfc3339(completed_at)
                    except ValueError as exc:
                        raise DecodeError.invalid(exc).at("completed_at") from None
        artifacts = d.get("artifacts", UNSET)
        if artifacts is not UNSET:
            _present += 1
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
        _model.id = id
        _model.run_id = run_id
        _model.type_ = type_
        _model.name = name
        _model.label = label
        _model.status = status
        _model.started_at = started_at
        _model.agent = agent
        _model.parent_step_id = parent_step_id
        _model.completed_at = completed_at
        _model.artifacts = artifacts
        _model.additional_properties = {}

        if len(d) != _present:
            _model.additional_properties = {k: v for k, v in d.items() if k not in _RunStep_KEYS}
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


_RunStep_KEYS: frozenset[str] = frozenset(
    {
        "id",
        "run_id",
        "type",
        "name",
        "label",
        "status",
        "started_at",
        "agent",
        "parent_step_id",
        "completed_at",
        "artifacts",
    }
)

# Models this one refers to, imported after the class exists so that mutually referring modules
# load in any order (and from_dict does not run an import statement on every call).
from ..models.artifact import Artifact  # noqa: E402
