"""compare.md and the terminal summary of a comparison: differences per year, crossing, corridor."""

from __future__ import annotations

import math
from collections.abc import Sequence

from simulator.report.tables import Table

SHOWN_KINDS = ("border", "group", "total")  # the markdown's tables; compare.csv has every kind


def _mt(tonnes: float) -> str:
    return "–" if math.isnan(tonnes) else f"{tonnes / 1e6:.2f}"


def _diff(row: dict) -> str:
    d, ci = row["difference"], row["ci95"]
    text = f"{d / 1e6 + 0.0:+.3f}" + ("" if math.isnan(ci) else f" ± {ci / 1e6:.3f}")
    return f"**{text}**" if row["significant"] == "yes" else text


def _shown_name(row: dict) -> str:
    if row["kind"] == "total":
        return "total delivered"
    return f"{row['name']} corridor" if row["kind"] == "group" else row["name"]


def difference_lines(differences: Table, variant: str, markdown: bool = True) -> list[str]:
    """One table of a variant: per year the crossings, corridors, then the total delivered."""
    rows = [r for r in differences if r["variant"] == variant and r["kind"] in SHOWN_KINDS]
    head = ["year", "crossing", "base Mt", "variant Mt", "difference Mt (95% CI)", "significant"]
    body = [
        [
            str(r["year"]),
            _shown_name(r),
            _mt(r["base_mean"]),
            _mt(r["variant_mean"]),
            _diff(r) if markdown else _diff(r).strip("*"),
            r["significant"],
        ]
        for r in rows
    ]
    return _grid(head, body, markdown)


def _grid(head: Sequence[str], body: Sequence[Sequence[str]], markdown: bool) -> list[str]:
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        return lines + ["| " + " | ".join(row) + " |" for row in body]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *body, strict=True)]
    return [
        "  ".join(
            str(x).ljust(w) if i < 2 else str(x).rjust(w)
            for i, (x, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in [head, *body]
    ]


def compare_markdown(
    base: str,
    variants: Sequence[str],
    replications: int,
    differences: Table,
    inputs: Table,
    bottlenecks: Table,
    note: str = "",
) -> str:
    """compare.md: what differs, the yearly differences with CIs, and each year's bottleneck."""
    out = [
        f"# {', '.join(variants)} against {base}",
        "",
        f"{replications} replications of each scenario on common random numbers (replication k "
        "of every scenario draws the same demand). A difference is the mean over replications "
        "of variant − base; ± is the half-width of its 95% confidence interval, from the "
        "paired differences; **bold** where the interval excludes zero. Mt = million tonnes "
        "a year, both directions; a corridor is every train through the nodes labelled with it. "
        "Every crossing, corridor, section and flow is in compare.csv.",
    ]
    if note:
        out += ["", note]
    for variant in variants:
        out += ["", f"## {variant}", "", "Inputs that differ from the base:", ""]
        changed = [r for r in inputs if r["variant"] == variant]
        out += [f"- `{r['key']}`: {r['base']} → {r['variant_value']}" for r in changed] or [
            "- none"
        ]
        out += ["", *difference_lines(differences, variant)]
    out += ["", "## Bottleneck of each year", ""]
    out += _grid(
        list(bottlenecks.columns), [[str(v) for v in row] for row in bottlenecks.rows], True
    )
    return "\n".join(out) + "\n"
