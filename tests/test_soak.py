"""A short fault soak (the full one is `make soak`): nothing lost, nothing duplicated, every
result equal to the fault-free run or a typed error, bounded memory."""

from __future__ import annotations

import sys

from spec_tools import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from soak import soak


def test_short_fault_soak() -> None:
    report = soak(800, fault_rate=0.10, seed=11, max_retries=4)
    print(report.render())
    assert report.attempts > 800  # faults cost extra attempts
    assert set(report.retries_by_cause) == {"rate_limit", "server_error", "slow", "drop", "truncate"}
    assert report.successes + sum(report.typed_failures.values()) == 800
    assert report.successes >= 790  # with 4 retries, five faults in a row on one ref are rare
    assert report.rss_growth_mb < 150
