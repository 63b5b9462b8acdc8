"""`brisim capacity SCENARIO`: the max-flow bound of yearly tonnes across the borders."""

from __future__ import annotations

import argparse

from simulator.commands import options
from simulator.report.capacity import capacity_lines, capacity_table
from simulator.scenario.capacity_bound import capacity_bounds
from simulator.scenario.loading import load_scenario


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "capacity",
        help="the upper bound of yearly tonnes through each crossing from capacities alone",
        description="The static upper bound of yearly tonnes through each border crossing and "
        "in total (max-flow on the network: trains a day times tonnes a train), with the "
        "limiting cut, from the capacities in force at the end of a year. No simulation.",
    )
    p.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file")
    p.add_argument(
        "--year",
        type=int,
        metavar="Y",
        help="capacities in force on 31 December of Y (default: the horizon's last year)",
    )
    p.add_argument("--csv", metavar="FILE", help="also write the table as CSV")
    options.add_set(p)
    p.set_defaults(handler=run_capacity)


def run_capacity(args: argparse.Namespace) -> int:
    """Print the bound per crossing and direction, and in total."""
    scenario = load_scenario(args.scenario, args.overrides)
    year = (
        args.year
        if args.year is not None
        else scenario.start_date.year + scenario.horizon_years - 1
    )
    table = capacity_table(capacity_bounds(scenario, year))
    print(
        f"{scenario.name}: upper bound of yearly tonnes from the capacities of 31 December {year}"
    )
    print("\n".join(capacity_lines(table)))
    if not len(table):
        print("no flow crosses a border in this scenario")
    if args.csv:
        table.to_csv(args.csv)
    return options.EXIT_OK
