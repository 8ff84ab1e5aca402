"""The Streamlit app, page by page, through ``streamlit.testing.v1.AppTest`` (no browser)."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from streamlit.testing.v1 import AppTest

from assessment.rubrics import DEFAULT_RUBRICS, load_rubric_dir
from tests.conftest import ROOT

PAGES = {name: f"assessment/ui/pages/{name}.py" for name in ("assess", "results", "export", "compare", "rubrics")}
NASTY = "<img src=x onerror=alert(1)>"


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    return at


def on(at: AppTest, name: str) -> AppTest:
    at.switch_page(PAGES[name]).run()
    assert not at.exception, at.exception
    return at


RUBRIC = load_rubric_dir()


def option(question_id: str, index: int) -> str:
    """The id of a question's option by position (negative from the top)."""
    return RUBRIC.question(question_id).options[index].id


def answer(at: AppTest, question_id: str, index: int) -> AppTest:
    at.radio(key=f"q_{question_id}").set_value(option(question_id, index)).run()
    at.run()  # the answer reran its fragments only; AppTest then holds just those, so draw the whole page again
    assert not at.exception, at.exception
    return at


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def verdict(at: AppTest) -> str:
    """The Results page's first line: the verdict in one sentence (as the user reads it)."""
    return plain(at.subheader[0].value)


def overall(at: AppTest) -> str:
    return next(plain(c.value) for c in at.caption if plain(c.value).startswith(("Overall", "总分")))


def load_example(at: AppTest, key: str = "cake-shop") -> AppTest:
    at.selectbox(key="example_choice").select(key).run()
    at.button(key="example_load").click().run()
    assert not at.exception, at.exception
    return at


def plain(value: str) -> str:
    """Markdown source with the escaping backslashes removed: what the user reads."""
    return re.sub(r"\\(.)", r"\1", value)


def markdown_table(at: AppTest, first_column: str, last: bool = False) -> list[list[str]]:
    """A table the page drew as markdown: its header and rows, cells as written (escaped)."""
    tables = [m.value for m in at.markdown if m.value.startswith(f"| {first_column} |")]
    lines = (tables[-1] if last else tables[0]).splitlines()
    return [[cell.strip() for cell in line.strip("|").split(" | ")] for line in [lines[0], *lines[2:]]]


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [h.value for h in at.header]
    parts += [h.value for h in at.subheader] + [e.value for e in at.error] + [w.value for w in at.warning]
    parts += [s.value for s in at.success] + [i.value for i in at.info]
    return "\n".join(str(p) for p in parts)


def test_assess_page_guides_a_first_time_user(app):
    assert app.title[0].value.startswith("Assess a business")
    assert len(app.tabs) == 3
    assert app.radio(key="q_uf_user_relationship").value is None
    assert "0 of 31 questions answered" in next(p.proto.text for p in app.get("progress"))
    assert any("observe" in m.value for m in app.markdown)


def test_answering_changes_the_results(app):
    on(app, "results")
    assert "No answers yet" in app.info[0].value
    on(app, "assess")
    answer(app, "mc_product_nature", -1)
    on(app, "results")
    high = overall(app)
    on(app, "assess")
    answer(app, "mc_product_nature", 0)
    answer(app, "uf_user_relationship", 0)
    on(app, "results")
    assert overall(app) != high
    assert verdict(app).startswith("Undetermined: 23 unknown answers")  # the other answers are still unknown


def test_answers_survive_page_switches(app):
    app.text_input(key="meta_business").input("Corner Bakery").run()
    first = option("uf_free_offer", 2)
    answer(app, "uf_free_offer", 2)
    on(app, "rubrics")
    on(app, "assess")
    assert app.radio(key="q_uf_free_offer").value == first
    assert app.text_input(key="meta_business").value == "Corner Bakery"


def test_loading_an_example_fills_the_form_and_classifies(app):
    load_example(app, "ride-hailing-platform")
    assert app.text_input(key="meta_business").value.startswith("Ride-hailing platform")
    assert app.radio(key="q_uf_user_relationship").value is not None
    on(app, "results")
    assert verdict(app) == "Internet+: 25.0 points past the Internet+ boundary on Resources reconfigured (best road)."
    assert any(s.value.startswith("What would change the verdict") for s in app.subheader)
    charts = app.get("plotly_chart")
    # The bar per condition, then one chart per tab: only the open tab is drawn.
    assert [c.key for c in charts] == ["chart_conditions", "chart_radar"]
    titles = [tab.label for tab in app.tabs]
    assert titles == ["Scores", "Among the examples", "Connection growth", "The next node", "Act first"]
    app.session_state["chart_tabs"] = titles[2]
    app.run()
    assert [c.key for c in app.get("plotly_chart")] == ["chart_conditions", "chart_growth"]
    assert any("today one-to-one links, ×1.4 at your reachable" in plain(c.value) for c in app.caption)


def test_an_example_link_reproduces_the_view():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.query_params["example"] = "cake-shop"
    at.query_params["lang"] = "zh"
    at.run()
    assert at.text_input(key="meta_business").value == "Sweet Crumbs Cake Shop"
    assert at.title[0].value.startswith("评估一家企业")
    on(at, "results")
    assert verdict(at).startswith("+互联网：资源重新配置（最佳道路）距互联网+分界线还差 50.0 分")


def test_a_broken_answers_file_shows_where_and_keeps_nothing_broken(app):
    broken = ("mine.yaml", b"business: [unclosed\n", "application/x-yaml")
    app.file_uploader(key="answers_upload").set_value(broken).run()
    assert not app.exception
    message = plain(app.error[0].value)
    assert "The file could not be read" in message and "mine.yaml:2: YAML syntax error" in message


def test_a_partly_wrong_answers_file_loads_the_rest(app):
    content = (
        "business: Corner Bakery\nrubric: {id: internet_plus, version: '0.9'}\n"
        "answers:\n  uf_free_offer: free_core\n  made_up: x\n  uf_onboarding: maybe\n"
    )
    app.file_uploader(key="answers_upload").set_value(("old.yaml", content.encode(), "application/x-yaml")).run()
    assert not app.exception
    assert "Loaded 1 answer for Corner Bakery" in plain(app.success[0].value)
    errors = plain(app.error[0].value)
    assert "old.yaml:5: answers.made_up: unknown question id" in errors
    assert "old.yaml:6: answers.uf_onboarding: 'maybe' is not an option" in errors
    assert "version 0.9" in plain(app.warning[0].value)
    assert app.radio(key="q_uf_free_offer").value == "free_core"


def test_language_switch_changes_labels_and_rubric_texts(app):
    app.segmented_control(key="lang").set_value("zh").run()
    assert app.title[0].value.startswith("评估一家企业")
    assert app.radio(key="q_uf_user_relationship").label.startswith("1. 企业对")
    assert app.query_params.get("lang") in ("zh", ["zh"])  # a copied link keeps the language


def test_user_typed_text_is_never_markup(app):
    app.text_input(key="meta_business").input(NASTY).run()
    answer(app, "uf_free_offer", 1)
    for name in ("results", "export", "compare"):
        on(app, name)
        body = texts(app)
        assert "<img" not in body.replace("\\<img", ""), name
    on(app, "results")
    assert any("\\<img src\\=x onerror\\=alert\\(1\\)\\>" in h.value for h in app.header)


def rubric_zip(version: str = "9.9") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in DEFAULT_RUBRICS.glob("*.yaml"):
            content = path.read_text(encoding="utf-8")
            if path.name == "set.yaml":
                content = content.replace('version: "2.0"', f'version: "{version}"')
            archive.writestr(path.name, content)
    return buffer.getvalue()


def test_uploaded_rubric_applies_to_its_own_session_only(app):
    on(app, "rubrics")
    app.file_uploader(key="rubric_upload").set_value([("custom.zip", rubric_zip(), "application/zip")]).run()
    assert not app.exception
    assert "Rubric set internet_plus 9.9 is valid" in plain(app.success[0].value)
    assert any("internet_plus 9.9" in plain(s.value) for s in app.subheader)
    other = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    other.run()
    on(other, "rubrics")
    assert any("internet_plus 2.0" in plain(s.value) for s in other.subheader)
    assert not any("9.9" in plain(s.value) for s in other.subheader)


def test_a_broken_rubric_upload_lists_its_problems(app):
    on(app, "rubrics")
    broken = (DEFAULT_RUBRICS / "set.yaml").read_text(encoding="utf-8").replace("    weight: 1.5", "    weight: -1")
    files = [("set.yaml", broken.encode(), "application/x-yaml")] + [
        (p.name, p.read_bytes(), "application/x-yaml") for p in DEFAULT_RUBRICS.glob("*.yaml") if p.name != "set.yaml"
    ]
    app.file_uploader(key="rubric_upload").set_value(files).run()
    assert not app.exception
    message = plain(app.error[0].value)
    line = next(i for i, text in enumerate(broken.splitlines(), 1) if "weight: -1" in text)
    assert "The rubric set was refused" in message
    assert f"set.yaml:{line}: dimensions[2].weight: Input should be greater than 0" in message
    assert any("internet_plus 2.0" in plain(s.value) for s in app.subheader)


def test_export_page_offers_both_csvs_the_workbook_both_reports_and_the_answers_file(app):
    load_example(app)
    on(app, "export")
    labels = [b.label for b in app.get("download_button")]
    assert labels == ["Answers CSV", "Summary CSV", "XLSX workbook", "HTML report", "PDF report", "Save answers"]


def test_compare_page_shows_examples_and_scores_a_batch(app):
    on(app, "compare")
    header, *rows = markdown_table(app, "Business")
    # Few, narrow columns on screen (every column is in the CSV download).
    assert len(rows) == 3 and [plain(h) for h in header] == [
        "Business", "Class", "To the Internet+ boundary", "Overall", "User first", "Connection",
        "Product and business model change"]
    assert plain(rows[0][2]).endswith((" past", " short"))
    csv = b"business,uf_user_relationship,mc_product_nature\nA,till_only,same_product\nB,users_beyond_buyers,bogus\n"
    app.file_uploader(key="batch_upload").set_value(("r.csv", csv, "text/csv")).run()
    assert not app.exception
    _, *scored = markdown_table(app, "business", last=True)
    assert [row[0] for row in scored] == ["A", "B"]
    assert "row 3" in app.error[-1].value
    # The grids' own CSV download is off (.streamlit/config.toml); our formula-safe buttons stay.
    labels = [b.label for b in app.get("download_button")]
    assert labels == ["Every column (CSV: both ends of each range, completeness, rubric)", "Download the CSV template",
                      "Download the scored CSV"]


def test_results_explain_every_number(app):
    load_example(app, "article-advert-forwarding")
    on(app, "results")
    assert any("Borderline" in w.value for w in app.warning)  # the essay: it "combines" both
    assert not any(m.value.startswith("| Dimension | Question") for m in app.markdown)  # folded: not drawn yet
    app.session_state["retrace"] = True  # open "How every number is computed"
    app.run()
    table = next(m.value for m in app.markdown if m.value.startswith("| Dimension | Question"))
    rows = [line.split(" | ") for line in table.splitlines()[2:]]
    contributions = [float(plain(row[-1]).strip(" |")) for row in rows]
    total = float(overall(app).split()[1])
    assert len(rows) == 25 and sum(contributions) == pytest.approx(total, abs=0.2)


def test_dont_know_answers_give_an_undetermined_verdict_and_the_questions_that_decide_it(app):
    for question_id in ("mc_product_nature", "rd_platform", "uf_user_relationship"):
        app.radio(key=f"q_{question_id}").set_value("dont_know").run()
        app.run()
    on(app, "results")
    assert verdict(app).startswith("Undetermined: 25 unknown answers")
    assert "–" in overall(app).split()[1]  # a range, not a number
    assert any(s.value == "Unknown answers" for s in app.subheader)
    table = next(m.value for m in app.markdown if "Could move overall by" in m.value)
    assert "Has the internet changed what the product is" in plain(table)
    assert "Don't know" in plain(table)


def test_no_download_button_reruns_the_app_when_clicked(app):
    """A click that reruns the app registers new files for the page's buttons and drops the one the click is
    fetching: "Save answers" (its file is written when clicked) then downloaded nothing, now and then, under
    load. No download needs a rerun, so none asks for one."""
    load_example(app)
    seen = []
    for name in ("assess", "results", "export", "compare", "rubrics"):
        on(app, name)
        for button in app.get("download_button"):
            seen.append(button.proto.label)
            assert button.proto.ignore_rerun, f"{name}: '{button.proto.label}' reruns the app when clicked"
    assert "Save answers" in seen and len(seen) >= 8
