"""``nbgrader autograde`` and the CI grader give the sample class the same points, check by check."""
import subprocess

import pytest
from nbgrader.api import Gradebook

from autograder.grade import grade_all
from autograder.notebook import Submission, assignments, check_ids, read, source_path
from autograder.forkserver import context
from autograder.sandbox import Limits
from examples import sample_class

TIMEOUT = 15  # seconds per cell for both graders (the sample class has an infinite loop);
# a fresh nbgrader kernel must still import torch within it on a busy machine.


@pytest.mark.parametrize("assignment", assignments())
def test_same_points_per_check(regenerated, assignment):
    course = regenerated
    sample_class.build(course / "submitted", [assignment])
    done = subprocess.run(["nbgrader", "autograde", assignment, "--force", f"--Execute.timeout={TIMEOUT}",
                           "--log-level=ERROR"], cwd=course, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    ours = grade_all([Submission(p.parent.parent.name, assignment, p)
                      for p in sorted((course / "submitted").glob(f"*/{assignment}/*.ipynb"))],
                     context(), Limits(cell_seconds=TIMEOUT), jobs=2)
    checks = check_ids(read(source_path(assignment)))
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for result in ours:
            theirs = {name: gb.find_grade(name, assignment, assignment, result.student).score
                      for name in checks}
            assert {t.name: t.score for t in result.tests} == theirs, result.student
