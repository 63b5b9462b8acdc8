"""On a local pool, a kept replication's visits file is completed by the process collecting the
outcomes (its workers go on meanwhile); the files are those a serial run writes."""

from __future__ import annotations

from pathlib import Path

from simulator.experiment import replications
from simulator.experiment.outcomes import with_files
from simulator.experiment.replications import run_outcomes, tabulate
from simulator.output.record_stream import record_spool
from simulator.scenario.loading import load_scenario

REPO = Path(__file__).resolve().parents[2]


def light():
    return load_scenario(
        REPO / "scenarios" / "tutorial.yaml",
        [
            "horizon_years=2",
            "replications=2",
            "flows.xian-europe.teu_per_year=40_000",
            "flows.ore-east.tonnes_per_year=500_000",
        ],
    )


def test_a_deferred_outcome_carries_the_step_that_writes_its_visits_file(tmp_path):
    scenario = light()
    with record_spool(tmp_path / "run") as writer:
        done = tabulate(scenario, 0, keep={0}, writer=writer, defer_files=True)
        assert done.record_files == () and done.pending_files is not None
        assert done.records is not None  # the run's facts travel with it, as when written
        spool = next(p for p in tmp_path.iterdir() if p.name.startswith("."))
        assert not any(p.name.startswith("visits") for p in spool.iterdir())
        complete = with_files(done)
        assert complete.pending_files is None
        assert [Path(f).name for f in complete.record_files] == [
            "visits-rep0.parquet",
            "lots-rep0.parquet",
        ]
        assert all(Path(f).exists() for f in complete.record_files)
        assert with_files(complete) is complete  # nothing left to do


def test_two_jobs_hand_back_complete_files_identical_to_one_job(tmp_path, monkeypatch):
    scenario = light()
    files: dict[int, dict[str, bytes]] = {}
    completed: list[bool] = []  # whether each outcome reached this process with a step left

    def watched(done):
        completed.append(done.pending_files is not None)
        return with_files(done)

    monkeypatch.setattr(replications, "with_files", watched)
    for jobs in (1, 2):
        with record_spool(tmp_path / f"run{jobs}") as writer:
            outcomes = run_outcomes(scenario, jobs=jobs, records="all", record_writer=writer)
            assert all(o.pending_files is None and len(o.record_files) == 2 for o in outcomes)
            paths = [Path(f) for o in outcomes for f in o.record_files]
            files[jobs] = {p.name: p.read_bytes() for p in paths}
    assert len(files[2]) == 4 and files[2] == files[1]
    assert completed == [True, True]  # only the pool's outcomes; a serial run writes them itself
