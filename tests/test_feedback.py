"""Students' feedback pages and the instructors' class report, from real grading results."""
import base64
import html
import re
import warnings
from html.parser import HTMLParser

import pytest

from autograder.feedback import write_feedback
from autograder.notebook import ROOT
from autograder.report import write_report
from conftest import wrong_answer

A = "01_blocks"
EVIL = "<script>alert('x')</script>"


def made(student, status, output="", score=0.0, tests=(), seconds=1.0, assignment=A, max_score=19):
    return dict(student=student, assignment=assignment, score=score, max_score=max_score, status=status,
                tests=list(tests), output=output, execution_time=seconds)


def verdict(check, title, passed, output=None, points=2):
    return dict(name=title, check=check, score=points if passed else 0, max_score=points,
                status="passed" if passed else "failed", output=output or ("通过" if passed else "未通过:错"))


@pytest.fixture(scope="module")
def real(graded):
    labels = {"solution": "solution", "release": "release", "mutant:mlp_forward": wrong_answer(A, "mlp_forward")}
    return {key: dict(graded[A, label].to_json(), student=key) for key, label in labels.items()}


@pytest.fixture(scope="module")
def odd():
    """Statuses real grading gives only slowly (timeout) or rarely, and a hostile submission."""
    return [
        made("erin", "timeout", "CellTimeoutError: 单元格运行超时", seconds=30.5,
             tests=[verdict("mlp_structure", "MLP 的子层", True, points=1)], score=1),
        made("frank", "crashed (signal SIGKILL)", "Fatal Python error: Segmentation fault", seconds=4.0),
        made("gina", "unreadable", "不是有效的笔记本:Expecting value", seconds=0.0),
        made("../../<u>mallory</u>", "ok", f"{EVIL}\n```\n{EVIL}\n",
             tests=[verdict("mlp_forward", "<i>MLP</i>", False, f"未通过:你的输出是 <img src=x onerror=alert(1)> {EVIL}")]),
    ]


@pytest.fixture(scope="module")
def pages(real, odd, tmp_path_factory):
    folder = tmp_path_factory.mktemp("feedback")
    results = list(real.values()) + odd
    return folder, results, write_feedback(results, folder)


def page(pages, student, suffix=".html"):
    """The page written for a student: paths come back in the results' order, HTML then Markdown."""
    _, results, paths = pages
    i = [r["student"] for r in results].index(student)
    return paths[2 * i + (suffix == ".md")].read_text(encoding="utf-8")


def test_two_pages_per_submission_inside_the_folder(pages):
    folder, results, paths = pages
    assert len(paths) == 2 * len(results) and all(p.is_file() for p in paths)
    assert {p.suffix for p in paths} == {".html", ".md"}
    assert all(p.resolve().is_relative_to(folder.resolve()) for p in paths)  # even for "../../"
    assert len({p.parent for p in paths}) == len(results)  # one folder per student
    assert (folder / "solution" / f"{A}.html").is_file()


def test_failing_check_shows_its_hint_and_passing_checks_show_passed(pages, real):
    mutant = real["mutant:mlp_forward"]
    failed = [t for t in mutant["tests"] if t["status"] == "failed"]
    assert [t["check"] for t in failed] == ["mlp_forward"] and "提示" in failed[0]["output"]
    text = page(pages, "mutant:mlp_forward")
    assert html.escape(failed[0]["output"]) in text
    rows = re.findall(r'<tr class="(passed|failed)">', text)
    assert rows.count("failed") == 1 and rows.count("passed") == len(mutant["tests"]) - 1
    assert "17 / 19" in text
    markdown = page(pages, "mutant:mlp_forward", ".md")
    assert markdown.count("✘ 未通过") == 1 and markdown.count("✔ 通过") == len(mutant["tests"]) - 1
    assert "MLP 的输出不等于" in markdown

    solution = page(pages, "solution")
    assert "未通过的检查" not in solution and "19 / 19" in solution
    assert re.findall(r'<tr class="(\w+)">', solution) == ["passed"] * len(real["solution"]["tests"])


@pytest.mark.parametrize("student, words", [("erin", "超过了时间限制"), ("frank", "进程意外退出"),
                                           ("gina", "无法读取这份提交")])
def test_status_explained_in_chinese_with_the_students_output(pages, odd, student, words):
    result = next(r for r in odd if r["student"] == student)
    for suffix in (".html", ".md"):
        text = page(pages, student, suffix)
        assert words in text and "你的代码的报错输出" in text
        assert result["output"].split(":")[0] in text
    assert "(signal SIGKILL)" in page(pages, "frank")


def test_untrusted_text_is_escaped(pages):
    name = "../../<u>mallory</u>"
    text = page(pages, name)
    assert _tags(text) <= PAGE_TAGS  # nothing the student wrote became markup
    assert html.escape(EVIL) in text and "&lt;u&gt;mallory&lt;/u&gt;" in text
    markdown = page(pages, name, ".md")
    outside = _outside_fences(markdown)
    assert EVIL in markdown  # shown verbatim inside the code block, where it is inert ...
    assert "<" not in outside and "`" * 4 in markdown  # ... which the student's ``` cannot close


PAGE_TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "div", "p", "b", "br", "code",
             "table", "tr", "th", "td", "pre"}


def _tags(text):
    parser = HTMLParser()
    tags = set()
    parser.handle_starttag = lambda tag, attrs: tags.add(tag)
    parser.feed(text)
    return tags


def _outside_fences(markdown):
    out, fence = [], None
    for line in markdown.splitlines():
        if fence is None and (m := re.match(r"(`{3,})", line)):
            fence = m.group(1)
        elif fence is not None and line == fence:
            fence = None
        elif fence is None:
            out.append(line)
    return "\n".join(out)


def test_no_check_source_in_any_page(pages):
    source = [line.strip() for line in (ROOT / "autograder/checks/blocks.py").read_text().splitlines()]
    long_lines = [line for line in source if len(line) > 30]
    assert len(long_lines) > 20
    for path in pages[2]:
        text = html.unescape(path.read_text(encoding="utf-8"))  # escaping must not hide a leak
        assert not [line for line in long_lines if line in text], path


class Tables(HTMLParser):
    """Rows of the tables with an id: {id: [[cell, ...], ...]}."""

    def __init__(self, text):
        super().__init__()
        self.tables, self.current, self.row = {}, None, None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.current = self.tables.setdefault(dict(attrs).get("id"), [])
        elif tag == "tr":
            self.row = []
            self.current.append(self.row)
        elif tag in ("td", "th"):
            self.row.append("")

    def handle_data(self, data):
        if self.row is not None and self.row:
            self.row[-1] += data


@pytest.fixture(scope="module")
def report(real, odd, tmp_path_factory):
    results = list(real.values()) + odd + [
        made("张三", "unreadable", "无法判断这是哪一次作业:hw.ipynb", assignment="作业", max_score=0,
             seconds=99.0)]
    path = tmp_path_factory.mktemp("report") / "report.html"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert write_report(results, path) == path
    return path.read_text(encoding="utf-8"), caught


def test_report_summary_numbers(report, real):
    tables = Tables(report[0]).tables
    header, *rows = tables["summary"]
    assert header[:6] == ["作业", "提交数", "满分", "平均分", "中位数", "满分人数"]
    blocks = dict(zip(header, next(r for r in rows if r[0] == A)))
    # solution 19, release 0, mutant 17, erin 1, frank 0, gina 0, mallory 0
    assert blocks["提交数"] == "7" and blocks["满分"] == "19" and blocks["满分人数"] == "1"
    assert blocks["平均分"] == f"{37 / 7:.2f}" and blocks["中位数"] == "0"
    assert [blocks[s] for s in ("ok", "timeout", "crashed", "unreadable")] == ["4", "1", "1", "1"]
    assert [r[0] for r in rows] == [A, "作业"]
    assert rows[1][1:6] == ["1", "0", "0", "0", "0"]  # no checks known: 0 of 0 is not full marks


def test_report_embeds_one_file_of_plots(report, real):
    text = report[0]
    images = re.findall(r'<img alt="[^"]*" src="data:image/png;base64,([^"]+)">', text)
    # 01_blocks: histogram + pass rates; the unknown assignment: a histogram only; the slowest
    assert len(images) == 4
    assert all(base64.b64decode(data).startswith(b"\x89PNG") for data in images)
    assert "http" not in text.replace("http-equiv", "")  # nothing fetched from elsewhere


def test_report_pass_rates_and_slowest(report, real):
    text = report[0]
    assert "mlp_forward" in text and html.escape("MLP 的前向传播") in text
    slowest = Tables(text).tables["slowest"][1:]
    assert [r[1] for r in slowest[:2]] == ["张三", "erin"]
    assert "<script" not in text and "&lt;u&gt;mallory" in text


def test_report_plots_need_no_chinese_font(report):
    assert not [str(w.message) for w in report[1] if "Glyph" in str(w.message)]
