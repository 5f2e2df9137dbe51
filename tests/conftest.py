import os
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # examples/ is not installed

from autograder.grade import Submission, grade_all  # noqa: E402
from autograder.notebook import assignments  # noqa: E402
from autograder.sandbox import Limits, context  # noqa: E402
from examples import sample_class  # noqa: E402

LIMITS = Limits(cell_seconds=10)


def variants(assignment):
    """Every submission the check tests grade for one assignment: label -> notebook."""
    solved = sample_class.solved(assignment)
    out = {"solution": solved, "release": sample_class.released(assignment)}
    for name, edits in sample_class.mutants(assignment).items():
        out[f"mutant:{name}"] = sample_class.edit(solved, edits)
    return out


class Graded:
    """Grades an assignment's variants in one batch, the first time a test asks for it."""

    def __init__(self, folder):
        self.folder, self.results, self.ctx = folder, {}, context()

    def __getitem__(self, key):
        assignment, label = key
        if assignment not in self.results:
            subs = []
            for name, nb in variants(assignment).items():
                path = self.folder / f"{assignment}-{name.replace(':', '-')}.ipynb"
                nbformat.write(nb, path)
                subs.append(Submission(name, assignment, path))
            results = grade_all(subs, self.ctx, LIMITS, jobs=os.cpu_count() or 2)
            self.results[assignment] = {r.student: r for r in results}
        return self.results[assignment][label]


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    return Graded(tmp_path_factory.mktemp("variants"))
