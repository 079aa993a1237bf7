"""Run references parse, print back, and refuse malformed input with the expected form."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from agentruns import InvalidRefError, InvalidRequestError, RunRef

UUID = "3c90c3cc-0d44-4b50-8888-8dd25736052a"


@pytest.mark.parametrize(
    ("ref", "provider", "ids"),
    [
        (f"backside:contact_deduper/{UUID}", "backside", ("contact_deduper", UUID)),
        (f"middesk:{UUID}", "middesk", (UUID,)),
        ("casedev:run_1/with/slashes", "casedev", ("run_1/with/slashes",)),
        ("nsrocks:adpl_1/adrun_2", "nsrocks", ("adpl_1", "adrun_2")),
    ],
)
def test_valid_refs(ref: str, provider: str, ids: tuple[str, ...]) -> None:
    parsed = RunRef.parse(ref)
    assert (parsed.provider, parsed.ids) == (provider, ids)
    assert str(parsed) == ref


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("run_1", "no provider prefix"),
        ("github:1", "unknown provider 'github'"),
        (f"backside:{UUID}", "backside:<kind>/<id:uuid>"),
        ("backside:kind/not-a-uuid", "is not a UUID"),
        ("middesk:12", "is not a UUID"),
        ("casedev:", "empty and dot segments are refused"),
        ("casedev:..", "empty and dot segments are refused"),
        ("nsrocks:adpl_1", "missing '/'"),
        ("nsrocks:/adrun_1", "empty and dot segments are refused"),
    ],
)
def test_malformed_refs(ref: str, message: str) -> None:
    with pytest.raises(InvalidRefError) as caught:
        RunRef.parse(ref)
    assert message in str(caught.value)
    assert isinstance(caught.value, InvalidRequestError)
    assert caught.value.field == "ref"


segment = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="/"), min_size=1).filter(
    lambda s: s.strip() == s and s not in (".", "..")
)


@given(deployment=segment, run=segment)
def test_nsrocks_refs_round_trip(deployment: str, run: str) -> None:
    ref = f"nsrocks:{deployment}/{run}"
    assert str(RunRef.parse(ref)) == ref
    assert RunRef.parse(ref).ids == (deployment, run)
