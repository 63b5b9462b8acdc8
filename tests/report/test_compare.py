"""Paired differences: the CI against numbers worked by hand, and against the unpaired CI."""

from __future__ import annotations

import math

import pytest

from simulator.report.compare import paired_difference, unpaired_half_width
from simulator.report.precision import precise_enough, replications_wanted

T_975_DF2 = 4.302652729911275  # Student t, 97.5% quantile, 2 degrees of freedom (tables)


def test_paired_ci_is_the_t_interval_of_the_differences_worked_by_hand():
    # differences 1, 3, 2: mean 2, sample sd 1, half-width t(0.975, 2) * 1 / sqrt(3)
    diff = paired_difference([10.0, 12.0, 14.0], [11.0, 15.0, 16.0])
    assert diff.mean == pytest.approx(2.0)
    assert diff.ci95 == pytest.approx(T_975_DF2 / math.sqrt(3), rel=1e-9)
    assert diff.low == pytest.approx(2.0 - 2.4841377, abs=1e-6)
    assert diff.significant == "no"  # the interval (-0.48, 4.48) holds zero
    # differences 2, 2.5, 3: mean 2.5, sd 0.5, interval (1.26, 3.74) excludes zero
    shifted = paired_difference([10.0, 12.0, 14.0], [12.0, 14.5, 17.0])
    assert shifted.ci95 == pytest.approx(0.5 * T_975_DF2 / math.sqrt(3), rel=1e-9)
    assert shifted.significant == "yes"


def test_one_pair_has_no_interval():
    diff = paired_difference([5.0], [7.0])
    assert diff.mean == 2.0 and math.isnan(diff.ci95) and diff.significant == "n/a"


def test_unpaired_welch_half_width_worked_by_hand():
    # equal variances 4 and n = 3 each: se = sqrt(4/3 + 4/3), Welch df = 4, t(0.975, 4) = 2.776445
    hw = unpaired_half_width([10.0, 12.0, 14.0], [11.0, 13.0, 15.0])
    assert hw == pytest.approx(2.7764451 * math.sqrt(8 / 3), rel=1e-6)


def test_stopping_rule_asks_for_the_replications_the_square_law_predicts():
    values = [100.0, 104.0, 96.0]  # mean 100, sd 4, half-width 9.94 at n = 3
    assert not precise_enough(values, 100.0, 0.02)
    hw = T_975_DF2 * 4 / math.sqrt(3)
    assert replications_wanted([values], [100.0], 0.02, 1000) == math.ceil(3 * (hw / 2.0) ** 2)
    assert replications_wanted([values], [100.0], 0.02, 10) == 10  # capped
    assert replications_wanted([values], [100.0], 0.10, 1000) == 3  # 9.94 <= 10: enough
    assert replications_wanted([values * 4], [100.0], 0.02, 12) == 12  # at the maximum: stop
    # the worst of several series decides
    assert replications_wanted([values, [100.0, 100.1, 99.9]], [100.0, 100.0], 0.1, 50) == 3
    assert replications_wanted([[100.0, 100.1, 99.9], values], [100.0, 100.0], 0.05, 50) > 3
