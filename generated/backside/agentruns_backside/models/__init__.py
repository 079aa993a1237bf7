"""Contains all the data models used in inputs/outputs"""

from .agent_run import AgentRun
from .agent_run_step import AgentRunStep
from .error import Error

__all__ = (
    "AgentRun",
    "AgentRunStep",
    "Error",
)
