"""Small scenarios built in Python for engine tests: a line of nodes with one flow on it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from simulator.scenario.checks import cross_check
from simulator.scenario.model import Scenario


def node(node_id: str, kind: str = "junction", gauge: Any = 1435, **extra: Any) -> dict:
    """A node dict."""
    return {"id": node_id, "kind": kind, "gauge_mm": gauge, **extra}


def section(
    a: str,
    b: str,
    tpd: float = 1000.0,
    length_km: float = 100.0,
    speed_kmh: float = 50.0,
    tracks: int = 2,
    gauge: int = 1435,
    **extra: Any,
) -> dict:
    """A section dict (fast and wide by default, so it does not bind)."""
    return {
        "from": a,
        "to": b,
        "length_km": length_km,
        "speed_kmh": speed_kmh,
        "tracks": tracks,
        "trains_per_day": tpd,
        "gauge_mm": gauge,
        **extra,
    }


def train_types(
    teu_1435: float = 10, teu_1520: float = 10, tonnes: float = 1000, wait_h: float = 1000.0
) -> list[dict]:
    """Container and bulk train types on both gauges."""
    return [
        {
            "id": "c1435",
            "cargo": "container",
            "gauge_mm": 1435,
            "teu_per_train": teu_1435,
            "max_wait_hours": wait_h,
        },
        {
            "id": "c1520",
            "cargo": "container",
            "gauge_mm": 1520,
            "teu_per_train": teu_1520,
            "max_wait_hours": wait_h,
        },
        {
            "id": "b1435",
            "cargo": "bulk",
            "gauge_mm": 1435,
            "tonnes_per_train": tonnes,
            "max_wait_hours": wait_h,
        },
        {
            "id": "b1520",
            "cargo": "bulk",
            "gauge_mm": 1520,
            "tonnes_per_train": tonnes,
            "max_wait_hours": wait_h,
        },
    ]


def container_type(teu: float, wait_h: float, gauge: int = 1435) -> dict:
    """One container train type."""
    return {
        "id": f"c{gauge}",
        "cargo": "container",
        "gauge_mm": gauge,
        "teu_per_train": teu,
        "max_wait_hours": wait_h,
    }


def container_flow(
    origin: str, dest: str, teu_per_year: float, lot_teu: float = 10, **extra: Any
) -> dict:
    """A container flow dict."""
    return {
        "id": f"{origin}-{dest}",
        "origin": origin,
        "destination": dest,
        "cargo": "container",
        "teu_per_year": teu_per_year,
        "lot_teu": lot_teu,
        "tonnes_per_teu": 10.0,
        **extra,
    }


def scenario(
    nodes: list[dict],
    sections: list[dict],
    flows: list[dict],
    years: int = 1,
    seed: int = 1,
    types: list[dict] | None = None,
    **extra: Any,
) -> Scenario:
    """A validated Scenario; fails loudly if the test built an invalid one."""
    s = Scenario.model_validate(
        {
            "name": "test",
            "start_date": dt.date(2022, 1, 1),
            "horizon_years": years,
            "seed": seed,
            "nodes": nodes,
            "sections": sections,
            "train_types": types or train_types(),
            "flows": flows,
            **extra,
        }
    )
    problems = cross_check(s)
    assert not problems, problems
    return s


def per_hour_to_per_year(rate_per_hour: float, lot: float) -> float:
    """Yearly volume that makes lots arrive at `rate_per_hour` (a 365-day year)."""
    return rate_per_hour * 24 * 365 * lot
