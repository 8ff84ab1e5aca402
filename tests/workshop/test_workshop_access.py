"""Who can open what: keys, codes and tokens reach their own workshop's data and nothing else."""

from __future__ import annotations

import math
import re

import pytest
from sqlalchemy import create_engine, inspect, select, update

from assessment.models import RubricSet
from assessment.workshop import AccessDenied, UnknownParticipant, WorkshopStore, schema
from assessment.workshop.schema import TABLES
from assessment.workshop.tokens import (
    JOIN_ALPHABET,
    JOIN_CODE_LENGTH,
    derived_facilitator_key,
    format_join_code,
    join_code_bits,
    new_join_code,
    new_secret,
    normalise_join_code,
    secret_hash,
)

LOOK_ALIKES = "0O1IL5S2Z8BQGV"


def test_join_codes_are_short_unguessable_and_unambiguous() -> None:
    assert join_code_bits() >= 40
    assert JOIN_CODE_LENGTH * math.log2(len(set(JOIN_ALPHABET))) >= 40
    assert len(set(JOIN_ALPHABET)) == len(JOIN_ALPHABET)
    assert not set(LOOK_ALIKES) & set(JOIN_ALPHABET)
    codes = {new_join_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(set(code) <= set(JOIN_ALPHABET) and len(code) == JOIN_CODE_LENGTH for code in codes)
    assert set("".join(codes)) == set(JOIN_ALPHABET)  # every character is used


def test_join_code_input_ignores_case_dashes_and_spaces() -> None:
    code = new_join_code()
    shown = format_join_code(code)
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{2}", shown)
    for typed in (shown, shown.lower(), code, f" {code[:3]} {code[3:7]}-{code[7:]} "):
        assert normalise_join_code(typed) == code
    assert normalise_join_code("O" * JOIN_CODE_LENGTH) is None  # a look-alike is never a code character
    assert normalise_join_code(code[:-1]) is None
    assert normalise_join_code(None) is None  # type: ignore[arg-type]


def test_keys_and_tokens_carry_at_least_128_bits() -> None:
    secrets = {new_secret() for _ in range(500)}
    assert len(secrets) == 500
    for secret in secrets:
        # URL-safe base64: 6 bits per character.
        assert len(secret) * 6 >= 128 and re.fullmatch(r"[A-Za-z0-9_-]+", secret)
    assert len(WorkshopStore.new_organiser_key()) * 6 >= 128


def test_database_holds_hashes_never_keys_or_tokens(database_url: str, rubric: RubricSet) -> None:
    with WorkshopStore(database_url, rubrics=[rubric]) as store:
        organiser = store.new_organiser_key()
        created = store.create_workshop(organiser, "Cake", rubric.id, rubric.version)
        tokens = [store.join(created.join_code, name).resume_token for name in ("A", "B")]
        secrets = [organiser, created.facilitator_key, *tokens]
        assert len(created.facilitator_key) * 6 >= 128 and all(len(t) * 6 >= 128 for t in tokens)
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            cells = [str(value) for table in inspect(conn).get_table_names()
                     for row in conn.execute(select(TABLES.tables[table]) if table in TABLES.tables
                                             else select(1)).all() for value in row]
    finally:
        engine.dispose()
    dump = "\n".join(cells)
    for secret in secrets:
        assert secret not in dump
        assert secret_hash(secret) in dump


def test_wrong_or_missing_key_never_opens_the_facilitator_view(store: WorkshopStore, rubric: RubricSet) -> None:
    organiser = store.new_organiser_key()
    created = store.create_workshop(organiser, "Cake", rubric.id, rubric.version)
    store.join(created.join_code, "Anna")
    for key in (None, "", "x", new_secret(), created.join_code, secret_hash(created.facilitator_key), 123):
        assert store.facilitator(created.workshop_id, key) is None  # type: ignore[arg-type]
        with pytest.raises(AccessDenied):
            store.workshop_answers(created.workshop_id, key)  # type: ignore[arg-type]
    for workshop_id in (created.workshop_id + 1, 0, -1, "1; DROP TABLE workshops", None, True):
        assert store.facilitator(workshop_id, created.facilitator_key) is None  # type: ignore[arg-type]
    # The facilitator key opens the live view; the organiser's key (which opens all their workshops) does not,
    # though it still reads and decides for each of them.
    assert store.facilitator(created.workshop_id, created.facilitator_key) is not None
    assert store.facilitator(created.workshop_id, organiser) is None
    assert store.workshop_answers(created.workshop_id, organiser) is not None


def test_the_organiser_gets_each_workshops_facilitator_key_and_no_other(store: WorkshopStore,
                                                                        rubric: RubricSet) -> None:
    alice, bob = store.new_organiser_key(), store.new_organiser_key()
    a = store.create_workshop(alice, "A Corp", rubric.id, rubric.version)
    b = store.create_workshop(bob, "B Corp", rubric.id, rubric.version)
    assert store.facilitator_key_for(a.workshop_id, alice) == a.facilitator_key != alice
    assert a.facilitator_key not in (b.facilitator_key, derived_facilitator_key(bob, a.join_code.replace("-", "")))
    for workshop_id, key in ((b.workshop_id, alice), (a.workshop_id, bob), (a.workshop_id, a.facilitator_key)):
        with pytest.raises(AccessDenied):
            store.facilitator_key_for(workshop_id, key)
    # A workshop whose random key the store cannot give back: a new one only on request, the old one then fails.
    with store._db.write() as conn:
        conn.execute(update(schema.workshops).where(schema.workshops.c.id == a.workshop_id)
                     .values(facilitator_key_hash=secret_hash(new_secret())))
    assert store.facilitator_key_for(a.workshop_id, alice) is None
    fresh = store.facilitator_key_for(a.workshop_id, alice, reissue=True)
    assert fresh == a.facilitator_key and store.facilitator(a.workshop_id, fresh) is not None


def test_one_workshops_secrets_never_reach_another(store: WorkshopStore, rubric: RubricSet) -> None:
    alice, bob = store.new_organiser_key(), store.new_organiser_key()
    a = store.create_workshop(alice, "A Corp", rubric.id, rubric.version)
    b = store.create_workshop(bob, "B Corp", rubric.id, rubric.version)
    question = rubric.choice_questions()[0][1]
    in_a = store.join(a.join_code, "Anna")
    in_b = store.join(b.join_code, "Bo")
    assert (in_a.workshop_id, in_b.workshop_id) == (a.workshop_id, b.workshop_id)
    store.save_answer(in_a.resume_token, question.id, question.options[0].id)
    store.save_answer(in_b.resume_token, question.id, question.options[4].id)

    # Keys: A's keys do not open B, in either direction.
    for key in (a.facilitator_key, alice):
        assert store.facilitator(b.workshop_id, key) is None
        with pytest.raises(AccessDenied):
            store.workshop_answers(b.workshop_id, key)
        with pytest.raises(AccessDenied):
            store.delete(b.workshop_id, key)
    assert [w.id for w in store.list_workshops(alice)] == [a.workshop_id]

    # Codes: A's code finds only A.
    assert store.workshop_by_code(a.join_code).id == a.workshop_id

    # Tokens: A's participant sees and changes only their own answers.
    assert store.participant_answers(in_a.resume_token) == {question.id: question.options[0].id}
    store.save_answer(in_a.resume_token, question.id, question.options[1].id)
    frame_b = store.workshop_answers(b.workshop_id, b.facilitator_key)
    assert frame_b["display_name"].tolist() == ["Bo"]
    assert frame_b["value"].tolist() == [question.options[4].id]
    store.set_revealed(b.workshop_id, b.facilitator_key, True)
    assert store.revealed_frame(in_a.resume_token) is None  # B's reveal shows A's people nothing


def test_a_participant_token_is_not_a_facilitator_key(store: WorkshopStore, rubric: RubricSet) -> None:
    created = store.create_workshop(store.new_organiser_key(), "Cake", rubric.id, rubric.version)
    token = store.join(created.join_code, "Anna").resume_token
    assert store.facilitator(created.workshop_id, token) is None
    with pytest.raises(UnknownParticipant):
        store.participant_answers(created.facilitator_key)
