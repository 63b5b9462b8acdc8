"""The engine against queueing theory, with tolerances from the standard error of replications.

Trains reach the tested resource as a Poisson stream (one lot per train, lots released by a
Poisson process, a wide fast approach); each case runs R one-year replications and accepts the
mean wait within 3 standard errors of the formula (and requires that SE to be under 8% of it).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from simulator.engine.simulation import build_world, run_until, simulate, start_processes
from tests.engine_fixtures import container_flow, node, scenario, section

RATE_PER_HOUR = 1.0
REPLICATIONS = 6


def erlang_c_wait(lam: float, mean_service: float, servers: int) -> float:
    """Mean wait in queue of M/M/c (Erlang C)."""
    a = lam * mean_service
    rho = a / servers
    top = a**servers / math.factorial(servers) / (1 - rho)
    p_wait = top / (sum(a**k / math.factorial(k) for k in range(servers)) + top)
    return p_wait * mean_service / (servers * (1 - rho))


def md1_wait(lam: float, service: float) -> float:
    """Mean wait in queue of M/D/1 (Pollaczek-Khinchine)."""
    rho = lam * service
    return lam * service**2 / (2 * (1 - rho))


def poisson_line(handling: dict | None, tpd: float = 1000.0):
    """a (origin) -> q (tested node) -> b (exit); each lot is one train.

    The most trains a day a section may carry (1,000, a train every 86 s) barely shapes the
    arrivals at q: the waits it adds are far below the tolerance.
    """
    q = node("q", "hub", handling=handling) if handling else node("q", "junction")
    teu = RATE_PER_HOUR * 24 * 365 * 10
    return scenario(
        [node("a", "hub"), q, node("b", "exit")],
        [section("a", "q", tpd=tpd, length_km=10), section("q", "b", length_km=10)],
        [container_flow("a", "b", teu, lot_teu=10)],
        seed=7,
    )


def mean_waits(s, resource_name: str) -> np.ndarray:
    """Mean wait at one resource in each replication."""
    out = []
    for rep in range(REPLICATIONS):
        r = simulate(s, rep)
        idx = [res.name for res in r.resources].index(resource_name)
        m = r.visits["resource"] == idx
        out.append(np.mean(r.visits["start_h"][m] - r.visits["arrive_h"][m]))
    return np.array(out)


def assert_matches(waits: np.ndarray, theory: float) -> None:
    se = waits.std(ddof=1) / math.sqrt(len(waits))
    assert se < 0.08 * theory, f"too noisy to judge: se {se:.3f} for {theory:.3f}"
    assert abs(waits.mean() - theory) < 3 * se + 1e-3, (waits.mean(), theory, se)


@pytest.mark.parametrize(
    "servers,mean_service,expected",
    [(1, 0.8, 3.2), (2, 1.6, 2.8444), (3, 2.4, 2.5888)],
)
def test_mmc_node_matches_erlang_c(servers, mean_service, expected):
    assert erlang_c_wait(RATE_PER_HOUR, mean_service, servers) == pytest.approx(expected, 1e-3)
    s = poisson_line(
        {"slots": servers, "handling_hours": {"dist": "exponential", "mean": mean_service}}
    )
    assert_matches(mean_waits(s, "q"), expected)


def test_md1_node_matches_pollaczek_khinchine():
    s = poisson_line({"slots": 1, "handling_hours": 0.8})
    assert_matches(mean_waits(s, "q"), md1_wait(RATE_PER_HOUR, 0.8))


def test_md1_section_gate_matches_pollaczek_khinchine():
    s = poisson_line(None, tpd=24 / 0.8)  # headway 0.8 h on the approach a-q
    assert_matches(mean_waits(s, "a-q"), md1_wait(RATE_PER_HOUR, 0.8))


def test_littles_law_holds_at_every_node_with_slots():
    """Queue length sampled during the run equals arrival rate times mean wait (L = lambda W)."""
    s = poisson_line({"slots": 2, "handling_hours": {"dist": "exponential", "mean": 1.6}})
    w, _ = build_world(s, 0)
    start_processes(w)
    samples: dict[str, list[int]] = {n: [] for n, st in w.nodes.items() if st.slots}
    step = 0.25

    def monitor():
        while True:
            for name in samples:
                samples[name].append(w.nodes[name].slots.queue_length)
            yield w.env.timeout(step)

    w.env.process(monitor())
    horizon = w.calendar.horizon_hours
    run_until(w.env, horizon, None)
    v = w.visits.freeze()
    for name, values in samples.items():
        m = v["resource"] == w.nodes[name].resource
        waits = v["start_h"][m] - v["arrive_h"][m]
        lam_w = waits.sum() / horizon
        assert np.mean(values) == pytest.approx(lam_w, rel=0.03), name


def test_saturated_line_carries_its_capacity():
    """Twice the demand a 10-trains-a-day line admits: it carries 10 a day, no more, no less."""
    s = scenario(
        [node("a", "hub"), node("b", "exit")],
        [section("a", "b", tpd=10)],
        [container_flow("a", "b", 20 * 365 * 10, lot_teu=10)],
    )
    r = simulate(s, 0)
    entries = r.visits["start_h"][r.visits["resource"] == 2]
    assert abs(len(entries) - 365 * 10) <= 2
    per_day = np.bincount((entries // 24).astype(int))
    assert per_day[1:-1].min() == 10 and per_day.max() == 10
