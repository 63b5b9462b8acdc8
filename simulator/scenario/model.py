"""The scenario data model: frozen pydantic classes for every key of a scenario file.

This module states the format (types, ranges, defaults); `loading.py` reads files into it and
`checks.py` adds the checks that span several parts (routes, gauges, dates).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, Strict, model_validator

from simulator.scenario.bounds import (
    CAPACITY_FACTOR_MIN,
    Berths,
    CraneTeuPerHour,
    Growth,
    HorizonYears,
    KmPerDay,
    LengthKm,
    LotTeu,
    LotTonnes,
    MaxWaitHours,
    MtbfHours,
    MttrHours,
    QueueTrains,
    Replications,
    RunningCv,
    SeasonFactor,
    Seed,
    ShipTeu,
    Slots,
    SpeedKmh,
    TeuPerTrain,
    TeuPerYear,
    TonnesPerTeu,
    TonnesPerTrain,
    TonnesPerYear,
    Tracks,
    TrainsPerDay,
    WarmupDays,
    YardTeu,
    YardTrains,
)
from simulator.scenario.distributions import (
    Cargo,
    Date,
    Distribution,
    Fraction,
    Frozen,
    Gauge,
    Id,
    NodeKind,
)
from simulator.scenario.route_options import Alternatives, RouteChoice, RouteOption


class Handling(Frozen):
    """What serves trains at a node: parallel slots, handling time, finite yard."""

    slots: Slots = Field(description="parallel tracks, cranes or berths serving trains")
    handling_hours: Distribution = Field(description="time one container train occupies a slot")
    bulk_handling_hours: Distribution | None = Field(
        default=None, description="time one bulk train occupies a slot (default: handling_hours)"
    )
    yard_trains: YardTrains | None = Field(
        default=None, description="trains that may wait at the node per approach; none: unlimited"
    )
    yard_teu: YardTeu | None = Field(
        default=None,
        description="yard size in TEU instead of trains: divided by the node's largest "
        "container train",
    )

    @model_validator(mode="after")
    def _one_yard(self) -> Handling:
        if self.yard_trains is not None and self.yard_teu is not None:
            raise ValueError("give yard_trains or yard_teu, not both")
        return self


class Port(Frozen):
    """Seaport quay: ships unload at berths with cranes, and the yard feeds train formation."""

    berths: Berths
    crane_teu_per_hour: CraneTeuPerHour


class Node(Frozen):
    """A place on the network: seaport, border crossing, inland hub, junction or exit."""

    id: Id
    name: str | None = None
    kind: NodeKind
    gauge_mm: Gauge | tuple[Gauge, ...] = Field(
        description="track gauge; two gauges make the node a gauge-change point"
    )
    lat: Annotated[float, Strict(), Field(ge=-90, le=90)] | None = None
    lon: Annotated[float, Strict(), Field(ge=-180, le=180)] | None = None
    handling: Handling | None = None
    exchange_trains_per_day: TrainsPerDay | tuple[TrainsPerDay, TrainsPerDay] | None = Field(
        default=None,
        description="border exchange limit, trains a day in each direction; a pair gives one "
        "limit per direction, in the order of gauge_mm: trains heading to the first gauge, then "
        "to the second",
    )
    port: Port | None = None
    opens: Date | None = None
    max_queue_trains: QueueTrains | None = Field(
        default=None,
        description="dispatch control: trains that may be queued here on arrival; more wait "
        "at their origin or formation tracks",
    )
    corridor: str | None = Field(
        default=None, description="corridor label; routes through the node report under it"
    )

    @property
    def gauges(self) -> tuple[int, ...]:
        """The node's gauges as a tuple, whether one or several were written."""
        return self.gauge_mm if isinstance(self.gauge_mm, tuple) else (self.gauge_mm,)

    @property
    def changes_gauge(self) -> bool:
        """True where trains of one gauge hand over to trains of another."""
        return len(set(self.gauges)) > 1

    @property
    def two_sides(self) -> bool:
        """True where the node joins exactly two gauges (an exchange limit may differ by side)."""
        return len(self.gauges) == 2 and self.changes_gauge

    def exchange_towards(self, gauge_mm: int) -> float | None:
        """The exchange limit for trains heading to the side of this gauge (trains a day)."""
        limit = self.exchange_trains_per_day
        if isinstance(limit, tuple):
            return limit[self.gauges.index(gauge_mm)] if gauge_mm in self.gauges else max(limit)
        return limit


class Section(Frozen):
    """A rail link between two nodes; capacity is trains a day per direction."""

    id: Id | None = None
    from_: Id = Field(alias="from")
    to: Id
    length_km: LengthKm
    speed_kmh: SpeedKmh | None = None
    km_per_day: KmPerDay | None = None
    tracks: Tracks = 1
    trains_per_day: TrainsPerDay = Field(
        description="trains a day in each direction; on one track both directions share 2x this"
    )
    paired: bool = Field(
        False, description="one track run to a paired timetable: trains_per_day paths each way"
    )
    gauge_mm: Gauge
    running_cv: RunningCv = 0.0
    opens: Date | None = None

    @model_validator(mode="after")
    def _one_speed(self) -> Section:
        if (self.speed_kmh is None) == (self.km_per_day is None):
            raise ValueError("give exactly one of speed_kmh or km_per_day")
        return self

    @property
    def key(self) -> str:
        """The section's id, or 'from-to' when none was given."""
        return self.id or f"{self.from_}-{self.to}"

    @property
    def running_hours(self) -> float:
        """Mean running time end to end."""
        kmh = self.speed_kmh if self.speed_kmh is not None else self.km_per_day / 24.0
        return self.length_km / kmh


class TrainType(Frozen):
    """The train that carries one cargo on one gauge: its size and how long it waits to fill."""

    id: Id
    cargo: Cargo
    gauge_mm: Gauge
    teu_per_train: TeuPerTrain | None = None
    tonnes_per_train: TonnesPerTrain | None = None
    max_wait_hours: MaxWaitHours = Field(
        default=72.0, description="a train leaves part-full once its oldest lot has waited this"
    )

    @model_validator(mode="after")
    def _size(self) -> TrainType:
        if self.cargo == "container" and self.teu_per_train is None:
            raise ValueError("a container train type needs teu_per_train")
        if self.cargo == "bulk" and self.tonnes_per_train is None:
            raise ValueError("a bulk train type needs tonnes_per_train")
        return self


class Flow(Frozen):
    """Demand between two nodes: a yearly volume released as lots, with growth and seasonality."""

    id: Id
    origin: Id
    destination: Id
    cargo: Cargo
    teu_per_year: TeuPerYear | None = None
    tonnes_per_teu: TonnesPerTeu = 11.0
    tonnes_per_year: TonnesPerYear | None = None
    lot_teu: LotTeu = Field(default=4.0, description="TEU in one booking (container)")
    lot_tonnes: LotTonnes = Field(default=500.0, description="tonnes in one consignment")
    growth_per_year: Growth = 0.0
    seasonality: tuple[SeasonFactor, ...] | None = None
    route: tuple[Id, ...] | None = Field(default=None, description="node ids; none: shortest")
    routes: tuple[RouteOption, ...] | None = Field(
        default=None, description="alternative routes; none: the k fastest on the network"
    )
    ship_teu_per_call: ShipTeu | None = Field(
        default=None, description="at a seaport origin: lots arrive by ships of this many TEU"
    )

    @model_validator(mode="after")
    def _volume(self) -> Flow:
        if self.cargo == "container" and self.teu_per_year is None:
            raise ValueError("a container flow needs teu_per_year")
        if self.cargo == "bulk" and self.tonnes_per_year is None:
            raise ValueError("a bulk flow needs tonnes_per_year")
        if self.cargo == "bulk" and self.teu_per_year is not None:
            raise ValueError("a bulk flow gives tonnes_per_year, not teu_per_year")
        if self.cargo == "container" and self.tonnes_per_year is not None:
            raise ValueError("a container flow gives teu_per_year and tonnes_per_teu")
        if self.route is not None and self.routes is not None:
            raise ValueError("give route or routes, not both")
        return self

    @property
    def lot_size(self) -> float:
        """Size of one lot in the flow's own unit (TEU for containers, tonnes for bulk)."""
        return self.lot_teu if self.cargo == "container" else self.lot_tonnes

    @property
    def units_per_year(self) -> float:
        """Yearly volume in the flow's own unit (TEU for containers, tonnes for bulk)."""
        return self.teu_per_year if self.cargo == "container" else self.tonnes_per_year

    @property
    def tonnes_per_unit(self) -> float:
        """Tonnes in one unit of the flow (tonnes per TEU, or 1 for bulk)."""
        return self.tonnes_per_teu if self.cargo == "container" else 1.0


SECTION_CHANGE_KEYS = ("trains_per_day", "tracks", "speed_kmh", "km_per_day")
NODE_CHANGE_KEYS = ("slots", "exchange_trains_per_day", "yard_trains")
FLOW_CHANGE_KEYS = ("teu_per_year", "tonnes_per_year")


ChangeValue = Annotated[float, Strict(), Field(gt=0)]


class Change(Frozen):
    """A dated change of one section's, node's or flow's numbers (from that date on)."""

    date: Date
    section: Id | None = None
    node: Id | None = None
    flow: Id | None = None
    set: dict[str, ChangeValue | tuple[ChangeValue, ChangeValue]] = Field(min_length=1)
    note: str | None = None

    @model_validator(mode="after")
    def _one_target(self) -> Change:
        targets = [t for t in (self.section, self.node, self.flow) if t is not None]
        if len(targets) != 1:
            raise ValueError("give exactly one of section, node or flow")
        allowed = self.allowed_keys
        bad = [k for k in self.set if k not in allowed]
        if bad:
            raise ValueError(
                f"cannot change {bad[0]!r} of a {self.target_kind}; expected one of "
                + ", ".join(allowed)
            )
        pairs = [k for k, v in self.set.items() if isinstance(v, tuple)]
        if any(k != "exchange_trains_per_day" for k in pairs):
            raise ValueError(
                f"{pairs[0]!r} takes one number; only exchange_trains_per_day takes a pair "
                "(one limit per direction)"
            )
        return self

    @property
    def target_kind(self) -> str:
        """'section', 'node' or 'flow'."""
        return "section" if self.section else "node" if self.node else "flow"

    @property
    def target(self) -> str:
        """Id of the changed element."""
        return self.section or self.node or self.flow or ""

    @property
    def allowed_keys(self) -> tuple[str, ...]:
        """Keys that may be changed on this kind of target."""
        return {"section": SECTION_CHANGE_KEYS, "node": NODE_CHANGE_KEYS, "flow": FLOW_CHANGE_KEYS}[
            self.target_kind
        ]


class Disruption(Frozen):
    """A dated closure or capacity cut, or random breakdowns (MTBF/MTTR), of a section or node."""

    section: Id | None = None
    node: Id | None = None
    start: Date | None = None
    end: Date | None = None
    capacity_factor: Fraction = Field(default=0.0, description="0 closes, 0.5 halves capacity")
    mtbf_hours: MtbfHours | None = None
    mttr_hours: MttrHours | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _shape(self) -> Disruption:
        if (self.section is None) == (self.node is None):
            raise ValueError("give exactly one of section or node")
        dated = self.start is not None or self.end is not None
        random_ = self.mtbf_hours is not None or self.mttr_hours is not None
        if dated == random_:
            raise ValueError("give either start and end (dated) or mtbf_hours and mttr_hours")
        if dated and (self.start is None or self.end is None or self.end <= self.start):
            raise ValueError("a dated disruption needs start and a later end")
        if random_ and (self.mtbf_hours is None or self.mttr_hours is None):
            raise ValueError("random breakdowns need both mtbf_hours and mttr_hours")
        if 0 < self.capacity_factor < CAPACITY_FACTOR_MIN:
            raise ValueError(f"capacity_factor is 0 (closed) or at least {CAPACITY_FACTOR_MIN}")
        return self

    @property
    def target(self) -> str:
        """Id of the disrupted section or node."""
        return self.section or self.node or ""


class Scenario(Frozen):
    """A whole validated scenario: what the engine takes, with no trace of YAML."""

    name: str
    description: str = ""
    start_date: Date
    horizon_years: HorizonYears = 1
    seed: Seed = 0
    replications: Replications = 1
    warmup_days: WarmupDays = 0.0
    route_choice: RouteChoice = Field(
        default="least_time",
        description="least_time: each train takes the route of least expected time now; "
        "fixed: each flow keeps its fastest route (or its first listed one)",
    )
    route_alternatives: Alternatives = Field(
        default=3, description="k: fastest loop-free routes derived for a flow without routes"
    )
    nodes: tuple[Node, ...] = Field(min_length=2)
    sections: tuple[Section, ...] = Field(min_length=1)
    train_types: tuple[TrainType, ...] = Field(min_length=1)
    flows: tuple[Flow, ...] = Field(min_length=1)
    changes: tuple[Change, ...] = ()
    disruptions: tuple[Disruption, ...] = ()

    def node(self, node_id: str) -> Node:
        """The node with this id."""
        return next(n for n in self.nodes if n.id == node_id)

    def section(self, key: str) -> Section:
        """The section with this key."""
        return next(s for s in self.sections if s.key == key)
