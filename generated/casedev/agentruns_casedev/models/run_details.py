from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import DecodeError
from ..models.run_status import RunStatus
from ..types import UNSET, Unset, _datetime_fromisoformat, _datetime_rfc3339

T = TypeVar("T", bound="RunDetails")


@_attrs_define
class RunDetails:
    """
    Example:
        {'id': '<string>', 'agentId': '<string>', 'status': 'queued', 'prompt': '<string>', 'guidance': '<string>',
            'model': '<string>', 'workflowId': '<string>', 'modalSandboxId': '<string>', 'result': {'output': '<string>',
            'outputObjectIds': ['<string>'], 'finalResponse': {'summary': '<string>', 'createdObjectIds': ['<string>'],
            'issues': ['<string>']}, 'logs': {'opencode': '<string>', 'runner': '<string>'}}, 'usage': {'model': '<string>',
            'inputTokens': 123, 'outputTokens': 123, 'toolCalls': 123, 'durationMs': 123, 'summary': {'costMicros': 123,
            'totalInputTokens': 123, 'totalOutputTokens': 123, 'totalTokens': 123}, 'entries': [{'id': '<string>', 'kind':
            'llm', 'service': '<string>', 'endpoint': '<string>', 'method': '<string>', 'statusCode': 123, 'costMicros':
            123, 'promptTokens': 123, 'completionTokens': 123, 'totalTokens': 123, 'model': '<string>', 'timestamp':
            '2023-11-07T05:31:56Z', 'metadata': None}]}, 'steps': [{'id': '<string>', 'type': 'output', 'content':
            '<string>', 'toolName': '<string>', 'toolInput': None, 'toolOutput': None, 'durationMs': 123, 'timestamp':
            '2023-11-07T05:31:56Z'}], 'createdAt': '2023-11-07T05:31:56Z', 'startedAt': '2023-11-07T05:31:56Z',
            'completedAt': '2023-11-07T05:31:56Z'}

    Attributes:
        id (str | Unset):
        agent_id (str | Unset):
        status (RunStatus | Unset):
        prompt (str | Unset):
        guidance (None | str | Unset):
        model (None | str | Unset):
        workflow_id (None | str | Unset): Durable workflow run ID
        modal_sandbox_id (None | str | Unset): Modal sandbox ID (available once sandbox is created)
        result (RunResult | Unset): Final output from the agent
        usage (RunUsage | Unset): Token usage statistics
        steps (list[RunStep] | Unset):
        created_at (datetime.datetime | Unset):
        started_at (datetime.datetime | None | Unset):
        completed_at (datetime.datetime | None | Unset):
    """

    id: str | Unset = UNSET
    agent_id: str | Unset = UNSET
    status: RunStatus | Unset = UNSET
    prompt: str | Unset = UNSET
    guidance: None | str | Unset = UNSET
    model: None | str | Unset = UNSET
    workflow_id: None | str | Unset = UNSET
    modal_sandbox_id: None | str | Unset = UNSET
    result: RunResult | Unset = UNSET
    usage: RunUsage | Unset = UNSET
    steps: list[RunStep] | Unset = UNSET
    created_at: datetime.datetime | Unset = UNSET
    started_at: datetime.datetime | None | Unset = UNSET
    completed_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        agent_id = self.agent_id

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        prompt = self.prompt

        guidance: None | str | Unset
        if isinstance(self.guidance, Unset):
            guidance = UNSET
        else:
            guidance = self.guidance

        model: None | str | Unset
        if isinstance(self.model, Unset):
            model = UNSET
        else:
            model = self.model

        workflow_id: None | str | Unset
        if isinstance(self.workflow_id, Unset):
            workflow_id = UNSET
        else:
            workflow_id = self.workflow_id

        modal_sandbox_id: None | str | Unset
        if isinstance(self.modal_sandbox_id, Unset):
            modal_sandbox_id = UNSET
        else:
            modal_sandbox_id = self.modal_sandbox_id

        result: dict[str, Any] | Unset = UNSET
        if not isinstance(self.result, Unset):
            result = self.result.to_dict()

        usage: dict[str, Any] | Unset = UNSET
        if not isinstance(self.usage, Unset):
            usage = self.usage.to_dict()

        steps: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.steps, Unset):
            steps = []
            for steps_item_data in self.steps:
                steps_item = steps_item_data.to_dict()
                steps.append(steps_item)

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

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

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if agent_id is not UNSET:
            field_dict["agentId"] = agent_id
        if status is not UNSET:
            field_dict["status"] = status
        if prompt is not UNSET:
            field_dict["prompt"] = prompt
        if guidance is not UNSET:
            field_dict["guidance"] = guidance
        if model is not UNSET:
            field_dict["model"] = model
        if workflow_id is not UNSET:
            field_dict["workflowId"] = workflow_id
        if modal_sandbox_id is not UNSET:
            field_dict["modalSandboxId"] = modal_sandbox_id
        if result is not UNSET:
            field_dict["result"] = result
        if usage is not UNSET:
            field_dict["usage"] = usage
        if steps is not UNSET:
            field_dict["steps"] = steps
        if created_at is not UNSET:
            field_dict["createdAt"] = created_at
        if started_at is not UNSET:
            field_dict["startedAt"] = started_at
        if completed_at is not UNSET:
            field_dict["completedAt"] = completed_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Build RunDetails from decoded JSON, checking every value against the schema.

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
        id = d.get("id", UNSET)
        if id is not UNSET:
            _present += 1
            if type(id) is not str:
                raise DecodeError.wrong_type(id, "string").at("id")
        agent_id = d.get("agentId", UNSET)
        if agent_id is not UNSET:
            _present += 1
            if type(agent_id) is not str:
                raise DecodeError.wrong_type(agent_id, "string").at("agentId")
        status = d.get("status", UNSET)
        if status is not UNSET:
            _present += 1
            if type(status) is not str:
                raise DecodeError.wrong_type(status, "string").at("status")
            try:
                status = cast(RunStatus, RunStatus._value2member_map_.get(status)) or RunStatus(status)
            except ValueError as exc:
                raise DecodeError.invalid(exc).at("status") from None
        prompt = d.get("prompt", UNSET)
        if prompt is not UNSET:
            _present += 1
            if type(prompt) is not str:
                raise DecodeError.wrong_type(prompt, "string").at("prompt")
        guidance = d.get("guidance", UNSET)
        if guidance is not UNSET:
            _present += 1
            if guidance is not None:
                if type(guidance) is not str:
                    raise DecodeError.wrong_type(guidance, "string").at("guidance")
        model = d.get("model", UNSET)
        if model is not UNSET:
            _present += 1
            if model is not None:
                if type(model) is not str:
                    raise DecodeError.wrong_type(model, "string").at("model")
        workflow_id = d.get("workflowId", UNSET)
        if workflow_id is not UNSET:
            _present += 1
            if workflow_id is not None:
                if type(workflow_id) is not str:
                    raise DecodeError.wrong_type(workflow_id, "string").at("workflowId")
        modal_sandbox_id = d.get("modalSandboxId", UNSET)
        if modal_sandbox_id is not UNSET:
            _present += 1
            if modal_sandbox_id is not None:
                if type(modal_sandbox_id) is not str:
                    raise DecodeError.wrong_type(modal_sandbox_id, "string").at("modalSandboxId")
        result = d.get("result", UNSET)
        if result is not UNSET:
            _present += 1
            try:
                result = RunResult.from_dict(result)
            except DecodeError as exc:
                raise exc.at("result") from None
        usage = d.get("usage", UNSET)
        if usage is not UNSET:
            _present += 1
            try:
                usage = RunUsage.from_dict(usage)
            except DecodeError as exc:
                raise exc.at("usage") from None
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

        created_at = d.get("createdAt", UNSET)
        if created_at is not UNSET:
            _present += 1
            if type(created_at) is not str:
                raise DecodeError.wrong_type(created_at, "date-time string").at("createdAt")
            try:
                created_at = _datetime_fromisoformat(created_at)
            except ValueError:
                try:
                    created_at = _datetime_rfc3339(created_at)
                except ValueError as exc:
                    raise DecodeError.invalid(exc).at("createdAt") from None
        started_at = d.get("startedAt", UNSET)
        if started_at is not UNSET:
            _present += 1
            if started_at is not None:
                if type(started_at) is not str:
                    raise DecodeError.wrong_type(started_at, "date-time string").at("startedAt")
                try:
                    started_at = _datetime_fromisoformat(started_at)
                except ValueError:
                    try:
                        started_at = _datetime_rfc3339(started_at)
                    except ValueError as exc:
                        raise DecodeError.invalid(exc).at("startedAt") from None
        completed_at = d.get("completedAt", UNSET)
        if completed_at is not UNSET:
            _present += 1
            if completed_at is not None:
                if type(completed_at) is not str:
                    raise DecodeError.wrong_type(completed_at, "date-time string").at("completedAt")
                try:
                    completed_at = _datetime_fromisoformat(completed_at)
                except ValueError:
                    try:
                        completed_at = _datetime_rfc3339(completed_at)
                    except ValueError as exc:
                        raise DecodeError.invalid(exc).at("completedAt") from None
        # The attrs __init__ of these models only assigns each field, so assigning here directly
        # gives the same object for less (no argument parsing; additional_properties made once).
        _model = cls.__new__(cls)
        _model.id = id
        _model.agent_id = agent_id
        _model.status = status
        _model.prompt = prompt
        _model.guidance = guidance
        _model.model = model
        _model.workflow_id = workflow_id
        _model.modal_sandbox_id = modal_sandbox_id
        _model.result = result
        _model.usage = usage
        _model.steps = steps
        _model.created_at = created_at
        _model.started_at = started_at
        _model.completed_at = completed_at
        _model.additional_properties = {}

        if len(d) != _present:
            _model.additional_properties = {k: v for k, v in d.items() if k not in _RunDetails_KEYS}
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


_RunDetails_KEYS: frozenset[str] = frozenset(
    {
        "id",
        "agentId",
        "status",
        "prompt",
        "guidance",
        "model",
        "workflowId",
        "modalSandboxId",
        "result",
        "usage",
        "steps",
        "createdAt",
        "startedAt",
        "completedAt",
    }
)

# Models this one refers to, imported after the class exists so that mutually referring modules
# load in any order (and from_dict does not run an import statement on every call).
from ..models.run_result import RunResult  # noqa: E402
from ..models.run_step import RunStep  # noqa: E402
from ..models.run_usage import RunUsage  # noqa: E402
