from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import DecodeError
from ..types import UNSET, Unset

T = TypeVar("T", bound="RunUsage")


@_attrs_define
class RunUsage:
    """Token usage statistics

    Attributes:
        model (str | Unset):
        input_tokens (int | Unset):
        output_tokens (int | Unset):
        tool_calls (int | Unset):
        duration_ms (int | Unset):
        summary (UsageSummary | Unset):
        entries (list[UsageEntry] | Unset):
    """

    model: str | Unset = UNSET
    input_tokens: int | Unset = UNSET
    output_tokens: int | Unset = UNSET
    tool_calls: int | Unset = UNSET
    duration_ms: int | Unset = UNSET
    summary: UsageSummary | Unset = UNSET
    entries: list[UsageEntry] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        model = self.model

        input_tokens = self.input_tokens

        output_tokens = self.output_tokens

        tool_calls = self.tool_calls

        duration_ms = self.duration_ms

        summary: dict[str, Any] | Unset = UNSET
        if not isinstance(self.summary, Unset):
            summary = self.summary.to_dict()

        entries: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.entries, Unset):
            entries = []
            for entries_item_data in self.entries:
                entries_item = entries_item_data.to_dict()
                entries.append(entries_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if model is not UNSET:
            field_dict["model"] = model
        if input_tokens is not UNSET:
            field_dict["inputTokens"] = input_tokens
        if output_tokens is not UNSET:
            field_dict["outputTokens"] = output_tokens
        if tool_calls is not UNSET:
            field_dict["toolCalls"] = tool_calls
        if duration_ms is not UNSET:
            field_dict["durationMs"] = duration_ms
        if summary is not UNSET:
            field_dict["summary"] = summary
        if entries is not UNSET:
            field_dict["entries"] = entries

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Build RunUsage from decoded JSON, checking every value against the schema.

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
        model = d.get("model", UNSET)
        if model is not UNSET:
            _present += 1
            if type(model) is not str:
                raise DecodeError.wrong_type(model, "string").at("model")
        input_tokens = d.get("inputTokens", UNSET)
        if input_tokens is not UNSET:
            _present += 1
            if type(input_tokens) is not int:
                raise DecodeError.wrong_type(input_tokens, "integer").at("inputTokens")
        output_tokens = d.get("outputTokens", UNSET)
        if output_tokens is not UNSET:
            _present += 1
            if type(output_tokens) is not int:
                raise DecodeError.wrong_type(output_tokens, "integer").at("outputTokens")
        tool_calls = d.get("toolCalls", UNSET)
        if tool_calls is not UNSET:
            _present += 1
            if type(tool_calls) is not int:
                raise DecodeError.wrong_type(tool_calls, "integer").at("toolCalls")
        duration_ms = d.get("durationMs", UNSET)
        if duration_ms is not UNSET:
            _present += 1
            if type(duration_ms) is not int:
                raise DecodeError.wrong_type(duration_ms, "integer").at("durationMs")
        summary = d.get("summary", UNSET)
        if summary is not UNSET:
            _present += 1
            try:
                summary = UsageSummary.from_dict(summary)
            except DecodeError as exc:
                raise exc.at("summary") from None
        entries = d.get("entries", UNSET)
        if entries is not UNSET:
            _present += 1
            if type(entries) is not list:
                raise DecodeError.wrong_type(entries, "array").at("entries")
            try:
                entries = [UsageEntry.from_dict(_item0) for _item0 in entries]
            except DecodeError:
                for _index0, _item0 in enumerate(entries):
                    try:
                        UsageEntry.from_dict(_item0)
                    except DecodeError as exc:
                        raise exc.at(_index0).at("entries") from None
                raise

        # The attrs __init__ of these models only assigns each field, so assigning here directly
        # gives the same object for less (no argument parsing; additional_properties made once).
        _model = cls.__new__(cls)
        _model.model = model
        _model.input_tokens = input_tokens
        _model.output_tokens = output_tokens
        _model.tool_calls = tool_calls
        _model.duration_ms = duration_ms
        _model.summary = summary
        _model.entries = entries
        _model.additional_properties = {}

        if len(d) != _present:
            _model.additional_properties = {k: v for k, v in d.items() if k not in _RunUsage_KEYS}
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


_RunUsage_KEYS: frozenset[str] = frozenset(
    {
        "model",
        "inputTokens",
        "outputTokens",
        "toolCalls",
        "durationMs",
        "summary",
        "entries",
    }
)

# Models this one refers to, imported after the class exists so that mutually referring modules
# load in any order (and from_dict does not run an import statement on every call).
from ..models.usage_entry import UsageEntry  # noqa: E402
from ..models.usage_summary import UsageSummary  # noqa: E402
