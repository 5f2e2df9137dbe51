"""``pytest --submission``: the checks as pytest tests, with pytest's own selection, markers,
JUnit XML and exit status."""
import subprocess
import sys
from xml.etree import ElementTree as ET

import nbformat
import pytest

from autograder.notebook import ROOT
from examples import sample_class

A = "01_blocks"


def pytest_run(*args):
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *map(str, args)],
                          cwd=ROOT, capture_output=True, text=True)


@pytest.fixture(scope="module")
def submitted(tmp_path_factory):
    """nbgrader's layout: alice hands in the solution, carol the untouched release."""
    root = tmp_path_factory.mktemp("submitted")
    for student, nb in (("alice", sample_class.solved(A)), ("carol", sample_class.released(A))):
        (root / student / A).mkdir(parents=True)
        nbformat.write(nb, root / student / A / f"{A}.ipynb")
    return root


def test_one_notebook_one_check_with_junit(submitted, tmp_path):
    done = pytest_run("--submission", submitted / "alice" / A / f"{A}.ipynb", "-k", "mlp_forward",
                      f"--junitxml={tmp_path / 'j.xml'}")
    assert done.returncode == 0, done.stdout[-2000:]
    [case] = ET.parse(tmp_path / "j.xml").iter("testcase")
    props = {p.get("name"): p.get("value") for p in case.iter("property")}
    assert case.get("name") == "mlp_forward" and props["points"] == props["max_points"] == "2"


def test_a_folder_of_submissions_fails_with_pytest_status_and_points(submitted):
    done = pytest_run("--submission", submitted, "-q")
    assert done.returncode == 1  # carol's checks fail: pytest's exit status for failed tests
    assert f"alice/{A}/{A}.ipynb: 19/19" in done.stdout and f"carol/{A}/{A}.ipynb: 0/19" in done.stdout
    assert "Traceback" not in done.stdout and "NameError" in done.stdout  # the verdict, not a traceback wall


def test_markers_select_checks():
    done = pytest_run("--submission", ROOT / "solutions" / "08_gpu" / "08_gpu.ipynb", "-m", "not cuda",
                      "--collect-only", "-q")
    chosen = [line for line in done.stdout.splitlines() if "::" in line]
    everything = pytest_run("--submission", ROOT / "solutions" / "08_gpu" / "08_gpu.ipynb", "--collect-only", "-q")
    assert 0 < len(chosen) < len([line for line in everything.stdout.splitlines() if "::" in line])


@pytest.mark.parametrize("path,why", [("no/such.ipynb", "no such file"), ("README.md", "not a notebook")])
def test_bad_submission_is_a_usage_error_naming_the_file(path, why):
    done = pytest_run("--submission", path)
    assert done.returncode == 4 and path in done.stderr and why in done.stderr
