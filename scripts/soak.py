"""`make soak`: fetch many refs through fetch_many from a faulty emulator and check nothing is lost.

Faults (seeded, so a failure reproduces): 429 with Retry-After, 500/502/503, dropped connections,
truncated bodies and answers slower than the client's timeout. Pass criteria, asserted:
every ref comes back exactly once; each result equals the same run fetched without faults, or
is a typed error after the configured retries; no untyped exception escapes; RSS growth stays
bounded. Prints attempts, retries by cause, successes and typed failures."""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from collections import Counter
from dataclasses import dataclass, field

from msgspec.structs import replace

import agentruns
from agentruns import AgentRun, AgentRunsError
from agentruns.testing import Emulator
from agentruns.testing.data import sample_ids


def use_keys(emu: Emulator) -> None:
    """Every provider's key in its variable: the refs of all providers go through one call."""
    os.environ.update({name: value for name, value in emu.environ().items() if name.endswith("_API_KEY")})


def soak_ref(n: int) -> str:
    """The n-th ref of the soak: every provider in turn, each with its own sample ids."""
    providers = agentruns.registry.names()
    provider = providers[n % len(providers)]
    return f"{provider}:{'/'.join(sample_ids(provider, n))}"


@dataclass
class SoakReport:
    refs: int
    attempts: int = 0
    retries_by_cause: Counter[str] = field(default_factory=Counter)
    successes: int = 0
    typed_failures: Counter[str] = field(default_factory=Counter)
    rss_growth_mb: float = 0.0
    seconds: float = 0.0

    def render(self) -> str:
        causes = ", ".join(f"{cause} {count}" for cause, count in sorted(self.retries_by_cause.items()))
        failures = ", ".join(f"{kind} {count}" for kind, count in sorted(self.typed_failures.items())) or "none"
        return (
            f"refs {self.refs}: attempts {self.attempts}; faults met {sum(self.retries_by_cause.values())} ({causes}); "
            f"successes {self.successes}; typed failures {sum(self.typed_failures.values())} ({failures}); "
            f"RSS growth {self.rss_growth_mb:.1f} MB; {self.seconds:.1f} s"
        )


def fault_free(refs: list[str], seed: int, steps: int) -> dict[str, AgentRun | AgentRunsError]:
    """Each ref fetched from an emulator with the same seed and no faults: what a soak result must equal."""
    with Emulator(seed=seed, steps=steps) as emu:
        use_keys(emu)
        return {str(r.ref): r for r in agentruns.fetch_many(refs, concurrency=32, base_url=emu.url)}


def soak(
    count: int, *, fault_rate: float = 0.10, seed: int = 7, max_retries: int = 4, concurrency: int = 32
) -> SoakReport:
    steps = 4
    refs = [soak_ref(n) for n in range(count)]
    report = SoakReport(refs=count)
    seen: Counter[str] = Counter()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    expected = fault_free(refs, seed, steps)
    started = time.monotonic()
    # The request log must hold every attempt: the counts below are read from it.
    log_size = count * (max_retries + 1)
    with Emulator(seed=seed, steps=steps, fault_rate=fault_rate, slow_seconds=1.0, request_log_size=log_size) as emu:
        use_keys(emu)
        options = {"base_url": emu.url, "max_retries": max_retries, "timeout": 0.5}
        for result in agentruns.fetch_many(refs, concurrency=concurrency, **options):
            if not isinstance(result, (AgentRun, AgentRunsError)):
                raise AssertionError(f"untyped result {result!r}")
            assert result.ref is not None
            seen[result.ref] += 1
            if isinstance(result, AgentRun):
                # The same run as the fault-free one; only the response's request id differs.
                if replace(result, request_id=None) != replace(expected[result.ref], request_id=None):
                    raise AssertionError(f"{result.ref}: differs from the fault-free run")
                report.successes += 1
            else:
                report.typed_failures[type(result).__name__] += 1
        report.attempts = len(emu.requests)
        report.retries_by_cause = Counter(r.fault for r in emu.requests if r.fault)
        attempts_by_path = Counter(r.raw_path.split("?")[0] for r in emu.requests)
    report.seconds = time.monotonic() - started
    report.rss_growth_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - rss_before
    missing = set(refs) - set(seen)
    duplicated = [ref for ref, n in seen.items() if n > 1]
    assert not missing and not duplicated, f"missing {sorted(missing)[:5]}, duplicated {duplicated[:5]}"
    assert report.successes + sum(report.typed_failures.values()) == count
    # A typed failure comes only after every allowed attempt.
    assert all(n <= max_retries + 1 for n in attempts_by_path.values())
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--refs", type=int, default=10_000)
    parser.add_argument("--fault-rate", type=float, default=0.10)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    report = soak(args.refs, fault_rate=args.fault_rate, seed=args.seed)
    print(report.render())
    if report.rss_growth_mb > 300:
        print("RSS grew by more than 300 MB")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
