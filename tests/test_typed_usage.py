"""The type-checked usage example does what it says, against the emulator."""

from __future__ import annotations

from emulator_cases import run_with
from typed_usage import (
    backside_cost_cents,
    casedev_is_done,
    casedev_statuses,
    middesk_step_names,
    nsrocks_started,
)

from agentruns.testing import Emulator, make_run


async def test_typed_usage_against_the_emulator(agentruns_emulator: Emulator) -> None:
    url, token = agentruns_emulator.url, agentruns_emulator.token
    kind, run_id = run_with("backside", "steps.0")
    body = make_run("backside", (kind, run_id))
    assert backside_cost_cents(url, token, kind, run_id) == body["cost_usd_cents"] + sum(
        s["cost_usd_cents"] or 0 for s in body["steps"] if s.get("cost_usd_cents") is not None
    )
    (middesk_id,) = run_with("middesk", "steps.0")
    assert middesk_step_names(url, token, middesk_id) == [
        s["name"] for s in make_run("middesk", (middesk_id,))["steps"]
    ]
    with_status = [f"run_{n}" for n in range(50) if make_run("casedev", (f"run_{n}",)).get("status")][:2]
    expected = make_run("casedev", (with_status[0],))["status"]
    casedev_key = agentruns_emulator.token_for("casedev")
    assert casedev_is_done(url, casedev_key, with_status[0]) is (expected in ("completed", "failed", "cancelled"))
    assert await casedev_statuses(url, casedev_key, with_status) == [
        make_run("casedev", (i,))["status"] for i in with_status
    ]
    assert nsrocks_started(url, token, "bad", "adrun_1") is None
    started = nsrocks_started(url, token, "adpl_1", "adrun_1")
    assert (started.isoformat().replace("+00:00", "Z") if started else None) == make_run(
        "nsrocks", ("adpl_1", "adrun_1")
    ).get("started_at")
