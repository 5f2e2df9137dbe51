"""The GitHub Actions workflows: the course's own (.github/workflows/) and the one of the student
repository template (examples/classroom_template/). Each must pass actionlint's checks (run by
jactionlint, a fork of actionlint that ships as a PyPI wheel; a plain ``actionlint`` is used too
where one is installed), a broken workflow must not, and the workflows must say what the course
relies on: the CUDA leg grades with --device cuda, tokens get no more than they need, the
Classroom reporter reads the variable that the grading step's id names, and the grader is
called with options it has."""
import argparse
import base64
import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml

from autograder import __main__ as cli
from autograder.notebook import assignments

ROOT = Path(__file__).resolve().parent.parent
COURSE = ROOT / ".github" / "workflows"
TEMPLATE = ROOT / "examples" / "classroom_template"
WORKFLOWS = sorted(COURSE.glob("*.yml")) + sorted((TEMPLATE / ".github" / "workflows").glob("*.yml"))


def load(path: Path) -> dict:
    """A workflow as data; YAML 1.1 reads the key ``on`` as True."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:
        data["on"] = data.pop(True)
    return data


def steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def uses(step: dict, action: str) -> bool:
    return step.get("uses", "").split("@")[0] == action


def grader_calls(workflow: dict):
    """(job id, step, command) of every ``python -m autograder ...`` in a workflow, with the
    shell's line continuations joined."""
    for job_id, job in workflow["jobs"].items():
        for step in steps(job):
            script = step.get("run", "").replace("\\\n", " ")
            for line in script.splitlines():
                if "python -m autograder " in line:
                    yield job_id, step, line.strip()


# --- the linter ---------------------------------------------------------------------------------

def _tool(name: str):
    beside = Path(sys.executable).parent / name  # the venv's bin/, also when PATH lacks it
    return str(beside) if beside.exists() else shutil.which(name)


def linters() -> dict:
    """name -> argv prefix of each actionlint found. shellcheck checks the run: scripts where it
    is installed; pyflakes is off (no workflow has a Python script of its own)."""
    shellcheck = _tool("shellcheck") or ""
    found = {}
    if path := _tool("jactionlint"):
        # actionlint's checks and jactionlint's security ones, offline. Pinning actions to commit
        # SHAs (unpinned-uses) is left out: the workflows name release tags on purpose.
        found["jactionlint"] = [path, "--no-color", "--no-online", "--ignore=unpinned-uses",
                                f"--shellcheck={shellcheck}", "--pyflakes="]
    if path := _tool("actionlint"):
        found["actionlint"] = [path, "-no-color", f"-shellcheck={shellcheck}", "-pyflakes="]
    return found


LINTERS = linters()
needs_linter = pytest.mark.skipif(not LINTERS, reason="no actionlint (see test_a_linter_is_installed)")


def lint(name: str, files, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(LINTERS[name] + [str(f) for f in files], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


def test_a_linter_is_installed():
    assert LINTERS, ("neither jactionlint nor actionlint is installed: `pip install -e .` installs "
                     "jactionlint (a dependency in pyproject.toml)")


def test_there_are_workflows():
    names = {p.relative_to(ROOT).as_posix() for p in WORKFLOWS}
    assert {".github/workflows/tests.yml", ".github/workflows/autograde.yml",
            "examples/classroom_template/.github/workflows/classroom.yml"} <= names


@needs_linter
@pytest.mark.parametrize("linter", sorted(LINTERS))
def test_workflows_pass_the_linter(linter):
    result = lint(linter, [p.relative_to(ROOT) for p in WORKFLOWS], ROOT)
    assert result.returncode == 0, f"{linter} found problems:\n{result.stdout}{result.stderr}"


BROKEN = """\
name: broken
on: push
permissions:
  contents: read
concurrency:
  group: broken-${{ github.ref }}
  cancel-in-progress: true
jobs:
  grade:
    runs-on: ubuntu-latest
    timeout-minutes: 10
    needs: plan
    steps:
      - uses: actions/upload-artifact@v6
        with:
          nmae: results
          path: out/
      - run: echo "${{ steps.grade.outputs.result }}"
"""


@needs_linter
@pytest.mark.parametrize("linter", sorted(LINTERS))
def test_the_linter_rejects_a_broken_workflow(linter, tmp_path):
    (tmp_path / "broken.yml").write_text(BROKEN)
    result = lint(linter, ["broken.yml"], tmp_path)
    found = result.stdout + result.stderr
    assert result.returncode == 1, found
    # each mistake by itself: a job that needs no such job, a misspelt input, no such step
    assert '"plan"' in found and '"nmae"' in found and '"grade"' in found, found


# A plausible slip in each real workflow: the linter must catch it there too.
SLIPS = {
    "tests.yml": ("runs-on: ubuntu-latest", "runs-on: ubuntu-lastest"),
    "autograde.yml": ("fromJSON(needs.plan.outputs.devices)", "fromJSON(needs.plan.outputs.device)"),
    "classroom.yml": ("${{ steps.autograder.outputs.result }}", "${{ steps.autogarder.outputs.result }}"),
}


@needs_linter
@pytest.mark.parametrize("linter", sorted(LINTERS))
@pytest.mark.parametrize("name", sorted(SLIPS))
def test_the_linter_catches_a_slip_in_each_workflow(linter, name, tmp_path):
    path = next(p for p in WORKFLOWS if p.name == name)
    text = path.read_text(encoding="utf-8")
    good, bad = SLIPS[name]
    assert good in text
    (tmp_path / name).write_text(text.replace(good, bad))
    result = lint(linter, [name], tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr


# --- what every workflow must say ---------------------------------------------------------------

@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_tokens_get_no_more_than_they_need(path):
    workflow = load(path)
    assert "permissions" in workflow, "set the token's permissions at the top (`{}` or read-only)"
    granted = [workflow["permissions"]] + [job.get("permissions", {}) for job in workflow["jobs"].values()]
    writes = {(scope, level) for grant in granted for scope, level in (grant or {}).items() if level == "write"}
    allowed = {("checks", "write")} if path.name == "classroom.yml" else set()
    assert writes <= allowed, f"write access that is not needed: {writes - allowed}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_checkouts_leave_no_token_behind(path):
    """Student code runs after the checkouts: no credential may stay in a .git/config."""
    for job in load(path)["jobs"].values():
        for step in steps(job):
            if uses(step, "actions/checkout"):
                assert step.get("with", {}).get("persist-credentials") is False, step


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_job_has_a_time_limit(path):
    for job_id, job in load(path)["jobs"].items():
        assert "timeout-minutes" in job, job_id


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_scripts_run_with_pipefail(path):
    """Without `shell: bash`, GitHub runs `bash -e`, where a failing command before a pipe passes."""
    assert load(path).get("defaults", {}).get("run", {}).get("shell") == "bash"


def cli_options(command: str) -> set:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        cli.main([command, "--help"])
    return set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", out.getvalue()))


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_the_grader_is_called_with_options_it_has(path):
    options = {command: cli_options(command) for command in ("grade", "merge")}
    for job_id, _, line in grader_calls(load(path)):
        command = line.split("python -m autograder ")[1].split()[0]
        assert command in options, line
        used = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", line))
        assert used <= options[command], f"{job_id}: {line}: no such option {used - options[command]}"


# --- tests.yml ----------------------------------------------------------------------------------

def test_tests_workflow_runs_make_test_on_a_cpu_runner():
    workflow = load(COURSE / "tests.yml")
    assert workflow["permissions"] == {"contents": "read"}
    (job,) = workflow["jobs"].values()
    assert job["runs-on"] == "ubuntu-latest"
    python = next(s for s in steps(job) if uses(s, "actions/setup-python"))
    assert str(python["with"]["python-version"]) == "3.11" and python["with"]["cache"] == "pip"
    assert any(s.get("run", "").strip() == "make test" for s in steps(job))


# --- autograde.yml ------------------------------------------------------------------------------

AUTOGRADE = COURSE / "autograde.yml"


def plan(devices: str, shards: int) -> dict:
    """Runs the plan job's script as the runner would and returns its outputs."""
    workflow = load(AUTOGRADE)
    (step,) = steps(workflow["jobs"]["plan"])
    with tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp) / "output"
        result = subprocess.run(["bash", "-eo", "pipefail", "-c", step["run"]], capture_output=True, text=True,
                                env={**os.environ, "DEVICES": devices, "SHARDS": str(shards),
                                     "GITHUB_OUTPUT": str(output)})
        assert result.returncode == 0, result.stdout + result.stderr
        return {k: json.loads(v) for k, v in (line.split("=", 1) for line in output.read_text().splitlines())}


def test_autograde_plans_a_cpu_and_a_cuda_leg_in_shards():
    assert plan("both", 3) == {"devices": ["cpu", "cuda"], "shards": [1, 2, 3], "count": 3}
    assert plan("cuda", 1) == {"devices": ["cuda"], "shards": [1], "count": 1}
    assert plan("cpu", 2)["devices"] == ["cpu"]
    inputs = load(AUTOGRADE)["on"]["workflow_dispatch"]["inputs"]
    assert inputs["devices"]["default"] == "both" and "submissions" in inputs and "artifact" in inputs


def test_autograde_cuda_leg_runs_on_the_gpu_runner_and_grades_with_device_cuda():
    grade = load(AUTOGRADE)["jobs"]["grade"]
    runs_on = grade["runs-on"].replace(" ", "")
    assert "matrix.device=='cuda'&&fromJSON('[\"self-hosted\",\"linux\",\"gpu\"]')||'ubuntu-latest'" in runs_on
    assert grade["strategy"]["fail-fast"] is False
    (job_id, step, line), = [c for c in grader_calls({"jobs": {"grade": grade}})]
    assert step["env"]["DEVICE"] == "${{ matrix.device }}" and '--device "$DEVICE"' in line
    for device in plan("both", 1)["devices"]:  # what each leg runs
        assert f"--device {device}" in line.replace('"$DEVICE"', device)
    for flag in ("--json", "--junit", "--csv", "--jobs", "--report", "--shard"):
        assert flag in line, flag


def test_autograde_cuda_leg_installs_a_cuda_build_and_needs_a_working_gpu():
    grade = load(AUTOGRADE)["jobs"]["grade"]
    install = {s.get("if"): s for s in steps(grade) if s.get("name", "").startswith("Install")}
    assert set(install) == {"matrix.device == 'cpu'", "matrix.device == 'cuda'"}
    cuda = install["matrix.device == 'cuda'"]["run"]
    assert "pip install -e ." in cuda and "download.pytorch.org/whl/cpu" not in cuda
    assert "torch.version.cuda" in cuda and "torch.cuda.is_available()" in cuda
    assert "download.pytorch.org/whl/cpu" in install["matrix.device == 'cpu'"]["env"]["PIP_EXTRA_INDEX_URL"]


def test_autograde_merges_the_shards_and_uploads_the_results():
    jobs = load(AUTOGRADE)["jobs"]
    (_, _, line), = grader_calls({"jobs": {"merge": jobs["merge"]}})
    assert line.startswith("python -m autograder merge") and "shards/shard-" in " ".join(
        s.get("run", "") for s in steps(jobs["merge"]))
    for flag in ("--json results.json", "--junit junit.xml", "--csv grades.csv", "--report report.html"):
        assert flag in line
    uploaded = [s for s in steps(jobs["merge"]) if uses(s, "actions/upload-artifact")]
    (upload,) = uploaded
    assert upload["uses"] == "actions/upload-artifact@v6"
    assert set(upload["with"]["path"].split()) == {"results.json", "junit.xml", "grades.csv", "report.html"}
    assert any(uses(s, "actions/upload-artifact") for s in steps(jobs["grade"]))


# --- the Classroom template ---------------------------------------------------------------------

CLASSROOM = TEMPLATE / ".github" / "workflows" / "classroom.yml"


def test_classroom_workflow_follows_classrooms_conventions():
    workflow = load(CLASSROOM)
    assert workflow["name"] == "Autograding Tests"  # what GitHub Classroom looks for
    assert list(workflow["jobs"]) == ["run-autograding-tests"]
    assert {"push", "repository_dispatch"} <= set(workflow["on"])
    job = workflow["jobs"]["run-autograding-tests"]
    assert job["permissions"] == {"checks": "write", "actions": "read", "contents": "read"}


def test_classroom_reporter_reads_what_the_grading_step_writes():
    job = load(CLASSROOM)["jobs"]["run-autograding-tests"]
    calls = [(step, line) for _, step, line in grader_calls({"jobs": {"j": job}}) if "--classroom" in line]
    # the hidden score, and the visible checks reported apart from it (no points)
    assert sorted("--visible-only" in line for _, line in calls) == [False, True]
    (reporter,) = [s for s in steps(job) if uses(s, "classroom-resources/autograding-grading-reporter")]
    assert reporter["uses"].endswith("@v1")
    ids = [step["id"] for step, _ in calls]
    assert reporter["with"]["runners"].split(",") == ids
    # the reporter reads process.env[`${runner.toUpperCase()}_RESULTS`]
    assert reporter["env"] == {f"{i.upper()}_RESULTS": f"${{{{ steps.{i}.outputs.result }}}}" for i in ids}
    assert all(steps(job).index(step) < steps(job).index(reporter) for step, _ in calls)


def test_the_grader_writes_the_output_the_reporter_decodes(tmp_path, monkeypatch):
    """--classroom appends result=<base64 of the version 1 JSON> to $GITHUB_OUTPUT."""
    monkeypatch.setenv("GITHUB_OUTPUT", str(tmp_path / "output"))
    result = dict(student="s", assignment="01_blocks", score=1.0, max_score=3.0, status="ok",
                  execution_time=1.5, output="",
                  tests=[dict(name="A", check="a", score=1.0, max_score=1.0, status="passed", output=""),
                         dict(name="B", check="b", score=0.0, max_score=2.0, status="failed", output="不对")])
    parser = argparse.ArgumentParser()
    cli.add_outputs(parser)
    args = parser.parse_args(["--classroom", str(tmp_path / "result.b64")])
    cli.write_outputs([result], args)
    (line,) = (tmp_path / "output").read_text().splitlines()
    key, value = line.split("=", 1)
    assert key == "result"
    decoded = json.loads(base64.b64decode(value))
    assert decoded["version"] == 1 and decoded["max_score"] == 3.0 and decoded["status"] == "fail"
    assert [t["score"] for t in decoded["tests"]] == [1.0, 0.0]


def test_classroom_fetches_the_autograder_privately():
    job = load(CLASSROOM)["jobs"]["run-autograding-tests"]
    checkouts = [s for s in steps(job) if uses(s, "actions/checkout")]
    private = [s for s in checkouts if "repository" in s.get("with", {})]
    (course,) = private
    assert course["with"]["token"] == "${{ secrets.AUTOGRADER_TOKEN }}" and course["with"]["path"] == "course"
    assert any(s["with"].get("path") == "submission" for s in checkouts if s is not course)
    install = next(s for s in steps(job) if "pip install -e ./course" in s.get("run", ""))
    assert "rm -rf course/.git course/solutions" in install["run"]  # before any student code runs
    for step in steps(job):  # only the checkout and the configuration check see the secret
        if step is not course and "secrets." in json.dumps(step):
            assert step.get("name") == "Check the grader's configuration", step


def test_classroom_grades_on_the_cpu_every_assignment_of_the_course():
    job = load(CLASSROOM)["jobs"]["run-autograding-tests"]
    calls = list(grader_calls({"jobs": {"j": job}}))
    assert len(calls) == 2 and all("--device cpu" in line for _, _, line in calls)
    assert job["env"]["ASSIGNMENTS"].split() == list(assignments())
    readme = (TEMPLATE / "README.md").read_text(encoding="utf-8")
    for slug in assignments():
        assert f"`{slug}/{slug}.ipynb`" in readme
