"""A corridor-sized scenario for the speed benchmark, built in Python (no YAML file).

25 nodes, 27 sections and 13 flows shaped like the China–Kazakhstan corridor: container and bulk,
two gauge-change borders with exchange limits and yards, handling at eleven nodes, single- and
double-track sections, a sea-rail flow, dated upgrades, a dated closure and random breakdowns.
Demand is inflated to about 25,000 trains a year so that the engine, not the set-up, is measured.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from simulator.scenario.checks import cross_check
from simulator.scenario.model import Scenario

START = dt.date(2024, 1, 1)
SEASON = (0.94, 0.90, 0.98, 1.00, 1.05, 1.07, 1.10, 1.07, 1.00, 0.98, 0.96, 0.95)

# id, kind, gauge_mm, slots, mean handling hours (None: no handling)
NODES: tuple[tuple[str, str, Any, int | None, float | None], ...] = (
    ("LYG", "seaport", 1435, 4, 3.0),
    ("ZZH", "hub", 1435, 4, 3.0),
    ("XIA", "hub", 1435, 6, 3.0),
    ("CQG", "hub", 1435, 4, 3.0),
    ("CDU", "hub", 1435, 4, 3.0),
    ("LZH", "junction", 1435, None, None),
    ("URC", "junction", 1435, 6, 1.0),
    ("JHE", "junction", 1435, None, None),
    ("ALA", "border", 1435, None, None),
    ("KHG", "border", 1435, None, None),
    ("DOS", "border", (1435, 1520), 8, 5.0),
    ("ALT", "border", (1435, 1520), 6, 4.0),
    ("AKT", "junction", 1520, None, None),
    ("MOI", "junction", 1520, None, None),
    ("KAR", "hub", 1520, 4, 2.0),
    ("AST", "junction", 1520, None, None),
    ("PET", "exit", 1520, None, None),
    ("ZHE", "junction", 1520, None, None),
    ("ALM", "hub", 1520, 4, 2.0),
    ("SHU", "junction", 1520, None, None),
    ("ARY", "junction", 1520, None, None),
    ("SAR", "exit", 1520, None, None),
    ("KZO", "junction", 1520, None, None),
    ("BEI", "junction", 1520, None, None),
    ("AKU", "exit", 1520, 3, 4.0),
)

# from, to, length_km, km_per_day, tracks, trains_per_day (per direction), gauge_mm
SECTIONS: tuple[tuple[str, str, float, float, int, float, int], ...] = (
    ("LYG", "ZZH", 540, 1200, 2, 60, 1435),
    ("ZZH", "XIA", 510, 1200, 2, 60, 1435),
    ("XIA", "LZH", 680, 1200, 2, 60, 1435),
    ("CQG", "CDU", 300, 1100, 2, 40, 1435),
    ("CQG", "XIA", 720, 1100, 2, 40, 1435),
    ("CDU", "LZH", 900, 1100, 2, 40, 1435),
    ("LZH", "URC", 1900, 1200, 2, 60, 1435),
    ("URC", "JHE", 382, 1000, 2, 50, 1435),
    ("JHE", "ALA", 75, 900, 1, 20, 1435),
    ("ALA", "DOS", 12, 300, 2, 40, 1435),
    ("JHE", "KHG", 286, 900, 1, 16, 1435),
    ("KHG", "ALT", 15, 300, 2, 40, 1435),
    ("DOS", "AKT", 304, 850, 1, 14, 1520),
    ("AKT", "MOI", 532, 850, 1, 16, 1520),
    ("MOI", "KAR", 363, 900, 2, 30, 1520),
    ("KAR", "AST", 230, 900, 2, 40, 1520),
    ("AST", "PET", 430, 900, 2, 40, 1520),
    ("AKT", "ZHE", 510, 850, 1, 16, 1520),
    ("ALT", "ZHE", 293, 850, 1, 14, 1520),
    ("ZHE", "ALM", 50, 600, 2, 40, 1520),
    ("ALM", "SHU", 306, 900, 2, 30, 1520),
    ("MOI", "SHU", 438, 850, 1, 12, 1520),
    ("SHU", "ARY", 480, 900, 2, 30, 1520),
    ("ARY", "SAR", 120, 700, 2, 30, 1520),
    ("ARY", "KZO", 430, 900, 1, 14, 1520),
    ("KZO", "BEI", 800, 900, 1, 14, 1520),
    ("BEI", "AKU", 400, 900, 1, 14, 1520),
)

W_DOS = ("URC", "JHE", "ALA", "DOS", "AKT", "MOI", "KAR", "AST", "PET")
W_ALT = ("URC", "JHE", "KHG", "ALT", "ZHE")

# id, cargo, yearly volume (TEU or tonnes), growth a year, route
FLOWS: tuple[tuple[str, str, float, float, tuple[str, ...]], ...] = (
    ("xia-europe", "container", 330_000, 0.03, ("XIA", "LZH", *W_DOS)),
    (
        "cqg-europe",
        "container",
        200_000,
        0.03,
        ("CQG", "CDU", "LZH", *W_ALT, "AKT", "MOI", "KAR", "AST", "PET"),
    ),
    ("cdu-uzbek", "container", 100_000, 0.03, ("CDU", "LZH", *W_ALT, "ALM", "SHU", "ARY", "SAR")),
    (
        "zzh-caspian",
        "container",
        60_000,
        0.03,
        ("ZZH", "XIA", "LZH", *W_ALT, "ALM", "SHU", "ARY", "KZO", "BEI", "AKU"),
    ),
    ("europe-xia", "container", 150_000, 0.03, tuple(reversed(("XIA", "LZH", *W_DOS)))),
    ("alm-urc", "container", 60_000, 0.03, ("ALM", "ZHE", "ALT", "KHG", "JHE", "URC")),
    ("kar-urc-ore", "bulk", 5_000_000, 0.02, ("KAR", "MOI", "AKT", "DOS", "ALA", "JHE", "URC")),
    ("moi-lzh-grain", "bulk", 3_000_000, 0.02, ("MOI", "AKT", "DOS", "ALA", "JHE", "URC", "LZH")),
    ("alm-jhe-metal", "bulk", 3_000_000, 0.02, ("ALM", "ZHE", "ALT", "KHG", "JHE")),
    ("shu-aku-bulk", "bulk", 2_000_000, 0.02, ("SHU", "ARY", "KZO", "BEI", "AKU")),
    ("ast-sar-grain", "bulk", 2_000_000, 0.02, ("AST", "KAR", "MOI", "SHU", "ARY", "SAR")),
    ("zhe-urc-bulk", "bulk", 2_000_000, 0.02, ("ZHE", "ALT", "KHG", "JHE", "URC")),
)
SEA_FLOW = (
    "lyg-alm-sea",
    80_000,
    ("LYG", "ZZH", "XIA", "LZH", "URC", "JHE", "ALA", "DOS", "AKT", "ZHE", "ALM"),
)

# fraction of the horizon, target kind, target, new values, note
CHANGES: tuple[tuple[float, str, str, dict[str, float], str], ...] = (
    (0.3, "section", "DOS-AKT", {"tracks": 2, "trains_per_day": 30}, "second track Dostyk-Aktogay"),
    (0.3, "node", "DOS", {"exchange_trains_per_day": 24, "slots": 10}, "Dostyk terminal phase 2"),
    (0.4, "node", "XIA", {"slots": 8}, "Xi'an terminal extension"),
    (0.5, "section", "AKT-MOI", {"tracks": 2, "trains_per_day": 40}, "second track to Moiynty"),
    (0.5, "section", "ALT-ZHE", {"trains_per_day": 24}, "Altynkol station upgrade"),
    (0.6, "flow", "xia-europe", {"teu_per_year": 380_000}, "new Xi'an contracts"),
)


def _on(years: int, fraction: float) -> dt.date:
    """The date a fraction of the way through the horizon (so changes fit any --years)."""
    return START + dt.timedelta(days=int(365 * years * fraction))


def _node(node_id: str, kind: str, gauge: Any, slots: int | None, hours: float | None) -> dict:
    """A node dict: handling where it has slots, exchange limit and yard at gauge changes."""
    out: dict[str, Any] = {"id": node_id, "kind": kind, "gauge_mm": gauge}
    if slots is not None:
        out["handling"] = {
            "slots": slots,
            "handling_hours": {"dist": "lognormal", "mean": hours, "cv": 0.3},
            "bulk_handling_hours": {
                "dist": "triangular",
                "low": hours,
                "mode": hours * 1.5,
                "high": hours * 2.5,
            },
        }
    if kind == "border" and isinstance(gauge, tuple):
        out["exchange_trains_per_day"] = 16.0
        out["handling"]["yard_trains"] = 40
    if node_id == "LYG":
        out["port"] = {"berths": 3, "crane_teu_per_hour": 120}
    return out


def _section(
    a: str,
    b: str,
    length_km: float,
    km_per_day: float,
    tracks: int,
    trains_per_day: float,
    gauge_mm: int,
) -> dict:
    """A section dict; single-track sections get running-time noise."""
    return {
        "from": a,
        "to": b,
        "length_km": float(length_km),
        "km_per_day": float(km_per_day),
        "tracks": tracks,
        "trains_per_day": float(trains_per_day),
        "gauge_mm": gauge_mm,
        "running_cv": 0.1 if tracks == 1 else 0.0,
    }


def _flow(
    fid: str, cargo: str, volume: float, growth: float, route: tuple, scale: float, lot: float
) -> dict:
    """A flow dict on a fixed route, its demand times `scale` and its lot size times `lot`."""
    out: dict[str, Any] = {"id": fid, "origin": route[0], "destination": route[-1], "cargo": cargo}
    out |= {"growth_per_year": growth, "route": list(route)}
    if cargo == "container":
        out |= {"teu_per_year": volume * scale, "lot_teu": 4.0 * lot, "seasonality": list(SEASON)}
    else:
        out |= {"tonnes_per_year": volume * scale, "lot_tonnes": 500.0 * lot}
    return out


def corridor_scenario(
    years: int = 10, scale: float = 1.0, seed: int = 1, lot: float = 1.0
) -> Scenario:
    """The benchmark corridor over `years`, demand times `scale`, lot sizes times `lot`."""
    flows = [_flow(*f, scale=scale, lot=lot) for f in FLOWS]
    sea_id, sea_teu, sea_route = SEA_FLOW
    sea = _flow(sea_id, "container", sea_teu, 0.03, sea_route, scale, lot)
    flows.append(sea | {"ship_teu_per_call": 2000.0})
    changes = [
        {"date": _on(years, frac), kind: target, "set": values, "note": note}
        for frac, kind, target, values, note in CHANGES
    ]
    for change in changes:
        if change.get("flow"):
            change["set"] = {k: v * scale for k, v in change["set"].items()}
    closure = {"start": _on(years, 0.7), "end": _on(years, 0.7) + dt.timedelta(days=5)}
    scenario = Scenario.model_validate(
        {
            "name": "corridor-synthetic",
            "start_date": START,
            "horizon_years": years,
            "seed": seed,
            "nodes": [_node(*n) for n in NODES],
            "sections": [_section(*s) for s in SECTIONS],
            "train_types": [
                {
                    "id": "c1435",
                    "cargo": "container",
                    "gauge_mm": 1435,
                    "teu_per_train": 100.0,
                    "max_wait_hours": 72.0,
                },
                {
                    "id": "c1520",
                    "cargo": "container",
                    "gauge_mm": 1520,
                    "teu_per_train": 124.0,
                    "max_wait_hours": 48.0,
                },
                {"id": "b1435", "cargo": "bulk", "gauge_mm": 1435, "tonnes_per_train": 3500.0},
                {"id": "b1520", "cargo": "bulk", "gauge_mm": 1520, "tonnes_per_train": 4000.0},
            ],
            "flows": flows,
            "changes": changes,
            "disruptions": [
                {"section": "KAR-AST", **closure, "capacity_factor": 0.0, "note": "track renewal"},
                {"section": "JHE-KHG", "mtbf_hours": 2000.0, "mttr_hours": 6.0},
            ],
        }
    )
    problems = cross_check(scenario)
    if problems:
        raise ValueError(f"the benchmark scenario is inconsistent: {problems}")
    return scenario
