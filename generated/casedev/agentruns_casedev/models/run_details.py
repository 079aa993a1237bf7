from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import DecodeError
from ..models.run_status import RunStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.run_result import RunResult
    from ..models.run_step import RunStep
    from ..models.run_usage import RunUsage


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
        from ..models.run_result import RunResult  # noqa: PLC0415
        from ..models.run_step import RunStep  # noqa: PLC0415
        from ..models.run_usage import RunUsage  # noqa: PLC0415

        if not isinstance(src_dict, Mapping):
            raise DecodeError.wrong_type(src_dict, "object")
        d = dict(src_dict)
        _field = ""
        try:
            _field = "id"
            id = d.pop("id", UNSET)
            if id is not UNSET:
                if type(id) is not str:
                    raise DecodeError.wrong_type(id, "string")
            _field = "agentId"
            agent_id = d.pop("agentId", UNSET)
            if agent_id is not UNSET:
                if type(agent_id) is not str:
                    raise DecodeError.wrong_type(agent_id, "string")
            _field = "status"
            status = d.pop("status", UNSET)
            if status is not UNSET:
                if type(status) is not str:
                    raise DecodeError.wrong_type(status, "string")
                status = RunStatus(status)
            _field = "prompt"
            prompt = d.pop("prompt", UNSET)
            if prompt is not UNSET:
                if type(prompt) is not str:
                    raise DecodeError.wrong_type(prompt, "string")
            _field = "guidance"
            guidance = d.pop("guidance", UNSET)
            if guidance is not UNSET:
                if guidance is not None:
                    if type(guidance) is not str:
                        raise DecodeError.wrong_type(guidance, "string")
            _field = "model"
            model = d.pop("model", UNSET)
            if model is not UNSET:
                if model is not None:
                    if type(model) is not str:
                        raise DecodeError.wrong_type(model, "string")
            _field = "workflowId"
            workflow_id = d.pop("workflowId", UNSET)
            if workflow_id is not UNSET:
                if workflow_id is not None:
                    if type(workflow_id) is not str:
                        raise DecodeError.wrong_type(workflow_id, "string")
            _field = "modalSandboxId"
            modal_sandbox_id = d.pop("modalSandboxId", UNSET)
            if modal_sandbox_id is not UNSET:
                if modal_sandbox_id is not None:
                    if type(modal_sandbox_id) is not str:
                        raise DecodeError.wrong_type(modal_sandbox_id, "string")
            _field = "result"
            result = d.pop("result", UNSET)
            if result is not UNSET:
                result = RunResult.from_dict(result)
            _field = "usage"
            usage = d.pop("usage", UNSET)
            if usage is not UNSET:
                usage = RunUsage.from_dict(usage)
            _field = "steps"
            steps = d.pop("steps", UNSET)
            if steps is not UNSET:
                if type(steps) is not list:
                    raise DecodeError.wrong_type(steps, "array")
                _steps_items = []
                for _index0, _item0 in enumerate(steps):
                    try:
                        _item0 = RunStep.from_dict(_item0)
                    except DecodeError as exc:
                        raise exc.at(_index0) from None
                    except (TypeError, ValueError, AttributeError, OverflowError) as exc:
                        raise DecodeError.invalid(exc).at(_index0) from None
                    _steps_items.append(_item0)
                steps = _steps_items

            _field = "createdAt"
            created_at = d.pop("createdAt", UNSET)
            if created_at is not UNSET:
                if type(created_at) is not str:
                    raise DecodeError.wrong_type(created_at, "date-time string")
                created_at = datetime.datetime.fromisoformat(created_at)
            _field = "startedAt"
            started_at = d.pop("startedAt", UNSET)
            if started_at is not UNSET:
                if started_at is not None:
                    if type(started_at) is not str:
                        raise DecodeError.wrong_type(started_at, "date-time string")
                    started_at = datetime.datetime.fromisoformat(started_at)
            _field = "completedAt"
            completed_at = d.pop("completedAt", UNSET)
            if completed_at is not UNSET:
                if completed_at is not None:
                    if type(completed_at) is not str:
                        raise DecodeError.wrong_type(completed_at, "date-time string")
                    completed_at = datetime.datetime.fromisoformat(completed_at)
        except DecodeError as exc:
            raise exc.at(_field) from None
        except KeyError:
            raise DecodeError("required field is missing").at(_field) from None
        except (TypeError, ValueError, AttributeError, OverflowError) as exc:
            raise DecodeError.invalid(exc).at(_field) from None
        run_details = cls(
            id=id,
            agent_id=agent_id,
            status=status,
            prompt=prompt,
            guidance=guidance,
            model=model,
            workflow_id=workflow_id,
            modal_sandbox_id=modal_sandbox_id,
            result=result,
            usage=usage,
            steps=steps,
            created_at=created_at,
            started_at=started_at,
            completed_at=completed_at,
        )

        run_details.additional_properties = d
        return run_details

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
