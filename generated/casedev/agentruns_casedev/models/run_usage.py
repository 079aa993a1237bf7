from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import DecodeError
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.usage_entry import UsageEntry
    from ..models.usage_summary import UsageSummary


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
        from ..models.usage_entry import UsageEntry  # noqa: PLC0415
        from ..models.usage_summary import UsageSummary  # noqa: PLC0415

        if not isinstance(src_dict, Mapping):
            raise DecodeError.wrong_type(src_dict, "object")
        d = dict(src_dict)
        _field = ""
        try:
            _field = "model"
            model = d.pop("model", UNSET)
            if model is not UNSET:
                if type(model) is not str:
                    raise DecodeError.wrong_type(model, "string")
            _field = "inputTokens"
            input_tokens = d.pop("inputTokens", UNSET)
            if input_tokens is not UNSET:
                if type(input_tokens) is not int:
                    raise DecodeError.wrong_type(input_tokens, "integer")
            _field = "outputTokens"
            output_tokens = d.pop("outputTokens", UNSET)
            if output_tokens is not UNSET:
                if type(output_tokens) is not int:
                    raise DecodeError.wrong_type(output_tokens, "integer")
            _field = "toolCalls"
            tool_calls = d.pop("toolCalls", UNSET)
            if tool_calls is not UNSET:
                if type(tool_calls) is not int:
                    raise DecodeError.wrong_type(tool_calls, "integer")
            _field = "durationMs"
            duration_ms = d.pop("durationMs", UNSET)
            if duration_ms is not UNSET:
                if type(duration_ms) is not int:
                    raise DecodeError.wrong_type(duration_ms, "integer")
            _field = "summary"
            summary = d.pop("summary", UNSET)
            if summary is not UNSET:
                summary = UsageSummary.from_dict(summary)
            _field = "entries"
            entries = d.pop("entries", UNSET)
            if entries is not UNSET:
                if type(entries) is not list:
                    raise DecodeError.wrong_type(entries, "array")
                _entries_items = []
                for _index0, _item0 in enumerate(entries):
                    try:
                        _item0 = UsageEntry.from_dict(_item0)
                    except DecodeError as exc:
                        raise exc.at(_index0) from None
                    except (TypeError, ValueError, AttributeError, OverflowError) as exc:
                        raise DecodeError.invalid(exc).at(_index0) from None
                    _entries_items.append(_item0)
                entries = _entries_items

        except DecodeError as exc:
            raise exc.at(_field) from None
        except KeyError:
            raise DecodeError("required field is missing").at(_field) from None
        except (TypeError, ValueError, AttributeError, OverflowError) as exc:
            raise DecodeError.invalid(exc).at(_field) from None
        run_usage = cls(
            model=model,
            input_tokens=input_tokens,
            output_tokens=output_tokens,
            tool_calls=tool_calls,
            duration_ms=duration_ms,
            summary=summary,
            entries=entries,
        )

        run_usage.additional_properties = d
        return run_usage

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
