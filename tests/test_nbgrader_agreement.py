"""``nbgrader autograde``, the CI grader and ``pytest --submission`` give the sample class the same
points, check by check; every alternative solution gets full marks from all three."""
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from xml.etree import ElementTree as ET

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder.grade import grade_all
from autograder.notebook import ROOT, Submission, assignments, check_ids, read, source_path
from autograder.forkserver import JOBS, context
from autograder.sandbox import Limits
from examples import sample_class

TIMEOUT = 15  # seconds per cell for all graders (the sample class has an infinite loop);
# a fresh nbgrader kernel must still import torch within it on a busy machine.


def pytest_points(notebooks, junit) -> dict:
    """Points per (student, check) from ``pytest --submission`` (the plugin's JUnit properties)."""
    args = [a for nb in notebooks for a in ("--submission", str(nb))]
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args,
                           f"--junitxml={junit}", f"--cell-timeout={TIMEOUT}"],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode in (0, 1), done.stdout[-3000:] + done.stderr[-3000:]  # 1: some checks failed
    points = {}
    for case in ET.parse(junit).iter("testcase"):
        props = {p.get("name"): p.get("value") for p in case.iter("property")}
        points[props["student"], case.get("name")] = float(props.get("points", 0))
    return points


def submissions(course, assignment):
    """The sample class (erin's infinite loop costs each grader the time limit: only in
    01_blocks) and every alternative solution, in ``course``'s submitted/."""
    sample_class.build(course / "submitted", [assignment])
    if assignment != "01_blocks":
        shutil.rmtree(course / "submitted" / "erin" / assignment)
    for name, nb in sample_class.alternatives(assignment).items():
        path = course / "submitted" / f"alt-{name}" / assignment / f"{assignment}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, path)


@pytest.fixture(scope="module")
def autograded(regenerated, request, tmp_path_factory):
    """nbgrader autograde of each assignment this session tests, each in its own copy of the
    course (its own gradebook), one per core at a time: a kernel keeps one core busy, and
    nbgrader is most of this test's time. Returns assignment -> (course, completed process)."""
    wanted = sorted({item.callspec.params["assignment"] for item in request.session.items
                     if item.originalname == "test_same_points_per_check"})
    courses = {}
    for assignment in wanted:
        course = courses[assignment] = tmp_path_factory.mktemp(f"agreement-{assignment}")
        for entry in ("source", "assignments", "gradebook.db", "nbgrader_config.py"):
            (shutil.copytree if (regenerated / entry).is_dir() else shutil.copy)(regenerated / entry, course / entry)
        submissions(course, assignment)

    def autograde(assignment):
        return subprocess.run(["nbgrader", "autograde", assignment, "--force", f"--Execute.timeout={TIMEOUT}",
                               "--log-level=ERROR"], cwd=courses[assignment], capture_output=True, text=True)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return {a: (courses[a], done) for a, done in zip(wanted, pool.map(autograde, wanted))}


@pytest.mark.parametrize("assignment", assignments())
def test_same_points_per_check(autograded, assignment, tmp_path):
    course, done = autograded[assignment]
    assert done.returncode == 0, done.stderr[-3000:]
    notebooks = sorted((course / "submitted").glob(f"*/{assignment}/*.ipynb"))
    ours = grade_all([Submission(p.parent.parent.name, assignment, p) for p in notebooks],
                     context(), Limits(cell_seconds=TIMEOUT), jobs=JOBS)
    by_pytest = pytest_points(notebooks, tmp_path / "junit.xml")
    checks = check_ids(read(source_path(assignment)))
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for result in ours:
            theirs = {name: gb.find_grade(name, assignment, assignment, result.student).score for name in checks}
            mine = {t.name: t.score for t in result.tests}
            assert mine == theirs, result.student
            assert {name: by_pytest[result.student, name] for name in checks} == mine, result.student
            if result.student.startswith("alt-"):
                assert result.score == result.max_score, (result.student, result.tests)
    assert len(sample_class.alternatives(assignment)) >= 6
