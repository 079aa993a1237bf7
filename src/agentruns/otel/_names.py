"""The attribute names a trace of a run carries, in one place.

The GenAI semantic conventions are followed as of schema 1.41.0 (the last release of
open-telemetry/semantic-conventions that held them; every `gen_ai.*` name is still marked
Development there). Their names are written here rather than imported from the
`opentelemetry-semantic-conventions` package, whose `_incubating` module path is not stable.
Our own attributes are under `agentruns.*`; OpenInference's names, for receivers that read those,
come from its own constants package."""

from __future__ import annotations

SCHEMA_URL = "https://opentelemetry.io/schemas/1.41.0"

# GenAI (Development in 1.41.0) and the stable error.type.
OPERATION_NAME = "gen_ai.operation.name"
PROVIDER_NAME = "gen_ai.provider.name"
AGENT_ID = "gen_ai.agent.id"
AGENT_NAME = "gen_ai.agent.name"
CONVERSATION_ID = "gen_ai.conversation.id"
REQUEST_MODEL = "gen_ai.request.model"
USAGE_INPUT_TOKENS = "gen_ai.usage.input_tokens"
USAGE_OUTPUT_TOKENS = "gen_ai.usage.output_tokens"
USAGE_CACHE_READ_INPUT_TOKENS = "gen_ai.usage.cache_read.input_tokens"
USAGE_CACHE_CREATION_INPUT_TOKENS = "gen_ai.usage.cache_creation.input_tokens"
TOOL_NAME = "gen_ai.tool.name"
TOOL_CALL_ID = "gen_ai.tool.call.id"
TOOL_CALL_ARGUMENTS = "gen_ai.tool.call.arguments"  # Opt-In: content
TOOL_CALL_RESULT = "gen_ai.tool.call.result"  # Opt-In: content
ERROR_TYPE = "error.type"

# The operations of gen_ai.operation.name used here.
INVOKE_AGENT = "invoke_agent"
CHAT = "chat"
EXECUTE_TOOL = "execute_tool"

# Ours: what the conventions have no name for.
REF = "agentruns.ref"
RUN_ID = "agentruns.run.id"
RUN_STATUS = "agentruns.run.status"
RUN_RAW_STATUS = "agentruns.run.raw_status"
REQUEST_ID = "agentruns.request_id"
RUN_TIMING = "agentruns.run.timing"  # "exported": the run says no time, placed when it was exported
COST_USD = "agentruns.cost.usd"  # the conventions have no cost attribute
STEP_SEQ = "agentruns.step.seq"
STEP_KIND = "agentruns.step.kind"
STEP_RAW_KIND = "agentruns.step.raw_kind"
STEP_STATUS = "agentruns.step.status"
STEP_TIMING = "agentruns.step.timing"  # "reported", "end_inferred" or "inferred"
STEP_INPUT = "agentruns.step.input"  # Opt-In: content
STEP_OUTPUT = "agentruns.step.output"  # Opt-In: content
CONTENT_TRUNCATED = "agentruns.content.truncated"
