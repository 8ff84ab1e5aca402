"""A participant process for the crash test: joins, then saves answers until it is killed.

Usage: ``python tests/workshop/answer_writer.py URL JOIN_CODE PARTICIPANTS [WRITES]``
(with WRITES it stops after that many writes, for the cross-process test)

Prints ``token <n> <resume token>`` for each participant it joins, then
``ack <i> <n> <question> <value>`` after write number ``i`` has been
committed (the store returned), flushed at once, so whatever the test reads
was acknowledged before the kill. Write ``i`` goes to participant
``i % PARTICIPANTS`` and choice question ``i // PARTICIPANTS % questions``,
choosing option ``i % options``: the test can recompute any write from ``i``.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from assessment.rubrics import load_rubric_dir
from assessment.workshop.store import WorkshopStore


def planned_write(i: int, participants: int, questions: list) -> tuple[int, str, str]:
    """Write ``i``: (participant index, question id, option id)."""
    question = questions[(i // participants) % len(questions)]
    return i % participants, question.id, question.options[i % len(question.options)].id


def main() -> None:
    url, code, participants = sys.argv[1], sys.argv[2], int(sys.argv[3])
    writes = int(sys.argv[4]) if len(sys.argv) > 4 else None
    rubric = load_rubric_dir()
    questions = [q for _, q in rubric.choice_questions()]
    store = WorkshopStore(url, rubrics=[rubric])
    tokens = []
    for n in range(participants):
        joined = store.join(code, f"Writer {n}")
        tokens.append(joined.resume_token)
        print(f"token {n} {joined.resume_token}", flush=True)
    for i in itertools.count() if writes is None else range(writes):
        who, question_id, value = planned_write(i, participants, questions)
        store.save_answer(tokens[who], question_id, value)
        print(f"ack {i} {who} {question_id} {value}", flush=True)


if __name__ == "__main__":
    main()
