"""Property test: any mutation of a valid scenario gives a Scenario or located problems, never a crash.

Mutations drop keys, swap types, put random values and names in nested places; the mutated data is
written as YAML and read back through `load_scenario`, as a user's file would be.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.engine.simulation import simulate
from simulator.errors import ScenarioError
from simulator.scenario.loading import load_scenario
from simulator.scenario.model import Scenario

SCENARIOS = sorted((Path(__file__).parents[2] / "scenarios").glob("*.yaml"))


def base(path: Path) -> dict[str, Any]:
    """A scenario's data, with `extends` made absolute so that it resolves from a temporary folder."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if isinstance(data.get("extends"), str):
        data["extends"] = str((path.parent / data["extends"]).resolve())
    return data


BASES = [base(p) for p in SCENARIOS]
NAMES = [
    "xian",
    "dostyk",
    "europe",
    "dist",
    "id",
    "from",
    "to",
    "slots",
    "seed",
    "kind",
    "gauge_mm",
]

Path_ = tuple[Any, ...]


def paths(data: Any, prefix: Path_ = ()) -> list[Path_]:
    """Every key path inside the data (not the root itself)."""
    out: list[Path_] = []
    items = (
        data.items()
        if isinstance(data, dict)
        else enumerate(data)
        if isinstance(data, list)
        else ()
    )
    for key, value in items:
        out.append((*prefix, key))
        out.extend(paths(value, (*prefix, key)))
    return out


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(NAMES),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(NAMES), inner, max_size=4)
    ),
    max_leaves=8,
)
keys = st.one_of(st.sampled_from(NAMES), st.text(min_size=1, max_size=8), st.integers(0, 3))


@st.composite
def mutated(draw: st.DrawFn) -> Any:
    """A valid scenario with one to four random mutations at random nested places."""
    data = copy.deepcopy(draw(st.sampled_from(BASES)))
    for _ in range(draw(st.integers(1, 4))):
        where = paths(data)
        if not where:
            break
        path = draw(st.sampled_from(where))
        parent = data
        for k in path[:-1]:
            parent = parent[k]
        key = path[-1]
        op = draw(st.sampled_from(["drop", "value", "rename", "stringify", "wrap", "copy"]))
        if op == "drop":
            del parent[key]
        elif op == "value":
            parent[key] = draw(values)
        elif op == "rename" and isinstance(parent, dict):
            parent[draw(keys)] = parent.pop(key)
        elif op == "stringify":
            parent[key] = str(parent[key])
        elif op == "wrap":
            parent[key] = [parent[key]]
        elif op == "copy" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
    return data


def check_outcome(file: Path, overrides: tuple[str, ...] = ()) -> None:
    """Loading gives a Scenario, or a ScenarioError whose problems each say where and what."""
    try:
        scenario = load_scenario(file, overrides)
    except ScenarioError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.file, problem
            assert problem.line > 0 or problem.file.startswith("--set "), problem
            assert problem.path, problem
            assert (
                problem.message
                and "; expected" in problem.message
                or "did you mean" in problem.message
            ), problem
    else:
        assert isinstance(scenario, Scenario)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder for the mutated files (module-scoped, so Hypothesis may reuse it)."""
    return tmp_path_factory.mktemp("mutations")


@settings(
    max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(data=mutated())
def test_mutated_scenarios_fail_cleanly(data: Any, workdir: Path) -> None:
    file = workdir / "mutated.yaml"
    file.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    check_outcome(file)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    path=st.lists(keys.map(str), min_size=1, max_size=4).map(".".join),
    value=st.one_of(
        st.sampled_from(["4_000_000", "4.0e+6", "4.0e6", "[1, 2]", "{a: 1}", "", "x"]),
        st.text(max_size=8),
    ),
)
def test_random_overrides_fail_cleanly(path: str, value: str, workdir: Path) -> None:
    file = workdir / "base.yaml"
    file.write_text(SCENARIOS[0].read_text(encoding="utf-8"), encoding="utf-8")
    check_outcome(file, (f"{path}={value}",))


EXTREME_FLOATS = [
    5e-324,  # the smallest subnormal
    -5e-324,
    2.2250738585072014e-308,  # the smallest normal
    1e-300,
    1e-9,
    0.0,
    -0.0,
    1e9,
    1e300,
    1.7976931348623157e308,  # the largest float
    float("inf"),
    float("-inf"),
    float("nan"),
]


def extreme_base() -> dict[str, Any]:
    """The tutorial for one year, with the numeric keys it lacks (breakdowns, a capacity cut,
    growth, seasonality, weights, a dated change) so that every kind of number is fuzzed."""
    data = base(SCENARIOS_BY_NAME["tutorial"])
    data["horizon_years"] = 1
    data["changes"] = [
        {"date": dt.date(2022, 7, 1), "section": "dostyk-aktogay", "set": {"trains_per_day": 16}}
    ]
    data["disruptions"] = [
        {"node": "dostyk", "mtbf_hours": 2000, "mttr_hours": 12},
        {"section": "dostyk-aktogay", "start": dt.date(2022, 3, 1), "end": dt.date(2022, 3, 9)}
        | {"capacity_factor": 0.5},
    ]
    flow = data["flows"][0]
    flow.update(growth_per_year=0.05, seasonality=[1.0] * 12, lot_teu=4, tonnes_per_teu=11)
    data["nodes"][1]["handling"]["handling_hours"] = {
        "dist": "empirical",
        "values": [2, 3, 5],
        "weights": [1, 2, 1],
    }
    return data


SCENARIOS_BY_NAME = {p.stem: p for p in SCENARIOS}
EXTREME_BASE = extreme_base()


def value_at(data: Any, path: Path_) -> Any:
    """The value at a key path."""
    for key in path:
        data = data[key]
    return data


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


NUMBER_PATHS = [
    p
    for p in paths(EXTREME_BASE)
    if p != ("horizon_years",) and is_number(value_at(EXTREME_BASE, p))
]


@settings(max_examples=25, deadline=None, derandomize=True)
@given(
    changes=st.lists(
        st.tuples(
            st.sampled_from(NUMBER_PATHS),
            st.one_of(st.sampled_from(EXTREME_FLOATS), st.floats(), st.integers(-(2**70), 2**70)),
        ),
        min_size=1,
        max_size=3,
    )
)
def test_extreme_numbers_are_refused_cleanly_or_run(
    changes: list[tuple[Path_, float]], workdir: Path
) -> None:
    """Extreme numbers anywhere: validation raises nothing but ScenarioError, and what it
    accepts runs a year without error (conservation included)."""
    data = copy.deepcopy(EXTREME_BASE)
    for path, number in changes:
        parent = data
        for key in path[:-1]:
            parent = parent[key]
        parent[path[-1]] = number
    file = workdir / "extreme.yaml"
    file.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    try:
        scenario = load_scenario(file)
    except ScenarioError:
        return
    simulate(scenario, 0)
