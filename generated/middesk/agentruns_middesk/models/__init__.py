"""Contains all the data models used in inputs/outputs"""

from .agent_run import AgentRun
from .artifact import Artifact
from .artifact_envelope import ArtifactEnvelope
from .artifact_source import ArtifactSource
from .error import Error
from .run_include import RunInclude
from .run_interrupt import RunInterrupt
from .run_interrupt_value import RunInterruptValue
from .run_requester import RunRequester
from .run_status import RunStatus
from .run_step import RunStep

__all__ = (
    "AgentRun",
    "Artifact",
    "ArtifactEnvelope",
    "ArtifactSource",
    "Error",
    "RunInclude",
    "RunInterrupt",
    "RunInterruptValue",
    "RunRequester",
    "RunStatus",
    "RunStep",
)
