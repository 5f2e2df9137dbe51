"""The generated folders are what nbgrader makes of source/, and source/ is clean."""
import filecmp

import nbformat
import pytest

from autograder.notebook import ROOT, assignments, source_path


@pytest.mark.parametrize("folder", ["assignments", "solutions"])
def test_committed_folder_equals_regenerated(regenerated, folder):
    ours, theirs = ROOT / folder, regenerated / folder
    names = sorted(p.relative_to(theirs) for p in theirs.rglob("*.ipynb"))
    assert sorted(p.relative_to(ours) for p in ours.rglob("*.ipynb")) == names, "run `make release`"
    different = [str(n) for n in names if not filecmp.cmp(ours / n, theirs / n, shallow=False)]
    assert not different, f"stale generated notebooks (run `make release`): {different}"


@pytest.mark.parametrize("assignment", assignments())
def test_source_notebook_has_no_outputs(assignment):
    cells = nbformat.read(source_path(assignment), 4).cells
    assert not [c for c in cells if c.cell_type == "code" and (c.outputs or c.execution_count)]
