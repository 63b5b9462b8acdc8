"""What least-time route choice costs: the benchmark corridor with and without it.

Usage: python benchmarks/route_choice_cost.py [--years 10] [--scale 1] [--repeat 1]
The corridor of corridor_synthetic.py is run with its flows' fixed routes removed, once under
`route_choice: fixed` (each flow on its fastest route) and once under `least_time` (each train
prices its k = 3 fastest routes); each timing runs in this process, interleaved, fastest kept.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence

from corridor_synthetic import corridor_scenario

from simulator.engine.simulation import simulate
from simulator.scenario.model import Scenario


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Options; bad values exit with code 2 and a message naming the option."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--years", type=int, choices=range(1, 101), default=10, metavar="N")
    p.add_argument("--scale", type=float, default=1.0, help="demand factor")
    p.add_argument("--repeat", type=int, choices=range(1, 21), default=1, metavar="N")
    return p.parse_args(argv)


def free_routes(scenario: Scenario, rule: str) -> Scenario:
    """The scenario with no flow bound to a route, under the given choice rule."""
    data = scenario.model_dump(by_alias=True)
    for flow in data["flows"]:
        flow["route"] = None
    data["route_choice"] = rule
    return Scenario.model_validate(data)


def measure(scenario: Scenario) -> tuple[float, int, int, float]:
    """Wall seconds, trains, events and delivered tonnes of one replication."""
    start = time.perf_counter()
    run = simulate(scenario, 0)
    return time.perf_counter() - start, run.trains, run.events, float(run.lots["tonnes"].sum())


def main(argv: Sequence[str] | None = None) -> None:
    """Time both rules and print the ratio."""
    args = parse_args(argv)
    base = corridor_scenario(args.years, args.scale, 1)
    best: dict[str, tuple[float, int, int, float]] = {}
    for _ in range(args.repeat):
        for rule in ("fixed", "least_time"):
            result = measure(free_routes(base, rule))
            if rule not in best or result[0] < best[rule][0]:
                best[rule] = result
    for rule, (wall, trains, events, tonnes) in best.items():
        print(
            f"{rule:10s}: {wall:7.2f} s wall, {trains:,} trains, {events:,} SimPy events, "
            f"{tonnes / 1e6:,.1f} Mt delivered"
        )
    ratio = best["least_time"][0] / best["fixed"][0]
    print(f"least_time / fixed wall time: {ratio:.3f}")


if __name__ == "__main__":
    main()
