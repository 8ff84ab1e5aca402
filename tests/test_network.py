"""The connection-growth model: the four laws, in log space, and the growth table."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pydantic import ValidationError

from assessment.network import (
    LAW_NAMES,
    LAW_ORDER,
    GrowthRow,
    base_is_reachable,
    growth_table,
    log10_marginal,
    log10_value,
    scenarios,
)


@pytest.mark.parametrize(
    "law, n, value",
    [
        ("sarnoff", 10, 10),
        ("odlyzko_tilly", 10, 10 * math.log(10)),
        ("metcalfe", 10, 45),
        ("reed", 10, 2**10 - 10 - 1),
        ("reed", 3, 4),
        ("metcalfe", 2, 1),
    ],
)
def test_laws_match_their_formulas(law, n, value):
    assert 10 ** float(log10_value(law, n)) == pytest.approx(value)


def test_one_node_has_no_value_except_for_broadcast():
    """The essay: 'when the network has only one node, it has no value'."""
    for law in ("odlyzko_tilly", "metcalfe", "reed"):
        assert log10_value(law, 1) == -np.inf
    assert log10_value("sarnoff", 1) == 0


def test_reed_never_overflows():
    billion = float(log10_value("reed", 1e9))
    assert billion == pytest.approx(1e9 * math.log10(2))
    assert np.isfinite(float(log10_marginal("reed", 1e9)))


@pytest.mark.parametrize("law", ["sarnoff", "odlyzko_tilly", "metcalfe", "reed"])
def test_marginal_value_is_the_difference_of_values(law):
    n = 20.0
    expected = 10 ** float(log10_value(law, n + 1)) - 10 ** float(log10_value(law, n))
    assert 10 ** float(log10_marginal(law, n)) == pytest.approx(expected, rel=1e-9)


def test_the_100_millionth_node_gains_the_value_of_all_before_it():
    """Metcalfe's marginal value of node n+1 is n: the essay's 100-million example."""
    assert 10 ** float(log10_marginal("metcalfe", 1e8 - 1)) == pytest.approx(1e8 - 1)


def test_laws_are_ordered_for_large_networks():
    n = 1000
    values = [float(log10_value(law, n)) for law in ("sarnoff", "odlyzko_tilly", "metcalfe", "reed")]
    assert values == sorted(values)


def test_growth_table_uses_the_answered_kind_and_ranks_by_growth(rubric):
    answers = {
        "cn_people_kind": "group_forming", "cn_people_now": 100, "cn_people_reachable": 400,
        "cn_businesses_kind": "broadcast", "cn_businesses_now": 10, "cn_businesses_reachable": 1000,
        "cn_things_now": 5, "cn_things_reachable": 5,
    }
    table = growth_table(rubric, answers)
    assert all(isinstance(row, GrowthRow) for row in table)
    assert [row.node for row in table] == ["people", "businesses", "things"]
    people = table[0]
    assert people.law == "reed" and not people.law_assumed and people.law_name == LAW_NAMES["reed"]
    assert people.log10_growth == pytest.approx(float(log10_value("reed", 400) - log10_value("reed", 100)))
    assert people.log10_marginal_now == pytest.approx(float(log10_marginal("reed", 100)))
    things = table[2]
    assert things.law_assumed and things.law == "sarnoff" and things.log10_growth == 0 and things.kind == ""


def test_growth_rows_hold_no_infinite_or_missing_numbers(rubric):
    """A value of 0 (no node now) and an unanswered count are None; rows with unknown growth come last."""
    table = growth_table(rubric, {"cn_things_now": 0, "cn_things_reachable": 1000, "cn_people_now": 5})
    assert [row.node for row in table] == ["things", "people", "businesses"]
    things, people, businesses = table
    assert things.log10_value_now is None and things.log10_value_reachable == pytest.approx(3.0)
    assert things.log10_growth == pytest.approx(3.0)  # a value below 1 now counts as 1
    assert people.n_reachable is None and people.log10_growth is None and people.log10_marginal_reachable is None
    assert businesses.n_now is None and businesses.log10_value_now is None
    assert GrowthRow.model_validate_json(things.model_dump_json()) == things
    with pytest.raises(ValidationError):
        things.n_now = 3  # frozen: a row is read, never edited


def test_reachable_below_now_is_treated_as_now(rubric):
    table = {row.node: row for row in growth_table(rubric, {"cn_people_now": 100, "cn_people_reachable": 10})}
    assert table["people"].n_reachable == 100


CLOSED_FORMS = {
    "sarnoff": lambda n: n,
    "odlyzko_tilly": lambda n: n * math.log(n),
    "metcalfe": lambda n: n * (n - 1) // 2,
    "reed": lambda n: 2**n - n - 1,
}


def _log10(value: float | int) -> float:
    """log10 of a value that may be an integer too large for a float (Reed's 2^n)."""
    if isinstance(value, int) and value.bit_length() > 1000:
        digits = str(value)
        return len(digits) - 1 + math.log10(int(digits[:17]) / 10**16)
    return math.log10(value)


@pytest.mark.parametrize("now, reachable", [(20, 50), (1800, 5000), (1, 7)])
def test_a_broadcast_only_business_sees_every_law_as_multiples_of_todays_value(rubric, now, reachable):
    """Today: broadcast (Sarnoff, V = n). Each law at today's and the reachable count, as a multiple of V = now;
    what the next node adds, V(n+1) − V(n): every figure checked against the closed-form law."""
    answers = {"cn_people_kind": "broadcast", "cn_people_now": now, "cn_people_reachable": reachable}
    row = next(r for r in growth_table(rubric, answers) if r.node == "people")
    assert row.law == "sarnoff" and row.next_laws == ("odlyzko_tilly", "reed")  # the rubric's options above broadcast
    assert [s.law for s in scenarios(row)] == ["sarnoff", "odlyzko_tilly", "reed"]
    for scenario in scenarios(row, LAW_ORDER):
        law = CLOSED_FORMS[scenario.law]
        for n, multiple, following in ((now, scenario.log10_multiple_now, scenario.log10_next_now),
                                       (reachable, scenario.log10_multiple_reachable, scenario.log10_next_reachable)):
            value, gained = law(n), law(n + 1) - law(n)
            if value == 0:
                assert multiple is None, (scenario.law, n)
            else:
                assert multiple == pytest.approx(_log10(value) - math.log10(now), abs=1e-9), (scenario.law, n)
            assert following == pytest.approx(_log10(gained), abs=1e-9), (scenario.law, n)
    today = scenarios(row)[0]
    assert today.today and today.log10_multiple_now == 0 and today.log10_next_now == 0  # flat: each adds 1


def test_nothing_connected_today_counts_multiples_from_the_reachable_size(rubric):
    row = next(r for r in growth_table(rubric, {"cn_businesses_now": 0, "cn_businesses_reachable": 5})
               if r.node == "businesses")
    assert base_is_reachable(row)
    reed = next(s for s in scenarios(row) if s.law == "reed")
    assert reed.log10_multiple_now is None and reed.log10_multiple_reachable == pytest.approx(math.log10((32 - 6) / 5))
