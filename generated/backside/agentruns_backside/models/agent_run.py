from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import DecodeError
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.agent_run_step import AgentRunStep


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
        from ..models.agent_run_step import AgentRunStep  # noqa: PLC0415

        if not isinstance(src_dict, Mapping):
            raise DecodeError.wrong_type(src_dict, "object")
        d = dict(src_dict)
        _field = ""
        try:
            _field = "agent_kind"
            agent_kind = d.pop("agent_kind")
            if type(agent_kind) is not str:
                raise DecodeError.wrong_type(agent_kind, "string")
            _field = "consecutive_failures"
            consecutive_failures = d.pop("consecutive_failures")
            if type(consecutive_failures) is not int:
                raise DecodeError.wrong_type(consecutive_failures, "integer")
            _field = "cost_usd_cents"
            cost_usd_cents = d.pop("cost_usd_cents")
            if type(cost_usd_cents) is not int:
                raise DecodeError.wrong_type(cost_usd_cents, "integer")
            _field = "created_at"
            created_at = d.pop("created_at")
            if type(created_at) is not str:
                raise DecodeError.wrong_type(created_at, "date-time string")
            created_at = datetime.datetime.fromisoformat(created_at)
            _field = "id"
            id = d.pop("id")
            if type(id) is not str:
                raise DecodeError.wrong_type(id, "uuid string")
            id = UUID(id)
            _field = "input"
            input_ = d.pop("input")
            _field = "platform_fee_cents"
            platform_fee_cents = d.pop("platform_fee_cents")
            if type(platform_fee_cents) is not int:
                raise DecodeError.wrong_type(platform_fee_cents, "integer")
            _field = "run_at"
            run_at = d.pop("run_at")
            if type(run_at) is not str:
                raise DecodeError.wrong_type(run_at, "date-time string")
            run_at = datetime.datetime.fromisoformat(run_at)
            _field = "status"
            status = d.pop("status")
            if type(status) is not str:
                raise DecodeError.wrong_type(status, "string")
            _field = "tenant_id"
            tenant_id = d.pop("tenant_id")
            if type(tenant_id) is not str:
                raise DecodeError.wrong_type(tenant_id, "uuid string")
            tenant_id = UUID(tenant_id)
            _field = "updated_at"
            updated_at = d.pop("updated_at")
            if type(updated_at) is not str:
                raise DecodeError.wrong_type(updated_at, "date-time string")
            updated_at = datetime.datetime.fromisoformat(updated_at)
            _field = "steps"
            steps = d.pop("steps")
            if type(steps) is not list:
                raise DecodeError.wrong_type(steps, "array")
            _steps_items = []
            for _index0, _item0 in enumerate(steps):
                try:
                    _item0 = AgentRunStep.from_dict(_item0)
                except DecodeError as exc:
                    raise exc.at(_index0) from None
                except (TypeError, ValueError, AttributeError, OverflowError) as exc:
                    raise DecodeError.invalid(exc).at(_index0) from None
                _steps_items.append(_item0)
            steps = _steps_items

            _field = "budget_usd_cents"
            budget_usd_cents = d.pop("budget_usd_cents", UNSET)
            if budget_usd_cents is not UNSET:
                if budget_usd_cents is not None:
                    if type(budget_usd_cents) is not int:
                        raise DecodeError.wrong_type(budget_usd_cents, "integer")
            _field = "deadline_at"
            deadline_at = d.pop("deadline_at", UNSET)
            if deadline_at is not UNSET:
                if deadline_at is not None:
                    if type(deadline_at) is not str:
                        raise DecodeError.wrong_type(deadline_at, "date-time string")
                    deadline_at = datetime.datetime.fromisoformat(deadline_at)
            _field = "failure_category"
            failure_category = d.pop("failure_category", UNSET)
            if failure_category is not UNSET:
                if failure_category is not None:
                    if type(failure_category) is not str:
                        raise DecodeError.wrong_type(failure_category, "string")
            _field = "failure_detail"
            failure_detail = d.pop("failure_detail", UNSET)
            if failure_detail is not UNSET:
                if failure_detail is not None:
                    if type(failure_detail) is not str:
                        raise DecodeError.wrong_type(failure_detail, "string")
            _field = "output"
            output = d.pop("output", UNSET)
        except DecodeError as exc:
            raise exc.at(_field) from None
        except KeyError:
            raise DecodeError("required field is missing").at(_field) from None
        except (TypeError, ValueError, AttributeError, OverflowError) as exc:
            raise DecodeError.invalid(exc).at(_field) from None
        agent_run = cls(
            agent_kind=agent_kind,
            consecutive_failures=consecutive_failures,
            cost_usd_cents=cost_usd_cents,
            created_at=created_at,
            id=id,
            input_=input_,
            platform_fee_cents=platform_fee_cents,
            run_at=run_at,
            status=status,
            tenant_id=tenant_id,
            updated_at=updated_at,
            steps=steps,
            budget_usd_cents=budget_usd_cents,
            deadline_at=deadline_at,
            failure_category=failure_category,
            failure_detail=failure_detail,
            output=output,
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
