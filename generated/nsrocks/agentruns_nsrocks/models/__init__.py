"""Contains all the data models used in inputs/outputs"""

from .agent_run import AgentRun
from .error import Error
from .output_manifest import OutputManifest
from .run_input import RunInput
from .run_mode import RunMode
from .run_status import RunStatus

__all__ = (
    "AgentRun",
    "Error",
    "OutputManifest",
    "RunInput",
    "RunMode",
    "RunStatus",
)
