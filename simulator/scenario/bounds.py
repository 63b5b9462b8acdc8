"""Physical bounds of every number in the scenario format, each with the reason for it.

A value outside its bound is refused with the bound and the reason (see `why_at`), so that
subnormal, huge or absurd numbers never reach the engine, where they would divide by zero,
overflow or exhaust memory. New keys reuse these bounds (or add one here, with its reason).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import Field, Strict


@dataclass(frozen=True)
class Bound:
    """Lowest and highest value of a quantity, and why no other value makes sense."""

    low: float
    high: float
    why: str
    low_open: bool = False  # True: more than `low`; False: at least `low`
    whole: bool = False

    def field(self) -> Any:
        """The annotated pydantic type that enforces this bound (strict: no text for numbers)."""
        base = int if self.whole else float
        low = {"gt": self.low} if self.low_open else {"ge": self.low}
        return Annotated[base, Strict(), Field(le=self.high, **low)]

    def holds(self, value: float) -> bool:
        """True if the value is inside the bound."""
        above = value > self.low if self.low_open else value >= self.low
        return above and value <= self.high

    def words(self) -> str:
        """The bound as a person writes it, e.g. 'from 1 to 2,000' or 'more than 0, at most 12'."""
        low, high = plain(self.low), plain(self.high)
        if self.low_open:
            return f"more than {low} and at most {high}"
        return f"from {low} to {high}"


def plain(value: float) -> str:
    """A bound as a person writes it: 1000 as '1,000', 1e8 as '100,000,000', 0.01 as '0.01'."""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


HOURS_IN_YEAR = 8_760.0
HOURS = Bound(0, HOURS_IN_YEAR, "a time in hours is not negative and at most a year, 8,760 hours")
MEAN_HOURS = Bound(0, HOURS_IN_YEAR, HOURS.why, low_open=True)
CV = Bound(
    0,
    5,
    "a CV is above 0 (use a fixed time for none) and at most 5, past which rare huge values hold nearly all the time",
    low_open=True,
)
WEIGHT = Bound(
    0, 1e9, "weights are relative odds above 0, and odds beyond 10^9 to 1 never show", True
)
SEASON_FACTOR = Bound(0, 12, "12 monthly factors averaging 1 are not negative and cannot exceed 12")

REPLICATIONS = Bound(
    1,
    10_000,
    "a run has 1 to 10,000 replications, and 10,000 already narrow an interval a hundredfold",
    whole=True,
)
SEED = Bound(0, 2**63 - 1, "a seed is a 64-bit whole number, not negative", whole=True)
HORIZON_YEARS = Bound(
    1,
    100,
    "a run lasts 1 to 100 years, and a century is longer than any plan a corridor model serves",
    whole=True,
)
WARMUP_DAYS = Bound(0, 36_500, "the warm-up is not negative and ends before the run does")

LENGTH_KM = Bound(
    0,
    20_000,
    "a section has a length, and no railway line is longer than 20,000 km (the Trans-Siberian is 9,289 km)",
    low_open=True,
)
SPEED_KMH = Bound(1, 200, "freight trains run at 1 to 200 km/h, slower is standing still")
KM_PER_DAY = Bound(
    1, 2_000, "freight trains cover 1 to 2,000 km a day, and 2,000 is 83 km/h nonstop"
)
TRAINS_PER_DAY = Bound(
    0.01,
    1_000,
    "fewer than a train in 100 days is a closed line (use a disruption), "
    "and 1,000 a day is a train every 90 seconds",
)
TRACKS = Bound(1, 4, "corridor lines have one to four tracks", whole=True)
RUNNING_CV = Bound(0, 2, "running times vary by at most twice their mean")
SLOTS = Bound(1, 1_000, "a node serves trains with 1 to 1,000 tracks, cranes or berths", whole=True)
YARD_TRAINS = Bound(
    1,
    10_000,
    "a yard holds at least 1 train, and one of more than 10,000 is unlimited: leave it out",
    whole=True,
)
YARD_TEU = Bound(
    1, 1_000_000, "a yard holds at least 1 TEU, and the largest hold a few hundred thousand"
)
QUEUE_TRAINS = Bound(
    1,
    10_000,
    "at least 1 train may queue for a node, and a cap of more than 10,000 is no cap: leave it out",
    whole=True,
)
ROUTE_ALTERNATIVES = Bound(
    1, 10, "a flow weighs 1 to 10 routes, and the 10th fastest is never worth a train", whole=True
)
BERTHS = Bound(1, 100, "a port has 1 to 100 container berths", whole=True)
CRANE_TEU_PER_HOUR = Bound(1, 2_000, "a berth unloads 1 to 2,000 TEU an hour")

TEU_PER_TRAIN = Bound(
    1,
    1_000,
    "a container train carries 1 to 1,000 TEU (the longest double-stack trains carry about 800)",
)
TONNES_PER_TRAIN = Bound(
    1,
    100_000,
    "a bulk train carries 1 to 100,000 t (the heaviest ever run carried under 100,000 t)",
)
MAX_WAIT_HOURS = Bound(
    0, 100 * HOURS_IN_YEAR, "a train waits more than 0 hours to fill, at most a century", True
)

TEU_PER_YEAR = Bound(
    0,
    1e8,
    "a flow is not negative, and 10^8 TEU a year is about all the world's rail container traffic",
)
TONNES_PER_YEAR = Bound(
    0, 1e9, "a flow is not negative, and no railway carries more than 10^9 t a year"
)
TONNES_PER_TEU = Bound(0.01, 30, "a TEU holds at least 10 kg and at most about 28 t of cargo")
LOT_TEU = Bound(0.01, 1_000, "a booking is at least 1/100 TEU and fits on a train")
LOT_TONNES = Bound(1, 100_000, "a consignment is at least 1 t and fits on a train")
GROWTH = Bound(-1, 5, "volume cannot fall below nothing, nor grow more than sixfold a year", True)
SHIP_TEU = Bound(1, 30_000, "a ship carries at least 1 TEU, and the largest carry about 24,000")

MTBF_HOURS = Bound(
    24, 1e6, "more than a breakdown a day is a closed line, and one in 10^6 hours never comes"
)
MTTR_HOURS = Bound(
    0,
    HOURS_IN_YEAR,
    "a repair takes more than 0 hours, and one of more than a year is a closure (use dates)",
    True,
)
CAPACITY_FACTOR_MIN = 0.01
"""A disruption's capacity factor is 0 (closed) or at least this: less is a closure."""

MAX_LOTS_PER_YEAR = 10_000_000
"""Every lot is tracked; more than ten million a year would not fit in a computer's memory."""

BY_KEY: dict[str, Bound] = {
    "replications": REPLICATIONS,
    "seed": SEED,
    "horizon_years": HORIZON_YEARS,
    "warmup_days": WARMUP_DAYS,
    "length_km": LENGTH_KM,
    "speed_kmh": SPEED_KMH,
    "km_per_day": KM_PER_DAY,
    "trains_per_day": TRAINS_PER_DAY,
    "exchange_trains_per_day": TRAINS_PER_DAY,
    "tracks": TRACKS,
    "running_cv": RUNNING_CV,
    "slots": SLOTS,
    "yard_trains": YARD_TRAINS,
    "yard_teu": YARD_TEU,
    "max_queue_trains": QUEUE_TRAINS,
    "route_alternatives": ROUTE_ALTERNATIVES,
    "bias_hours": HOURS,
    "berths": BERTHS,
    "crane_teu_per_hour": CRANE_TEU_PER_HOUR,
    "teu_per_train": TEU_PER_TRAIN,
    "tonnes_per_train": TONNES_PER_TRAIN,
    "max_wait_hours": MAX_WAIT_HOURS,
    "teu_per_year": TEU_PER_YEAR,
    "tonnes_per_year": TONNES_PER_YEAR,
    "tonnes_per_teu": TONNES_PER_TEU,
    "lot_teu": LOT_TEU,
    "lot_tonnes": LOT_TONNES,
    "growth_per_year": GROWTH,
    "seasonality": SEASON_FACTOR,
    "ship_teu_per_call": SHIP_TEU,
    "mtbf_hours": MTBF_HOURS,
    "mttr_hours": MTTR_HOURS,
    "cv": CV,
    "weights": WEIGHT,
}
"""The bound of each key by name (a dated change of a key obeys the key's own bound)."""


def why_at(path: tuple[Any, ...]) -> str:
    """The reason for the bound of the value at a key path ('' if it has none)."""
    for key in reversed(path):
        if not isinstance(key, str):
            continue
        if key in BY_KEY:
            return BY_KEY[key].why
        if key.endswith("_hours"):
            return HOURS.why
    return ""


# The bounded types the model's fields are declared with.
Hours = HOURS.field()
MeanHours = MEAN_HOURS.field()
Cv = CV.field()
Weight = WEIGHT.field()
SeasonFactor = SEASON_FACTOR.field()
Replications = REPLICATIONS.field()
Seed = SEED.field()
HorizonYears = HORIZON_YEARS.field()
WarmupDays = WARMUP_DAYS.field()
LengthKm = LENGTH_KM.field()
SpeedKmh = SPEED_KMH.field()
KmPerDay = KM_PER_DAY.field()
TrainsPerDay = TRAINS_PER_DAY.field()
Tracks = TRACKS.field()
RunningCv = RUNNING_CV.field()
Slots = SLOTS.field()
YardTrains = YARD_TRAINS.field()
YardTeu = YARD_TEU.field()
QueueTrains = QUEUE_TRAINS.field()
RouteAlternatives = ROUTE_ALTERNATIVES.field()
Berths = BERTHS.field()
CraneTeuPerHour = CRANE_TEU_PER_HOUR.field()
TeuPerTrain = TEU_PER_TRAIN.field()
TonnesPerTrain = TONNES_PER_TRAIN.field()
MaxWaitHours = MAX_WAIT_HOURS.field()
TeuPerYear = TEU_PER_YEAR.field()
TonnesPerYear = TONNES_PER_YEAR.field()
TonnesPerTeu = TONNES_PER_TEU.field()
LotTeu = LOT_TEU.field()
LotTonnes = LOT_TONNES.field()
Growth = GROWTH.field()
ShipTeu = SHIP_TEU.field()
MtbfHours = MTBF_HOURS.field()
MttrHours = MTTR_HOURS.field()
