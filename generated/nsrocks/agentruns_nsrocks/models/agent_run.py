from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import DecodeError
from ..models.run_mode import RunMode
from ..models.run_status import RunStatus
from ..types import UNSET, Unset, _datetime_fromisoformat, _datetime_rfc3339

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
        # Fast path for the dicts JSON decoding produces; any other Mapping is accepted too.
        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise DecodeError.wrong_type(src_dict, "object")
        d = src_dict
        try:
            id = d["id"]
            deployment_id = d["deployment_id"]
            version_id = d["version_id"]
            mode = d["mode"]
            status = d["status"]
            input_ = d["input"]
            created_at = d["created_at"]
            updated_at = d["updated_at"]
        except KeyError as exc:
            raise DecodeError("required field is missing").at(exc.args[0]) from None
        # Known keys present; unknown ones are looked for only when the count falls short.
        _present = 8
        if type(id) is not str:
            raise DecodeError.wrong_type(id, "string").at("id")
        if type(deployment_id) is not str:
            raise DecodeError.wrong_type(deployment_id, "string").at("deployment_id")
        if type(version_id) is not str:
            raise DecodeError.wrong_type(version_id, "string").at("version_id")
        if type(mode) is not str:
            raise DecodeError.wrong_type(mode, "string").at("mode")
        try:
            mode = cast(RunMode, RunMode._value2member_map_.get(mode)) or RunMode(mode)
        except ValueError as exc:
            raise DecodeError.invalid(exc).at("mode") from None
        if type(status) is not str:
            raise DecodeError.wrong_type(status, "string").at("status")
        try:
            status = cast(RunStatus, RunStatus._value2member_map_.get(status)) or RunStatus(status)
        except ValueError as exc:
            raise DecodeError.invalid(exc).at("status") from None
        try:
            input_ = RunInput.from_dict(input_)
        except DecodeError as exc:
            raise exc.at("input") from None
        if type(created_at) is not str:
            raise DecodeError.wrong_type(created_at, "date-time string").at("created_at")
        try:
            created_at = _datetime_fromisoformat(created_at)
        except ValueError:
            try:
                created_at = _datetime_rfc3339(created_at)
            except ValueError as exc:
                raise DecodeError.invalid(exc).at("created_at") from None
        if type(updated_at) is not str:
            raise DecodeError.wrong_type(updated_at, "date-time string").at("updated_at")
        try:
            updated_at = _datetime_fromisoformat(updated_at)
        except ValueError:
            try:
                updated_at = _datetime_rfc3339(updated_at)
            except ValueError as exc:
                raise DecodeError.invalid(exc).at("updated_at") from None
        retain_on_failure = d.get("retain_on_failure", UNSET)
        if retain_on_failure is not UNSET:
            _present += 1
            if retain_on_failure is not None:
                if type(retain_on_failure) is not bool:
                    raise DecodeError.wrong_type(retain_on_failure, "boolean").at("retain_on_failure")
        retention_seconds = d.get("retention_seconds", UNSET)
        if retention_seconds is not UNSET:
            _present += 1
            if retention_seconds is not None:
                if type(retention_seconds) is not int:
                    raise DecodeError.wrong_type(retention_seconds, "integer").at("retention_seconds")
        sandbox_id = d.get("sandbox_id", UNSET)
        if sandbox_id is not UNSET:
            _present += 1
            if sandbox_id is not None:
                if type(sandbox_id) is not str:
                    raise DecodeError.wrong_type(sandbox_id, "string").at("sandbox_id")
        process_id = d.get("process_id", UNSET)
        if process_id is not UNSET:
            _present += 1
            if process_id is not None:
                if type(process_id) is not int:
                    raise DecodeError.wrong_type(process_id, "integer").at("process_id")
        exit_code = d.get("exit_code", UNSET)
        if exit_code is not UNSET:
            _present += 1
            if exit_code is not None:
                if type(exit_code) is not int:
                    raise DecodeError.wrong_type(exit_code, "integer").at("exit_code")
        failure_reason = d.get("failure_reason", UNSET)
        if failure_reason is not UNSET:
            _present += 1
            if failure_reason is not None:
                if type(failure_reason) is not str:
                    raise DecodeError.wrong_type(failure_reason, "string").at("failure_reason")
        output_manifest = d.get("output_manifest", UNSET)
        if output_manifest is not UNSET:
            _present += 1
            try:
                output_manifest = OutputManifest.from_dict(output_manifest)
            except DecodeError as exc:
                raise exc.at("output_manifest") from None
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
        idempotency_key = d.get("idempotency_key", UNSET)
        if idempotency_key is not UNSET:
            _present += 1
            if idempotency_key is not None:
                if type(idempotency_key) is not str:
                    raise DecodeError.wrong_type(idempotency_key, "string").at("idempotency_key")
        # The attrs __init__ of these models only assigns each field, so assigning here directly
        # gives the same object for less (no argument parsing; additional_properties made once).
        _model = cls.__new__(cls)
        _model.id = id
        _model.deployment_id = deployment_id
        _model.version_id = version_id
        _model.mode = mode
        _model.status = status
        _model.input_ = input_
        _model.created_at = created_at
        _model.updated_at = updated_at
        _model.retain_on_failure = retain_on_failure
        _model.retention_seconds = retention_seconds
        _model.sandbox_id = sandbox_id
        _model.process_id = process_id
        _model.exit_code = exit_code
        _model.failure_reason = failure_reason
        _model.output_manifest = output_manifest
        _model.started_at = started_at
        _model.completed_at = completed_at
        _model.idempotency_key = idempotency_key
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
        "id",
        "deployment_id",
        "version_id",
        "mode",
        "status",
        "input",
        "created_at",
        "updated_at",
        "retain_on_failure",
        "retention_seconds",
        "sandbox_id",
        "process_id",
        "exit_code",
        "failure_reason",
        "output_manifest",
        "started_at",
        "completed_at",
        "idempotency_key",
    }
)

# Models this one refers to, imported after the class exists so that mutually referring modules
# load in any order (and from_dict does not run an import statement on every call).
from ..models.output_manifest import OutputManifest  # noqa: E402
from ..models.run_input import RunInput  # noqa: E402
