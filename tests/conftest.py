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


def variants():
    """Every submission the check tests grade: (assignment, label) -> notebook."""
    out = {}
    for a in assignments():
        out[a, "solution"] = sample_class.solved(a)
        out[a, "release"] = sample_class.released(a)
        for name, edits in sample_class.mutants(a).items():
            out[a, f"mutant:{name}"] = sample_class.edit(sample_class.solved(a), edits)
    return out


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    """Grade all variants in one batch, as a class would be graded."""
    folder = tmp_path_factory.mktemp("variants")
    subs = []
    for (assignment, label), nb in variants().items():
        path = folder / f"{assignment}-{label.replace(':', '-')}.ipynb"
        nbformat.write(nb, path)
        subs.append(Submission(label, assignment, path))
    results = grade_all(subs, context(), LIMITS, jobs=os.cpu_count() or 2)
    return {(r.assignment, r.student): r for r in results}
