"""Broken, hanging, crashing and tampering submissions are graded as what they are.

All of them go through one batch: each gets the points it earned and a clear status, and
none disturbs another (a good submission graded alongside still gets full marks).
"""
import copy
import os

import nbformat
import pytest

from autograder.grade import grade_all
from autograder.notebook import Submission, grade_id
from autograder.forkserver import context
from autograder.sandbox import Limits
from examples import sample_class

A = "01_blocks"
FULL = 19


def with_code(nb, gid, code, where="before"):
    """Put ``code`` before (or instead of) the source of cell ``gid``."""
    nb = copy.deepcopy(nb)
    cell = next(c for c in nb.cells if grade_id(c) == gid)
    cell.source = code if where == "instead" else code + "\n" + cell.source
    return nb


def without(nb, gid):
    nb = copy.deepcopy(nb)
    nb.cells = [c for c in nb.cells if grade_id(c) != gid]
    return nb


def duplicated(nb, gid):
    nb = copy.deepcopy(nb)
    cell = next(c for c in nb.cells if grade_id(c) == gid)
    nb.cells.append(copy.deepcopy(cell))
    return nb


def reordered(nb):
    """The ParallelBlock answer moved to the very end: its test cell now runs before it."""
    nb = copy.deepcopy(nb)
    moved = [c for c in nb.cells if grade_id(c) == "parallel_block_answer"]
    nb.cells = [c for c in nb.cells if grade_id(c) != "parallel_block_answer"] + moved
    return nb


def vscode(nb):
    """Saved by VS Code: its own notebook metadata, cell ids, a language_info it fills in."""
    nb = copy.deepcopy(nb)
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": ".venv", "language": "python"},
                   "language_info": {"name": "python", "version": "3.11.7"}, "vscode": {"interpreter": {}}}
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"vscode-{i}"
    return nb


TAMPER = """
import torch, torch.testing
torch.allclose = lambda *a, **k: True
torch.equal = lambda *a, **k: True
torch.Tensor.__eq__ = lambda *a, **k: True
torch.testing.assert_close = lambda *a, **k: None
"""
BREAK_BUILTINS = "import builtins; builtins.isinstance = lambda *a, **k: True"
EVERYTHING = """
class Everything(set):
    def __eq__(self, other): return True
    def __iter__(self): return iter(["A", "B", "C"]) if False else iter([])
LIST_BREAKS = Everything()
"""
# The grader (this process), and the process the child was forked from (outside its sandbox;
# in a PID namespace the child cannot even see it: its parent's pid reads 0).
KILL = f"""
import os, signal
for pid in ({os.getpid()}, os.getppid()):
    try:
        if pid > 0:
            os.kill(pid, signal.SIGKILL)
    except PermissionError as denied:
        print(denied)
"""
READ_CHECKS = """
try:
    import autograder.checks.blocks
except (PermissionError, ImportError) as denied:
    print(denied)
"""
LEAK_CHECKS = """
import subprocess, autograder
raise RuntimeError(subprocess.run(["cat", autograder.__path__[0] + "/checks/blocks.py"],
                                  capture_output=True, text=True).stdout)
"""
MAGICS = """%matplotlib inline
%load_ext autoreload
files = !ls
"""
UNSTOPPABLE = """
import time
while True:
    try:
        time.sleep(0.1)
    except BaseException:
        pass
"""


def cases():
    good = sample_class.solved(A)
    wrong_forward = sample_class.edit(good, next(edits for label, (check, edits) in sample_class.mutants(A).items()
                                                 if check == "mlp_forward"))
    return {
        "good": (good, FULL, "ok"),
        "syntax_error": (with_code(good, "mlp", "def broken(:"), FULL - 3, "ok"),
        "exception": (with_code(good, "mysequential", "raise ValueError('boom')"), FULL - 4, "ok"),
        "infinite_loop": (with_code(good, "mlp", "while True:\n    pass"), FULL - 3, "timeout"),
        "uninterruptible": (with_code(good, "stack_blocks_answer", UNSTOPPABLE), FULL - 2, "timeout"),
        "dead_kernel": (with_code(good, "stack_blocks_answer", "import os; os._exit(1)"), FULL - 2, "crashed"),
        "segfault": (with_code(good, "stack_blocks_answer", "import ctypes; ctypes.string_at(0)"), FULL - 2, "crashed"),
        "kills_grader": (with_code(good, "mlp", KILL), FULL, "ok"),
        "reads_checks": (with_code(good, "mlp", READ_CHECKS), FULL, "ok"),
        "reordered_cells": (reordered(good), FULL - 2, "ok"),
        "vscode_metadata": (vscode(good), FULL, "ok"),
        "ipython_syntax": (with_code(with_code(good, "mlp", "%%time"), "mysequential", MAGICS), FULL, "ok"),
        "prints_checks": (with_code(good, "mlp", LEAK_CHECKS, "instead"), FULL - 3, "ok"),
        "memory_hog": (with_code(good, "mlp", "import torch; hog = torch.ones(2**31, dtype=torch.float64)"),
                       FULL - 3, "out"),
        "huge_output": (with_code(good, "mlp", "print('x' * 10**8)"), FULL, "ok"),
        "tampering": (with_code(wrong_forward, "mlp", TAMPER), FULL - 2, "ok"),
        "tampering_builtins": (with_code(wrong_forward, "mlp", BREAK_BUILTINS), None, None),
        "equals_everything": (with_code(good, "list_breaks_answer", EVERYTHING, "instead"), FULL - 1, "ok"),
        "deleted_test_cell": (without(good, "mlp_forward"), FULL, "ok"),
        "emptied_test_cell": (with_code(good, "mlp_forward", "pass", "instead"), FULL, "ok"),
        "duplicated_test_cell": (duplicated(good, "mlp_forward"), FULL, "ok"),
    }


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad")
    subs = []
    for name, (nb, _, _) in cases().items():
        nbformat.write(nb, folder / f"{name}.ipynb")
        subs.append(Submission(name, A, folder / f"{name}.ipynb"))
    (folder / "not_json.ipynb").write_text("this is not a notebook {")
    subs.append(Submission("not_json", A, folder / "not_json.ipynb"))
    (folder / "nbformat_v3.ipynb").write_text(nbformat.writes(sample_class.solved(A), version=3))
    subs.append(Submission("nbformat_v3", A, folder / "nbformat_v3.ipynb"))
    limits = Limits(cell_seconds=10, grace_seconds=2)  # generous: CI machines can be busy
    return {r.student: r for r in grade_all(subs, context(), limits, jobs=2)}


@pytest.mark.parametrize("name", list(cases()))
def test_graded_as_what_it_is(results, name):
    _, score, status = cases()[name]
    result = results[name]
    if score is None:  # it broke its own process: whatever it gets, it gains nothing
        assert result.score <= FULL - 2
        return
    assert (result.score, result.status.split(" ")[0]) == (score, status), [
        (t.name, t.output) for t in result.tests if not t.passed] + [result.output]


def test_old_nbformat_is_graded(results):
    assert results["nbformat_v3"].score == FULL


def test_whole_notebook_time_limit(tmp_path):
    """Cells each under the cell limit, but too many of them: stopped at the notebook's limit."""
    nb = with_code(sample_class.solved(A), "mysequential", "import time; time.sleep(4)")
    for gid in ("fixed_hidden_mlp", "nest_mlp_answer"):
        nb = with_code(nb, gid, "import time; time.sleep(4)")
    nbformat.write(nb, tmp_path / "slow.ipynb")
    [result] = grade_all([Submission("slow", A, tmp_path / "slow.ipynb")], context(),
                         Limits(cell_seconds=5, submission_seconds=10))
    passed = [t.name for t in result.tests if t.passed]
    assert result.status == "timeout" and passed[:2] == ["mlp_structure", "mlp_forward"]
    assert "nest_mlp" not in passed


def test_not_json_is_reported_not_raised(results):
    result = results["not_json"]
    assert result.status == "unreadable" and result.score == 0 and "JSON" in result.output


def test_errors_are_short_and_name_the_students_cell(results):
    output = results["syntax_error"].output
    assert "SyntaxError" in output and len(output) < 1000 and "autograder" not in output


def test_hidden_check_source_never_reaches_the_student(results):
    from autograder.notebook import ROOT
    lines = [line.strip() for line in (ROOT / "autograder/checks/blocks.py").read_text().splitlines()
             if len(line.strip()) >= 12]
    shown = results["prints_checks"].output + "".join(t.output for t in results["prints_checks"].tests)
    assert not [line for line in lines if line in shown]
    # Unreadable to the child (Landlock), the check has nothing to leak; where it could be read,
    # the redaction is the second layer, and still blanks out any line of it.
    from autograder.grade import redact
    assert redact("\n".join(["before", lines[5], "after"]), A).split("\n") == ["before", "[已隐藏]", "after"]


def test_unfinished_checks_say_why(results):
    tests = {t.name: t for t in results["dead_kernel"].tests}
    assert tests["block_factory"].score == 0 and "未运行" in tests["block_factory"].output


def test_a_grader_fault_is_reported_and_the_batch_goes_on(monkeypatch, tmp_path):
    import autograder.grade as grading
    real = grading.grade

    def faulty(sub, ctx, limits, visible_only=False):
        if sub.student == "unlucky":
            raise RuntimeError("disk full")
        return real(sub, ctx, limits, visible_only)

    monkeypatch.setattr(grading, "grade", faulty)
    nbformat.write(sample_class.solved(A), tmp_path / "a.ipynb")
    subs = [Submission(name, A, tmp_path / "a.ipynb") for name in ("unlucky", "lucky")]
    results = grading.grade_all(subs, context(), Limits(), jobs=2)
    assert [r.status for r in results] == ["grader error", "ok"] and results[1].score == FULL
    assert "disk full" in results[0].output


def test_a_mixed_class_judged_side_by_side(tmp_path):
    """Checks of different assignments are judged in threads at once: none may disturb
    another (a judge that patched torch globally once tagged other threads' tensors cuda)."""
    from autograder.notebook import assignments
    subs = []
    for copy_number in range(2):
        for a in assignments():
            path = tmp_path / f"{a}-{copy_number}.ipynb"
            nbformat.write(sample_class.solved(a), path)
            subs.append(Submission(f"s{copy_number}", a, path))
    results = grade_all(subs, context(), Limits(cell_seconds=60), jobs=4)
    assert [(r.assignment, r.score) for r in results if r.score != r.max_score] == []
