"""What the grader writes: every platform's format, shards and merge, exit codes."""
import base64
import json
import os
import shutil
import subprocess
import sys
import zipfile
from xml.etree import ElementTree as ET

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder import formats
from autograder.__main__ import main, shard
from autograder.notebook import ROOT, Submission
from conftest import wrong_answer
from examples import sample_class

A = "01_blocks"


@pytest.fixture(scope="module")
def results(graded):
    return [graded[A, "solution"].to_json(), graded[A, wrong_answer(A, "mlp_forward")].to_json(),
            graded[A, "release"].to_json()]


def test_gradescope_results_json(results):
    data = formats.gradescope(results[1:2])
    assert data["score"] == 17 and data["visibility"] == "visible"
    assert {t["visibility"] for t in data["tests"]} == {"after_published"}
    failed = [t for t in data["tests"] if t["status"] == "failed"]
    assert len(failed) == 1 and failed[0]["max_score"] == 2 and "提示" in failed[0]["output"]


def test_classroom_result_decodes_for_the_reporter(results):
    data = json.loads(base64.b64decode(formats.classroom_base64(results[:1])))
    assert data["version"] == 1 and data["status"] == "pass" and data["max_score"] == 19
    assert sum(t["score"] for t in data["tests"]) == 19
    assert json.loads(base64.b64decode(formats.classroom_base64(results)))["status"] == "fail"


def test_junit_xml_counts_failures(results):
    suites = ET.fromstring(formats.junit(results))
    assert [s.get("failures") for s in suites] == ["0", "1", "11"]
    assert suites[1].find("testcase/failure") is not None


def test_csv_has_nbgrader_export_columns(results, tmp_path):
    formats.nbgrader_csv(results, tmp_path / "grades.csv")
    lines = (tmp_path / "grades.csv").read_text().splitlines()
    assert lines[0].split(",") == formats.NBGRADER_CSV and len(lines) == 4


def test_scores_stored_in_nbgrader_gradebook(results, regenerated, tmp_path):
    db = tmp_path / "gradebook.db"
    shutil.copy(regenerated / "gradebook.db", db)
    for r, student in zip(results, ["s1", "s2", "s3"]):
        formats.gradebook([dict(r, student=student)], f"sqlite:///{db}")
    with Gradebook(f"sqlite:///{db}") as gb:
        assert [gb.find_submission(A, s).score for s in ["s1", "s2", "s3"]] == [19, 17, 0]


def test_shards_are_disjoint_and_complete(tmp_path):
    subs = [Submission(f"s{i}", A, tmp_path / f"{i}.ipynb") for i in range(7)]
    parts = [shard(subs, f"{i}/3") for i in (1, 2, 3)]
    names = [s.student for part in parts for s in part]
    assert sorted(names) == sorted(s.student for s in subs) and len(set(names)) == 7
    assert shard(list(reversed(subs)), "2/3") == parts[1]  # the same slice whatever the order given


def test_merge_joins_shards(results, tmp_path, capsys):
    for i, part in enumerate([results[:1], results[1:]]):
        (tmp_path / f"{i}.json").write_text(json.dumps(part))
    assert main(["merge", str(tmp_path / "0.json"), str(tmp_path / "1.json"), "--json", str(tmp_path / "all.json")]) == 0
    assert len(json.loads((tmp_path / "all.json").read_text())) == 3


def run_cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "autograder", *args], cwd=cwd, capture_output=True, text=True)


def test_exit_0_when_students_fail_and_2_when_grader_cannot_run(tmp_path):
    shutil.copy(ROOT / "assignments" / A / f"{A}.ipynb", tmp_path)
    done = run_cli("grade", str(tmp_path), "--json", str(tmp_path / "r.json"))
    assert done.returncode == 0 and json.loads((tmp_path / "r.json").read_text())[0]["score"] == 0
    assert run_cli("grade", str(tmp_path / "nothing-here")).returncode == 2


@pytest.mark.parametrize("assignment", ["04_parameter_tying", "07_file_io"])
def test_a_notebook_graded_alone_imports_what_it_needs(assignment, tmp_path):
    """Alone, it is forked from a server that preloaded only the sandbox: scikit-learn, pyplot,
    the optimizers' compiler hooks and torch.export's internals are its own imports."""
    nbformat.write(sample_class.solved(assignment), tmp_path / f"{assignment}.ipynb")
    done = run_cli("grade", str(tmp_path / f"{assignment}.ipynb"), "--json", str(tmp_path / "r.json"))
    [result] = json.loads((tmp_path / "r.json").read_text())
    assert done.returncode == 0 and result["score"] == result["max_score"], result


@pytest.mark.skipif(__import__("torch").cuda.is_available(), reason="this runner has CUDA")
def test_cuda_asked_without_a_gpu_fails_loudly(tmp_path):
    done = run_cli("grade", str(ROOT / "solutions" / A), "--device", "cuda")
    assert done.returncode == 3 and "CUDA" in done.stderr


def test_gradescope_zip_runs_as_gradescope_runs_it(tmp_path):
    """Unzip into autograder/source, the submission into autograder/submission, run_autograder."""
    root = tmp_path / "autograder"
    subprocess.run([sys.executable, "-m", "autograder.gradescope", str(tmp_path / "g.zip")], check=True, cwd=ROOT)
    zipfile.ZipFile(tmp_path / "g.zip").extractall(root / "source")
    shutil.copy(root / "source" / "run_autograder", root)
    (root / "submission").mkdir()
    shutil.copy(ROOT / "solutions" / A / f"{A}.ipynb", root / "submission")
    env = dict(os.environ, AUTOGRADER_ROOT=str(root), AUTOGRADER_PYTHON=sys.executable)
    subprocess.run(["bash", str(root / "run_autograder")], env=env, check=True, capture_output=True)
    data = json.loads((root / "results" / "results.json").read_text())
    assert data["score"] == 19 and len(data["tests"]) == 11


def test_gradebook_from_scratch(tmp_path):
    """A new database: the assignment, its notebook and grade cells come from source/ (as
    generate_assignment would put them), then the scores; merge fills a new one likewise."""
    shutil.copy(ROOT / "solutions" / A / f"{A}.ipynb", tmp_path / f"{A}.ipynb")
    done = run_cli("grade", str(tmp_path / f"{A}.ipynb"), "--gradebook", f"sqlite:///{tmp_path / 'new.db'}",
                   "--json", str(tmp_path / "r.json"))
    assert done.returncode == 0, done.stderr[-2000:]
    assert run_cli("merge", str(tmp_path / "r.json"), "--gradebook", f"sqlite:///{tmp_path / 'merged.db'}").returncode == 0
    for db in ("new.db", "merged.db"):
        with Gradebook(f"sqlite:///{tmp_path / db}") as gb:
            assert gb.find_submission(A, A).score == gb.find_assignment(A).max_score == 19


def test_gradebook_that_disagrees_with_source_stops_before_grading(tmp_path):
    db = f"sqlite:///{tmp_path / 'old.db'}"
    formats.prepare_gradebook(db, [A])
    with Gradebook(db) as gb:
        gb.find_grade_cell("mlp_forward", A, A).max_score = 5
        gb.db.commit()
    shutil.copy(ROOT / "solutions" / A / f"{A}.ipynb", tmp_path / f"{A}.ipynb")
    done = run_cli("grade", str(tmp_path / f"{A}.ipynb"), "--gradebook", db)
    assert done.returncode == 2 and "mlp_forward" in done.stderr and "Traceback" not in done.stderr
    assert "student" not in done.stdout  # nothing was graded
