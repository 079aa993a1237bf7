"""Contains all the data models used in inputs/outputs"""

from .error import Error
from .final_response import FinalResponse
from .run_details import RunDetails
from .run_logs import RunLogs
from .run_result import RunResult
from .run_status import RunStatus
from .run_step import RunStep
from .run_usage import RunUsage
from .step_type import StepType
from .usage_entry import UsageEntry
from .usage_entry_kind import UsageEntryKind
from .usage_summary import UsageSummary

__all__ = (
    "Error",
    "FinalResponse",
    "RunDetails",
    "RunLogs",
    "RunResult",
    "RunStatus",
    "RunStep",
    "RunUsage",
    "StepType",
    "UsageEntry",
    "UsageEntryKind",
    "UsageSummary",
)
