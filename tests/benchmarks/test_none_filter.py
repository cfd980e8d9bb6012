"""The NONE-filter benchmark's arithmetic (benchmarks/none_filter.py)."""

from __future__ import annotations

import numpy as np
import pytest


@pytest.fixture(scope="module")
def nf(load_script):
    return load_script("benchmarks/none_filter.py")


def test_roc_auc_counts_ordered_pairs_and_half_ties(nf):
    positive = np.array([True, True, False, False, False])
    score = np.array([0.9, 0.4, 0.4, 0.2, 0.1])
    # pairs (pos, neg): 0.9 beats all three; 0.4 ties one and beats two -> (3 + 2.5) / 6
    assert nf.roc_auc(positive, score) == pytest.approx(5.5 / 6)
    assert nf.roc_auc(positive, -score) == pytest.approx(0.5 / 6)
    assert np.isnan(nf.roc_auc(np.array([True, True]), np.array([0.1, 0.2])))


def test_drop_table_counts_what_a_threshold_removes(nf):
    is_none = np.array([True, True, False, False, False, False])
    p_none = np.array([0.95, 0.4, 0.6, 0.1, 0.0, 0.2])
    low, high = nf.drop_table(is_none, p_none, thresholds=(0.5, 0.9))
    assert (low["none_dropped"], low["typed_dropped"]) == (1, 1)
    assert low["events_before"] == pytest.approx(4 / 6)
    assert low["events_after"] == pytest.approx(3 / 4)
    assert (high["none_dropped"], high["typed_dropped"]) == (1, 0)
    assert high["events_after"] == pytest.approx(4 / 5)


def test_share_rise_is_the_gain_in_event_share_with_an_interval_around_it(nf):
    is_none = np.array([True, True, False, False, False, False, False, False])
    p_none = np.array([0.95, 0.1, 0.2, 0.1, 0.0, 0.3, 0.1, 0.2])
    rise, lo, hi = nf.share_rise(is_none, p_none, 0.9, reps=200)
    # dropping the one confident NONE: 6/8 events before, 6/7 after
    assert rise == pytest.approx(6 / 7 - 6 / 8)
    assert lo <= rise <= hi
    # nothing above the threshold: no change, and no spread either
    assert nf.share_rise(is_none, p_none, 0.99, reps=50) == (0.0, 0.0, 0.0)
