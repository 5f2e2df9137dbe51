"""The generated folders are what nbgrader makes of source/, and source/ is clean."""
import filecmp
import shutil

import pytest
from nbgrader.converters import GenerateAssignment, GenerateSolution
from nbgrader.coursedir import CourseDirectory
from traitlets.config.loader import PyFileConfigLoader

from autograder.notebook import ROOT, assignments, read, source_path


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    """Run nbgrader's own generate_assignment and generate_solution on a copy of source/."""
    course = tmp_path_factory.mktemp("course")
    shutil.copytree(ROOT / "source", course / "source")
    config = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()
    config.CourseDirectory.root = str(course)
    config.CourseDirectory.db_url = f"sqlite:///{course / 'gradebook.db'}"
    for assignment in assignments():
        for converter in (GenerateAssignment, GenerateSolution):
            coursedir = CourseDirectory(config=config)
            coursedir.assignment_id = assignment
            converter(coursedir=coursedir, config=config).start()
    return course


@pytest.mark.parametrize("folder", ["assignments", "solutions"])
def test_committed_folder_equals_regenerated(regenerated, folder):
    ours, theirs = ROOT / folder, regenerated / folder
    names = sorted(p.relative_to(theirs) for p in theirs.rglob("*.ipynb"))
    assert sorted(p.relative_to(ours) for p in ours.rglob("*.ipynb")) == names, "run `make release`"
    different = [str(n) for n in names if not filecmp.cmp(ours / n, theirs / n, shallow=False)]
    assert not different, f"stale generated notebooks (run `make release`): {different}"


@pytest.mark.parametrize("assignment", assignments())
def test_source_notebook_has_no_outputs(assignment):
    cells = read(source_path(assignment)).cells
    assert not [c for c in cells if c.cell_type == "code" and (c.outputs or c.execution_count)]
