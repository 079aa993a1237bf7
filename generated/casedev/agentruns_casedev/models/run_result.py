from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import DecodeError
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.final_response import FinalResponse
    from ..models.run_logs import RunLogs


T = TypeVar("T", bound="RunResult")


@_attrs_define
class RunResult:
    """Final output from the agent

    Attributes:
        output (str | Unset):
        output_object_ids (list[str] | Unset):
        final_response (FinalResponse | Unset):
        logs (RunLogs | Unset):
    """

    output: str | Unset = UNSET
    output_object_ids: list[str] | Unset = UNSET
    final_response: FinalResponse | Unset = UNSET
    logs: RunLogs | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        output = self.output

        output_object_ids: list[str] | Unset = UNSET
        if not isinstance(self.output_object_ids, Unset):
            output_object_ids = self.output_object_ids

        final_response: dict[str, Any] | Unset = UNSET
        if not isinstance(self.final_response, Unset):
            final_response = self.final_response.to_dict()

        logs: dict[str, Any] | Unset = UNSET
        if not isinstance(self.logs, Unset):
            logs = self.logs.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if output is not UNSET:
            field_dict["output"] = output
        if output_object_ids is not UNSET:
            field_dict["outputObjectIds"] = output_object_ids
        if final_response is not UNSET:
            field_dict["finalResponse"] = final_response
        if logs is not UNSET:
            field_dict["logs"] = logs

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Build RunResult from decoded JSON, checking every value against the schema.

        Raises:
            DecodeError: a value has the wrong type or format, or a required field is missing;
                `DecodeError.path` names the field (for example ``steps[3].started_at``).
        """
        from ..models.final_response import FinalResponse  # noqa: PLC0415
        from ..models.run_logs import RunLogs  # noqa: PLC0415

        if not isinstance(src_dict, Mapping):
            raise DecodeError.wrong_type(src_dict, "object")
        d = dict(src_dict)
        _field = ""
        try:
            _field = "output"
            output = d.pop("output", UNSET)
            if output is not UNSET:
                if type(output) is not str:
                    raise DecodeError.wrong_type(output, "string")
            _field = "outputObjectIds"
            output_object_ids = d.pop("outputObjectIds", UNSET)
            if output_object_ids is not UNSET:
                if type(output_object_ids) is not list:
                    raise DecodeError.wrong_type(output_object_ids, "array")
                _output_object_ids_items = []
                for _index0, _item0 in enumerate(output_object_ids):
                    try:
                        if type(_item0) is not str:
                            raise DecodeError.wrong_type(_item0, "string")
                    except DecodeError as exc:
                        raise exc.at(_index0) from None
                    except (TypeError, ValueError, AttributeError, OverflowError) as exc:
                        raise DecodeError.invalid(exc).at(_index0) from None
                    _output_object_ids_items.append(_item0)
                output_object_ids = _output_object_ids_items

            _field = "finalResponse"
            final_response = d.pop("finalResponse", UNSET)
            if final_response is not UNSET:
                final_response = FinalResponse.from_dict(final_response)
            _field = "logs"
            logs = d.pop("logs", UNSET)
            if logs is not UNSET:
                logs = RunLogs.from_dict(logs)
        except DecodeError as exc:
            raise exc.at(_field) from None
        except KeyError:
            raise DecodeError("required field is missing").at(_field) from None
        except (TypeError, ValueError, AttributeError, OverflowError) as exc:
            raise DecodeError.invalid(exc).at(_field) from None
        run_result = cls(
            output=output,
            output_object_ids=output_object_ids,
            final_response=final_response,
            logs=logs,
        )

        run_result.additional_properties = d
        return run_result

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
