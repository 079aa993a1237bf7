from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import DecodeError
from ..types import UNSET, Unset, _datetime_fromisoformat, _datetime_rfc3339

T = TypeVar("T", bound="AgentRun")


@_attrs_define
class AgentRun:
    """GET /agents/{kind}/runs/{id} response — the run plus its journal entries in seq order. Steps are flattened into a
    list; there are no sub-resources.

        Example:
            {'agent_kind': '<string>', 'consecutive_failures': 123, 'cost_usd_cents': 123, 'created_at':
                '2023-11-07T05:31:56Z', 'id': '3c90c3cc-0d44-4b50-8888-8dd25736052a', 'input': '<unknown>',
                'platform_fee_cents': 123, 'run_at': '2023-11-07T05:31:56Z', 'status': '<string>', 'tenant_id':
                '3c90c3cc-0d44-4b50-8888-8dd25736052a', 'updated_at': '2023-11-07T05:31:56Z', 'steps': [{'input': '<unknown>',
                'kind': '<string>', 'name': '<string>', 'seq': 123, 'started_at': '2023-11-07T05:31:56Z', 'cache_read_tokens':
                123, 'cache_write_tokens': 123, 'completed_at': '2023-11-07T05:31:56Z', 'cost_usd_cents': 123, 'input_tokens':
                123, 'model': '<string>', 'output': '<unknown>', 'output_tokens': 123}], 'budget_usd_cents': 123, 'deadline_at':
                '2023-11-07T05:31:56Z', 'failure_category': '<string>', 'failure_detail': '<string>', 'output': '<unknown>'}

        Attributes:
            agent_kind (str):
            consecutive_failures (int):
            cost_usd_cents (int): Cost of the run in integer US cents.
            created_at (datetime.datetime):
            id (UUID):
            input_ (Any): Run input, free-form.
            platform_fee_cents (int): Platform fee in integer US cents.
            run_at (datetime.datetime):
            status (str): Lifecycle status. Documented values include queued (accepted, not yet claimed by a worker),
                running (a worker holds a 30 s lease) and waiting (a guardrail paused the run for approval); the set is open.
            tenant_id (UUID):
            updated_at (datetime.datetime):
            steps (list[AgentRunStep]): Journal entries in seq order.
            budget_usd_cents (int | None | Unset): Budget in integer US cents.
            deadline_at (datetime.datetime | None | Unset):
            failure_category (None | str | Unset): Open set; documented values include auth_failed.
            failure_detail (None | str | Unset):
            output (Any | Unset): Run output, free-form.
    """

    agent_kind: str
    consecutive_failures: int
    cost_usd_cents: int
    created_at: datetime.datetime
    id: UUID
    input_: Any
    platform_fee_cents: int
    run_at: datetime.datetime
    status: str
    tenant_id: UUID
    updated_at: datetime.datetime
    steps: list[AgentRunStep]
    budget_usd_cents: int | None | Unset = UNSET
    deadline_at: datetime.datetime | None | Unset = UNSET
    failure_category: None | str | Unset = UNSET
    failure_detail: None | str | Unset = UNSET
    output: Any | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        agent_kind = self.agent_kind

        consecutive_failures = self.consecutive_failures

        cost_usd_cents = self.cost_usd_cents

        created_at = self.created_at.isoformat()

        id = str(self.id)

        input_ = self.input_

        platform_fee_cents = self.platform_fee_cents

        run_at = self.run_at.isoformat()

        status = self.status

        tenant_id = str(self.tenant_id)

        updated_at = self.updated_at.isoformat()

        steps = []
        for steps_item_data in self.steps:
            steps_item = steps_item_data.to_dict()
            steps.append(steps_item)

        budget_usd_cents: int | None | Unset
        if isinstance(self.budget_usd_cents, Unset):
            budget_usd_cents = UNSET
        else:
            budget_usd_cents = self.budget_usd_cents

        deadline_at: None | str | Unset
        if isinstance(self.deadline_at, Unset):
            deadline_at = UNSET
        elif isinstance(self.deadline_at, datetime.datetime):
            deadline_at = self.deadline_at.isoformat()
        else:
            deadline_at = self.deadline_at

        failure_category: None | str | Unset
        if isinstance(self.failure_category, Unset):
            failure_category = UNSET
        else:
            failure_category = self.failure_category

        failure_detail: None | str | Unset
        if isinstance(self.failure_detail, Unset):
            failure_detail = UNSET
        else:
            failure_detail = self.failure_detail

        output = self.output

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "agent_kind": agent_kind,
                "consecutive_failures": consecutive_failures,
                "cost_usd_cents": cost_usd_cents,
                "created_at": created_at,
                "id": id,
                "input": input_,
                "platform_fee_cents": platform_fee_cents,
                "run_at": run_at,
                "status": status,
                "tenant_id": tenant_id,
                "updated_at": updated_at,
                "steps": steps,
            }
        )
        if budget_usd_cents is not UNSET:
            field_dict["budget_usd_cents"] = budget_usd_cents
        if deadline_at is not UNSET:
            field_dict["deadline_at"] = deadline_at
        if failure_category is not UNSET:
            field_dict["failure_category"] = failure_category
        if failure_detail is not UNSET:
            field_dict["failure_detail"] = failure_detail
        if output is not UNSET:
            field_dict["output"] = output

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
            agent_kind = d["agent_kind"]
            consecutive_failures = d["consecutive_failures"]
            cost_usd_cents = d["cost_usd_cents"]
            created_at = d["created_at"]
            id = d["id"]
            input_ = d["input"]
            platform_fee_cents = d["platform_fee_cents"]
            run_at = d["run_at"]
            status = d["status"]
            tenant_id = d["tenant_id"]
            updated_at = d["updated_at"]
            steps = d["steps"]
        except KeyError as exc:
            raise DecodeError("required field is missing").at(exc.args[0]) from None
        # Known keys present; unknown ones are looked for only when the count falls short.
        _present = 12
        if type(agent_kind) is not str:
            raise DecodeError.wrong_type(agent_kind, "string").at("agent_kind")
        if type(consecutive_failures) is not int:
            raise DecodeError.wrong_type(consecutive_failures, "integer").at("consecutive_failures")
        if type(cost_usd_cents) is not int:
            raise DecodeError.wrong_type(cost_usd_cents, "integer").at("cost_usd_cents")
        if type(created_at) is not str:
            raise DecodeError.wrong_type(created_at, "date-time string").at("created_at")
        try:
            created_at = _datetime_fromisoformat(created_at)
        except ValueError:
            try:
                created_at = _datetime_rfc3339(created_at)
            except ValueError as exc:
                raise DecodeError.invalid(exc).at("created_at") from None
        if type(id) is not str:
            raise DecodeError.wrong_type(id, "uuid string").at("id")
        try:
            id = UUID(id)
        except ValueError as exc:
            raise DecodeError.invalid(exc).at("id") from None
        if type(platform_fee_cents) is not int:
            raise DecodeError.wrong_type(platform_fee_cents, "integer").at("platform_fee_cents")
        if type(run_at) is not str:
            raise DecodeError.wrong_type(run_at, "date-time string").at("run_at")
        try:
            run_at = _datetime_fromisoformat(run_at)
        except ValueError:
            try:
                run_at = _datetime_rfc3339(run_at)
            except ValueError as exc:
                raise DecodeError.invalid(exc).at("run_at") from None
        if type(status) is not str:
            raise DecodeError.wrong_type(status, "string").at("status")
        if type(tenant_id) is not str:
            raise DecodeError.wrong_type(tenant_id, "uuid string").at("tenant_id")
        try:
            tenant_id = UUID(tenant_id)
        except ValueError as exc:
            raise DecodeError.invalid(exc).at("tenant_id") from None
        if type(updated_at) is not str:
            raise DecodeError.wrong_type(updated_at, "date-time string").at("updated_at")
        try:
            updated_at = _datetime_fromisoformat(updated_at)
        except ValueError:
            try:
                updated_at = _datetime_rfc3339(updated_at)
            except ValueError as exc:
                raise DecodeError.invalid(exc).at("updated_at") from None
        if type(steps) is not list:
            raise DecodeError.wrong_type(steps, "array").at("steps")
        try:
            steps = [AgentRunStep.from_dict(_item0) for _item0 in steps]
        except DecodeError:
            for _index0, _item0 in enumerate(steps):
                try:
                    AgentRunStep.from_dict(_item0)
                except DecodeError as exc:
                    raise exc.at(_index0).at("steps") from None
            raise

        budget_usd_cents = d.get("budget_usd_cents", UNSET)
        if budget_usd_cents is not UNSET:
            _present += 1
            if budget_usd_cents is not None:
                if type(budget_usd_cents) is not int:
                    raise DecodeError.wrong_type(budget_usd_cents, "integer").at("budget_usd_cents")
        deadline_at = d.get("deadline_at", UNSET)
        if deadline_at is not UNSET:
            _present += 1
            if deadline_at is not None:
                if type(deadline_at) is not str:
                    raise DecodeError.wrong_type(deadline_at, "date-time string").at("deadline_at")
                try:
                    deadline_at = _datetime_fromisoformat(deadline_at)
                except ValueError:
                    try:
                        deadline_at = _datetime_rfc3339(deadline_at)
                    except ValueError as exc:
                        raise DecodeError.invalid(exc).at("deadline_at") from None
        failure_category = d.get("failure_category", UNSET)
        if failure_category is not UNSET:
            _present += 1
            if failure_category is not None:
                if type(failure_category) is not str:
                    raise DecodeError.wrong_type(failure_category, "string").at("failure_category")
        failure_detail = d.get("failure_detail", UNSET)
        if failure_detail is not UNSET:
            _present += 1
            if failure_detail is not None:
                if type(failure_detail) is not str:
                    raise DecodeError.wrong_type(failure_detail, "string").at("failure_detail")
        output = d.get("output", UNSET)
        if output is not UNSET:
            _present += 1
        # The attrs __init__ of these models only assigns each field, so assigning here directly
        # gives the same object for less (no argument parsing; additional_properties made once).
        _model = cls.__new__(cls)
        _model.agent_kind = agent_kind
        _model.consecutive_failures = consecutive_failures
        _model.cost_usd_cents = cost_usd_cents
        _model.created_at = created_at
        _model.id = id
        _model.input_ = input_
        _model.platform_fee_cents = platform_fee_cents
        _model.run_at = run_at
        _model.status = status
        _model.tenant_id = tenant_id
        _model.updated_at = updated_at
        _model.steps = steps
        _model.budget_usd_cents = budget_usd_cents
        _model.deadline_at = deadline_at
        _model.failure_category = failure_category
        _model.failure_detail = failure_detail
        _model.output = output
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
        "agent_kind",
        "consecutive_failures",
        "cost_usd_cents",
        "created_at",
        "id",
        "input",
        "platform_fee_cents",
        "run_at",
        "status",
        "tenant_id",
        "updated_at",
        "steps",
        "budget_usd_cents",
        "deadline_at",
        "failure_category",
        "failure_detail",
        "output",
    }
)

# Models this one refers to, imported after the class exists so that mutually referring modules
# load in any order (and from_dict does not run an import statement on every call).
from ..models.agent_run_step import AgentRunStep  # noqa: E402
