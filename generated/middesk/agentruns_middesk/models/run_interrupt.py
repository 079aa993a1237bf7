from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import DecodeError
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.run_interrupt_value import RunInterruptValue


T = TypeVar("T", bound="RunInterrupt")


@_attrs_define
class RunInterrupt:
    """A pending request for input; resume the run with its id.

    Attributes:
        id (str):
        value (RunInterruptValue):
        agent (str | Unset):
    """

    id: str
    value: RunInterruptValue
    agent: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        value = self.value.to_dict()

        agent = self.agent

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "value": value,
            }
        )
        if agent is not UNSET:
            field_dict["agent"] = agent

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Build RunInterrupt from decoded JSON, checking every value against the schema.

        Raises:
            DecodeError: a value has the wrong type or format, or a required field is missing;
                `DecodeError.path` names the field (for example ``steps[3].started_at``).
        """
        from ..models.run_interrupt_value import RunInterruptValue  # noqa: PLC0415

        if not isinstance(src_dict, Mapping):
            raise DecodeError.wrong_type(src_dict, "object")
        d = dict(src_dict)
        _field = ""
        try:
            _field = "id"
            id = d.pop("id")
            if type(id) is not str:
                raise DecodeError.wrong_type(id, "string")
            _field = "value"
            value = d.pop("value")
            value = RunInterruptValue.from_dict(value)
            _field = "agent"
            agent = d.pop("agent", UNSET)
            if agent is not UNSET:
                if type(agent) is not str:
                    raise DecodeError.wrong_type(agent, "string")
        except DecodeError as exc:
            raise exc.at(_field) from None
        except KeyError:
            raise DecodeError("required field is missing").at(_field) from None
        except (TypeError, ValueError, AttributeError, OverflowError) as exc:
            raise DecodeError.invalid(exc).at(_field) from None
        run_interrupt = cls(
            id=id,
            value=value,
            agent=agent,
        )

        run_interrupt.additional_properties = d
        return run_interrupt

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
