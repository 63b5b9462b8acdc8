"""Loading scenarios: the frozen result, `extends` merging with lines in the right file, `--set`,
and every rule of the model restated as 'what was found; what was expected'.
"""

from __future__ import annotations

import copy
import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from simulator.errors import Problem, ScenarioError
from simulator.scenario.loading import load_scenario, scenario_to_yaml
from simulator.scenario.model import Scenario

UPGRADE = """\
extends: tutorial.yaml
name: tutorial-upgrade
nodes:
  - id: dostyk
    handling: {slots: 4}
sections:
  - from: dostyk
    to: aktogay
    trains_per_day: 14
flows:
  - id: xian-europe
    teu_per_year: 300_000
changes:
  - date: 2022-07-01
    node: dostyk
    set: {exchange_trains_per_day: 18}
"""


def problems_of(path: Path, overrides: tuple[str, ...] = ()) -> list[Problem]:
    """The problems loading reports (the test fails if loading succeeds)."""
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path, overrides)
    return caught.value.problems


def line_with(path: Path, text: str) -> int:
    """1-based number of the only line of a file that contains the text."""
    lines = [n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line]
    assert len(lines) == 1, lines
    return lines[0]


def by_id(items: list[dict[str, Any]], key: str) -> dict[str, Any]:
    """The item with this id (or from-to for sections) in a list read from YAML."""
    return next(i for i in items if i.get("id") == key or f"{i.get('from')}-{i.get('to')}" == key)


@pytest.fixture
def workdir(tmp_path: Path, tutorial_path: Path) -> Path:
    """A folder holding a copy of tutorial.yaml, so that test files may extend it."""
    shutil.copy(tutorial_path, tmp_path / "tutorial.yaml")
    return tmp_path


def test_tutorial_loads_as_a_frozen_scenario(tutorial_path: Path) -> None:
    scenario = load_scenario(tutorial_path)
    assert isinstance(scenario, Scenario)
    assert scenario.name == "tutorial"
    assert scenario.start_date == dt.date(2022, 1, 1)
    with pytest.raises(ValidationError):
        scenario.name = "changed"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        scenario.nodes[0].kind = "exit"  # type: ignore[misc]
    with pytest.raises(TypeError):
        scenario.nodes[0] = scenario.nodes[1]  # type: ignore[index]
    assert isinstance(scenario.flows[0].seasonality, tuple)


def test_resolved_yaml_reads_back_to_the_same_scenario(tutorial_path: Path, tmp_path: Path) -> None:
    scenario = load_scenario(tutorial_path)
    out = tmp_path / "resolved.yaml"
    out.write_text(scenario_to_yaml(scenario))
    assert load_scenario(out) == scenario


def test_upgrade_file_merges_into_its_base(workdir: Path) -> None:
    upgrade = workdir / "upgrade.yaml"
    upgrade.write_text(UPGRADE)
    merged = load_scenario(upgrade)

    expected = yaml.safe_load((workdir / "tutorial.yaml").read_text())
    expected["name"] = "tutorial-upgrade"
    by_id(expected["nodes"], "dostyk")["handling"]["slots"] = 4
    by_id(expected["sections"], "dostyk-aktogay")["trains_per_day"] = 14
    by_id(expected["flows"], "xian-europe")["teu_per_year"] = 300_000
    expected["changes"].append(
        {"date": dt.date(2022, 7, 1), "node": "dostyk", "set": {"exchange_trains_per_day": 18}}
    )
    assert merged == Scenario.model_validate(expected)
    # what the upgrade did not mention is kept: other handling keys, other items, seasonality
    assert merged.node("dostyk").handling.yard_trains == 40
    assert len(merged.flows[0].seasonality) == 12
    assert [c.date for c in merged.changes] == [dt.date(2023, 1, 1), dt.date(2022, 7, 1)]


def test_new_items_are_appended_and_lists_of_values_replaced(workdir: Path) -> None:
    upgrade = workdir / "upgrade.yaml"
    upgrade.write_text(
        "extends: tutorial.yaml\n"
        "nodes:\n"
        "  - {id: almaty, kind: hub, gauge_mm: 1520}\n"
        "sections:\n"
        "  - {from: aktogay, to: almaty, length_km: 600, km_per_day: 800, trains_per_day: 20,"
        " gauge_mm: 1520}\n"
        "flows:\n"
        "  - id: xian-europe\n"
        "    seasonality: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n"
    )
    merged = load_scenario(upgrade)
    assert [n.id for n in merged.nodes][-1] == "almaty"
    assert merged.sections[-1].key == "aktogay-almaty"
    assert merged.flows[0].seasonality == (1.0,) * 12


def test_merged_values_keep_the_line_of_their_own_file(workdir: Path) -> None:
    base = workdir / "tutorial.yaml"
    base.write_text(base.read_text().replace("lot_tonnes: 500", "lot_tonnes: -500"))
    upgrade = workdir / "upgrade.yaml"
    upgrade.write_text(UPGRADE.replace("trains_per_day: 14", "trains_per_day: 0"))
    problems = problems_of(upgrade)
    assert [(p.file, p.line, p.path) for p in problems] == sorted(
        [
            (str(base), line_with(base, "lot_tonnes: -500"), "flows.ore-east.lot_tonnes"),
            (
                str(upgrade),
                line_with(upgrade, "trains_per_day: 0"),
                "sections.dostyk-aktogay.trains_per_day",
            ),
        ]
    )


def test_extends_chains_through_several_files(workdir: Path) -> None:
    (workdir / "middle.yaml").write_text("extends: tutorial.yaml\nseed: 7\n")
    (workdir / "top.yaml").write_text("extends: middle.yaml\nreplications: 5\n")
    scenario = load_scenario(workdir / "top.yaml")
    assert (scenario.seed, scenario.replications, scenario.name) == (7, 5, "tutorial")


def test_extends_cycle_is_reported_once(workdir: Path) -> None:
    (workdir / "a.yaml").write_text("extends: b.yaml\n")
    (workdir / "b.yaml").write_text("extends: c.yaml\n")
    (workdir / "c.yaml").write_text("extends: a.yaml\n")
    [problem] = problems_of(workdir / "a.yaml")
    assert (problem.file, problem.line, problem.path) == (str(workdir / "c.yaml"), 1, "extends")
    assert "a.yaml -> b.yaml -> c.yaml -> a.yaml" in problem.message


@pytest.mark.parametrize("value", ["4_000_000", "4.0e+6", "4000000", "4_000_000.0"])
def test_set_reads_numbers_as_yaml_does(tutorial_path: Path, value: str) -> None:
    scenario = load_scenario(tutorial_path, [f"flows.xian-europe.teu_per_year={value}"])
    assert scenario.flows[0].teu_per_year == 4_000_000


def test_set_addresses_list_items_by_id_or_index(tutorial_path: Path) -> None:
    scenario = load_scenario(
        tutorial_path,
        [
            "sections.dostyk-aktogay.trains_per_day=16",
            "nodes.0.handling.slots=6",
            "flows.xian-europe.seasonality.0=0.94",
            "nodes.aktogay.handling={slots: 2, handling_hours: 3}",
            "seed=9",
            "seed=11",
        ],
    )
    assert scenario.section("dostyk-aktogay").trains_per_day == 16
    assert scenario.node("xian").handling.slots == 6
    assert scenario.node("aktogay").handling.handling_hours.value == 3
    assert scenario.seed == 11  # later overrides win


def test_set_applies_after_extends(workdir: Path) -> None:
    upgrade = workdir / "upgrade.yaml"
    upgrade.write_text(UPGRADE)
    scenario = load_scenario(upgrade, ["flows.xian-europe.teu_per_year=1_000"])
    assert scenario.flows[0].teu_per_year == 1_000


@pytest.mark.parametrize(
    ("assignment", "path", "fragment"),
    [
        ("flows.xian-europe.teu_per_year=4.0e6", "flows.xian-europe.teu_per_year", "4.0e+6"),
        ("flows.xian-europe.teu_per_year=4e+6", "flows.xian-europe.teu_per_year", "4.0e+6"),
        ("seed=-1", "seed", "got -1; expected at least 0"),
        ("flows.xian-eurpe.lot_teu=2", "flows.xian-eurpe", "did you mean 'xian-europe'?"),
        ("nodes.7.kind=hub", "nodes.7", "an index from 0 to 4"),
        ("name.first=x", "name.first", "cannot go inside a plain value"),
        ("nodes.xian.handlng.slots=3", "nodes.xian.handlng", "did you mean 'handling'?"),
        ("seed", "seed", "no '='"),
        ("a..b=1", "a..b", "an empty key"),
    ],
)
def test_bad_set_names_its_origin(
    tutorial_path: Path, assignment: str, path: str, fragment: str
) -> None:
    [problem] = problems_of(tutorial_path, (assignment,))
    assert (problem.file, problem.line, problem.path) == (f"--set {assignment}", 0, path)
    assert fragment in problem.message
    assert str(problem).startswith(f"--set {assignment}: {path}: ")


RULES = [
    # (where in the tutorial, new value, key path reported, message fragment)
    (("nodes", 2, "handling", "handling_hours"), {"dist": "uniform", "low": 5, "high": 2},
     "nodes.dostyk.handling.handling_hours.high", "got low 5, high 2; expected high at least low"),
    (("nodes", 2, "handling", "handling_hours"), {"dist": "empirical", "values": [1, 2], "weights": [1]},
     "nodes.dostyk.handling.handling_hours.weights", "got 2 values and 1 weights; expected one"),
    (("nodes", 2, "handling", "yard_teu"), 500,
     "nodes.dostyk.handling.yard_teu", "both yard_trains and yard_teu given; expected only one"),
    (("sections", 0, "speed_kmh"), 40,
     "sections.xian-urumqi.km_per_day", "both speed_kmh and km_per_day given; expected only one"),
    (("train_types", 0, "teu_per_train"), None,
     "train_types.container-1435.teu_per_train", "required key 'teu_per_train' is missing; expected it for a container train type"),
    (("flows", 1, "teu_per_year"), 100,
     "flows.ore-east.teu_per_year", "teu_per_year on a bulk flow; expected tonnes_per_year"),
    (("flows", 0, "tonnes_per_year"), 100,
     "flows.xian-europe.tonnes_per_year", "tonnes_per_year on a container flow; expected teu_per_year"),
    (("flows", 1, "tonnes_per_year"), None,
     "flows.ore-east.tonnes_per_year", "required key 'tonnes_per_year' is missing; expected it for a bulk flow"),
    (("changes", 0, "node"), "dostyk",
     "changes.0.node", "both section and node given; expected only one of section, node or flow"),
    (("changes", 0, "section"), None,
     "changes.0", "no section, node or flow given; expected exactly one"),
    (("disruptions",), [{"section": "dostyk-aktogay", "node": "dostyk", "mtbf_hours": 500, "mttr_hours": 5}],
     "disruptions.0.node", "both section and node given; expected only one of section or node"),
    (("disruptions",), [{"section": "dostyk-aktogay", "start": dt.date(2022, 5, 1), "mtbf_hours": 500}],
     "disruptions.0", "got start and mtbf_hours; expected either start and end, or mtbf_hours and"),
    (("disruptions",), [{"node": "dostyk"}],
     "disruptions.0", "no dates and no breakdown times given; expected either"),
    (("disruptions",), [{"node": "dostyk", "mtbf_hours": 500}],
     "disruptions.0", "only mtbf_hours given; expected both mtbf_hours and mttr_hours"),
    (("disruptions",), [{"node": "dostyk", "start": dt.date(2022, 5, 1), "end": dt.date(2022, 4, 1)}],
     "disruptions.0.end", "end 2022-04-01 is not after start 2022-05-01; expected a later end"),
    (("disruptions",), [{"node": "dostyk", "end": dt.date(2022, 4, 1)}],
     "disruptions.0", "end given without start; expected a start date before end"),
    (("changes", 0, "set"), {"trains_per_dya": 30},
     "changes.0.set.trains_per_dya", "did you mean 'trains_per_day'?"),
]  # fmt: skip


@pytest.mark.parametrize(("where", "value", "path", "fragment"), RULES)
def test_model_rules_say_what_was_found_and_expected(
    tutorial_path: Path, tmp_path: Path, where: tuple, value: Any, path: str, fragment: str
) -> None:
    data = copy.deepcopy(yaml.safe_load(tutorial_path.read_text()))
    parent = data
    for key in where[:-1]:
        parent = parent[key]
    if value is None:
        del parent[where[-1]]
    else:
        parent[where[-1]] = value
    file = tmp_path / "rule.yaml"
    file.write_text(yaml.safe_dump(data, sort_keys=False))
    problems = problems_of(file)
    assert [p.path for p in problems] == [path], problems
    assert fragment in problems[0].message
    assert problems[0].line > 0


def test_every_problem_is_reported_at_once(tutorial_path: Path, tmp_path: Path) -> None:
    text = tutorial_path.read_text()
    for old, new in [("seed: 42", "seed: -1"), ("slots: 3", "slots: 0"), ("cv: 0.3}", "cv: x}")]:
        text = text.replace(old, new, 1)
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    paths = [p.path for p in problems_of(bad)]
    assert paths == [
        "seed",
        "nodes.dostyk.handling.slots",
        "nodes.dostyk.handling.handling_hours.cv",
    ]
