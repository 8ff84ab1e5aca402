"""The store's life cycle on both databases: create, join, answer, close, agree, delete."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from assessment.models import RubricSet
from assessment.workshop import (
    AccessDenied,
    AgreedAnswers,
    InvalidAnswer,
    InvalidText,
    UnknownJoinCode,
    UnknownLanguage,
    UnknownParticipant,
    UnknownRubric,
    WorkshopClosed,
    WorkshopError,
    WorkshopStore,
)
from assessment.workshop.records import CreatedWorkshop


def make_workshop(store: WorkshopStore, rubric: RubricSet, **options) -> tuple[str, CreatedWorkshop]:
    organiser = store.new_organiser_key()
    return organiser, store.create_workshop(organiser, "Sweet Crumbs", rubric.id, rubric.version, **options)


def first_choice(rubric: RubricSet, index: int = 0):
    return rubric.choice_questions()[index][1]


def test_participant_joins_answers_and_resumes(store: WorkshopStore, rubric: RubricSet) -> None:
    _, created = make_workshop(store, rubric, sector="Food")
    typed = created.join_code.lower().replace("-", " ")
    joined = store.join(typed, "  Anna   Li ", "Owner")
    question = first_choice(rubric)
    store.save_answer(joined.resume_token, question.id, question.options[2].id)
    store.save_answer(joined.resume_token, "cn_people_now", 1800)
    store.save_answer(joined.resume_token, question.id, question.options[3].id)  # changes the answer

    again = store.resume(joined.resume_token)
    assert again is not None
    assert (again.display_name, again.role, again.number, again.label) == ("Anna Li", "Owner", 1, "P1")
    assert again.workshop.id == created.workshop_id and again.workshop.sector == "Food"
    assert store.participant_answers(joined.resume_token) == {question.id: question.options[3].id,
                                                              "cn_people_now": 1800.0}
    store.clear_answer(joined.resume_token, "cn_people_now")
    assert store.participant_answers(joined.resume_token) == {question.id: question.options[3].id}


def test_participants_are_numbered_in_joining_order(store: WorkshopStore, rubric: RubricSet) -> None:
    _, created = make_workshop(store, rubric)
    numbers = [store.join(created.join_code, name).number for name in ("A", "B", "C")]
    assert numbers == [1, 2, 3]
    info = store.facilitator(created.workshop_id, created.facilitator_key)
    assert info is not None and info.participants == 3


def test_workshop_answers_are_long_and_lists_silent_participants(store: WorkshopStore, rubric: RubricSet) -> None:
    _, created = make_workshop(store, rubric)
    anna = store.join(created.join_code, "Anna", "CEO")
    store.join(created.join_code, "Bo")
    question = first_choice(rubric)
    store.save_answers(anna.resume_token, {question.id: question.options[0].id, "cn_people_now": 12})
    frame = store.workshop_answers(created.workshop_id, created.facilitator_key)
    assert list(frame.columns) == ["number", "display_name", "role", "question_id", "value", "updated_at"]
    answered = frame[frame["question_id"].notna()].set_index("question_id")["value"].to_dict()
    assert answered == {question.id: question.options[0].id, "cn_people_now": 12.0}
    silent = frame[frame["number"] == 2]
    assert len(silent) == 1 and pd.isna(silent["question_id"].iloc[0]) and silent["display_name"].iloc[0] == "Bo"
    assert str(frame["updated_at"].dt.tz) == "UTC"


def test_anonymous_workshop_never_links_names_to_answers(store: WorkshopStore, rubric: RubricSet) -> None:
    _, created = make_workshop(store, rubric, anonymous=True)
    joined = store.join(created.join_code, "Anna", "CEO")
    question = first_choice(rubric)
    store.save_answer(joined.resume_token, question.id, question.options[1].id)
    frame = store.workshop_answers(created.workshop_id, created.facilitator_key)
    assert frame["display_name"].tolist() == ["P1"] and frame["role"].isna().all()
    store.set_revealed(created.workshop_id, created.facilitator_key, True)
    seen = store.revealed_frame(joined.resume_token)
    assert seen is not None and "Anna" not in seen.to_string() and "CEO" not in seen.to_string()


def test_answers_are_revealed_to_participants_only_when_the_facilitator_says(store: WorkshopStore,
                                                                               rubric: RubricSet) -> None:
    _, created = make_workshop(store, rubric)
    joined = store.join(created.join_code, "Anna")
    assert store.revealed_frame(joined.resume_token) is None
    store.set_revealed(created.workshop_id, created.facilitator_key, True)
    revealed = store.revealed_frame(joined.resume_token)
    assert revealed is not None and revealed["display_name"].tolist() == ["Anna"]
    store.set_revealed(created.workshop_id, created.facilitator_key, False)
    assert store.revealed_frame(joined.resume_token) is None


def test_rubric_checks_every_answer(store: WorkshopStore, rubric: RubricSet) -> None:
    _, created = make_workshop(store, rubric)
    token = store.join(created.join_code, "Anna").resume_token
    question = first_choice(rubric)
    for question_id, value in [(question.id, "not_an_option"), ("no_such_question", "x"), ("cn_people_now", -5),
                               ("cn_people_now", "many"), (question.id, 3), ("Bad Id!", "x")]:
        with pytest.raises(InvalidAnswer):
            store.save_answer(token, question_id, value)
    # A refused answer in a batch saves nothing of the batch.
    with pytest.raises(InvalidAnswer):
        store.save_answers(token, {question.id: question.options[0].id, "cn_people_now": "many"})
    assert store.participant_answers(token) == {}


def test_closed_workshop_refuses_answers_and_joins_with_a_clear_message(store: WorkshopStore,
                                                                          rubric: RubricSet) -> None:
    _, created = make_workshop(store, rubric)
    token = store.join(created.join_code, "Anna").resume_token
    question = first_choice(rubric)
    store.save_answer(token, question.id, question.options[0].id)
    store.close(created.workshop_id, created.facilitator_key)
    with pytest.raises(WorkshopClosed, match="closed: answers can no longer be changed") as refused:
        store.save_answer(token, question.id, question.options[1].id)
    assert "已结束" in refused.value.message("zh")
    with pytest.raises(WorkshopClosed):
        store.clear_answer(token, question.id)
    with pytest.raises(WorkshopClosed):
        store.join(created.join_code, "Late")
    assert store.participant_answers(token) == {question.id: question.options[0].id}
    info = store.facilitator(created.workshop_id, created.facilitator_key)
    assert info is not None and info.participants == 1 and not info.accepting_answers  # the refused join left no trace
    store.reopen(created.workshop_id, created.facilitator_key)
    store.save_answer(token, question.id, question.options[1].id)
    assert store.participant_answers(token)[question.id] == question.options[1].id


def test_deadline_closes_the_workshop(database_url: str, rubric: RubricSet) -> None:
    now = [1_800_000_000.0]
    with WorkshopStore(database_url, rubrics=[rubric], clock=lambda: now[0]) as store:
        deadline = dt.datetime.fromtimestamp(now[0] + 60, dt.UTC)
        _, created = make_workshop(store, rubric, deadline=deadline)
        token = store.join(created.join_code, "Anna").resume_token
        question = first_choice(rubric)
        store.save_answer(token, question.id, question.options[0].id)
        now[0] += 61
        with pytest.raises(WorkshopClosed, match="deadline"):
            store.save_answer(token, question.id, question.options[1].id)
        info = store.facilitator(created.workshop_id, created.facilitator_key)
        assert info is not None and info.deadline == deadline and not info.accepting_answers
        store.set_deadline(created.workshop_id, created.facilitator_key, None)
        store.save_answer(token, question.id, question.options[1].id)


def test_agreed_answers_with_reasons(store: WorkshopStore, rubric: RubricSet) -> None:
    _, created = make_workshop(store, rubric)
    key = created.facilitator_key
    first, second = first_choice(rubric, 0), first_choice(rubric, 1)
    store.close(created.workshop_id, key)  # agreeing goes on after answers close
    store.set_agreed(created.workshop_id, key, first.id, first.options[1].id, note="Loyalty card data only")
    store.set_agreed_many(created.workshop_id, key, {second.id: second.options[0].id, "cn_people_now": 2500})
    agreed = store.agreed(created.workshop_id, key)
    assert agreed.values == {first.id: first.options[1].id, second.id: second.options[0].id, "cn_people_now": 2500.0}
    assert agreed.notes == {first.id: "Loyalty card data only"}
    with pytest.raises(InvalidAnswer):
        store.set_agreed(created.workshop_id, key, first.id, "nonsense")
    store.clear_agreed(created.workshop_id, key, second.id)
    assert set(store.agreed(created.workshop_id, key).values) == {first.id, "cn_people_now"}
    store.clear_agreed(created.workshop_id, key)
    assert store.agreed(created.workshop_id, key) == AgreedAnswers()


def test_delete_removes_everything_of_the_workshop_only(store: WorkshopStore, rubric: RubricSet) -> None:
    organiser, doomed = make_workshop(store, rubric)
    kept = store.create_workshop(organiser, "Other", rubric.id, rubric.version)
    question = first_choice(rubric)
    gone = store.join(doomed.join_code, "Anna").resume_token
    stays = store.join(kept.join_code, "Bo").resume_token
    store.save_answer(gone, question.id, question.options[0].id)
    store.save_answer(stays, question.id, question.options[1].id)
    store.set_agreed(doomed.workshop_id, doomed.facilitator_key, question.id, question.options[0].id)
    store.delete(doomed.workshop_id, doomed.facilitator_key)
    assert store.facilitator(doomed.workshop_id, doomed.facilitator_key) is None
    assert store.resume(gone) is None
    with pytest.raises(UnknownParticipant):
        store.participant_answers(gone)
    assert store.participant_answers(stays) == {question.id: question.options[1].id}
    assert [w.business for w in store.list_workshops(organiser)] == ["Other"]
    assert store.integrity_check() == []


def test_organiser_lists_own_workshops_newest_first(store: WorkshopStore, rubric: RubricSet) -> None:
    mine, theirs = store.new_organiser_key(), store.new_organiser_key()
    store.create_workshop(mine, "First", rubric.id, rubric.version)
    store.create_workshop(theirs, "Not mine", rubric.id, rubric.version)
    store.create_workshop(mine, "Second", rubric.id, rubric.version, language="zh")
    listed = store.list_workshops(mine)
    assert [w.business for w in listed] == ["Second", "First"]
    assert listed[0].language == "zh"
    assert store.list_workshops(store.new_organiser_key()) == []


def test_user_texts_are_kept_as_data(store: WorkshopStore, rubric: RubricSet) -> None:
    business = "<script>alert(1)</script> {business} =1+1"
    created = store.create_workshop(store.new_organiser_key(), business, rubric.id, rubric.version)
    name = "Robert'); DROP TABLE answers;-- 李 {label}"
    joined = store.join(created.join_code, name)
    info = store.resume(joined.resume_token)
    assert info is not None and info.display_name == name and info.workshop.business == business
    frame = store.workshop_answers(created.workshop_id, created.facilitator_key)
    assert frame["display_name"].tolist() == [name]


@pytest.mark.parametrize("name", ["", "   ", "x" * 81, "tab\x00null", "evil\u202eeman", None])
def test_unusable_display_names_are_refused(store: WorkshopStore, rubric: RubricSet, name: object) -> None:
    _, created = make_workshop(store, rubric)
    with pytest.raises(InvalidText):
        store.join(created.join_code, name)  # type: ignore[arg-type]


def test_unknown_codes_and_tokens(store: WorkshopStore, rubric: RubricSet) -> None:
    _, created = make_workshop(store, rubric)
    wrong = "3" * 10
    with pytest.raises(UnknownJoinCode):
        store.join(wrong, "Anna")
    with pytest.raises(UnknownJoinCode):
        store.join("not a code", "Anna")
    assert store.workshop_by_code(wrong) is None
    assert store.workshop_by_code(created.join_code.lower()).id == created.workshop_id
    with pytest.raises(UnknownParticipant):
        store.save_answer("A" * 32, first_choice(rubric).id, first_choice(rubric).options[0].id)
    assert store.resume("") is None and store.resume("A" * 32) is None


def test_wrong_key_cannot_act(store: WorkshopStore, rubric: RubricSet) -> None:
    _, created = make_workshop(store, rubric)
    for action in (
        lambda k: store.workshop_answers(created.workshop_id, k),
        lambda k: store.close(created.workshop_id, k),
        lambda k: store.set_revealed(created.workshop_id, k, True),
        lambda k: store.set_agreed(created.workshop_id, k, first_choice(rubric).id, first_choice(rubric).options[0].id),
        lambda k: store.agreed(created.workshop_id, k),
        lambda k: store.delete(created.workshop_id, k),
    ):
        for key in (None, "", "short", created.facilitator_key[:-1] + "x", created.facilitator_key.upper()):
            if key == created.facilitator_key:
                continue
            with pytest.raises(AccessDenied):
                action(key)
    info = store.facilitator(created.workshop_id, created.facilitator_key)
    assert info is not None and info.status == "open" and not info.revealed


def test_without_the_rubric_any_well_formed_answer_is_kept(database_url: str) -> None:
    with WorkshopStore(database_url) as store:  # no rubric sets given: nothing to check against
        created = store.create_workshop(store.new_organiser_key(), "Cake", "some_rubric", "9.9")
        token = store.join(created.join_code, "Anna").resume_token
        store.save_answers(token, {"any_question": "any_option", "a_count": 12.5})
        assert store.participant_answers(token) == {"any_question": "any_option", "a_count": 12.5}
        for question_id, value in [("Not An Id", "x"), ("q", "Not An Id"), ("q", float("nan")), ("q", True),
                                   ("q", -1), ("q", "x" * 65)]:
            with pytest.raises(InvalidAnswer):
                store.save_answer(token, question_id, value)


def test_a_store_with_rubrics_refuses_workshops_on_unknown_rubrics(store: WorkshopStore, rubric: RubricSet) -> None:
    # Typed refusals a page catches as WorkshopError and shows in its language (no traceback).
    with pytest.raises(UnknownRubric, match=f"Unknown rubric set {rubric.id} 0.1") as unknown_rubric:
        store.create_workshop(store.new_organiser_key(), "Cake", rubric.id, "0.1")
    with pytest.raises(UnknownLanguage, match="Unknown language 'fr'") as unknown_language:
        store.create_workshop(store.new_organiser_key(), "Cake", rubric.id, rubric.version, language="fr")
    for refused in (unknown_rubric.value, unknown_language.value):
        assert isinstance(refused, WorkshopError) and isinstance(refused, ValueError)
        assert refused.message("zh") != refused.message("en")
    assert "fr" in unknown_language.value.message("zh")
    with pytest.raises(AccessDenied):
        store.create_workshop("short", "Cake", rubric.id, rubric.version)
