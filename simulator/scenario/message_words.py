"""Small pieces of wording shared by every scenario message: values shown as YAML writes them,
and 'did you mean' for names that are close to an allowed one.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
from typing import Any


def choice(what: str, got: Any, options: list[str], quote: bool = True) -> str:
    """'what 'got'; did you mean 'x'? (expected one of: ...)' for a name not among the options."""
    head = f"{what} {got!r}" if quote else what
    listed = ", ".join(options)
    close = difflib.get_close_matches(str(got), options, n=1, cutoff=0.6)
    if close:
        return f"{head}; did you mean {close[0]!r}? (expected one of: {listed})"
    return f"{head}; expected one of: {listed}" if options else head


def show(value: Any) -> str:
    """Short text of an offending value for a message, in YAML's words."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else number(value)
    if isinstance(value, str):
        text = repr(value) if len(value) <= 40 else repr(value[:37] + "...")
        return f"the text {text}"
    if isinstance(value, dt.date):
        return value.isoformat()
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def number(value: Any) -> str:
    """A number as a person writes it: 0 not 0.0, .inf for infinity."""
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        return f"{value:g}" if value == int(value) and abs(value) < 1e15 else repr(value)
    return str(value)


def unknown(kind: str, name: str, options: list[str]) -> str:
    """'unknown node 'x'; did you mean 'y'?' or, when nothing is close, the ids there are."""
    close = difflib.get_close_matches(name, options, n=1, cutoff=0.5)
    if close:
        return f"unknown {kind} {name!r}; did you mean {close[0]!r}?"
    shown = ", ".join(options[:12]) + (", ..." if len(options) > 12 else "")
    return f"unknown {kind} {name!r}; expected one of: {shown}"


ONE_GAUGE_PAIR = (
    "one limit per direction on a node of one gauge; expected a pair only where gauge_mm has "
    "two gauges (the pair follows their order), else one number"
)
