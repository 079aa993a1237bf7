"""Fetch runs by reference, in the normalized shape: one, one until it finishes, or many at once."""

from __future__ import annotations

import atexit
import collections
import contextlib
import os
import threading
import time
from collections.abc import AsyncGenerator, AsyncIterator, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Unpack

from agentruns_model import AgentRun

from . import _request_loop, registry
from ._client import AsyncProviderClient, SyncProviderClient
from ._options import AsyncClientOptions, ClientOptions, ConnectionOptions, SyncClientOptions
from .errors import (
    AgentRunsError,
    APITimeoutError,
    ConfigurationError,
    InvalidRequestError,
    UnexpectedError,
    WaitTimeoutError,
)
from .normalizers import normalize
from .refs import RunRef

DEFAULT_CONCURRENCY = 8
DEFAULT_WAIT_TIMEOUT = 600.0
DEFAULT_POLL_INTERVAL = 2.0  # case.dev suggests polling every 2-5 s
MAX_POLL_INTERVAL = 30.0
POLL_BACKOFF = 1.5

if TYPE_CHECKING:
    import asyncio

FetchResult = AgentRun | AgentRunsError


def _ref(ref: str | RunRef) -> RunRef:
    return ref if isinstance(ref, RunRef) else RunRef.parse(ref)


def _check_options(
    operation: str, client_options: Mapping[str, Any], allowed: type[Mapping[str, Any]], concurrency: object = 1
) -> None:
    """Refuse a misspelled client option (or a bad concurrency) before any work starts, not as
    one error per ref later. `allowed` is the TypedDict of the options the call takes: the one
    place they are listed, for type checkers and for this check alike."""
    known = allowed.__required_keys__ | allowed.__optional_keys__  # type: ignore[attr-defined]
    for name in client_options:
        if name not in known:
            import difflib  # only for a misspelled option: a cold start does not import it

            close = difflib.get_close_matches(name, known, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise InvalidRequestError(
                f"not a client option; {hint}(options: {', '.join(sorted(known))})",
                provider="agentruns",
                operation=operation,
                field=name,
            )
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise InvalidRequestError(
            f"must be an int >= 1, got {concurrency!r}", provider="agentruns", operation=operation, field="concurrency"
        )


def sync_client(ref: RunRef, **client_options: Unpack[SyncClientOptions]) -> SyncProviderClient:
    """A new sync client of the ref's provider (the caller closes it)."""
    client_class: type[SyncProviderClient] = registry.get(ref.provider).sync_client
    return client_class(**client_options)


def async_client(ref: RunRef, **client_options: Unpack[AsyncClientOptions]) -> AsyncProviderClient:
    """A new async client of the ref's provider (the caller closes it)."""
    client_class: type[AsyncProviderClient] = registry.get(ref.provider).async_client
    return client_class(**client_options)


# fetch()'s clients, as openai-python keeps a module client: one per provider and options (and
# the environment variables a client reads its key and server from), so that fetch() in a loop
# reuses its connections instead of opening (and for https, handshaking) one per call. At most
# DEFAULT_CLIENTS are kept, the least recently used closed first; all are closed at exit. A
# client made before os.fork() gives the child a pool of its own (see _client), so they are
# safe across fork as well.
DEFAULT_CLIENTS = 16
_DEFAULTS: collections.OrderedDict[tuple[Any, ...], SyncProviderClient] = collections.OrderedDict()
_DEFAULTS_LOCK = threading.Lock()


def _default_client(ref: RunRef, client_options: Mapping[str, Any]) -> SyncProviderClient | None:
    """The kept client for `ref`'s provider and these options, made on first use; None where
    the options hold something of the caller's (an http_client) or cannot be a key."""
    if "http_client" in client_options:
        return None  # the caller's own pool, which the caller closes
    info = registry.get(ref.provider)
    environment = tuple(os.environ.get(name) for name in (info.api_key_variable, info.base_url_variable))
    key = (ref.provider, environment, tuple(sorted(client_options.items(), key=lambda item: item[0])))
    try:
        hash(key)
    except TypeError:  # an option value that cannot be a key (a dict of headers): a client of its own
        return None
    with _DEFAULTS_LOCK:
        client = _DEFAULTS.get(key)
        if client is not None and not client.is_closed:
            _DEFAULTS.move_to_end(key)
            return client
        client = _DEFAULTS[key] = sync_client(ref, **client_options)
        while len(_DEFAULTS) > DEFAULT_CLIENTS:
            _, evicted = _DEFAULTS.popitem(last=False)
            evicted.close()
        return client


@atexit.register
def close_default_clients() -> None:
    """Close the clients fetch() keeps (done at exit; a test may call it to start afresh)."""
    with _DEFAULTS_LOCK:
        while _DEFAULTS:
            _DEFAULTS.popitem()[1].close()


def fetch(ref: str | RunRef, **client_options: Unpack[SyncClientOptions]) -> AgentRun:
    """The run `ref` (e.g. "casedev:run_123"), normalized. `client_options` go to the provider's
    client (api_key, base_url, timeout, max_retries, total_timeout, ...). Calls with the same
    provider and options share one kept client and its connections (see DEFAULT_CLIENTS)."""
    _check_options("fetch", client_options, SyncClientOptions)
    run_ref = _ref(ref)
    client = _default_client(run_ref, client_options)
    if client is not None:
        return _fetch_with(client, run_ref)
    with sync_client(run_ref, **client_options) as own:
        return _fetch_with(own, run_ref)


async def afetch(ref: str | RunRef, **client_options: Unpack[AsyncClientOptions]) -> AgentRun:
    """`fetch` for asyncio."""
    _check_options("afetch", client_options, AsyncClientOptions)
    run_ref = _ref(ref)
    async with async_client(run_ref, **client_options) as client:
        return await _afetch_with(client, run_ref)


# Every provider client's run operation is `get_run`, taking the ref's ids in the spec's order.
def _fetch_with(client: SyncProviderClient, ref: RunRef, **call_options: Any) -> AgentRun:
    try:
        view = client.info.view_arguments  # what the normalized view does not read is not fetched
        return normalize(client.get_run(*ref.ids, **view, **call_options), ref=str(ref))  # type: ignore[attr-defined]
    except AgentRunsError as error:
        error.ref = str(ref)
        raise


async def _afetch_with(client: AsyncProviderClient, ref: RunRef, **call_options: Any) -> AgentRun:
    try:
        view = client.info.view_arguments
        return normalize(await client.get_run(*ref.ids, **view, **call_options), ref=str(ref))  # type: ignore[attr-defined]
    except AgentRunsError as error:
        error.ref = str(ref)
        raise


class _Poll:
    """The wait schedule: intervals growing by POLL_BACKOFF up to a cap, within a deadline that
    also bounds each request (a poll in flight when the wait's time is up ends with it)."""

    def __init__(self, ref: RunRef, timeout: float, poll_interval: float) -> None:
        self.ref = ref
        self.timeout = timeout
        self.deadline = time.monotonic() + timeout
        self.interval = poll_interval
        self.last_status: str | None = None

    def timed_out(self) -> WaitTimeoutError:
        return WaitTimeoutError(
            f"{self.ref} still {self.last_status or 'not fetched'} after {self.timeout:g} s",
            provider=self.ref.provider,
            ref=str(self.ref),
            last_status=self.last_status,
        )

    def call_options(self, client: SyncProviderClient | AsyncProviderClient) -> dict[str, float]:
        """The total_timeout of the next poll: the client's, or what is left of the wait."""
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise self.timed_out()
        own = client._request_loop.options.total_timeout
        return {"total_timeout": remaining if own is None else min(own, remaining)}

    def is_over(self) -> bool:
        return self.deadline - time.monotonic() <= 0.001

    def next_delay(self, run: AgentRun) -> float:
        self.last_status = str(run.status)
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise self.timed_out()
        delay = min(self.interval, remaining)
        self.interval = min(self.interval * POLL_BACKOFF, MAX_POLL_INTERVAL)
        return delay


def watch(
    ref: str | RunRef,
    *,
    timeout: float = DEFAULT_WAIT_TIMEOUT,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    **client_options: Unpack[ConnectionOptions],
) -> Iterator[AgentRun]:
    """Each state of `ref` as it is polled, the terminal one last; WaitTimeoutError once `timeout`
    seconds pass first. Polls start `poll_interval` seconds apart and back off to 30 s; each poll's
    requests end with the watch's deadline, so a server that never answers cannot hold it past
    `timeout`. Stop early by leaving the loop (its client is closed then)."""
    _check_options("watch", client_options, ConnectionOptions)
    run_ref = _ref(ref)
    poll = _Poll(run_ref, timeout, poll_interval)
    with sync_client(run_ref, **client_options) as client:
        while True:
            try:
                run = _fetch_with(client, run_ref, **poll.call_options(client))
            except APITimeoutError:
                if poll.is_over():
                    raise poll.timed_out() from None
                raise
            yield run
            if run.is_terminal:
                return
            _request_loop.sleep(poll.next_delay(run))


async def awatch(
    ref: str | RunRef,
    *,
    timeout: float = DEFAULT_WAIT_TIMEOUT,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    **client_options: Unpack[ConnectionOptions],
) -> AsyncIterator[AgentRun]:
    """`watch` for asyncio: `async for run in agentruns.awatch(ref): ...`."""
    _check_options("awatch", client_options, ConnectionOptions)
    run_ref = _ref(ref)
    poll = _Poll(run_ref, timeout, poll_interval)
    async with async_client(run_ref, **client_options) as client:
        while True:
            try:
                run = await _afetch_with(client, run_ref, **poll.call_options(client))
            except APITimeoutError:
                if poll.is_over():
                    raise poll.timed_out() from None
                raise
            yield run
            if run.is_terminal:
                return
            await _request_loop.async_sleep(poll.next_delay(run))


def wait(
    ref: str | RunRef,
    *,
    timeout: float = DEFAULT_WAIT_TIMEOUT,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    **client_options: Unpack[ConnectionOptions],
) -> AgentRun:
    """Poll `ref` until its status is terminal and return that run; WaitTimeoutError after `timeout`
    seconds. Polls start `poll_interval` seconds apart and back off to 30 s; each poll's requests
    end with the wait's deadline (the last state `watch` yields)."""
    _check_options("wait", client_options, ConnectionOptions)
    (run,) = collections.deque(watch(ref, timeout=timeout, poll_interval=poll_interval, **client_options), maxlen=1)
    return run


async def await_(
    ref: str | RunRef,
    *,
    timeout: float = DEFAULT_WAIT_TIMEOUT,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    **client_options: Unpack[ConnectionOptions],
) -> AgentRun:
    """`wait` for asyncio (named with PEP 8's trailing underscore: `await` is a keyword)."""
    _check_options("await_", client_options, ConnectionOptions)
    async for state in awatch(ref, timeout=timeout, poll_interval=poll_interval, **client_options):
        run = state
    return run


def afetch_many(
    refs: Iterable[str | RunRef], *, concurrency: int = DEFAULT_CONCURRENCY, **client_options: Unpack[ClientOptions]
) -> AsyncGenerator[FetchResult, None]:
    """Fetch many runs, at most `concurrency` at a time over one connection pool per provider.

    Yields each result as it completes: an AgentRun, or the AgentRunsError that ended that ref
    (after the client's retries). Every ref is answered exactly once and carries it back as
    `.ref`; refs are read lazily, so an endless iterable streams. Options are checked here, at
    the call. Leaving early (break, an exception) cancels what is in flight and closes every
    connection once the iterator is closed: use `contextlib.aclosing` to have that happen at
    once, not when the iterator is collected."""
    _check_options("afetch_many", client_options, ClientOptions, concurrency)
    return _afetch_many(refs, concurrency, client_options)


async def _afetch_many(
    refs: Iterable[str | RunRef], concurrency: int, client_options: ClientOptions
) -> AsyncGenerator[FetchResult, None]:
    async with contextlib.aclosing(_afetch_batches(refs, concurrency, client_options)) as batches:
        async for batch in batches:
            for result in batch:
                yield result


async def _afetch_batches(
    refs: Iterable[str | RunRef],
    concurrency: int,
    client_options: ClientOptions,
    pause: _DecodeBudget | None = None,
) -> AsyncGenerator[list[FetchResult], None]:
    """The results in batches: each batch is every result finished when the last was taken (the
    runs one turn of the event loop completed), so fetch_many enters its loop (or wakes its
    caller's thread) once per batch, not once per run. `pause`: fetch_many's decode budget."""
    import asyncio  # asyncio loads only for bulk and async work

    clients: dict[str, AsyncProviderClient | ConfigurationError] = {}

    def client_for(ref: RunRef) -> AsyncProviderClient:
        provider = ref.provider
        if provider not in clients:
            try:
                clients[provider] = async_client(ref, **client_options)
            except ConfigurationError as error:
                clients[provider] = error
        client = clients[provider]
        if isinstance(client, ConfigurationError):
            # Each ref gets its own error instance, to carry its own .ref.
            raise ConfigurationError(client.message, provider=client.provider, field=client.field)
        return client

    async def one(ref: str | RunRef) -> FetchResult:
        text = str(ref)
        try:
            run_ref = _ref(ref)
            text = str(run_ref)
            return await _afetch_with(client_for(run_ref), run_ref)
        except AgentRunsError as error:
            error.ref = text
            return error
        except Exception as error:  # a bug must not lose the ref: report it against it
            wrapped = UnexpectedError(f"{type(error).__name__}: {error}", provider="agentruns", operation="fetch")
            wrapped.ref = text
            wrapped.__cause__ = error
            return wrapped

    # A fixed pool of workers pulls refs from one shared iterator and hands results over through
    # a queue: constant work per ref. `slots` bounds the refs in flight plus the results not yet
    # consumed, so a slow consumer holds the workers back and memory stays bounded.
    results: asyncio.Queue[FetchResult | None] = asyncio.Queue()
    slots = asyncio.Semaphore(2 * concurrency)
    source = iter(refs)

    async def worker() -> None:
        if pause is not None:  # this worker task's own context
            _request_loop.before_decode.set(pause.wait)
        try:
            while True:
                await slots.acquire()
                ref = next(source, None)
                if ref is None:
                    return
                results.put_nowait(await one(ref))
                if pause is not None:
                    pause.finished += 1
        finally:
            results.put_nowait(None)  # this worker is done (never blocks, even when cancelled)

    workers = [asyncio.ensure_future(worker()) for _ in range(concurrency)]
    running = len(workers)
    try:
        while running:
            batch = []
            result = await results.get()
            while True:
                if result is None:
                    running -= 1
                else:
                    batch.append(result)
                if results.empty():
                    break
                result = results.get_nowait()
            if batch:
                yield batch
                for _ in batch:  # taken: as many refs may start
                    slots.release()
        for task in workers:  # surfaces an exception raised while reading `refs`
            task.result()
    finally:
        for task in workers:
            task.cancel()
        # This cleanup also runs when the stream is left without aclose(): then it is closed
        # when collected, by a task that the end of asyncio.run() may cancel. Each step shrugs off
        # that cancellation, so no connection is left open (nor warned about) either way.
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*workers, return_exceptions=True)
        for client in clients.values():
            if isinstance(client, AsyncProviderClient):
                with contextlib.suppress(asyncio.CancelledError):
                    await client.aclose()


def fetch_many(
    refs: Iterable[str | RunRef], *, concurrency: int = DEFAULT_CONCURRENCY, **client_options: Unpack[ClientOptions]
) -> Iterator[FetchResult]:
    """`afetch_many` for synchronous code. The requests run on an event loop of its own in the
    caller's thread, which runs while the caller waits for the next run (a slow consumer holds
    back the fetching, and the runs finished meanwhile come without waiting). Called where an event
    loop is already running in this thread, the loop runs in a worker thread instead, results
    arriving through a small queue. Leaving early (break, an exception, Ctrl-C, `close()`)
    cancels what is in flight, closes every connection (and ends the thread) before control
    comes back."""
    _check_options("fetch_many", client_options, ClientOptions, concurrency)
    return _fetch_many(refs, concurrency, client_options)


def _fetch_many(refs: Iterable[str | RunRef], concurrency: int, client_options: ClientOptions) -> Iterator[FetchResult]:
    import asyncio

    # Decided at the first run asked for, where the loop would run. Driving a loop of its own in
    # this thread costs no hand-over between threads (a wake-up and the GIL passed back and forth
    # for each batch: ~40 µs of CPU a run); asyncio refuses that inside a running loop.
    if asyncio._get_running_loop() is not None:  # None outside a running loop: no exception to chain
        yield from _fetch_many_in_a_thread(refs, concurrency, client_options)
    else:
        yield from _fetch_many_here(refs, concurrency, client_options)


class _DecodeBudget:
    """The bytes fetch_many's own loop may decode before its caller takes them. That loop stands
    still while the caller works, so the answers in flight pile up and would all be decoded in
    the loop's next turn: 32 runs of 1 MB held at once (~250 MB). Past the budget a request waits,
    its body as bytes, until the caller has taken every run and the budget is refilled; runs of
    12 KB never come near it. A request waits only while a finished run is there for the caller
    to take (so the loop stops, the caller takes it and refills): a run of several requests (a
    paged list) never waits for a budget that no finished run will refill."""

    def __init__(self, limit: int) -> None:
        import asyncio

        self.limit = self.left = limit
        self.finished = 0  # runs finished since the last refill, not yet taken
        self._refilled = asyncio.Event()

    async def wait(self, size: int) -> None:
        while self.left <= 0 and self.finished:
            await self._refilled.wait()
        self.left -= size

    def refill(self) -> None:
        self.finished = 0
        if self.left < self.limit:
            import asyncio

            self.left = self.limit
            self._refilled.set()  # the waiting requests decode in the loop's next turn
            self._refilled = asyncio.Event()


DECODE_BUDGET_BYTES = 8 * 1024 * 1024


def _fetch_many_here(
    refs: Iterable[str | RunRef], concurrency: int, client_options: ClientOptions
) -> Iterator[FetchResult]:
    import asyncio

    # A loop of its own, run only while the caller waits for a run: one task takes the batches
    # and stops the loop after each, so the loop is entered once per batch (~3 µs; Runner.run,
    # with its task and signal handler, cost ~23 µs each time). The Runner makes and ends the
    # loop as asyncio.run does; with a loop_factory it leaves the thread's current loop alone.
    runner = asyncio.Runner(loop_factory=asyncio.new_event_loop)
    loop = runner.get_loop()
    ready: collections.deque[FetchResult] = collections.deque()
    budget = _DecodeBudget(DECODE_BUDGET_BYTES)

    async def take() -> None:
        async with contextlib.aclosing(_afetch_batches(refs, concurrency, client_options, budget)) as batches:
            async for batch in batches:
                ready.extend(batch)
                loop.stop()  # the caller takes these before the loop runs on

    closing = False

    def stop(_: object) -> None:
        # Once the caller is done, the task's end may already be scheduled (its callbacks are
        # called in a later turn of the loop): it must not stop the cleanup's own runs.
        if not closing:
            loop.stop()

    task = loop.create_task(take())
    task.add_done_callback(stop)
    try:
        while True:
            while not ready:
                if task.done():
                    task.result()  # an error reading `refs` surfaces here, in the caller's thread
                    return
                budget.refill()  # every run decoded so far is taken
                loop.run_forever()
            yield ready.popleft()
    finally:
        # Left early (break, an exception, Ctrl-C, close()) or done: as asyncio.run ends, every
        # task is cancelled and awaited (in flight requests end, every connection closes).
        closing = True  # the Runner's own runs stop the loop themselves
        runner.close()


def _fetch_many_in_a_thread(
    refs: Iterable[str | RunRef], concurrency: int, client_options: ClientOptions
) -> Iterator[FetchResult]:
    import asyncio  # the requests run on an event loop in a worker thread
    import queue  # only here: one fetch() does not import it

    # One batch waits here at most (a batch: the runs one turn of the loop finished, at most
    # twice `concurrency`), beside the one the caller is taking runs from.
    results: queue.Queue[tuple[bool, Any]] = queue.Queue(maxsize=1)
    stop = threading.Event()
    started: queue.Queue[tuple[asyncio.AbstractEventLoop, asyncio.Task[None]]] = queue.Queue()

    async def produce() -> None:
        started.put((asyncio.get_running_loop(), asyncio.current_task()))  # type: ignore[arg-type]
        outcome: tuple[bool, Any] = (True, None)
        try:
            async with contextlib.aclosing(_afetch_batches(refs, concurrency, client_options)) as stream:
                async for batch in stream:
                    if not await hand_over((False, batch)):
                        return
        except asyncio.CancelledError:
            return  # the consumer left: the stream is closed, nothing to report
        except BaseException as error:  # surfaced in the caller's thread, not lost here
            outcome = (True, error)
        await hand_over(outcome)

    async def hand_over(item: tuple[bool, Any]) -> bool:
        """Queue `item` without blocking the loop; False once the consumer has gone away."""
        while not stop.is_set():
            try:
                results.put_nowait(item)
                return True
            except queue.Full:
                await asyncio.sleep(0.002)
        return False

    worker = threading.Thread(target=asyncio.run, args=(produce(),), name="agentruns-fetch-many", daemon=True)
    worker.start()
    loop, task = started.get()
    try:
        while True:
            finished, item = results.get()
            if finished:
                if item is not None:
                    raise item
                return
            yield from item
    finally:
        stop.set()
        with contextlib.suppress(RuntimeError):  # the loop already finished
            loop.call_soon_threadsafe(task.cancel)
        worker.join()
