"""What would change the verdict: nearest one-level steps, checked against brute force."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import yaml

from assessment.engine import compile_rubric, score_codes
from assessment.rubrics import load_rubric_sources
from assessment.scoring import search_roads
from assessment.verdict import flip_path, worst_case
from tests.conftest import answers_at, sheet_with
from tests.conftest import assessed as assess

LEVELS = 4


def _question(qid: str, weight: float | None, scores: list[float]) -> dict:
    out = {"id": qid, "text": qid, "help": qid, "recommendation": "do it",
           "options": [{"id": f"o{i}", "label": f"option {i}", "score": s} for i, s in enumerate(scores)]}
    return out if weight is None else out | {"weight": weight}


@pytest.fixture(scope="module")
def tiny():
    """Two dimensions, uneven weights and option scores, and a best-of group of three roads."""
    a = {"id": "a", "title": "A", "description": "A", "questions": [
        _question("a1", 3, [0, 1, 2, 4]), _question("a2", 1, [0, 2, 3, 4]), _question("a3", 2, [0, 1, 3, 4])]}
    b = {"id": "b", "title": "B", "description": "B",
         "groups": [{"id": "roads", "weight": 3, "title": "Roads", "help": "best counts",
                     "questions": ["r1", "r2", "r3"]}],
         "questions": [_question("b1", 2, [0, 1, 2, 4]), _question("b2", 1, [0, 1, 2, 3]),
                       _question("r1", None, [0, 1, 2, 4]), _question("r2", None, [0, 2, 3, 4]),
                       _question("r3", None, [0, 1, 3, 4])]}
    meta = {"id": "tiny", "version": "1.0", "title": "Tiny", "description": "Tiny",
            "dimensions": [{"id": "a", "file": "a.yaml", "weight": 1}, {"id": "b", "file": "b.yaml", "weight": 1.5}],
            "classification": {"internet_plus_when": [{"score": "overall", "at_least": 55},
                                                      {"score": "roads", "at_least": 50},
                                                      {"score": "b", "at_least": 60}, {"score": "a", "at_least": 40}],
                               "borderline_within": 5,
                               "classes": {c: {"label": c, "summary": c} for c in ("plus_internet", "internet_plus")}},
            "roads": [{"id": f"road{i}", "title": f"RoadSearch {i}", "description": "r", "questions": [f"r{i}", q]}
                      for i, q in ((1, "a1"), (2, "b2"), (3, "a3"))],
            "node_labels": {"people": "People", "businesses": "Businesses", "things": "Things"}}
    return load_rubric_sources({"set.yaml": yaml.safe_dump(meta), "a.yaml": yaml.safe_dump(a),
                                "b.yaml": yaml.safe_dump(b)})


def brute_force(engine, base, up, allowed):
    """Every reachable answer vector: the best (largest jump, steps) that flips, or None."""
    ranges = [range(base[q], LEVELS) if up else range(0, base[q] + 1) if q in allowed else [base[q]]
              for q in range(len(base))]
    ranges = [r if q in allowed else [base[q]] for q, r in enumerate(ranges)]
    grid = np.array(list(itertools.product(*ranges)))
    flipped = score_codes(engine, grid).internet_plus == up
    if not flipped.any():
        return None
    moves = np.abs(grid[flipped] - base)
    return min(zip(moves.max(axis=1), moves.sum(axis=1), strict=True))


@pytest.mark.parametrize("seed", range(40))
def test_the_path_is_the_best_by_brute_force_in_both_directions_and_along_each_road(tiny, seed):
    engine = compile_rubric(tiny)
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, LEVELS, len(engine.question_ids)).astype(np.int32)
    codes[rng.random(len(codes)) < 0.15] = -2  # a few "don't know": held at their worst, never moved
    up = not bool(score_codes(engine, worst_case(engine, codes, up=False)).internet_plus[0] and
                  score_codes(engine, worst_case(engine, codes, up=True)).internet_plus[0])
    base = worst_case(engine, codes, up)
    known = {q for q in range(len(codes)) if codes[q] >= 0}
    for road in [None, *search_roads(tiny, engine)]:
        allowed = known if road is None else known & road.allowed
        path = flip_path(engine, codes, up, road)
        expected = brute_force(engine, base, up, allowed)
        if expected is None:
            assert not path.found
            continue
        assert (path.max_jump, len(path.steps)) == (int(expected[0]), int(expected[1])), road
        after = base.copy()
        for step in path.steps:
            assert abs(step.to_option - step.from_option) == 1 and step.question_index in allowed
            assert step.from_option == after[step.question_index]
            after[step.question_index] = step.to_option
        assert bool(score_codes(engine, after).internet_plus[0]) == up


def apply_changes(answers, changes):
    changed = dict(answers)
    for change in changes:
        changed[change.question_id] = change.to_id
    return changed


@pytest.mark.parametrize("level", [0, 1, 2])
def test_applying_the_steps_makes_it_internet_plus_for_certain(rubric, level):
    answers = answers_at(rubric, level)
    result = assess(sheet_with(rubric, answers), rubric)
    assert result.class_code == "plus_internet" and result.changes
    flipped = assess(sheet_with(rubric, apply_changes(answers, result.changes)), rubric)
    assert flipped.class_code == "internet_plus"
    assert flipped.overall == pytest.approx(result.overall_after_changes)


def test_steps_are_one_option_each_and_the_largest_gain_comes_first(rubric):
    result = assess(sheet_with(rubric, answers_at(rubric, 1)), rubric)
    index = {q.id: q for _, q in rubric.choice_questions()}
    for change in result.changes:
        ids = [o.id for o in index[change.question_id].options]
        assert ids.index(change.to_id) - ids.index(change.from_id) == 1
    gains = [c.overall_gain for c in result.changes]
    assert gains[0] == max(gains)


@pytest.mark.parametrize("level", [0, 1, 2])
def test_no_change_jumps_more_than_one_level_when_a_one_level_path_exists(rubric, level):
    """Scores only grow with answers, so one level up on every question bounds every one-level path."""
    engine = compile_rubric(rubric)
    codes = engine.codes(answers_at(rubric, level))
    all_one_up = np.minimum(codes + 1, engine.top_option)
    one_level_exists = bool(score_codes(engine, all_one_up).internet_plus[0])
    result = assess(sheet_with(rubric, answers_at(rubric, level)), rubric)
    jumps = {}
    for change in result.changes:
        jumps[change.question_id] = jumps.get(change.question_id, 0) + 1
    assert (max(jumps.values()) == 1) == one_level_exists
    assert result.max_jump == max(jumps.values())


def test_an_internet_plus_business_learns_what_would_lose_it(rubric):
    answers = answers_at(rubric, -1)
    result = assess(sheet_with(rubric, answers), rubric)
    assert result.changes and result.changes_to == "+Internet"
    assert all(c.overall_gain <= 0 for c in result.changes)
    assert assess(sheet_with(rubric, apply_changes(answers, result.changes)), rubric).class_code == "plus_internet"


def test_each_road_has_its_own_path_that_moves_only_its_own_and_common_questions(rubric):
    answers = answers_at(rubric, 1)
    result = assess(sheet_with(rubric, answers), rubric)
    on_roads = {q for road in rubric.meta.roads for q in road.questions}
    assert [r.road for r in result.roads] == [road.id for road in rubric.meta.roads]
    for road_path, road in zip(result.roads, rubric.meta.roads, strict=True):
        assert road_path.found, road.id
        moved = {c.question_id for c in road_path.changes}
        assert moved & on_roads <= set(road.questions), road.id
        assert road.questions[0] in moved  # the road's own measure moves
        flipped = assess(sheet_with(rubric, apply_changes(answers, road_path.changes)), rubric)
        assert flipped.class_code == "internet_plus", road.id
