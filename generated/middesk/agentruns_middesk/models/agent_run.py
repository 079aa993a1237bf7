from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import DecodeError
from ..models.run_status import RunStatus
from ..types import UNSET, Unset, _datetime_fromisoformat, _datetime_rfc3339

T = TypeVar("T", bound="AgentRun")


@_attrs_define
class AgentRun:
    """
    Example:
        {'object': 'run', 'id': '6f1c2a7e-3b9d-4f5e-8a21-0c4d5e6f7a8b', 'created_at': '2023-11-07T05:31:56Z',
            'updated_at': '2023-11-07T05:33:10Z', 'status': 'completed', 'thread_id':
            '1b2c3d4e-5f60-4718-293a-4b5c6d7e8f90', 'agent': 'cip_orchestrator', 'requester': {'id': 'acct_123', 'name':
            'Example Co', 'email': 'ops@example.com'}, 'started_at': '2023-11-07T05:31:57Z', 'ended_at':
            '2023-11-07T05:33:09Z', 'output': {'artifacts': [{'title': 'Registration summary', 'type': 'report',
            'confidence': 'high', 'summary': 'The business is registered and in good standing.', 'sources': [{'url':
            'https://example.com/filing', 'source_name': 'Secretary of State', 'source_tier': 'primary', 'source_type':
            'government'}]}]}, 'interrupts': [], 'steps': [{'id': '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d', 'run_id':
            '6f1c2a7e-3b9d-4f5e-8a21-0c4d5e6f7a8b', 'type': 'activity', 'name': 'lookup_registration', 'label': 'Look up
            registration', 'status': 'completed', 'started_at': '2023-11-07T05:31:58Z', 'completed_at':
            '2023-11-07T05:32:40Z'}]}

    Attributes:
        object_ (Literal['run'] | Unset): Object type identifier.
        id (UUID | Unset): Unique identifier for the agent run.
        created_at (datetime.datetime | Unset): Timestamp when the agent run record was created.
        updated_at (datetime.datetime | Unset): Timestamp when the agent run record was last updated.
        status (RunStatus | Unset): Current lifecycle status of the agent run.
        thread_id (UUID | Unset): Identifier of the agent thread this run belongs to.
        agent (str | Unset): Agent type that produced this run (for example, cip_orchestrator).
        requester (None | RunRequester | Unset): Principal that initiated the run: the authenticated user for a session
            caller, the account for an API key caller, null for system-initiated runs.
        started_at (datetime.datetime | None | Unset): Timestamp when the agent run started.
        ended_at (datetime.datetime | None | Unset): Timestamp when the agent run finished.
        output (ArtifactEnvelope | None | Unset): Artifact envelope produced by the agent. Non-null only when status is
            completed; null for running, interrupted, and error runs.
        interrupts (list[RunInterrupt] | Unset): Pending interrupt requests awaiting input. Empty when the run is not
            interrupted.
        steps (list[RunStep] | Unset): Top-level execution steps for this run. Opt-in: pass ?include=steps to populate
            this field; omitted by default.
    """

    object_: Literal["run"] | Unset = UNSET
    id: UUID | Unset = UNSET
    created_at: datetime.datetime | Unset = UNSET
    updated_at: datetime.datetime | Unset = UNSET
    status: RunStatus | Unset = UNSET
    thread_id: UUID | Unset = UNSET
    agent: str | Unset = UNSET
    requester: None | RunRequester | Unset = UNSET
    started_at: datetime.datetime | None | Unset = UNSET
    ended_at: datetime.datetime | None | Unset = UNSET
    output: ArtifactEnvelope | None | Unset = UNSET
    interrupts: list[RunInterrupt] | Unset = UNSET
    steps: list[RunStep] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        object_ = self.object_

        id: str | Unset = UNSET
        if not isinstance(self.id, Unset):
            id = str(self.id)

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        updated_at: str | Unset = UNSET
        if not isinstance(self.updated_at, Unset):
            updated_at = self.updated_at.isoformat()

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        thread_id: str | Unset = UNSET
        if not isinstance(self.thread_id, Unset):
            thread_id = str(self.thread_id)

        agent = self.agent

        requester: dict[str, Any] | None | Unset
        if isinstance(self.requester, Unset):
            requester = UNSET
        elif isinstance(self.requester, RunRequester):
            requester = self.requester.to_dict()
        else:
            requester = self.requester

        started_at: None | str | Unset
        if isinstance(self.started_at, Unset):
            started_at = UNSET
        elif isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        ended_at: None | str | Unset
        if isinstance(self.ended_at, Unset):
            ended_at = UNSET
        elif isinstance(self.ended_at, datetime.datetime):
            ended_at = self.ended_at.isoformat()
        else:
            ended_at = self.ended_at

        output: dict[str, Any] | None | Unset
        if isinstance(self.output, Unset):
            output = UNSET
        elif isinstance(self.output, ArtifactEnvelope):
            output = self.output.to_dict()
        else:
            output = self.output

        interrupts: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.interrupts, Unset):
            interrupts = []
            for interrupts_item_data in self.interrupts:
                interrupts_item = interrupts_item_data.to_dict()
                interrupts.append(interrupts_item)

        steps: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.steps, Unset):
            steps = []
            for steps_item_data in self.steps:
                steps_item = steps_item_data.to_dict()
                steps.append(steps_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if object_ is not UNSET:
            field_dict["object"] = object_
        if id is not UNSET:
            field_dict["id"] = id
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at
        if status is not UNSET:
            field_dict["status"] = status
        if thread_id is not UNSET:
            field_dict["thread_id"] = thread_id
        if agent is not UNSET:
            field_dict["agent"] = agent
        if requester is not UNSET:
            field_dict["requester"] = requester
        if started_at is not UNSET:
            field_dict["started_at"] = started_at
        if ended_at is not UNSET:
            field_dict["ended_at"] = ended_at
        if output is not UNSET:
            field_dict["output"] = output
        if interrupts is not UNSET:
            field_dict["interrupts"] = interrupts
        if steps is not UNSET:
            field_dict["steps"] = steps

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Build AgentRun from decoded JSON, checking every value against the schema.

        Raises:
            DecodeError: a value has the wrong type or format, or a required field is missing;
                `DecodeError.path` names the field (for example ``steps[3].started_at``).
        """
        # Fast path for the dicts JSON decoding produces; any other Mapping is accepted too.
        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise DecodeError.wrong_type(src_dict, "object")
        d = src_dict
        # Known keys present; unknown ones are looked for only when the count falls short.
        _present = 0
        object_ = d.get("object", UNSET)
        if object_ is not UNSET:
            _present += 1
            if object_ != "run":
                raise DecodeError(f"expected 'run', got {object_!r:.80}").at("object")
        id = d.get("id", UNSET)
        if id is not UNSET:
            _present += 1
            if type(id) is not str:
                raise DecodeError.wrong_type(id, "uuid string").at("id")
            try:
                id = UUID(id)
            except ValueError as exc:
                raise DecodeError.invalid(exc).at("id") from None
        created_at = d.get("created_at", UNSET)
        if created_at is not UNSET:
            _present += 1
            if type(created_at) is not str:
                raise DecodeError.wrong_type(created_at, "date-time string").at("created_at")
            try:
                created_at = _datetime_fromisoformat(created_at)
            except ValueError:
                try:
                    created_at = _datetime_rfc3339(created_at)
                except ValueError as exc:
                    raise DecodeError.invalid(exc).at("created_at") from None
        updated_at = d.get("updated_at", UNSET)
        if updated_at is not UNSET:
            _present += 1
            if type(updated_at) is not str:
                raise DecodeError.wrong_type(updated_at, "date-time string").at("updated_at")
            try:
                updated_at = _datetime_fromisoformat(updated_at)
            except ValueError:
                try:
                    updated_at = _datetime_rfc3339(updated_at)
                except ValueError as exc:
                    raise DecodeError.invalid(exc).at("updated_at") from None
        status = d.get("status", UNSET)
        if status is not UNSET:
            _present += 1
            if type(status) is not str:
                raise DecodeError.wrong_type(status, "string").at("status")
            try:
                status = cast(RunStatus, RunStatus._value2member_map_.get(status)) or RunStatus(status)
            except ValueError as exc:
                raise DecodeError.invalid(exc).at("status") from None
        thread_id = d.get("thread_id", UNSET)
        if thread_id is not UNSET:
            _present += 1
            if type(thread_id) is not str:
                raise DecodeError.wrong_type(thread_id, "uuid string").at("thread_id")
            try:
                thread_id = UUID(thread_id)
            except ValueError as exc:
                raise DecodeError.invalid(exc).at("thread_id") from None
        agent = d.get("agent", UNSET)
        if agent is not UNSET:
            _present += 1
            if type(agent) is not str:
                raise DecodeError.wrong_type(agent, "string").at("agent")
        requester = d.get("requester", UNSET)
        if requester is not UNSET:
            _present += 1
            if requester is not None:
                try:
                    requester = RunRequester.from_dict(requester)
                except DecodeError as exc:
                    raise exc.at("requester") from None
        started_at = d.get("started_at", UNSET)
        if started_at is not UNSET:
            _present += 1
            if started_at is not None:
                if type(started_at) is not str:
                    raise DecodeError.wrong_type(started_at, "date-time string").at("started_at")
                try:
                    started_at = _datetime_fromisoformat(started_at)
                except ValueError:
                    try:
                        started_at = _datetime_rfc3339(started_at)
                    except ValueError as exc:
                        raise DecodeError.invalid(exc).at("started_at") from None
        ended_at = d.get("ended_at", UNSET)
        if ended_at is not UNSET:
            _present += 1
            if ended_at is not None:
                if type(ended_at) is not str:
                    raise DecodeError.wrong_type(ended_at, "date-time string").at("ended_at")
                try:
                    ended_at = _datetime_fromisoformat(ended_at)
                except ValueError:
                    try:
                        ended_at = _datetime_rfc3339(ended_at)
                    except ValueError as exc:
                        raise DecodeError.invalid(exc).at("ended_at") from None
        output = d.get("output", UNSET)
        if output is not UNSET:
            _present += 1
            if output is not None:
                try:
                    output = ArtifactEnvelope.from_dict(output)
                except DecodeError as exc:
                    raise exc.at("output") from None
        interrupts = d.get("interrupts", UNSET)
        if interrupts is not UNSET:
            _present += 1
            if type(interrupts) is not list:
                raise DecodeError.wrong_type(interrupts, "array").at("interrupts")
            try:
                interrupts = [RunInterrupt.from_dict(_item0) for _item0 in interrupts]
            except DecodeError:
                for _index0, _item0 in enumerate(interrupts):
                    try:
                        RunInterrupt.from_dict(_item0)
                    except DecodeError as exc:
                        raise exc.at(_index0).at("interrupts") from None
                raise

        steps = d.get("steps", UNSET)
        if steps is not UNSET:
            _present += 1
            if type(steps) is not list:
                raise DecodeError.wrong_type(steps, "array").at("steps")
            try:
                steps = [RunStep.from_dict(_item0) for _item0 in steps]
            except DecodeError:
                for _index0, _item0 in enumerate(steps):
                    try:
                        RunStep.from_dict(_item0)
                    except DecodeError as exc:
                        raise exc.at(_index0).at("steps") from None
                raise

        # The attrs __init__ of these models only assigns each field, so assigning here directly
        # gives the same object for less (no argument parsing; additional_properties made once).
        _model = cls.__new__(cls)
        _model.object_ = object_
        _model.id = id
        _model.created_at = created_at
        _model.updated_at = updated_at
        _model.status = status
        _model.thread_id = thread_id
        _model.agent = agent
        _model.requester = requester
        _model.started_at = started_at
        _model.ended_at = ended_at
        _model.output = output
        _model.interrupts = interrupts
        _model.steps = steps
        _model.additional_properties = {}

        if len(d) != _present:
            _model.additional_properties = {k: v for k, v in d.items() if k not in _AgentRun_KEYS}
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


_AgentRun_KEYS: frozenset[str] = frozenset(
    {
        "object",
        "id",
        "created_at",
        "updated_at",
        "status",
        "thread_id",
        "agent",
        "requester",
        "started_at",
        "ended_at",
        "output",
        "interrupts",
        "steps",
    }
)

# Models this one refers to, imported after the class exists so that mutually referring modules
# load in any order (and from_dict does not run an import statement on every call).
from ..models.artifact_envelope import ArtifactEnvelope  # noqa: E402
from ..models.run_interrupt import RunInterrupt  # noqa: E402
from ..models.run_requester import RunRequester  # noqa: E402
from ..models.run_step import RunStep  # noqa: E402
