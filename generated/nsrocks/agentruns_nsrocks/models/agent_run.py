from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import DecodeError
from ..models.run_mode import RunMode
from ..models.run_status import RunStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.output_manifest import OutputManifest
    from ..models.run_input import RunInput


T = TypeVar("T", bound="AgentRun")


@_attrs_define
class AgentRun:
    """
    Example:
        {'id': 'adrun_1234abcd', 'deployment_id': '<string>', 'version_id': '<string>', 'mode': 'job', 'status':
            'succeeded', 'input': {}, 'created_at': '2023-11-07T05:31:56Z', 'updated_at': '2023-11-07T05:31:56Z',
            'retain_on_failure': True, 'retention_seconds': 2, 'sandbox_id': '<string>', 'process_id': 123, 'exit_code':
            123, 'failure_reason': '<string>', 'output_manifest': {}, 'started_at': '2023-11-07T05:31:56Z', 'completed_at':
            '2023-11-07T05:31:56Z', 'idempotency_key': '<string>'}

    Attributes:
        id (str):
        deployment_id (str):
        version_id (str):
        mode (RunMode):
        status (RunStatus):
        input_ (RunInput): Free-form run input supplied at run creation; passed through to the agent verbatim,
            deliberately open.
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        retain_on_failure (bool | None | Unset): Per-run override for failed job sandbox retention. Omit to use
            deployment debug config.
        retention_seconds (int | None | Unset): Retention TTL in seconds when the run is retained. Defaults to 3600 if
            retention is enabled without an explicit TTL.
        sandbox_id (None | str | Unset):
        process_id (int | None | Unset):
        exit_code (int | None | Unset):
        failure_reason (None | str | Unset):
        output_manifest (OutputManifest | Unset): Output manifest produced by the agent runtime (typically containing an
            outputs array). Deliberately open: the manifest shape is owned by the agent, not the control plane.
        started_at (datetime.datetime | None | Unset):
        completed_at (datetime.datetime | None | Unset):
        idempotency_key (None | str | Unset):
    """

    id: str
    deployment_id: str
    version_id: str
    mode: RunMode
    status: RunStatus
    input_: RunInput
    created_at: datetime.datetime
    updated_at: datetime.datetime
    retain_on_failure: bool | None | Unset = UNSET
    retention_seconds: int | None | Unset = UNSET
    sandbox_id: None | str | Unset = UNSET
    process_id: int | None | Unset = UNSET
    exit_code: int | None | Unset = UNSET
    failure_reason: None | str | Unset = UNSET
    output_manifest: OutputManifest | Unset = UNSET
    started_at: datetime.datetime | None | Unset = UNSET
    completed_at: datetime.datetime | None | Unset = UNSET
    idempotency_key: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        deployment_id = self.deployment_id

        version_id = self.version_id

        mode = self.mode.value

        status = self.status.value

        input_ = self.input_.to_dict()

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        retain_on_failure: bool | None | Unset
        if isinstance(self.retain_on_failure, Unset):
            retain_on_failure = UNSET
        else:
            retain_on_failure = self.retain_on_failure

        retention_seconds: int | None | Unset
        if isinstance(self.retention_seconds, Unset):
            retention_seconds = UNSET
        else:
            retention_seconds = self.retention_seconds

        sandbox_id: None | str | Unset
        if isinstance(self.sandbox_id, Unset):
            sandbox_id = UNSET
        else:
            sandbox_id = self.sandbox_id

        process_id: int | None | Unset
        if isinstance(self.process_id, Unset):
            process_id = UNSET
        else:
            process_id = self.process_id

        exit_code: int | None | Unset
        if isinstance(self.exit_code, Unset):
            exit_code = UNSET
        else:
            exit_code = self.exit_code

        failure_reason: None | str | Unset
        if isinstance(self.failure_reason, Unset):
            failure_reason = UNSET
        else:
            failure_reason = self.failure_reason

        output_manifest: dict[str, Any] | Unset = UNSET
        if not isinstance(self.output_manifest, Unset):
            output_manifest = self.output_manifest.to_dict()

        started_at: None | str | Unset
        if isinstance(self.started_at, Unset):
            started_at = UNSET
        elif isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        completed_at: None | str | Unset
        if isinstance(self.completed_at, Unset):
            completed_at = UNSET
        elif isinstance(self.completed_at, datetime.datetime):
            completed_at = self.completed_at.isoformat()
        else:
            completed_at = self.completed_at

        idempotency_key: None | str | Unset
        if isinstance(self.idempotency_key, Unset):
            idempotency_key = UNSET
        else:
            idempotency_key = self.idempotency_key

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "deployment_id": deployment_id,
                "version_id": version_id,
                "mode": mode,
                "status": status,
                "input": input_,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )
        if retain_on_failure is not UNSET:
            field_dict["retain_on_failure"] = retain_on_failure
        if retention_seconds is not UNSET:
            field_dict["retention_seconds"] = retention_seconds
        if sandbox_id is not UNSET:
            field_dict["sandbox_id"] = sandbox_id
        if process_id is not UNSET:
            field_dict["process_id"] = process_id
        if exit_code is not UNSET:
            field_dict["exit_code"] = exit_code
        if failure_reason is not UNSET:
            field_dict["failure_reason"] = failure_reason
        if output_manifest is not UNSET:
            field_dict["output_manifest"] = output_manifest
        if started_at is not UNSET:
            field_dict["started_at"] = started_at
        if completed_at is not UNSET:
            field_dict["completed_at"] = completed_at
        if idempotency_key is not UNSET:
            field_dict["idempotency_key"] = idempotency_key

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Build AgentRun from decoded JSON, checking every value against the schema.

        Raises:
            DecodeError: a value has the wrong type or format, or a required field is missing;
                `DecodeError.path` names the field (for example ``steps[3].started_at``).
        """
        from ..models.output_manifest import OutputManifest  # noqa: PLC0415
        from ..models.run_input import RunInput  # noqa: PLC0415

        if not isinstance(src_dict, Mapping):
            raise DecodeError.wrong_type(src_dict, "object")
        d = dict(src_dict)
        _field = ""
        try:
            _field = "id"
            id = d.pop("id")
            if type(id) is not str:
                raise DecodeError.wrong_type(id, "string")
            _field = "deployment_id"
            deployment_id = d.pop("deployment_id")
            if type(deployment_id) is not str:
                raise DecodeError.wrong_type(deployment_id, "string")
            _field = "version_id"
            version_id = d.pop("version_id")
            if type(version_id) is not str:
                raise DecodeError.wrong_type(version_id, "string")
            _field = "mode"
            mode = d.pop("mode")
            if type(mode) is not str:
                raise DecodeError.wrong_type(mode, "string")
            mode = RunMode(mode)
            _field = "status"
            status = d.pop("status")
            if type(status) is not str:
                raise DecodeError.wrong_type(status, "string")
            status = RunStatus(status)
            _field = "input"
            input_ = d.pop("input")
            input_ = RunInput.from_dict(input_)
            _field = "created_at"
            created_at = d.pop("created_at")
            if type(created_at) is not str:
                raise DecodeError.wrong_type(created_at, "date-time string")
            created_at = datetime.datetime.fromisoformat(created_at)
            _field = "updated_at"
            updated_at = d.pop("updated_at")
            if type(updated_at) is not str:
                raise DecodeError.wrong_type(updated_at, "date-time string")
            updated_at = datetime.datetime.fromisoformat(updated_at)
            _field = "retain_on_failure"
            retain_on_failure = d.pop("retain_on_failure", UNSET)
            if retain_on_failure is not UNSET:
                if retain_on_failure is not None:
                    if type(retain_on_failure) is not bool:
                        raise DecodeError.wrong_type(retain_on_failure, "boolean")
            _field = "retention_seconds"
            retention_seconds = d.pop("retention_seconds", UNSET)
            if retention_seconds is not UNSET:
                if retention_seconds is not None:
                    if type(retention_seconds) is not int:
                        raise DecodeError.wrong_type(retention_seconds, "integer")
            _field = "sandbox_id"
            sandbox_id = d.pop("sandbox_id", UNSET)
            if sandbox_id is not UNSET:
                if sandbox_id is not None:
                    if type(sandbox_id) is not str:
                        raise DecodeError.wrong_type(sandbox_id, "string")
            _field = "process_id"
            process_id = d.pop("process_id", UNSET)
            if process_id is not UNSET:
                if process_id is not None:
                    if type(process_id) is not int:
                        raise DecodeError.wrong_type(process_id, "integer")
            _field = "exit_code"
            exit_code = d.pop("exit_code", UNSET)
            if exit_code is not UNSET:
                if exit_code is not None:
                    if type(exit_code) is not int:
                        raise DecodeError.wrong_type(exit_code, "integer")
            _field = "failure_reason"
            failure_reason = d.pop("failure_reason", UNSET)
            if failure_reason is not UNSET:
                if failure_reason is not None:
                    if type(failure_reason) is not str:
                        raise DecodeError.wrong_type(failure_reason, "string")
            _field = "output_manifest"
            output_manifest = d.pop("output_manifest", UNSET)
            if output_manifest is not UNSET:
                output_manifest = OutputManifest.from_dict(output_manifest)
            _field = "started_at"
            started_at = d.pop("started_at", UNSET)
            if started_at is not UNSET:
                if started_at is not None:
                    if type(started_at) is not str:
                        raise DecodeError.wrong_type(started_at, "date-time string")
                    started_at = datetime.datetime.fromisoformat(started_at)
            _field = "completed_at"
            completed_at = d.pop("completed_at", UNSET)
            if completed_at is not UNSET:
                if completed_at is not None:
                    if type(completed_at) is not str:
                        raise DecodeError.wrong_type(completed_at, "date-time string")
                    completed_at = datetime.datetime.fromisoformat(completed_at)
            _field = "idempotency_key"
            idempotency_key = d.pop("idempotency_key", UNSET)
            if idempotency_key is not UNSET:
                if idempotency_key is not None:
                    if type(idempotency_key) is not str:
                        raise DecodeError.wrong_type(idempotency_key, "string")
        except DecodeError as exc:
            raise exc.at(_field) from None
        except KeyError:
            raise DecodeError("required field is missing").at(_field) from None
        except (TypeError, ValueError, AttributeError, OverflowError) as exc:
            raise DecodeError.invalid(exc).at(_field) from None
        agent_run = cls(
            id=id,
            deployment_id=deployment_id,
            version_id=version_id,
            mode=mode,
            status=status,
            input_=input_,
            created_at=created_at,
            updated_at=updated_at,
            retain_on_failure=retain_on_failure,
            retention_seconds=retention_seconds,
            sandbox_id=sandbox_id,
            process_id=process_id,
            exit_code=exit_code,
            failure_reason=failure_reason,
            output_manifest=output_manifest,
            started_at=started_at,
            completed_at=completed_at,
            idempotency_key=idempotency_key,
        )

        agent_run.additional_properties = d
        return agent_run

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
