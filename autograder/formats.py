"""Every platform's format, written from one grading run (or from merged shards).

Gradescope ``results.json``, GitHub Classroom's result for the autograding-grading-reporter
action, JUnit XML, nbgrader's grade CSV, and nbgrader's sqlite gradebook itself.
"""
import base64
import csv
import json
from xml.etree import ElementTree as ET


def gradescope(results) -> dict:
    """Gradescope's results.json for what one student handed in (one or more notebooks): the
    checks are hidden tests, shown once grades are published; the summary is visible."""
    tests = [dict(name=f"{r['assignment']}: {t['name']}", score=t["score"], max_score=t["max_score"],
                  status=t["status"], output=t["output"], visibility="after_published")
             for r in results for t in r["tests"]]
    lines = [f"{r['assignment']}: {r['score']:g}/{r['max_score']:g} ({r['status']})\n{r['output']}".strip()
             for r in results]
    return dict(score=sum(r["score"] for r in results),
                execution_time=round(sum(r["execution_time"] for r in results), 3),
                output="\n\n".join(lines) or "没有找到可评分的笔记本。", visibility="visible",
                stdout_visibility="hidden", tests=tests)


def classroom(results) -> dict:
    """GitHub Classroom's runner result (version 1), all notebooks of one repository together."""
    tests = [dict(name=f"{r['assignment']}: {t['name']}", status="pass" if t["status"] == "passed" else "fail",
                  score=t["score"], message=t["output"], test_code=t["check"], filename=r["assignment"],
                  line_no=0, execution_time=f"{r['execution_time']:.2f}s")
             for r in results for t in r["tests"]]
    errored = any(r["status"] == "unreadable" for r in results)
    status = "error" if errored else "pass" if all(t["status"] == "pass" for t in tests) else "fail"
    return dict(version=1, status=status, max_score=sum(r["max_score"] for r in results), tests=tests)


def classroom_base64(results) -> str:
    return base64.b64encode(json.dumps(classroom(results), ensure_ascii=False).encode()).decode()


def junit(results) -> str:
    suites = ET.Element("testsuites")
    for r in results:
        failures = [t for t in r["tests"] if t["status"] != "passed"]
        suite = ET.SubElement(suites, "testsuite", name=f"{r['student']}/{r['assignment']}",
                              tests=str(len(r["tests"])), failures=str(len(failures)),
                              time=f"{r['execution_time']:.3f}")
        for t in r["tests"]:
            case = ET.SubElement(suite, "testcase", classname=f"{r['student']}.{r['assignment']}", name=t["check"])
            if t["status"] != "passed":
                ET.SubElement(case, "failure", message=t["output"][:200]).text = t["output"]
        if r["output"]:
            ET.SubElement(suite, "system-err").text = r["output"]
    return ET.tostring(suites, encoding="unicode", xml_declaration=True)


NBGRADER_CSV = ["assignment", "duedate", "timestamp", "student_id", "last_name", "first_name", "email",
                "raw_score", "late_submission_penalty", "score", "max_score"]


def nbgrader_csv(results, path) -> None:
    """The columns of ``nbgrader export``, so tools that read nbgrader's grades read these."""
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, NBGRADER_CSV, restval="")
        writer.writeheader()
        for r in results:
            writer.writerow(dict(assignment=r["assignment"], student_id=r["student"], raw_score=r["score"],
                                 late_submission_penalty=0.0, score=r["score"], max_score=r["max_score"]))


class GradebookMismatch(Exception):
    """The gradebook's idea of an assignment is not source/'s; the message says what differs."""


def prepare_gradebook(db_url: str, assignments) -> None:
    """Before any grading: an assignment the gradebook lacks (a new or empty database) is put in
    from source/ by nbgrader's own generate_assignment, into a scratch folder (assignments/ is
    left alone); one whose grade cells or points differ from source/ raises GradebookMismatch."""
    import os
    import sys
    import tempfile

    from nbgrader.api import Gradebook, MissingEntry

    from .notebook import ROOT, read, source_path
    # nbgrader migrates a new database with `alembic`, which it finds on PATH: use this venv's.
    os.environ["PATH"] = f"{os.path.dirname(sys.executable)}{os.pathsep}{os.environ.get('PATH', '')}"
    missing = []
    with Gradebook(db_url) as gb:
        for assignment in sorted(set(assignments)):
            expected = {meta["grade_id"]: float(meta.get("points", 0))
                        for meta in (c.get("metadata", {}).get("nbgrader", {})
                                     for c in read(source_path(assignment))["cells"]) if meta.get("grade")}
            try:
                cells = gb.find_notebook(assignment, assignment).grade_cells
            except MissingEntry:
                missing.append(assignment)
                continue
            stored = {c.name: float(c.max_score) for c in cells}
            if stored != expected:
                differ = sorted(n for n in stored.keys() | expected.keys() if stored.get(n) != expected.get(n))
                raise GradebookMismatch(
                    f"the gradebook's {assignment} differs from source/ in grade cells {', '.join(differ)} "
                    f"(gradebook: {[stored.get(n) for n in differ]}, source: {[expected.get(n) for n in differ]} points); "
                    f"regenerate it with `nbgrader generate_assignment {assignment} --force` or use a new gradebook")
    if missing:
        from nbgrader.converters import GenerateAssignment
        from nbgrader.coursedir import CourseDirectory
        from traitlets.config import Config
        with tempfile.TemporaryDirectory() as scratch:
            for assignment in missing:
                config = Config()
                config.CourseDirectory.root = str(ROOT)
                config.CourseDirectory.db_url = db_url
                config.CourseDirectory.release_directory = scratch
                config.CourseDirectory.assignment_id = assignment
                GenerateAssignment(coursedir=CourseDirectory(config=config), config=config).start()


def gradebook(results, db_url: str) -> None:
    """Store the scores in an nbgrader gradebook, cell by cell, as ``nbgrader autograde`` would
    (``prepare_gradebook`` has made sure the assignments are in it)."""
    import warnings

    from nbgrader.api import Gradebook, MissingEntry
    from sqlalchemy.exc import SAWarning
    with Gradebook(db_url) as gb, warnings.catch_warnings():
        # nbgrader's add_submission builds its objects in a way SQLAlchemy 2 warns about (nbgrader
        # autograde prints the same warnings); the rows are written all the same.
        warnings.simplefilter("ignore", SAWarning)
        for r in results:
            gb.update_or_create_student(r["student"])
            try:
                gb.find_submission(r["assignment"], r["student"])
            except MissingEntry:  # a first submission: nothing to replace
                pass
            else:
                gb.remove_submission(r["assignment"], r["student"])
            gb.add_submission(r["assignment"], r["student"])
            for t in r["tests"]:
                grade = gb.find_grade(t["check"], r["assignment"], r["assignment"], r["student"])
                grade.auto_score = t["score"]
            gb.db.commit()
