"""The writing process dies mid-save (SIGKILL): every acknowledged answer is still there afterwards."""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from assessment.models import RubricSet
from assessment.workshop import WorkshopStore

WRITER = Path(__file__).with_name("answer_writer.py")
_spec = importlib.util.spec_from_file_location("workshop_answer_writer", WRITER)
_writer = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_writer)
planned_write = _writer.planned_write
PARTICIPANTS = 3
KILL_AFTER_ACKS = 400


def _run_writer_until_killed(url: str, code: str) -> tuple[dict[int, str], list[str]]:
    """Start the writer, read its output until enough writes are acknowledged, SIGKILL it."""
    process = subprocess.Popen(
        [sys.executable, str(WRITER), url, code, str(PARTICIPANTS)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=WRITER.parents[2],
    )
    tokens: dict[int, str] = {}
    acks: list[str] = []
    deadline = time.monotonic() + 120
    try:
        assert process.stdout is not None
        for line in process.stdout:
            kind, *rest = line.split()
            if kind == "token":
                tokens[int(rest[0])] = rest[1]
            elif kind == "ack":
                acks.append(line)
                if len(acks) >= KILL_AFTER_ACKS:
                    os.kill(process.pid, signal.SIGKILL)  # mid-way: the next save is in flight
                    break
            assert time.monotonic() < deadline, "the writer is too slow"
        else:
            raise AssertionError(f"the writer stopped by itself: {process.stderr.read() if process.stderr else ''}")
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        # Acks printed between our last read and the kill are acknowledged too.
        rest = process.stdout.read() if process.stdout else ""
        acks += [line for line in rest.splitlines(keepends=True) if line.startswith("ack ") and line.endswith("\n")]
    assert process.returncode == -signal.SIGKILL
    return tokens, acks


def test_acknowledged_answers_survive_a_killed_writer(database_url: str, rubric: RubricSet) -> None:
    with WorkshopStore(database_url, rubrics=[rubric]) as store:
        created = store.create_workshop(store.new_organiser_key(), "Cake", rubric.id, rubric.version)
    tokens, acks = _run_writer_until_killed(database_url, created.join_code)
    assert len(tokens) == PARTICIPANTS and len(acks) >= KILL_AFTER_ACKS

    last_acked: dict[tuple[int, str], str] = {}
    for line in acks:
        _, _i, who, question_id, value = line.split()
        last_acked[(int(who), question_id)] = value

    # The one save in flight at the kill may or may not have committed; nothing else is unknown.
    questions = [q for _, q in rubric.choice_questions()]
    in_flight = planned_write(int(acks[-1].split()[1]) + 1, PARTICIPANTS, questions)

    with WorkshopStore(database_url, rubrics=[rubric]) as reopened:
        assert reopened.integrity_check() == []
        for who, token in tokens.items():
            participant = reopened.resume(token)
            assert participant is not None and participant.display_name == f"Writer {who}"
            stored = reopened.participant_answers(token)
            for (acked_who, question_id), value in last_acked.items():
                if acked_who != who:
                    continue
                allowed = {value}
                if (in_flight[0], in_flight[1]) == (who, question_id):
                    allowed.add(in_flight[2])
                assert stored[question_id] in allowed, (who, question_id, stored[question_id], value)
        # The participants can carry on where they were.
        first = questions[0]
        reopened.save_answer(tokens[0], first.id, first.options[0].id)
        assert reopened.participant_answers(tokens[0])[first.id] == first.options[0].id
