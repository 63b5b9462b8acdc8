"""The `brisim` command line: sub-commands, printing, paths and exit codes (and nothing else).

Exit codes: 0 success, 1 a run failed its own checks, 2 bad input (scenario, options, paths),
130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from simulator import __version__
from simulator.errors import BrisimError, ScenarioError
from simulator.scenario import json_schema, load_scenario

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130


class _Parser(argparse.ArgumentParser):
    """argparse that exits with code 2 and a one-line hint on bad options (its default too)."""


def build_parser() -> argparse.ArgumentParser:
    """All sub-commands and their options."""
    parser = _Parser(
        prog="brisim",
        description="Discrete-event simulation of Belt and Road rail freight corridors: "
        "validate scenarios, run them, and report yearly tonnage per crossing, node, link and flow.",
    )
    parser.add_argument("--version", action="version", version=f"brisim {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("validate", help="check scenario files and report every problem")
    p.add_argument("files", nargs="+", metavar="FILE", help="scenario YAML files")
    p.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override one value, e.g. --set sections.dostyk-aktogay.trains_per_day=20",
    )
    p.set_defaults(handler=cmd_validate)

    p = sub.add_parser("schema", help="print the JSON Schema of the scenario format")
    p.set_defaults(handler=cmd_schema)
    return parser


def cmd_validate(args: argparse.Namespace) -> int:
    """Print ok per valid file, or every problem; exit 2 if any file is invalid."""
    status = EXIT_OK
    for name in args.files:
        try:
            load_scenario(name, args.overrides)
        except ScenarioError as exc:
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            status = EXIT_BAD_INPUT
        else:
            print(f"ok: {name}")
    return status


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the scenario JSON Schema."""
    print(json.dumps(json_schema(), indent=2))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_BAD_INPUT
    try:
        return args.handler(args)
    except ScenarioError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrisimError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted; nothing half-written was left behind", file=sys.stderr)
        return EXIT_INTERRUPTED
