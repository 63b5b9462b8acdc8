"""Generated tables inside hand-written docs pages: swap the text between two marker lines.

The page is replaced in one step (a temporary file, then a rename), so an interrupted script
leaves the page as it was. The scripts that write pages share their basic options here.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from simulator import ScenarioError

T = TypeVar("T")


def replace_region(text: str, start: str, end: str, body: str) -> str:
    """The page with the text between the marker lines `start` and `end` replaced by `body`."""
    if text.count(start) != 1 or text.count(end) != 1 or text.index(start) > text.index(end):
        raise ValueError(f"expected one line {start!r} followed by one line {end!r}")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{start}\n{body}{end}{tail}"


def read_page(path: Path, start: str, end: str) -> str:
    """A page's text, after checking that it has the marker lines (raises OSError, ValueError)."""
    text = path.read_text(encoding="utf-8")
    replace_region(text, start, end, "")
    return text


def open_page(args: argparse.Namespace, start: str, end: str, load: Callable[[], T]) -> T | None:
    """What `load` returns, once the page is known to have its markers (unless --no-write);
    None once the problem (a missing page, missing markers, a bad scenario) is printed."""
    try:
        if not args.no_write:
            read_page(args.doc, start, end)
        return load()
    except (OSError, ValueError) as exc:
        print(f"error: {args.doc}: {exc}", file=sys.stderr)
    except ScenarioError as exc:
        print(exc, file=sys.stderr)
    return None


def save_page(args: argparse.Namespace, start: str, end: str, body: str) -> None:
    """Put `body` between the page's markers, unless --no-write was given. The page is read
    again here, so edits made to it while a long run went on are kept."""
    if not args.no_write:
        page = read_page(args.doc, start, end)
        write_atomically(args.doc, replace_region(page, start, end, body))
        print(f"written: {args.doc}")


def write_atomically(path: Path, text: str) -> None:
    """Write a file through a temporary file in the same folder, then replace it in one step."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def page_options(description: str, replications: int, doc: Path) -> argparse.ArgumentParser:
    """A parser with the options every page-writing script has: replications, jobs, the page."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--replications", type=int, default=replications, help="default: %(default)s"
    )
    parser.add_argument("--jobs", type=int, default=2, help="parallel processes (default: 2)")
    parser.add_argument(
        "--doc", type=Path, default=doc, help="page to write (default: %(default)s)"
    )
    parser.add_argument("--no-write", action="store_true", help="print only; leave the page")
    return parser


def check_counts(parser: argparse.ArgumentParser, args: argparse.Namespace, least: int) -> None:
    """Exit 2 with a message naming the option when replications or jobs are too few."""
    if args.replications < least:
        parser.error(f"--replications: expected at least {least}, got {args.replications}")
    if args.jobs < 1:
        parser.error(f"--jobs: expected at least 1, got {args.jobs}")
