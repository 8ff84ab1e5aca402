"""Issue 11, the parsing layer: every hostile or broken input gets a located message, cheaply.

Items 2 (bounded cost), 4 (non-finite numbers, parsing side), 5 (uncaught
exceptions), 6 (two set.yaml in a zip) and 13 (YAML 1.1 conversions in counts).
Cost is shown by what never runs (composition, pydantic), not by timing: the
timings are in benchmarks/bench_parsing.py.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import re
import struct
import zipfile
from pathlib import Path

import pytest

from assessment import safe_yaml
from assessment.answers import AnswerSheet, answer_problem, dump_answers, parse_answers
from assessment.cli import main
from assessment.models import DONT_KNOW, RubricSetFile
from assessment.problems import MAX_PROBLEMS, InputError
from assessment.rubrics import DEFAULT_RUBRICS, files_from_upload, files_from_zip, load_rubric_sources
from assessment.safe_yaml import MAX_DEPTH, MAX_KEYS, MAX_NODES, read_document
from assessment.uploads import MAX_FILES, MAX_ZIP_ENTRIES
from tests.hostile import hostile_zip, long_flow_list, unknown_keys


def refused(raw: bytes | str, file: str = "f.yaml") -> list[str]:
    with pytest.raises(InputError) as caught:
        read_document(raw, file)
    return [str(p) for p in caught.value.problems]


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def cli(capsys, *args: str) -> tuple[int, str]:
    code = main(list(args))
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


@pytest.fixture
def no_building(monkeypatch):
    """Fail the test if anything is composed or built: the refusal must come from the event scan."""

    def boom(*_args, **_kwargs):
        raise AssertionError("composed or built a file that the scan should have refused")

    monkeypatch.setattr(safe_yaml._Loader, "get_single_node", boom)
    monkeypatch.setattr(safe_yaml._Loader, "construct_document", boom)


# --- item 2: bounded cost -------------------------------------------------------------


def test_a_set_yaml_ending_in_a_long_flow_list_is_refused_at_the_node_limit_before_building(no_building):
    text = long_flow_list()
    assert len(text) > 650_000
    assert refused(text, "set.yaml") == [
        f"set.yaml:{line_of(text, 'extra:')}: more than {MAX_NODES:,} values in one file"]


def test_60k_unknown_keys_are_refused_before_pydantic_runs(monkeypatch, no_building):
    def never(*_args, **_kwargs):
        raise AssertionError("pydantic ran on a file the reader should have refused")

    monkeypatch.setattr(RubricSetFile, "model_validate", never)
    with pytest.raises(InputError) as caught:
        load_rubric_sources({"set.yaml": unknown_keys(60_000)})
    assert [str(p) for p in caught.value.problems] == [
        f"set.yaml:{MAX_KEYS + 1}: a mapping with more than {MAX_KEYS:,} keys"]


def test_60k_unknown_answers_are_refused_before_pydantic_runs(monkeypatch, rubric):
    monkeypatch.setattr(AnswerSheet, "model_validate", lambda *_: pytest.fail("pydantic ran"))
    text = "business: x\nanswers:\n" + "".join(f"  q{i}: a\n" for i in range(60_000))
    with pytest.raises(InputError) as caught:
        parse_answers(text, "a.yaml", rubric)
    assert str(caught.value.problems[0]) == f"a.yaml:{MAX_KEYS + 3}: a mapping with more than {MAX_KEYS:,} keys"


def test_the_hostile_zip_is_refused_with_each_file_named():
    data = hostile_zip()
    assert len(data) < 8_000
    with pytest.raises(InputError) as caught:
        load_rubric_sources(files_from_zip(data))
    messages = [str(p) for p in caught.value.problems]
    assert "set.yaml:3: titel: unknown field (check its spelling)" in messages
    for name in ("user_first.yaml", "connection.yaml", "model_change.yaml"):
        assert f"{name}:2: more than {MAX_NODES:,} values in one file" in messages


def test_key_limit_is_exact():
    at_limit = "".join(f"k{i}: 1\n" for i in range(MAX_KEYS))
    assert len(read_document(at_limit, "f.yaml").data) == MAX_KEYS
    assert refused(at_limit + "one_more: 1\n") == [f"f.yaml:{MAX_KEYS + 1}: a mapping with more than {MAX_KEYS:,} keys"]


def test_node_limit_counts_every_value():
    under = "[" + "0," * (MAX_NODES - 2) + "0]"  # the list plus MAX_NODES - 1 items
    assert len(read_document(under, "f.yaml").data) == MAX_NODES - 1
    assert refused("[" + "0," * (MAX_NODES - 1) + "0]") == [f"f.yaml:1: more than {MAX_NODES:,} values in one file"]


def test_json_has_the_same_limits():
    many_keys = json.dumps({f"k{i}": 1 for i in range(MAX_KEYS + 1)})
    assert refused(many_keys, "f.json") == [f"f.json:1: an object with {MAX_KEYS + 1:,} keys; at most {MAX_KEYS:,}"]
    assert refused(json.dumps([0] * MAX_NODES), "f.json") == [f"f.json: more than {MAX_NODES:,} values in one file"]
    assert refused("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), "f.json") == [
        f"f.json: nesting deeper than {MAX_DEPTH} levels"]
    assert refused("[" * 200_000 + "]" * 200_000, "f.json") == [f"f.json: nesting deeper than {MAX_DEPTH} levels"]


def test_problems_are_capped_with_a_count_of_the_rest():
    text = "a: 1\n" * (MAX_PROBLEMS + 71)
    messages = refused(text)
    assert len(messages) == MAX_PROBLEMS + 1
    assert messages[0] == "f.yaml:2: a: duplicate key 'a' (first at line 1); YAML would silently keep the last one"
    assert messages[-1] == "f.yaml: and 70 more problems not shown; fix these first"


def test_pydantic_problems_are_capped_too():
    text = "".join(f"unknown_{i}: 1\n" for i in range(300))
    with pytest.raises(InputError) as caught:
        load_rubric_sources({"set.yaml": text})
    messages = [str(p) for p in caught.value.problems]
    assert len(messages) == MAX_PROBLEMS + 1
    assert re.fullmatch(r"set\.yaml: and \d+ more problems not shown; fix these first", messages[-1])


@pytest.mark.parametrize(
    "text, expected",
    [
        ("a: &x 1\nb: 2\n", "f.yaml:1: anchor '&x' is not allowed"),
        ("a: 1\nb: *x\n", "f.yaml:2: alias '*x' is not allowed"),
        ("a: !!python/object/apply:os.system [ls]\n", "f.yaml:1: tag '!!python/object/apply:os.system' is not allowed"),
        ("a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n", f"f.yaml:1: nesting deeper than {MAX_DEPTH} levels"),
        ("a: 1\nb:\n  c: 2\na: 3\n", "f.yaml:4: a: duplicate key 'a' (first at line 1)"),
        ("a: [1\n", "f.yaml:2: YAML syntax error"),
        ("x" * 1_000_001, "f.yaml: file is 1,000,001 bytes; the limit is 1,000,000"),
    ],
)
def test_the_earlier_protections_still_hold(text, expected):
    assert refused(text)[0].startswith(expected)


def test_an_alias_bomb_is_refused_at_the_first_anchor(no_building):
    bomb = "a: &a [x, x]\n" + "".join(f"{c}: &{c} [*{p}, *{p}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True))
    messages = refused(bomb)
    assert messages[0] == "f.yaml:1: anchor '&a' is not allowed (rubrics need no anchors or aliases)"


def test_values_are_located_on_their_lines():
    doc = read_document("a: 1\nb:\n  - x\n  - c: 2\n", "f.yaml")
    assert doc.data == {"a": 1, "b": ["x", {"c": 2}]}
    assert [doc.line_of(p) for p in [("a",), ("b", 0), ("b", 1, "c")]] == [1, 3, 4]
    json_doc = read_document('{"a": 1,\n "b": [1,\n  {"c": 2}]}', "f.json")
    assert json_doc.data == {"a": 1, "b": [1, {"c": 2}]} and json_doc.line_of(("b", 1, "c")) == 3


# --- the shapes that crashed: reader level ---------------------------------------------


@pytest.mark.parametrize("raw", ["", "\n\n", "\ufeff", b"\xef\xbb\xbf \n", "# only a comment\n"])
def test_an_empty_file_is_a_located_problem(raw):
    assert refused(raw) == ["f.yaml:1: the file is empty"]
    if "#" not in str(raw):
        assert refused(raw, "f.json") == ["f.json:1: the file is empty"]


def test_two_documents_are_a_located_problem():
    assert refused("a: 1\n---\nb: 2\n") == ["f.yaml:2: a second YAML document starts here; a file holds exactly one"]


@pytest.mark.parametrize("text", ["? [a]\n: b\n", "{[a]: b}\n", "x: 1\n? {k: v}\n: b\n"])
def test_a_complex_key_is_a_located_problem(text):
    (message,) = refused(text)
    assert message.endswith("a list or mapping used as a key is not allowed; keys are plain names")
    assert message.startswith(f"f.yaml:{line_of(text, '?') if '?' in text else 1}:")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("n: " + "4" * 400 + "\n", "f.yaml:1: n: a number 400 characters long; at most 32"),
        ("n: " + "9" * 5_000 + "\n", "f.yaml:1: n: a number 5,000 characters long; at most 32"),
        ("n: !!int 0x1F\n", "f.yaml:1: n: '0x1F' is not a plain decimal number"),
        ("a: 1\nn: .inf\n", "f.yaml:2: n: '.inf' is not a finite number"),
        ("n: -.Inf\n", "f.yaml:1: n: '-.Inf' is not a finite number"),
        ("n: .nan\n", "f.yaml:1: n: '.nan' is not a finite number"),
        ("n: 1.0e400\n", "f.yaml:1: n: '1.0e400' is not a finite number"),
        ("n: !!bool maybe\n", "f.yaml:1: cannot read this value"),
    ],
)
def test_numbers_are_short_and_finite(text, expected):
    assert refused(text)[0].startswith(expected)


@pytest.mark.parametrize(
    "text, expected",
    [
        ('{"n":\n  ' + "4" * 400 + "}", "f.json:2: a number 400 characters long; at most 32"),
        ('{"a": 1, "n": ' + "9" * 5_000 + "}", "f.json:1: a number 5,000 characters long; at most 32"),
        ('{"n": NaN}', "f.json:1: 'NaN' is not a finite number"),
        ('{"n":\n -Infinity}', "f.json:2: '-Infinity' is not a finite number"),
        ('{"n": 1e400}', "f.json:1: '1e400' is not a finite number (too large)"),
    ],
)
def test_json_numbers_are_short_and_finite(text, expected):
    assert refused(text, "f.json") == [expected]


def test_yaml_1_1_conversions_and_dates_stay_text():
    doc = read_document("a: 012\nb: 0x1F\nc: 12:30\nd: 1_000\ne: 0b101\nf: 2026-02-30\ng: <<\n", "f.yaml")
    assert doc.data == {"a": "012", "b": "0x1F", "c": "12:30", "d": "1_000", "e": "0b101", "f": "2026-02-30", "g": "<<"}
    plain = read_document("a: 1200\nb: -3\nc: 1200.5\nd: .5\ne: 1.0e3\nf: 0\ng: true\nh: ~\n", "f.yaml").data
    assert plain == {"a": 1200, "b": -3, "c": 1200.5, "d": 0.5, "e": 1000.0, "f": 0, "g": True, "h": None}


# --- item 5: answers files through the command line --------------------------------------


def answers_file(tmp_path: Path, rubric, body: str, name: str = "a.yaml") -> Path:
    head = f'business: Test\nrubric: {{id: {rubric.id}, version: "{rubric.version}"}}\n'
    path = tmp_path / name
    path.write_text(head + body, encoding="utf-8")
    return path


def ids(rubric) -> tuple[str, str, str]:
    (_, choice), *_ = rubric.choice_questions()
    (_, count), *_ = rubric.count_questions()
    return choice.id, choice.options[0].id, count.id


@pytest.mark.parametrize(
    "body, line, expected",
    [
        ("date: 2026-02-30\n", 3, "date: Input should be a valid date"),
        ("answers:\n  {count}: " + "4" * 400 + "\n", 4, "answers.{count}: a number 400 characters long"),
        ("answers:\n  {choice}: 0x" + "f" * 4_000 + "\n", 4, "answers.{choice}: '0xffffffffff"),
        ("answers:\n  ? [a]\n  : b\n", 4, "a list or mapping used as a key is not allowed"),
        ("answers: {{}}\n---\nbusiness: Other\n", 4, "a second YAML document starts here"),
        ("answers:\n  {count}: .inf\n", 4, "answers.{count}: '.inf' is not a finite number"),
    ],
)
def test_broken_yaml_answers_exit_2_with_file_and_line(tmp_path, capsys, rubric, body, line, expected):
    choice, _, count = ids(rubric)
    path = answers_file(tmp_path, rubric, body.format(choice=choice, count=count))
    code, err = cli(capsys, "check", str(path))
    assert code == 2
    assert f"a.yaml:{line}: {expected.format(choice=choice, count=count)}" in err, err


def test_an_empty_answers_file_exits_2_with_file_and_line(tmp_path, capsys):
    (tmp_path / "a.yaml").write_bytes(b"")
    code, err = cli(capsys, "check", str(tmp_path / "a.yaml"))
    assert code == 2 and err.strip() == "a.yaml:1: the file is empty"


@pytest.mark.parametrize("digits", [400, 5_000])
def test_a_long_json_number_exits_2_with_file_and_line(tmp_path, capsys, rubric, digits):
    _, _, count = ids(rubric)
    text = json.dumps({"business": "Test", "rubric": {"id": rubric.id, "version": rubric.version},
                       "answers": {count: 0}}, indent=1)
    line = line_of(text, f'"{count}": 0')
    path = tmp_path / "a.json"
    path.write_text(text.replace(f'"{count}": 0', f'"{count}": {"9" * digits}'), encoding="utf-8")
    code, err = cli(capsys, "check", str(path))
    assert code == 2 and err.strip() == f"a.json:{line}: a number {digits:,} characters long; at most 32"


# --- item 13: counts only as plain decimals ----------------------------------------------


@pytest.mark.parametrize("written", ["012", "0x1F", "12:30", "1_000", "0b101", "1:30.5", "1_000.5"])
def test_yaml_1_1_numbers_are_refused_as_counts_and_the_rest_is_kept(rubric, written):
    choice, option, count = ids(rubric)
    text = (f"business: x\nrubric: {{id: {rubric.id}, version: '{rubric.version}'}}\n"
            f"answers:\n  {choice}: {option}\n  {count}: {written}\n")
    sheet, problems = parse_answers(text, "a.yaml", rubric)
    assert sheet.answers == {choice: option}
    (problem,) = problems
    assert str(problem).startswith(f"a.yaml:5: answers.{count}: '{written}' is not a plain decimal number")


@pytest.mark.parametrize("written, value", [("1200", 1200.0), ("1200.5", 1200.5), ("0", 0.0), (DONT_KNOW, DONT_KNOW)])
def test_plain_decimal_counts_and_dont_know_are_kept(rubric, written, value):
    choice, _, count = ids(rubric)
    text = (
        f"business: x\nrubric: {{id: {rubric.id}, version: '{rubric.version}'}}\n"
        f"answers:\n  {choice}: {DONT_KNOW}\n  {count}: {written}\nnotes:\n  {count}: from the annual report\n"
    )
    sheet, problems = parse_answers(text, "a.yaml", rubric)
    assert problems == [] and sheet.answers == {choice: DONT_KNOW, count: value}
    assert sheet.notes == {count: "from the annual report"}


def test_counts_are_finite_and_bounded_whatever_their_source(rubric):
    choice_id, _, count_id = ids(rubric)
    count, choice = rubric.question(count_id), rubric.question(choice_id)
    assert answer_problem(count, 10**400) == f"an integer of about 401 digits is outside 0–{count.max_value:g}"
    assert answer_problem(count, float("nan")) == "expected a finite number, got nan"
    assert answer_problem(count, 2 * count.max_value) == f"{2 * count.max_value:g} is outside 0–{count.max_value:g}"
    assert answer_problem(choice, int("f" * 4_000, 16)).startswith("an integer of about 4,817 digits is not an option")


def test_dates_are_validated_and_still_round_trip(rubric):
    text = f"business: x\nrubric: {{id: {rubric.id}, version: '{rubric.version}'}}\ndate: 2026-11-25\n"
    sheet, _ = parse_answers(text, "a.yaml", rubric)
    assert sheet.date == dt.date(2026, 11, 25)
    assert parse_answers(dump_answers(sheet), "b.yaml", rubric)[0].date == sheet.date
    assert parse_answers(dump_answers(sheet, "json"), "b.json", rubric)[0].date == sheet.date
    with pytest.raises(InputError, match=r"a.yaml:3: date: Input should be a valid date"):
        parse_answers(text.replace("2026-11-25", "2026-13-01"), "a.yaml", rubric)


# --- the same classes in rubric files (CLI validate) --------------------------------------


def break_file(path: Path, old: str, new: str) -> int:
    """Replace the first ``old`` in ``path`` by ``new``; the line where it was."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line_of(text, old)


RUBRIC_BREAKAGES = {
    "date as a weight": ("    weight: 3\n", "    weight: 2026-02-30\n",
                         "questions[0].weight: Input should be a valid number (got '2026-02-30')"),
    "400-digit weight": ("    weight: 3\n", "    weight: " + "4" * 400 + "\n",
                         "questions[0].weight: a number 400 characters long"),
    "5000-digit score": ("        score: 1\n", "        score: " + "9" * 5_000 + "\n",
                         "questions[0].options[1].score: a number 5,000 characters long"),
    "hex option id": ("      - id: ", "      - id: 0x" + "f" * 4_000 + "\n        x_id: ",
                      "questions[0].options[0].id: String should"),
    "infinite weight": ("    weight: 3\n", "    weight: .inf\n", "questions[0].weight: '.inf' is not a finite number"),
    "complex key": ("title:\n", "? [title]\n: x\ntitle:\n", "a list or mapping used as a key is not allowed"),
    "two documents": ("title:\n", "---\ntitle:\n", "a second YAML document starts here"),
}


@pytest.mark.parametrize("kind", RUBRIC_BREAKAGES)
def test_broken_rubric_files_exit_2_with_file_and_line(rubric_copy, capsys, kind):
    old, new, expected = RUBRIC_BREAKAGES[kind]
    line = break_file(rubric_copy / "user_first.yaml", old, new)
    code, err = cli(capsys, "validate", str(rubric_copy))
    assert code == 2
    assert f"user_first.yaml:{line}: {expected}" in err, err


def test_an_empty_rubric_file_exits_2_with_file_and_line(rubric_copy, capsys):
    (rubric_copy / "connection.yaml").write_text("# nothing yet\n", encoding="utf-8")
    code, err = cli(capsys, "validate", str(rubric_copy))
    assert code == 2 and "connection.yaml:1: the file is empty" in err.splitlines()


# --- corrupt and ambiguous zips -------------------------------------------------------------


def zipped(files: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytearray:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return bytearray(buffer.getvalue())


def set_central_size(data: bytearray, offset: int, value: int) -> bytearray:
    """Overwrite a size in the (single) central directory record: 20 compressed, 24 uncompressed."""
    struct.pack_into("<I", data, data.rfind(b"PK\x01\x02") + offset, value)
    return data


CONTENT = b"id: x\ntitle: a rubric\n" * 50


def corrupt(kind: str) -> bytearray:
    header = 30 + len("s/set.yaml")
    if kind == "bad CRC":
        data = zipped({"s/set.yaml": CONTENT}, zipfile.ZIP_STORED)
        data[header + 5] ^= 0xFF
        return data
    if kind == "bad deflate data":
        data = zipped({"s/set.yaml": CONTENT})
        data[header] = 0xFF  # a deflate block of the reserved type 3
        return data
    if kind == "size smaller than the data":
        return set_central_size(zipped({"s/set.yaml": CONTENT}), 24, 10)
    if kind == "size larger than the data":
        stored = zipped({"s/set.yaml": CONTENT}, zipfile.ZIP_STORED)
        return set_central_size(set_central_size(stored, 24, 5_000), 20, 5_000)
    data = zipped({"s/set.yaml": CONTENT})
    struct.pack_into("<H", data, data.rfind(b"PK\x01\x02") + 8, 1)  # flag bit 0: encrypted
    return data


@pytest.mark.parametrize(
    "kind, reason",
    [
        ("bad CRC", "damaged: Bad CRC-32 for file 's/set.yaml'"),
        ("bad deflate data", "its compressed data is damaged"),
        ("size smaller than the data", "damaged: Bad CRC-32 for file 's/set.yaml'"),
        ("size larger than the data", "its data ends early: the sizes recorded in the archive are wrong"),
        ("encrypted", "it is encrypted"),
    ],
)
def test_a_damaged_zip_is_a_clear_problem(kind, reason):
    with pytest.raises(InputError) as caught:
        files_from_zip(bytes(corrupt(kind)), name="mine.zip")
    assert [str(p) for p in caught.value.problems] == [
        f"mine.zip: 's/set.yaml' in the archive cannot be read ({reason})"]


def test_random_damage_to_a_zip_never_escapes_as_another_exception():
    rng = random.Random(11)
    originals = [zipped({f"set/{p.name}": p.read_bytes() for p in sorted(DEFAULT_RUBRICS.glob("*.yaml"))}, method)
                 for method in (zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)]
    outcomes = set()
    for _ in range(800):
        data = bytearray(rng.choice(originals))
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        try:
            files_from_zip(bytes(data))
            outcomes.add("read")
        except InputError as exc:
            assert exc.problems[0].file == "upload.zip"
            outcomes.add("refused")
    assert outcomes == {"read", "refused"}


def test_a_zip_with_two_set_yaml_is_refused_naming_both():
    data = zipped({"v1/set.yaml": b"id: a\n", "v2/set.yaml": b"id: b\n", "v1/user_first.yaml": b"id: u\n"})
    with pytest.raises(InputError) as caught:
        files_from_zip(bytes(data))
    assert [str(p) for p in caught.value.problems] == [
        "upload.zip: two files named 'set.yaml' (upload.zip: v1/set.yaml and upload.zip: v2/set.yaml); "
        "keep one, a rubric set has one of each"
    ]


def test_a_zip_with_too_many_entries_is_refused_before_reading_them():
    data = zipped({f"d/{i}.txt": b"" for i in range(MAX_ZIP_ENTRIES + 1)}, zipfile.ZIP_STORED)
    refusal = f"upload.zip: the archive holds {MAX_ZIP_ENTRIES + 1:,} entries; at most {MAX_ZIP_ENTRIES:,}"
    with pytest.raises(InputError, match=refusal):
        files_from_zip(bytes(data))


def test_macos_resource_forks_in_a_zip_are_ignored():
    data = zipped({"s/set.yaml": b"id: a\n", "__MACOSX/s/._set.yaml": b"\x00\x05\x16\x07", "s/._x.yaml": b"\x00"})
    assert files_from_zip(bytes(data)) == {"set.yaml": b"id: a\n"}


# --- item 2: files per upload -------------------------------------------------------------


def test_an_upload_of_loose_files_and_a_zip_is_merged():
    data = bytes(zipped({"s/user_first.yaml": b"id: u\n"}))
    expected = {"set.yaml": b"id: a\n", "user_first.yaml": b"id: u\n"}
    assert files_from_upload([("set.yaml", b"id: a\n"), ("more.zip", data)]) == expected


def test_an_upload_of_too_many_files_is_refused():
    files = [(f"d{i}.yaml", b"id: x\n") for i in range(MAX_FILES + 1)]
    with pytest.raises(InputError) as caught:
        files_from_upload(files)
    assert [str(p) for p in caught.value.problems] == [f"upload: {MAX_FILES + 1} files; at most {MAX_FILES} per upload"]
    zipped_many = bytes(zipped({f"s/d{i}.yaml": b"id: x\n" for i in range(MAX_FILES)}))
    with pytest.raises(InputError, match=f"upload: {MAX_FILES + 1} files; at most {MAX_FILES} per upload"):
        files_from_upload([("set.yaml", b"id: a\n"), ("dims.zip", zipped_many)])


def test_an_upload_past_the_byte_cap_is_refused():
    with pytest.raises(InputError, match=r"upload: 3,000 bytes in all; the limit is 2,000"):
        files_from_upload([("a.yaml", b"#" * 1_500), ("b.yaml", b"#" * 1_500)], max_total=2_000)


def test_the_same_name_in_a_zip_and_loose_is_refused():
    data = bytes(zipped({"s/set.yaml": b"id: b\n"}))
    with pytest.raises(InputError) as caught:
        files_from_upload([("set.yaml", b"id: a\n"), ("old.zip", data)])
    assert str(caught.value.problems[0]).startswith(
        "upload: two files named 'set.yaml' (set.yaml and old.zip: s/set.yaml)")


@pytest.mark.parametrize(("file", "old", "new"), [
    ("set.yaml", "    weight: 1.5\n", "    weight: .inf\n"),  # a dimension weight: overall was null
    ("user_first.yaml", "        score: 4\n", "        score: .inf\n"),  # a top option score: All-NaN traceback
    ("user_first.yaml", "        score: 4\n", "        score: -.inf\n"),
    ("user_first.yaml", "        score: 4\n", "        score: .nan\n"),
])
def test_non_finite_numbers_anywhere_in_a_rubric_are_refused_by_validate(rubric_copy, capsys, file, old, new):
    """Issue 11, item 4: `.inf` weights and scores passed `validate`, then `score` raised or gave null."""
    line = break_file(rubric_copy / file, old, new)
    code, err = cli(capsys, "validate", str(rubric_copy))
    assert code == 2
    assert f"{file}:{line}: " in err and "is not a finite number" in err, err
