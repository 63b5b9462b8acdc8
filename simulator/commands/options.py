"""Options shared by several commands: output, horizon, overrides, charts, replications (or
auto), jobs and a cluster; and the lines they print about replications."""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

from simulator.errors import BrisimError
from simulator.experiment.batch import BatchCounts, dask_client
from simulator.experiment.progress import ProgressBar
from simulator.experiment.replicate import Precision, ProgressFactory

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130
DEFAULT_MAX_REPLICATIONS = 30


def count(text: str) -> int:
    """A whole number of at least 1 (for --jobs)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1, got {value}")
    return value


def replications(text: str) -> int | str:
    """A whole number of at least 1, or 'auto'."""
    return "auto" if text.strip().lower() == "auto" else count(text)


def share(text: str) -> float:
    """A share given as '2%' or 0.02, strictly between 0 and 1."""
    raw = text.strip()
    try:
        value = float(raw[:-1]) / 100 if raw.endswith("%") else float(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a share such as 2% or 0.02, got {text!r}"
        ) from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"expected a share between 0% and 100%, got {text!r}")
    return value


def add_out(p: argparse.ArgumentParser, default: str) -> None:
    """--out DIR, where the command writes."""
    p.add_argument("--out", metavar="DIR", help=f"where to write (default: {default})")


def add_years(p: argparse.ArgumentParser, help_text: str = "horizon in years") -> None:
    """--years N, the horizon of every scenario run."""
    p.add_argument("--years", type=count, metavar="N", help=help_text)


def add_plots(p: argparse.ArgumentParser, chart: str) -> None:
    """--plots / --no-plots, off by default: draw the command's chart too."""
    p.add_argument(
        "--plots",
        action=argparse.BooleanOptionalAction,
        default=False,
        help=f"also write {chart} (default: --no-plots)",
    )


def add_set(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override one value, e.g. --set sections.dostyk-aktogay.trains_per_day=20",
    )


def add_replications(p: argparse.ArgumentParser, default: str = "the scenario's") -> None:
    """--replications R|auto, --precision and --max-replications."""
    p.add_argument(
        "--replications",
        type=replications,
        metavar="R|auto",
        help=f"replications to run (default: {default}); auto: until --precision is reached",
    )
    p.add_argument(
        "--precision",
        type=share,
        default=0.02,
        metavar="P",
        help="with --replications auto: the 95%% CI half-width wanted, as a share of the mean "
        "(default: 2%%)",
    )
    p.add_argument(
        "--max-replications",
        type=count,
        default=DEFAULT_MAX_REPLICATIONS,
        metavar="N",
        help=f"with --replications auto: stop at N replications (default: {DEFAULT_MAX_REPLICATIONS})",
    )


def add_execution(p: argparse.ArgumentParser) -> None:
    """--jobs, --scheduler and --quiet."""
    p.add_argument(
        "--jobs", type=count, default=1, metavar="J", help="parallel processes (default: 1)"
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run on this Dask cluster, e.g. tcp://10.0.0.5:8786 (needs the [dask] extra)",
    )
    p.add_argument(
        "--quiet",
        action="store_true",
        help="print nothing but errors and warnings (no progress, no summary table)",
    )


def replications_of(args: argparse.Namespace, default: int) -> int | Precision:
    """The replications asked for: a count, or a Precision for auto."""
    if args.replications == "auto":
        return Precision(args.precision, args.max_replications)
    return args.replications if args.replications is not None else default


@contextmanager
def executor_of(args: argparse.Namespace) -> Iterator[Executor | None]:
    """The Dask executor for --scheduler (closed afterwards), or None for local processes."""
    if not getattr(args, "scheduler", None):
        yield None
        return
    client = dask_client(args.scheduler)
    try:
        yield client.get_executor()
    finally:
        client.close()


def progress_of(args: argparse.Namespace) -> ProgressFactory:
    """One progress bar over all the jobs of each round."""

    @contextmanager
    def bar(jobs: int, horizon_hours: float) -> Iterator[ProgressBar]:
        with ProgressBar(jobs, horizon_hours, quiet=args.quiet) as progress:
            yield progress

    return bar


def plots_module() -> ModuleType:
    """The plots package (charts and the HTML page), imported only when charts are asked for."""
    try:
        return importlib.import_module("simulator.plots")
    except ImportError as exc:
        raise BrisimError(
            f"charts are not available in this installation ({exc}); run without --plots"
        ) from None


def save_chart(figure: Any, path: Path) -> Path:
    """Write a figure as PNG under a temporary name, then rename it: never half-written."""
    tmp = path.with_name(f".{path.name}.part")
    figure.savefig(tmp, format="png")
    return tmp.replace(path)


def replications_note(asked: int | Precision, done: int, met: bool) -> str:
    """What auto replication did, in one line ('' for a fixed count)."""
    if isinstance(asked, int):
        return ""
    target = f"{100 * asked.share:g}%"
    if met:
        return f"replications: {done} (auto: 95% CI half-width within {target} of the mean)"
    return f"replications: {done} (auto: stopped at --max-replications before reaching {target})"


def resumed_note(counts: BatchCounts, out: Path) -> str:
    """How many replications came from the directory's store ('' when none)."""
    if not counts.reused:
        return ""
    return (
        f"resumed: {counts.reused} replications from {out / 'replications'}, "
        f"{counts.simulated} simulated now"
    )
