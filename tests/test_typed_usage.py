"""The type-checked usage example does what it says, against the emulator."""

from __future__ import annotations

from emulator_cases import ids_for
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
    kind, run_id = ids_for("backside", 5)
    body = make_run("backside", (kind, run_id))
    assert backside_cost_cents(url, token, kind, run_id) == body["cost_usd_cents"] + sum(
        s["cost_usd_cents"] or 0 for s in body["steps"] if s.get("cost_usd_cents") is not None
    )
    (middesk_id,) = ids_for("middesk", 5)
    assert middesk_step_names(url, token, middesk_id) == [
        s["name"] for s in make_run("middesk", (middesk_id,))["steps"]
    ]
    expected = make_run("casedev", ("run_7",))["status"]
    assert casedev_is_done(url, token, "run_7") is (expected in ("completed", "failed", "cancelled"))
    assert await casedev_statuses(url, token, ["run_1", "run_2"]) == [
        make_run("casedev", (f"run_{n}",))["status"] for n in (1, 2)
    ]
    assert nsrocks_started(url, token, "bad", "adrun_1") is None
    started = nsrocks_started(url, token, "adpl_1", "adrun_1")
    assert (started.isoformat().replace("+00:00", "Z") if started else None) == make_run(
        "nsrocks", ("adpl_1", "adrun_1")
    )["started_at"]
