"""The room (issue 9) on both databases: rubric sets pinned by digest, the presenter's question, timer and
reveals, "I'm done", participants' comments, notes, and what the exports make of them."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import func, select

from assessment.export import restore
from assessment.models import RubricSet
from assessment.problems import InputError
from assessment.rubrics import DEFAULT_RUBRICS
from assessment.scoring import assess
from assessment.workshop import (
    InvalidAnswer,
    InvalidText,
    UnknownParticipant,
    UnknownRubric,
    WorkshopClosed,
    WorkshopStore,
    aggregate_csv,
    agreed_sheet,
    answers_csv,
    facilitator_view,
    schema,
)
from assessment.workshop.aggregate import tally, view_tally
from assessment.workshop.display import local_time, participants_table
from assessment.workshop.exports import agreed_summary_frame
from assessment.workshop.qr import qr_code, qr_svg
from assessment.workshop.records import RoomState
from assessment.workshop.tokens import new_secret, organiser_key_file, read_organiser_key


def sources_of(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.glob("*.yaml"))}


@pytest.fixture
def acme(tmp_path: Path) -> dict[str, bytes]:
    """A consultant's own set: the shipped one renamed, one question reworded and one option renamed."""
    target = tmp_path / "acme"
    shutil.copytree(DEFAULT_RUBRICS, target)
    (target / "set.yaml").write_text((target / "set.yaml").read_text()
                                     .replace("id: internet_plus", "id: acme_plus", 1)
                                     .replace('version: "2.0"', 'version: "2.1"', 1))
    first = target / "user_first.yaml"
    first.write_text(first.read_text()
                     .replace("en: How well does the business know the people it serves?",
                              "en: How well does ACME know its customers?")
                     .replace("- id: contact_list", "- id: loyalty_list")
                     .replace("contact_list", "loyalty_list"))
    return sources_of(target)


def room(store: WorkshopStore, rubric: RubricSet, **options):
    return store.create_workshop(store.new_organiser_key(), "Room Co", rubric.id, rubric.version, **options)


# ---------------------------------------------------------------- rubric sets pinned by digest


def test_a_workshop_on_an_uploaded_set_checks_scores_and_exports_with_it(store: WorkshopStore, database_url: str,
                                                                         acme: dict[str, bytes]) -> None:
    custom = store.save_rubric(acme)
    assert (custom.id, custom.version) == ("acme_plus", "2.1") and store.save_rubric(acme).digest == custom.digest
    created = room(store, custom, rubric_digest=custom.digest)
    ana = store.join(created.join_code, "Ana")
    store.save_answer(ana.resume_token, "uf_user_relationship", "loyalty_list")  # an option only this set has
    with pytest.raises(InvalidAnswer):
        store.save_answer(ana.resume_token, "uf_user_relationship", "contact_list")  # the shipped set's id
    # Another replica (a fresh store on the same database) finds the set by its digest.
    with WorkshopStore(database_url) as replica:
        info = replica.facilitator(created.workshop_id, created.facilitator_key)
        assert info is not None and info.rubric_digest == custom.digest
        pinned = replica.workshop_rubric(info.rubric_id, info.rubric_version, info.rubric_digest)
        assert pinned is not None and pinned.digest == custom.digest
        assert replica.rubric_sources(custom.digest) == acme
        replica.save_answer(ana.resume_token, "uf_free_offer", pinned.question("uf_free_offer").options[1].id)
    frame = store.workshop_answers(created.workshop_id, created.facilitator_key)
    view = facilitator_view(frame, custom)
    assert view.medians["uf_user_relationship"] == "loyalty_list"
    rows = pd.read_csv(io.BytesIO(aggregate_csv(view, custom)), encoding="utf-8-sig")
    first = rows[rows["question_id"] == "uf_user_relationship"].iloc[0]
    assert first["question"] == "How well does ACME know its customers?"
    assert set(rows["rubric_id"]) == {"acme_plus"} and set(rows["rubric_version"].astype(str)) == {"2.1"}
    assert set(rows["rubric_digest"]) == {custom.digest}
    store.set_agreed(created.workshop_id, created.facilitator_key, "uf_user_relationship", "loyalty_list")
    sheet = agreed_sheet(info, store.agreed(created.workshop_id, created.facilitator_key), custom)
    assert sheet.rubric.id == "acme_plus" and assess(sheet, custom).answered == 1
    summary = agreed_summary_frame(sheet, custom)
    assert summary.loc[0, "rubric_set"] == "acme_plus" and summary.loc[0, "rubric_digest"] == custom.digest


def test_a_broken_set_is_refused_with_its_file_and_line_and_nothing_is_stored(store: WorkshopStore,
                                                                              acme: dict[str, bytes]) -> None:
    broken = dict(acme)
    broken["set.yaml"] = broken["set.yaml"].replace(b"weight: 1.5", b"weight: -1", 1)
    with pytest.raises(InputError) as refused:
        store.save_rubric(broken)
    problem = refused.value.problems[0]
    assert problem.file == "set.yaml" and problem.line and "weight" in str(problem)
    with store._db.read() as conn:  # nothing of it was stored
        assert conn.scalar(select(func.count()).select_from(schema.rubric_files)) == 0


def test_a_digest_must_match_the_id_and_version_given(store: WorkshopStore, acme: dict[str, bytes],
                                                      rubric: RubricSet) -> None:
    custom = store.save_rubric(acme)
    with pytest.raises(UnknownRubric):
        room(store, rubric, rubric_digest=custom.digest)  # internet_plus 2.0 with acme's digest
    with pytest.raises(UnknownRubric):
        room(store, custom, rubric_digest="f" * 64)  # never stored


# ---------------------------------------------------------------- the presenter and the participants


def test_the_room_state_follows_the_presenter(store: WorkshopStore, rubric: RubricSet) -> None:
    clock = [1_000_000.0]
    store._clock = lambda: clock[0]
    created = room(store, rubric)
    ana = store.join(created.join_code, "Ana")
    question = rubric.choice_questions()[0][1]
    state = store.room_state(ana.resume_token)
    assert state == RoomState("open", True, False, None, False, None, False)
    store.set_focus(created.workshop_id, created.facilitator_key, question.id)
    store.start_timer(created.workshop_id, created.facilitator_key, 90)
    state = store.room_state(ana.resume_token)
    assert state.focus_question == question.id and not state.focus_revealed
    assert state.seconds_left(dt.datetime.fromtimestamp(clock[0] + 30, dt.UTC)) == 60
    assert state.seconds_left(dt.datetime.fromtimestamp(clock[0] + 300, dt.UTC)) == 0
    assert store.question_answers(ana.resume_token, question.id) is None  # not revealed: nothing to read
    store.save_answer(ana.resume_token, question.id, question.options[2].id)
    store.reveal_question(created.workshop_id, created.facilitator_key, question.id)
    assert store.room_state(ana.resume_token).focus_revealed
    shown = store.question_answers(ana.resume_token, question.id)
    assert shown is not None and set(shown["question_id"].dropna()) == {question.id}
    store.reveal_question(created.workshop_id, created.facilitator_key, question.id, False)
    assert store.question_answers(ana.resume_token, question.id) is None
    store.set_finished(ana.resume_token)
    assert store.room_state(ana.resume_token).finished
    assert store.room_progress(created.workshop_id, created.facilitator_key).finished == frozenset({1})
    store.start_timer(created.workshop_id, created.facilitator_key, None)
    store.close(created.workshop_id, created.facilitator_key)
    state = store.room_state(ana.resume_token)
    assert state.timer_ends_at is None and state.status == "closed" and not state.accepting_answers
    with pytest.raises(UnknownParticipant):
        store.room_state(new_secret())


def test_comments_are_kept_anonymised_and_refused_when_closed(store: WorkshopStore, rubric: RubricSet) -> None:
    created = room(store, rubric, anonymous=True)
    ana, ben = (store.join(created.join_code, name) for name in ("Ana Secret", "Ben Secret"))
    first = rubric.choice_questions()[0][1]
    store.save_answer(ana.resume_token, first.id, first.options[1].id)
    store.save_comment(ana.resume_token, first.id, "  Only a   loyalty card ")
    store.save_comment(ben.resume_token, first.id, "=HYPERLINK(\"x\")")
    assert store.participant_comments(ana.resume_token) == {first.id: "Only a loyalty card"}
    comments = store.workshop_comments(created.workshop_id, created.facilitator_key)
    assert list(comments["display_name"]) == ["P1", "P2"] and "Secret" not in comments.to_string()
    store.save_comment(ben.resume_token, first.id, "")  # withdrawn
    assert len(store.workshop_comments(created.workshop_id, created.facilitator_key)) == 1
    with pytest.raises(InvalidText):
        store.save_comment(ana.resume_token, first.id, "x" * 501)
    with pytest.raises(InvalidAnswer):
        store.save_comment(ana.resume_token, "no_such_question", "why")
    store.close(created.workshop_id, created.facilitator_key)
    with pytest.raises(WorkshopClosed):
        store.save_comment(ana.resume_token, first.id, "too late")


def test_notes_and_comments_reach_every_export(store: WorkshopStore, rubric: RubricSet) -> None:
    created = room(store, rubric)
    first, second = (rubric.choice_questions()[i][1] for i in (0, 1))
    people = [store.join(created.join_code, name) for name in ("Ana", "Ben")]
    for person, option in zip(people, (1, 3), strict=True):
        store.save_answers(person.resume_token, {first.id: first.options[option].id, second.id: second.options[0].id})
    store.save_comment(people[0].resume_token, first.id, "-only the till")
    key = created.facilitator_key
    store.set_agreed(created.workshop_id, key, first.id, first.options[2].id, note="+Agreed after a debate")
    store.set_agreed_many(created.workshop_id, key, {first.id: first.options[3].id, second.id: second.options[0].id})
    agreed = store.agreed(created.workshop_id, key)
    assert agreed.notes == {first.id: "+Agreed after a debate"}  # saving without notes keeps the note
    frame = store.workshop_answers(created.workshop_id, key)
    comments = store.workshop_comments(created.workshop_id, key)
    raw = restore(pd.read_csv(io.BytesIO(answers_csv(frame, rubric, False, "en", comments)), encoding="utf-8-sig"))
    commented = raw[(raw["participant"] == "Ana") & (raw["question_id"] == first.id)]
    assert commented["comment"].tolist() == ["-only the till"]
    view = facilitator_view(frame, rubric)
    per_question = restore(pd.read_csv(io.BytesIO(aggregate_csv(view, rubric, "en", agreed.values, agreed.notes,
                                                                 comments)), encoding="utf-8-sig"))
    row = per_question.set_index("question_id").loc[first.id]
    assert row["agreed_note"] == "+Agreed after a debate" and row["comments"] == "Ana: -only the till"
    info = store.facilitator(created.workshop_id, key)
    assert info is not None
    sheet = agreed_sheet(info, agreed, rubric, comments=comments)
    assert sheet.notes[first.id] == "+Agreed after a debate · Participants: Ana: -only the till"
    line = next(line for line in assess(sheet, rubric).lines if line.question_id == first.id)
    assert line.note == sheet.notes[first.id]  # and so into Results, the answers CSV and the report
    store.set_agreed(created.workshop_id, key, first.id, first.options[3].id, note="")
    assert store.agreed(created.workshop_id, key).notes == {}  # an empty note removes it


def test_a_participants_tally_is_the_facilitators(store: WorkshopStore, rubric: RubricSet) -> None:
    created = room(store, rubric)
    generator = np.random.default_rng(9)
    questions = [q for _, q in rubric.choice_questions()[:4]]
    for n in range(7):
        person = store.join(created.join_code, f"P{n}")
        store.save_answers(person.resume_token, {q.id: q.options[int(generator.integers(len(q.options)))].id
                                                 for q in questions})
    frame = store.workshop_answers(created.workshop_id, created.facilitator_key)
    view = facilitator_view(frame, rubric)
    for question in questions:
        assert tally(frame, rubric, question.id) == view_tally(view, question.id)
    table = participants_table(view, rubric, finished={2, 5})
    assert table["Done"].tolist() == [n in {2, 5} for n in range(1, 8)]


# ---------------------------------------------------------------- QR code, times, keys


def test_the_qr_code_decodes_to_the_join_link() -> None:
    link = "https://workshop.example.org/join?code=ACDE-FHJK-MN"
    matrix = np.array(list(qr_code(link).matrix), dtype=np.uint8)
    padded = np.pad(1 - matrix, 4, constant_values=1) * 255  # dark modules black, a white quiet zone
    image = Image.fromarray(padded.astype(np.uint8)).resize((padded.shape[0] * 8,) * 2, Image.NEAREST)
    assert [found.text for found in zxingcpp.read_barcodes(image)] == [link]
    svg = qr_svg(link)
    assert svg.startswith("<svg") and "<script" not in svg and "ACDE" not in svg  # paths only, no text


def test_times_are_shown_in_the_readers_time_zone() -> None:
    moment = dt.datetime(2026, 7, 1, 12, 30, tzinfo=dt.UTC)
    assert local_time(moment, "Europe/Paris") == "2026-07-01 14:30 CEST"
    assert local_time(moment, "Asia/Shanghai", "%H:%M") == "20:30 CST"
    assert local_time(moment, "Not/AZone") == "2026-07-01 12:30 UTC"
    assert local_time(moment, None) == "2026-07-01 12:30 UTC" and local_time(None, "Europe/Paris") == ""


def test_the_organiser_key_file_gives_the_key_back() -> None:
    key = new_secret()
    link = f"https://w.example.org/workshops?organiser={key}"
    assert read_organiser_key(organiser_key_file(key, link)) == key
    assert read_organiser_key(link) == key and read_organiser_key(f"  {key}\n") == key
    assert read_organiser_key("no key in here") is None and read_organiser_key("") is None
