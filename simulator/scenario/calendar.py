"""Simulated hours against calendar dates: the scenario's start date and horizon in years."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

HOURS_PER_DAY = 24.0


@dataclass(frozen=True)
class Calendar:
    """Maps calendar dates to simulated hours since the scenario's start date, and back."""

    start_date: dt.date
    horizon_years: int

    @property
    def end_date(self) -> dt.date:
        """First day after the horizon."""
        return _add_years(self.start_date, self.horizon_years)

    @property
    def horizon_hours(self) -> float:
        """Length of the run in hours."""
        return self.hours(self.end_date)

    def hours(self, date: dt.date) -> float:
        """Hours from the start date to midnight at the start of `date`."""
        return (date - self.start_date).days * HOURS_PER_DAY

    def date(self, hours: float) -> dt.date:
        """Calendar date that contains the given simulated hour."""
        return self.start_date + dt.timedelta(days=int(hours // HOURS_PER_DAY))

    def year_bounds(self) -> list[tuple[int, float, float]]:
        """(calendar year, start hour, end hour) for each calendar year the horizon touches."""
        out = []
        for year in range(self.start_date.year, self.end_date.year + 1):
            lo = max(self.hours(dt.date(year, 1, 1)), 0.0)
            hi = min(self.hours(dt.date(year + 1, 1, 1)), self.horizon_hours)
            if hi > lo:
                out.append((year, lo, hi))
        return out

    def month_bounds(self) -> list[tuple[int, int, float, float]]:
        """(year, month 1-12, start hour, end hour) for each calendar month in the horizon."""
        out = []
        d = dt.date(self.start_date.year, self.start_date.month, 1)
        while d < self.end_date:
            nxt = dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1)
            lo = max(self.hours(d), 0.0)
            hi = min(self.hours(nxt), self.horizon_hours)
            if hi > lo:
                out.append((d.year, d.month, lo, hi))
            d = nxt
        return out

    def year_of(self, hours: float) -> int:
        """Calendar year that contains the given simulated hour."""
        return self.date(hours).year


def _add_years(date: dt.date, years: int) -> dt.date:
    """Same day and month `years` later (28 February for 29 February into a common year)."""
    try:
        return date.replace(year=date.year + years)
    except ValueError:
        return date.replace(year=date.year + years, day=28)
