"""Defaults for every client, in one place. Each can be overridden per client and per call."""

from __future__ import annotations

from ._types import Timeout

# The generated clients default to no timeout at all; a hung server would hang the caller forever.
DEFAULT_TIMEOUT = Timeout(connect=10.0, read=60.0, write=60.0, pool=60.0)
DEFAULT_MAX_RETRIES = 2

# Exponential backoff with jitter: INITIAL * 2**(n-1) + uniform(0, JITTER), capped at MAX.
INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
RETRY_JITTER = 0.25
# A server's Retry-After is honoured up to this many seconds. A longer one is not waited out: the
# call ends with the RateLimitError at once (its retry_after says when to come back), as
# openai-python does, rather than stall every call sharing the client.
MAX_RETRY_AFTER = 60.0

# Statuses worth retrying besides every 5xx: request timeout and rate limiting.
RETRYABLE_STATUSES = frozenset({408, 429})

# A response body larger than this (after decompression) is cut off with ResponseTooLargeError.
DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024

# Read size when streaming a body off the socket.
READ_CHUNK_BYTES = 64 * 1024

# Bodies at least this large are decoded with the cyclic GC paused (see _http.decode). Low
# enough for the pages of a paginated list (Letta's steps, ~90 KB a page), which 256 KB missed.
GC_PAUSE_MIN_BYTES = 16 * 1024

# The connection pool of a client, on every road.
MAX_CONNECTIONS = 64  # open at once; a request past them waits up to the pool timeout
MAX_KEEPALIVE_CONNECTIONS = 32  # idle ones kept for reuse
KEEPALIVE_EXPIRY = 5.0  # seconds an idle connection is kept

# What a response head may hold, on every road: generous for what real servers send (150
# Set-Cookie headers, a 12 KB header value), bounded against a server that never ends its head.
MAX_RESPONSE_HEAD_BYTES = 256 * 1024
MAX_RESPONSE_HEADERS = 1000

# Headers that carry a provider's request id, in the order they are looked for.
REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-amzn-requestid", "cf-ray")

# Seconds for a whole call: all its requests, retries and waits, and every byte read (a server
# trickling one byte a second resets no per-read timeout, but passes this). Three attempts at the
# per-read limit plus their backoff fit well within it. None: no deadline.
DEFAULT_TOTAL_TIMEOUT: float | None = 300.0
