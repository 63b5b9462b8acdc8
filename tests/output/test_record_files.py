"""Record files: exact read-back, plain Parquet that other tools read, times to the second."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from simulator.output.record_files import (
    LOTS_FILE,
    META_FILE,
    VISITS_FILE,
    read_records,
    write_records,
)
from simulator.records.stored import compact
from tests.toy_runs import LOTS, VISITS, toy_run

VISIT_NAMES = [
    "train",
    "resource",
    "resource_kind",
    "from_node",
    "to_node",
    "cargo",
    "arrive",
    "start",
    "end",
    "busy_s",
    "teu",
    "tonnes",
    "completed",
]
LOT_NAMES = ["flow", "released", "formed", "delivered", "teu", "tonnes"]
# resource, prev, next, train, cargo, arrive_h, start_h, end_h, busy_h, teu, tonnes
ENDS = [
    (0, -1, 3, 7, 1, 10.0, 11.0, 12.5, 1.5, 0.0, 3000.0),  # formed at Dostyk
    (1, 2, -1, 7, 1, 12.5, 12.5, 20.0, 0.25, 0.0, 3000.0),  # ends after the section
]


ARRAY_TABLES = ("visits", "lots", "released", "backlog", "routes")


def assert_same_records(a, b) -> None:
    """Every record column equal in values and dtype, and the rest of the run equal too."""
    for name in ARRAY_TABLES:
        x, y = getattr(a, name), getattr(b, name)
        assert x.keys() == y.keys(), name
        for key in x:
            assert x[key].dtype == y[key].dtype, (name, key)
            np.testing.assert_array_equal(x[key], y[key], err_msg=f"{name}.{key}")
    for name in a.__dataclass_fields__:
        if name not in ARRAY_TABLES:
            assert getattr(a, name) == getattr(b, name), name


def test_records_read_back_exactly(tmp_path):
    stored = compact(toy_run(3))
    paths = write_records(tmp_path, stored)
    names = [VISITS_FILE.format(3), LOTS_FILE.format(3), META_FILE.format(3)]
    assert [p.name for p in paths] == names
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names)
    assert_same_records(stored, read_records(tmp_path, 3))


def test_nodes_where_trains_are_formed_or_end_read_back_as_minus_one(tmp_path):
    stored = compact(toy_run(visits=VISITS + ENDS))
    write_records(tmp_path, stored)
    back = read_records(tmp_path, 0)
    assert_same_records(stored, back)
    assert list(back.visits["prev"][-2:]) == [-1, 2]
    assert list(back.visits["next"][-2:]) == [3, -1]


def test_a_run_without_trains_or_deliveries_reads_back(tmp_path):
    stored = compact(toy_run(visits=[], lots=[]))
    write_records(tmp_path, stored)
    back = read_records(tmp_path, 0)
    assert_same_records(stored, back)
    assert len(back.visits["train"]) == 0 and len(back.lots["flow"]) == 0
    assert list(pd.read_parquet(tmp_path / VISITS_FILE.format(0)).columns) == VISIT_NAMES
    assert list(pd.read_parquet(tmp_path / LOTS_FILE.format(0)).columns) == LOT_NAMES


def test_visits_are_grouped_by_train_in_the_order_of_its_visits(tmp_path):
    mixed = [VISITS[i] for i in (4, 1, 6, 0, 2)]  # trains interleaved, out of time order
    write_records(tmp_path, compact(toy_run(visits=mixed)))
    visits = pd.read_parquet(tmp_path / VISITS_FILE.format(0))
    assert list(visits["train"]) == [1, 1, 1, 2, 3]
    assert list(visits["resource"][:3]) == ["urumqi-dostyk", "dostyk", "dostyk-exchange"]
    assert visits.groupby("train")["end"].apply(lambda t: t.is_monotonic_increasing).all()


def test_pandas_reads_the_documented_columns_and_types(tmp_path):
    write_records(tmp_path, compact(toy_run(visits=VISITS + ENDS)))
    path = tmp_path / VISITS_FILE.format(0)
    visits = pd.read_parquet(path)
    assert list(visits.columns) == VISIT_NAMES
    for name in ("resource", "resource_kind", "from_node", "to_node", "cargo"):
        assert pq.read_schema(path).field(name).type == pa.string(), name
        assert all(isinstance(s, str) for s in visits[name].dropna()), name
    for name in ("arrive", "start", "end"):
        assert pd.api.types.is_datetime64_dtype(visits[name]), name  # naive: no time zone
    assert visits["train"].dtype == np.int64 and visits["busy_s"].dtype == np.int32
    assert visits["teu"].dtype == np.float32 and visits["tonnes"].dtype == np.float32
    kinds = ["section", "node", "exchange", "section", "node", "section", "node", "section"]
    assert list(visits["resource_kind"]) == [*kinds, "node", "section"]
    assert list(visits["cargo"]) == ["container"] * 6 + ["bulk"] * 4
    assert visits["from_node"].isna().tolist() == [False] * 8 + [True, False]
    assert visits["to_node"].isna().tolist() == [False] * 9 + [True]
    assert visits["completed"].dtype == bool and visits["completed"].all()
    assert visits["from_node"].iloc[0] == "urumqi" and visits["to_node"].iloc[0] == "dostyk"
    lots = pd.read_parquet(tmp_path / LOTS_FILE.format(0))
    assert list(lots.columns) == LOT_NAMES
    assert pq.read_schema(tmp_path / LOTS_FILE.format(0)).field("flow").type == pa.string()
    assert list(lots["flow"]) == ["xian-europe", "xian-europe", "ore-east"]
    for name in ("released", "formed", "delivered"):
        assert pd.api.types.is_datetime64_dtype(lots[name]), name
    assert lots["teu"].dtype == np.float32 and lots["tonnes"].dtype == np.float32


def test_times_are_calendar_times_that_check_by_hand(tmp_path):
    run = compact(toy_run())
    write_records(tmp_path, run)
    visits = pd.read_parquet(tmp_path / VISITS_FILE.format(0))
    # train 1 reached the Urumqi-Dostyk section 50 h after midnight of 1 January 2022
    assert visits["arrive"].iloc[0] == pd.Timestamp(2022, 1, 3, 2)
    wait_h = (visits["start"] - visits["arrive"]).dt.total_seconds() / 3600
    np.testing.assert_array_equal(wait_h, run.visits["start_h"] - run.visits["arrive_h"])
    assert list(wait_h) == [0.0, 2.0, 0.0, 0.0, 5.0, 0.0, 10.0, 0.0]
    # busy where it differs from the service time: headway 0.8 h on the sections
    assert list(visits["busy_s"]) == [2880, 18000, 6120, 2880, 36000, 2880, 28800, 2880]
    lots = pd.read_parquet(tmp_path / LOTS_FILE.format(0))
    formation_h = (lots["formed"] - lots["released"]).dt.total_seconds() / 3600
    assert list(formation_h) == [row[5] for row in LOTS]
    assert lots["delivered"].iloc[1] == pd.Timestamp(2022, 1, 1) + pd.Timedelta(hours=8770)


def test_times_are_stored_to_the_whole_second(tmp_path):
    odd = [(*row[:5], row[5] + 0.3 / 3600, row[6] + 1.7 / 3600, *row[7:]) for row in VISITS]
    lots = [(*row[:2], row[2] + 0.6 / 3600, *row[3:]) for row in LOTS]
    stored = compact(toy_run(visits=odd, lots=lots))
    write_records(tmp_path, stored)
    for name, columns in ((VISITS_FILE, ("arrive", "start", "end")), (LOTS_FILE, ("delivered",))):
        table = pq.read_table(tmp_path / name.format(0))
        for column in columns:
            ms = table.column(column).cast(pa.int64()).to_numpy()
            assert table.schema.field(column).type == pa.timestamp("ms"), column
            assert np.all(ms % 1000 == 0), column
    assert_same_records(stored, read_records(tmp_path, 0))
    visits = pd.read_parquet(tmp_path / VISITS_FILE.format(0))
    assert visits["arrive"].iloc[0] == pd.Timestamp(2022, 1, 3, 2, 0, 0)  # 0.3 s rounds down
    assert visits["start"].iloc[0] == pd.Timestamp(2022, 1, 3, 2, 0, 2)  # 1.7 s rounds up


def test_a_name_the_run_does_not_know_is_refused(tmp_path):
    write_records(tmp_path, compact(toy_run()))
    path = tmp_path / LOTS_FILE.format(0)
    table = pq.read_table(path)
    flows = pa.array(["xian-europe", "nowhere", "ore-east"])
    pq.write_table(table.set_column(0, "flow", flows), path)
    with pytest.raises(ValueError, match="flow 'nowhere' is not one of the run's flows"):
        read_records(tmp_path, 0)


def test_a_damaged_file_raises_an_error_the_run_reader_reports(tmp_path):
    write_records(tmp_path, compact(toy_run()))
    path = tmp_path / VISITS_FILE.format(0)
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises((OSError, ValueError)):
        read_records(tmp_path, 0)
