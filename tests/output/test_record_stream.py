"""Records written while a replication runs are the files written from its whole records,
byte for byte (that it holds no more rows in a longer run: tests/report/test_online_tables.py)."""

from __future__ import annotations

import pickle

import pytest

from simulator.engine.simulation import simulate
from simulator.output import record_files, record_stream
from simulator.output.record_files import LOTS_FILE, VISITS_FILE, write_records
from simulator.output.record_stream import RecordStream
from simulator.records.sink import BothSinks
from simulator.records.stored import compact
from simulator.report.online import OnlineTables
from tests.engine_fixtures import container_flow, node, scenario, section


def port_and_rail():
    """Ships unloading at a port (train -1 rows all year) and a rail flow through it."""
    port = node(
        "p",
        "seaport",
        handling={"slots": 1, "handling_hours": 1.0},
        port={"berths": 1, "crane_teu_per_hour": 50},
    )
    flows = [
        container_flow("p", "b", 52 * 500, lot_teu=10, ship_teu_per_call=500),
        container_flow("a", "b", 20_000, lot_teu=2),
    ]
    nodes = [node("a", "hub"), port, node("b", "exit")]
    return scenario(nodes, [section("a", "p"), section("p", "b")], flows)


@pytest.mark.parametrize(("group_rows", "stalled_rows"), [(300, 1 << 18), (1 << 20, 0), (300, 0)])
def test_streamed_files_equal_those_of_whole_records(
    tmp_path, monkeypatch, group_rows, stalled_rows
):
    """Same bytes, whether the files hold one row group or many (ships first, then trains),
    and whether trains are written once every older one has left or (stalled_rows 0) once
    they leave, those that leave after younger ones were written merged in at the end."""
    monkeypatch.setattr(record_files, "ROW_GROUP_ROWS", group_rows)
    monkeypatch.setattr(record_stream, "ROW_GROUP_ROWS", group_rows)
    monkeypatch.setattr(record_stream, "STALLED_ROWS", stalled_rows)
    s = port_and_rail()
    whole, streamed = tmp_path / "whole", tmp_path / "streamed"
    whole.mkdir()
    streamed.mkdir()
    run = simulate(s, 0)
    write_records(whole, compact(run))
    stream = RecordStream(streamed, 0)
    simulate(s, 0, sink=BothSinks(OnlineTables(s.horizon_years), stream))
    files = stream.finish()
    assert sorted(p.name for p in streamed.iterdir()) == sorted(p.name for p in files)
    assert (run.visits["train"] < 0).any()
    assert len(run.visits["train"]) > 3 * min(group_rows, 300)  # several groups at 300
    for name in (VISITS_FILE.format(0), LOTS_FILE.format(0)):
        assert (streamed / name).read_bytes() == (whole / name).read_bytes(), name
    assert stream.peak_rows < len(run.visits["train"]) / 5
    if stalled_rows == 0:
        assert stream.late == [] and stream.written_up_to == run.trains


def test_the_sealed_step_is_picklable_and_writes_the_same_files(tmp_path, monkeypatch):
    """The visits file can be made by another process (a pool's parent): same bytes, and the
    temporary file is gone afterwards."""
    monkeypatch.setattr(record_files, "ROW_GROUP_ROWS", 300)
    monkeypatch.setattr(record_stream, "ROW_GROUP_ROWS", 300)
    monkeypatch.setattr(record_stream, "STALLED_ROWS", 0)  # late trains to merge in
    s = port_and_rail()
    whole, streamed = tmp_path / "whole", tmp_path / "streamed"
    whole.mkdir()
    streamed.mkdir()
    write_records(whole, compact(simulate(s, 0)))
    stream = RecordStream(streamed, 0)
    simulate(s, 0, sink=BothSinks(OnlineTables(s.horizon_years), stream))
    step = stream.seal()
    assert sorted(p.name for p in streamed.iterdir()) == [
        record_stream.SORTED_FILE.format(0),
        LOTS_FILE.format(0),
    ]
    assert len(step.late["train"]) > 0
    files = pickle.loads(pickle.dumps(step))()
    assert [p.name for p in files] == [VISITS_FILE.format(0), LOTS_FILE.format(0)]
    assert sorted(p.name for p in streamed.iterdir()) == sorted(p.name for p in files)
    for name in (VISITS_FILE.format(0), LOTS_FILE.format(0)):
        assert (streamed / name).read_bytes() == (whole / name).read_bytes(), name


def test_a_failed_run_leaves_no_files(tmp_path):
    s = port_and_rail()
    stream = RecordStream(tmp_path, 0)

    class Failing(BothSinks):
        def settled(self, hour, open_visits, first_open_train=None):
            super().settled(hour, open_visits, first_open_train)
            if hour > 4000:
                raise RuntimeError("stopped")

    with pytest.raises(RuntimeError):
        simulate(s, 0, sink=Failing(OnlineTables(1), stream))
    stream.abandon()
    assert list(tmp_path.iterdir()) == []
