from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import DecodeError
from ..types import UNSET, Unset

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
        # Fast path for the dicts JSON decoding produces; any other Mapping is accepted too.
        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise DecodeError.wrong_type(src_dict, "object")
        d = src_dict
        # Known keys present; unknown ones are looked for only when the count falls short.
        _present = 0
        output = d.get("output", UNSET)
        if output is not UNSET:
            _present += 1
            if type(output) is not str:
                raise DecodeError.wrong_type(output, "string").at("output")
        output_object_ids = d.get("outputObjectIds", UNSET)
        if output_object_ids is not UNSET:
            _present += 1
            if type(output_object_ids) is not list:
                raise DecodeError.wrong_type(output_object_ids, "array").at("outputObjectIds")
            _output_object_ids_items = []
            for _index0, _item0 in enumerate(output_object_ids):
                try:
                    if type(_item0) is not str:
                        raise DecodeError.wrong_type(_item0, "string")
                except DecodeError as exc:
                    raise exc.at(_index0).at("outputObjectIds") from None
                _output_object_ids_items.append(_item0)
            output_object_ids = _output_object_ids_items

        final_response = d.get("finalResponse", UNSET)
        if final_response is not UNSET:
            _present += 1
            try:
                final_response = FinalResponse.from_dict(final_response)
            except DecodeError as exc:
                raise exc.at("finalResponse") from None
        logs = d.get("logs", UNSET)
        if logs is not UNSET:
            _present += 1
            try:
                logs = RunLogs.from_dict(logs)
            except DecodeError as exc:
                raise exc.at("logs") from None
        # The attrs __init__ of these models only assigns each field, so assigning here directly
        # gives the same object for less (no argument parsing; additional_properties made once).
        _model = cls.__new__(cls)
        _model.output = output
        _model.output_object_ids = output_object_ids
        _model.final_response = final_response
        _model.logs = logs
        _model.additional_properties = {}

        if len(d) != _present:
            _model.additional_properties = {k: v for k, v in d.items() if k not in _RunResult_KEYS}
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


_RunResult_KEYS: frozenset[str] = frozenset(
    {
        "output",
        "outputObjectIds",
        "finalResponse",
        "logs",
    }
)

# Models this one refers to, imported after the class exists so that mutually referring modules
# load in any order (and from_dict does not run an import statement on every call).
from ..models.final_response import FinalResponse  # noqa: E402
from ..models.run_logs import RunLogs  # noqa: E402
