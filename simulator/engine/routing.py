"""Route choice: which route a train takes, and the hours it must be held for dispatch caps.

Each train, when formed, takes the route of least expected time: running and handling hours
plus the waits it would meet now at every gate, exchange and handling node on the way. A FIFO
gate knows its next free entry; trains already sent towards it and expected there first
("bound" trains) are added at one headway each, so trains formed in a burst do not all pile
onto one route. Pricing a route also gives the hours a train must wait at its origin to meet no
more than a node's `max_queue_trains` ahead of it (see dispatch.py, which holds it).
"""

from __future__ import annotations

import math
from bisect import bisect_right, insort
from dataclasses import dataclass, field

from simulator.engine.facilities import Gate
from simulator.engine.randomness import mean_of
from simulator.engine.world import FlowState, NodeState, Train, World
from simulator.scenario.network import route_group, route_options

GATE, SLOTS = 0, 1


@dataclass
class Step:
    """One facility on a route: where it is (node position) and when the train reaches it."""

    at: int  # position in the route of the node it belongs to (a section: its first node)
    offset_h: float  # running and handling hours from the route's start to reaching it
    kind: int  # GATE (section or border exchange) or SLOTS (node handling)
    gate: Gate | None
    direction: int
    node: NodeState | None  # the node whose handling this is (SLOTS), or whose exchange
    cap: int | None  # max_queue_trains of the node, for steps at a node
    is_node_step: bool
    mean_h: float = 0.0  # mean handling hours (SLOTS)
    checks_cap: bool = False  # the cap applies here: a capped step of the first leg
    behind_all: bool = False  # the line out of the re-formation node: queued behind every
    # train booked there, however late


@dataclass
class RoutePlan:
    """A route with everything needed to price it quickly and to count trains sent along it."""

    nodes: tuple[str, ...]
    group: str
    share: float | None
    bias_hours: float
    total_h: float  # running plus mean handling hours, start to end, with no waiting
    opens_hour: float  # the hour its last part opens
    steps: list[Step]
    leg_end: int  # position where the train formed at the start ends (re-formation or end)
    trains: int = 0
    counted: list[Step] = field(default_factory=list)
    capped: bool = False  # a step of its first leg has a dispatch cap
    release_at: int = -1  # position of the last capped node of its first leg (-1: none)


def build_plan(
    w: World,
    nodes: tuple[str, ...],
    handle_first: bool,
    group: str = "",
    share: float | None = None,
    bias_hours: float = 0.0,
    container: bool = True,
) -> RoutePlan:
    """Price list of one route, in the order the journey meets its facilities."""
    steps: list[Step] = []
    t = 0.0
    opens = 0.0
    first_gauge = w.section(nodes[0], nodes[1]).section.gauge_mm
    leg_end = len(nodes) - 1
    for i, name in enumerate(nodes):
        st = w.nodes[name]
        opens = max(opens, st.capacity.opens_hour)
        cap = st.node.max_queue_trains
        visited = i > 0 or handle_first
        if visited and i > 0 and st.exchange is not None:
            prev = w.node_index[nodes[i - 1]]
            nxt = w.node_index[nodes[i + 1]] if i + 1 < len(nodes) else -1
            came_on = w.section(nodes[i - 1], name).section.gauge_mm
            gate, direction = st.exchange_way(came_on, prev, nxt)
            steps.append(Step(i, t, GATE, gate, direction, st, cap, True))
        if visited and st.slots is not None:
            mean_h = mean_of(st.node.handling.handling_hours)
            steps.append(Step(i, t, SLOTS, None, 0, st, cap, True, mean_h))
            t += mean_h
        if i + 1 == len(nodes):
            break
        sec = w.section(name, nodes[i + 1])
        if container and i > 0 and sec.section.gauge_mm != first_gauge and leg_end > i:
            leg_end = i
        opens = max(opens, sec.capacity.opens_hour)
        direction = 1 if sec.section.from_ == name else -1
        # a node's cap counts the trains queued there for the line out of it too, and a capped
        # node's the trains queued for the line into it: none wait on the line for a full node
        into = w.nodes[nodes[i + 1]].node.max_queue_trains
        line_cap = cap if cap is not None else into
        steps.append(Step(i, t, GATE, sec.gate, direction, None, line_cap, False))
        t += sec.section.running_hours
    plan = RoutePlan(nodes, group, share, bias_hours, t, opens, steps, leg_end)
    plan.counted = [s for s in steps if s.at < leg_end or (s.at == leg_end and s.is_node_step)]
    for s in plan.counted:
        s.checks_cap = s.cap is not None and (s.at > 0 or not s.is_node_step)
    if leg_end < len(nodes) - 1:
        # the line out of the node where it is re-formed: its cap holds the train here too,
        # so cargo waits at its origin rather than piling up at the re-formation node. Its
        # lots join the pool there behind every onward train already booked on the line, so
        # all of those count ahead of it (it books no place there itself: the train formed
        # from its lots will).
        onward = next(s for s in steps if s.at == leg_end and not s.is_node_step)
        onward.checks_cap = onward.cap is not None
        onward.behind_all = True
    plan.capped = any(s.checks_cap for s in steps)
    plan.release_at = max((s.at for s in plan.counted if s.checks_cap), default=-1)
    return plan


def expected_wait(
    step: Step, now: float, arrival: float, ahead_by: float | None = None
) -> tuple[float, float]:
    """Hours a train reaching the step at `arrival` would wait, and one train's service hours.

    Trains already sent or booked towards it and expected there before `ahead_by` (default:
    its arrival; inf: every one of them) queue ahead of it.
    """
    gate = step.gate
    by = arrival if ahead_by is None else ahead_by
    if gate is not None:
        gap = gate.fixed_gap
        if gap is None:
            return gate.expected_wait(now, arrival, step.direction, by)
        free, bound = gate._next_free, gate.bound
        if gate.always_shared:
            nxt = free[1] if free[1] > free[-1] else free[-1]
            ahead = bisect_right(bound[1], by) + bisect_right(bound[-1], by)
        else:
            nxt, ahead = free[step.direction], bisect_right(bound[step.direction], by)
        entry = (nxt if nxt > now else now) + ahead * gap
        return (entry - arrival if entry > arrival else 0.0), gap
    node = step.node
    slots = node.slots
    servers = slots.servers
    if servers <= 0:
        return math.inf, step.mean_h
    service = step.mean_h / servers
    ahead = slots.queue_length + slots.users + bisect_right(node.bound, by) - servers + 1
    wait = ahead * service - (arrival - now)
    return (wait if wait > 0 else 0.0), service


@dataclass
class Chooser:
    """The routes one flow's trains choose among at one place, with contract shares."""

    plans: list[RoutePlan]
    least_time: bool
    sent: int = 0
    has_open: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        # cheapest first, so the others can stop pricing as soon as they cannot win
        if self.least_time:
            self.plans.sort(key=lambda p: p.total_h + p.bias_hours)
        # some route has no dispatch cap and may take the trains a full capped crossing holds
        capped = [p.capped for p in self.plans]
        self.has_open = any(capped) and not all(capped)

    def pick(
        self, now: float, earliest_h: float = 0.0, waited_h: float | None = None
    ) -> tuple[RoutePlan | None, float]:
        """The plan a train formed now takes and the hours it must wait to keep within the
        dispatch caps, leaving no earlier than `earliest_h`; or None and the hours to wait
        before asking again (nothing usable).

        `waited_h`: the flow has its share booked at its capped nodes and its oldest cargo has
        waited this long for them; a route without a cap then takes the train if it is slower
        than the best capped route by less than that (None: the share is not taken up).
        """
        if len(self.plans) == 1 and not self.plans[0].capped:
            return self.plans[0], 0.0  # nothing to choose and nothing to hold for
        if waited_h is not None:
            return self._overflow(now, earliest_h, waited_h)
        bound = self._contract(now)
        candidates = [bound] if bound is not None else self.plans
        best: RoutePlan | None = None
        best_h = math.inf
        best_hold = 0.0
        retry = math.inf
        for plan in candidates:
            if plan.opens_hour > now and len(candidates) > 1:
                retry = min(retry, plan.opens_hour - now)
                continue
            hours, excess = self.price(plan, now, best_h, earliest_h)
            if hours < best_h:
                best, best_h, best_hold = plan, hours, excess
            if not self.least_time:
                break
        if best is None:
            return None, max(retry if math.isfinite(retry) else 24.0, 1.0)
        return best, best_hold

    def _overflow(
        self, now: float, earliest_h: float, waited_h: float
    ) -> tuple[RoutePlan | None, float]:
        """The fastest route without a cap if it loses less than `waited_h` against the best
        capped one, else None (wait for room on a capped route)."""
        best_capped = min(
            (self.price(p, now, math.inf, earliest_h)[0] for p in self.plans if p.capped),
            default=math.inf,
        )
        limit = best_capped + waited_h
        best, best_h = None, math.inf
        for plan in self.plans:
            if not plan.capped and plan.opens_hour <= now:
                hours = self.price(plan, now, min(best_h, limit), earliest_h)[0]
                if hours < best_h and hours <= limit:
                    best, best_h = plan, hours
        return best, (0.0 if best is not None else math.inf)

    def _contract(self, now: float) -> RoutePlan | None:
        """The plan most behind its contract share, if any is behind."""
        worst, gap = None, 0.0
        for plan in self.plans:
            if plan.share is not None and plan.opens_hour <= now:
                owed = plan.share * (self.sent + 1) - plan.trains
                if owed > gap:
                    worst, gap = plan, owed
        return worst

    def price(
        self, plan: RoutePlan, now: float, limit: float = math.inf, earliest_h: float = 0.0
    ) -> tuple[float, float]:
        """Expected hours to the end of the route, and hours to hold the train for the dispatch
        caps (0: none), leaving no earlier than `earliest_h`.

        Stops early (returning at least `limit`) once the route cannot beat `limit`.
        """
        delay = earliest_h - now if earliest_h > now else 0.0
        waits = excess = delay
        fixed = plan.total_h + plan.bias_hours
        for step in plan.steps:
            arrival = now + step.offset_h + waits
            wait, service = expected_wait(step, now, arrival)
            if step.checks_cap:
                if step.behind_all:  # every train booked there goes first (see build_plan)
                    wait = expected_wait(step, now, arrival, math.inf)[0]
                over = delay + wait - step.cap * service
                if over > excess:
                    excess = over
            waits += wait
            if fixed + waits >= limit:
                break
        return fixed + waits, excess

    def book(self, plan: RoutePlan, depart_h: float) -> None:
        """Count a train leaving at `depart_h` as bound for every facility of its leg, in the
        order it will reach them, so later trains queue behind it (until it passes each)."""
        self.sent += 1
        plan.trains += 1
        for step in plan.counted:
            queue = step.gate.bound[step.direction] if step.kind == GATE else step.node.bound
            insort(queue, depart_h + step.offset_h)

    def send(self, train: Train, plan: RoutePlan, now: float, booked: bool = False) -> None:
        """Mark a train as counted, and book it now unless `dispatch` booked it already."""
        train.counted = True
        if not booked:
            self.book(plan, now)


def onward_chooser(
    w: World, fs: FlowState, route: tuple[str, ...], handle_first: bool
) -> Chooser | None:
    """For a pool: the flow's own chooser at its port, else the one onward route, counted."""
    if not w.counting:
        return None
    if handle_first and fs.chooser is not None and route[0] == fs.flow.origin:
        return fs.chooser
    container = fs.flow.cargo == "container"
    return Chooser([build_plan(w, route, handle_first, container=container)], False)


def setup_choosers(w: World) -> None:
    """Give each flow its chooser when trains are counted (least time, or a dispatch cap)."""
    sc = w.scenario
    capped = any(n.max_queue_trains is not None for n in sc.nodes)
    w.counting = sc.route_choice == "least_time" or capped
    if not w.counting:
        return
    for fs in w.flows:
        container = fs.flow.cargo == "container"
        if sc.route_choice == "least_time":
            options = route_options(sc, fs.flow.id)
            plans = [
                build_plan(w, o.nodes, True, route_group(sc, o), o.share, o.bias_hours, container)
                for o in options
            ]
            fs.chooser = Chooser(plans, True)
    if not capped and all(len(fs.chooser.plans) == 1 for fs in w.flows if fs.chooser):
        # nothing to choose anywhere: run as with fixed routes, at no cost
        w.counting = False
        for fs in w.flows:
            fs.chooser = None


def epoch_chooser(w: World, fs: FlowState, route: tuple[str, ...]) -> Chooser | None:
    """The chooser of one fixed-route epoch of a flow: the flow's own, or one route, counted."""
    if fs.chooser is not None or not w.counting:
        return fs.chooser
    return Chooser([build_plan(w, route, True, container=fs.flow.cargo == "container")], False)
