import os
import sys
from pathlib import Path

import shutil

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # examples/ is not installed
# nbgrader runs `alembic` (and the tests run `nbgrader`) from PATH: this venv's, however pytest was started.
os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"

from autograder import mutants  # noqa: E402
from autograder.forkserver import JOBS, context  # noqa: E402
from autograder.grade import grade_all  # noqa: E402
from autograder.notebook import Submission  # noqa: E402
from autograder.sandbox import Limits  # noqa: E402
from examples import sample_class  # noqa: E402

LIMITS = Limits(cell_seconds=10)


def variants(assignment):
    """Every submission the check tests grade for one assignment: label -> notebook."""
    solved = sample_class.solved(assignment)
    out = {"solution": solved, "release": sample_class.released(assignment)}
    for label, (_, edits) in sample_class.mutants(assignment).items():
        out[f"mutant:{label}"] = sample_class.edit(solved, edits)
    for name, nb in sample_class.alternatives(assignment).items():
        out[f"alternative:{name}"] = nb
    for mutant in mutants.generate(assignment, solved):  # tests/test_mutants.py
        out[f"ast:{mutant.id}"] = mutants.apply(solved, mutant)
    return out


def wrong_answer(assignment, check) -> str:
    """The label of the first hand-written wrong answer of ``check``, as ``variants`` names it."""
    return "mutant:" + next(label for label, (c, _) in sample_class.mutants(assignment).items() if c == check)


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
            results = grade_all(subs, self.ctx, LIMITS, jobs=JOBS)
            self.results[assignment] = {r.student: r for r in results}
        return self.results[assignment][label]


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    return Graded(tmp_path_factory.mktemp("variants"))


@pytest.fixture(scope="session")
def regenerated(tmp_path_factory):
    """A course made by nbgrader's own generate_assignment and generate_solution from a
    copy of source/, with its gradebook: what an instructor's release would be."""
    from nbgrader.converters import GenerateAssignment, GenerateSolution
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    course = tmp_path_factory.mktemp("course")
    shutil.copytree(ROOT / "source", course / "source")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    config = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()
    config.CourseDirectory.root = str(course)
    config.CourseDirectory.db_url = f"sqlite:///{course / 'gradebook.db'}"
    for assignment in sorted(p.name for p in (ROOT / "source").iterdir()):
        for converter in (GenerateAssignment, GenerateSolution):
            coursedir = CourseDirectory(config=config)
            coursedir.assignment_id = assignment
            converter(coursedir=coursedir, config=config).start()
    return course
