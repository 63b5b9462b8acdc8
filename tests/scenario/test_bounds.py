"""The bounds of the format: each stated once, enforced by the model, documented with its reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.errors import ScenarioError
from simulator.scenario.bounds import BY_KEY, LENGTH_KM, SPEED_KMH, Bound
from simulator.scenario.loading import json_schema, load_scenario

REFERENCE = Path(__file__).parents[2] / "docs" / "reference" / "scenario-format.md"
TUTORIAL = Path(__file__).parents[2] / "scenarios" / "tutorial.yaml"


def test_every_bound_is_in_the_reference_with_its_reason() -> None:
    text = REFERENCE.read_text(encoding="utf-8")
    for key, bound in BY_KEY.items():
        row = f"| `{key}` | {bound.words()}{', whole' if bound.whole else ''} | {bound.why} |"
        assert row in text, row


def test_the_schema_carries_the_bounds() -> None:
    section = json_schema()["$defs"]["Section"]["properties"]
    assert section["length_km"]["maximum"] == LENGTH_KM.high
    assert section["length_km"]["exclusiveMinimum"] == 0
    speed = next(s for s in section["speed_kmh"]["anyOf"] if s.get("type") == "number")
    assert speed["minimum"] == SPEED_KMH.low


@pytest.mark.parametrize(
    ("bound", "inside", "outside"),
    [
        (Bound(0, 10, "x", low_open=True), [1e-300, 10], [0, -1, 10.000001]),
        (Bound(1, 10, "x"), [1, 10], [0.999, 11]),
    ],
)
def test_bound_holds(bound: Bound, inside: list[float], outside: list[float]) -> None:
    assert all(bound.holds(v) for v in inside)
    assert not any(bound.holds(v) for v in outside)


@pytest.mark.parametrize(
    ("override", "fragment"),
    [
        ("horizon_years=100", None),
        ("replications=10000", None),
        ("replications=10001", "expected at most 10,000"),
        ("sections.xian-urumqi.km_per_day=2000", None),
        ("sections.xian-urumqi.km_per_day=2000.5", "expected at most 2,000"),
        ("flows.xian-europe.lot_teu=100", None),
        ("flows.xian-europe.lot_teu=100.5", "more than the smallest container train"),
        ("warmup_days=729.9", None),
        ("warmup_days=730", "expected a warm-up shorter than the run"),
        ("flows.xian-europe.lot_teu=0.01", "lots a year; expected at most 10,000,000"),
    ],
)
def test_edges_of_bounds(override: str, fragment: str | None) -> None:
    """A value on its bound is accepted, one just past it is refused with the bound."""
    if fragment is None:
        load_scenario(TUTORIAL, [override])
        return
    with pytest.raises(ScenarioError) as caught:
        load_scenario(TUTORIAL, [override])
    assert fragment in str(caught.value)
