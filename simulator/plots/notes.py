"""Dated changes and disruptions on time charts: numbered badges on the lines, notes listed below.

A note written along its line runs into the data, the title and other notes as soon as notes are
long or dates close; a small number at the top of each line and the full notes in a list under
the chart stay readable for any number and length of notes. Notes of the same date share a
badge ("1, 2").
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass

from matplotlib.axes import Axes

from simulator.plots.style import CHANGE_COLOUR, DISRUPTION_COLOUR, TICK_PT
from simulator.report.tables import Table

NOTE_PT = TICK_PT - 1
NOTE_WRAP_CHARS = 120  # at NOTE_PT, about the width of a slide-sized figure
NOTE_LINE_IN = 0.2  # height of one line of the note list
BADGE_GAP = 0.035  # badges closer than this (share of the axes width) go on the next row


@dataclass(frozen=True)
class Note:
    """One numbered note: its number, date text and label."""

    number: int
    date: str
    label: str


def notes_of(markers: Table) -> list[Note]:
    """The markers with a label, numbered from 1 in date order (same order as `mark_events`)."""
    rows = sorted(markers, key=lambda r: (float(r["hour"]), str(r["label"])))
    labelled = [r for r in rows if str(r["label"]).strip()]
    return [Note(i + 1, str(r["date"])[:10], str(r["label"])) for i, r in enumerate(labelled)]


def note_lines(notes: list[Note]) -> list[str]:
    """The note list as text lines: '1  2023-01-01  label', wrapped under its own label."""
    lines = []
    for note in notes:
        head = f"{note.number}  {note.date}  "
        lines += textwrap.wrap(
            note.label,
            NOTE_WRAP_CHARS,
            initial_indent=head,
            subsequent_indent=" " * (len(head) + 4),
        ) or [head]
    return lines


def notes_height_in(markers: Table) -> float:
    """Height in inches of the note list for these markers (0 when there is no note)."""
    lines = note_lines(notes_of(markers))
    return NOTE_LINE_IN * (len(lines) + 1) if lines else 0.0


def mark_events(
    ax: Axes,
    markers: Table,
    to_x: Callable[[dict[str, object], bool], float | None],
    badges: bool = True,
) -> None:
    """A dashed line at each dated change or disruption, its duration shaded, and (with `badges`)
    the numbers of its notes at the top of the line, staggered so that no two touch."""
    numbers = {(n.date, n.label): n.number for n in notes_of(markers)}
    at_x: dict[float, list[int]] = {}
    colour_at: dict[float, str] = {}
    for row in markers:
        x0 = to_x(row, False)
        if x0 is None:
            continue
        disruption = row["kind"] == "disruption"
        colour = DISRUPTION_COLOUR if disruption else CHANGE_COLOUR
        ax.axvline(x0, color=colour, ls="--", lw=1.2, gid=f"marker:{row['hour']}")
        x1 = to_x(row, True)
        if x1 is not None and x1 > x0:
            ax.axvspan(x0, x1, color=colour, alpha=0.15, lw=0)
        number = numbers.get((str(row["date"])[:10], str(row["label"])))
        if number is not None:
            at_x.setdefault(x0, []).append(number)
            colour_at.setdefault(x0, colour)
    if badges:
        _badges(ax, at_x, colour_at)


def _badges(ax: Axes, at_x: dict[float, list[int]], colour_at: dict[float, str]) -> None:
    lo, hi = ax.get_xlim()
    span = (hi - lo) or 1.0
    rows_end: list[float] = []  # per row, the axes fraction where its last badge ends
    for x in sorted(at_x):
        text = ", ".join(str(n) for n in sorted(at_x[x]))
        where = (x - lo) / span
        width = BADGE_GAP * (1 + 0.5 * (len(text) - 1))
        row = next((i for i, end in enumerate(rows_end) if where - width / 2 > end), None)
        if row is None:
            rows_end.append(0.0)
            row = len(rows_end) - 1
        rows_end[row] = where + width / 2
        ax.annotate(
            text,
            (x, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(0, -4 - 16 * row),
            textcoords="offset points",
            ha="center",
            va="top",
            fontsize=NOTE_PT,
            color="white",
            bbox={"boxstyle": "round,pad=0.2", "fc": colour_at[x], "ec": "none"},
            gid=f"note:{text}",
        )


def write_notes(ax: Axes, markers: Table) -> None:
    """The numbered notes as a list in an axes of their own (its frame hidden), one text each."""
    ax.set_axis_off()
    notes = notes_of(markers)
    if not notes:
        return
    step = 1.0 / (len(note_lines(notes)) + 1)
    ax.text(0.0, 1.0, "Notes", transform=ax.transAxes, va="top", fontsize=NOTE_PT, weight="bold")
    done = 1
    for note in notes:
        lines = note_lines([note])
        ax.text(
            0.0,
            1.0 - step * done,
            "\n".join(lines),
            transform=ax.transAxes,
            va="top",
            fontsize=NOTE_PT,
            linespacing=1.25,
            gid=f"note-text:{note.number}",
        )
        done += len(lines)
