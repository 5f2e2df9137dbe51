"""A submission can touch nothing but its own scratch folder (README: Isolation and its limits).

One batch grades a correct notebook next to notebooks that attack it, the grader, the
gradebook and the course, each from Python and from a program it starts; every attack must
fail inside its sandbox, the correct notebook keep full marks, and a later run be unaffected.
A last test runs the write attacks through ``nbgrader autograde`` and its confined kernel.
"""
import hashlib
import json
import os
import random
import socket
import subprocess

import nbformat
import pytest

from autograder import confine
from autograder.forkserver import context
from autograder.grade import grade_all
from autograder.notebook import ROOT, Submission
from autograder.sandbox import Limits
from examples import sample_class

A = "01_blocks"
FEATURES = confine.available()
needs_landlock = pytest.mark.skipif(not FEATURES.landlock, reason="no Landlock on this kernel")
EVERYTHING = ("landlock", "netns", "pidns", "uid", "nproc")
LIMITS = Limits(cell_seconds=10, grace_seconds=2)

PRELUDE = """
import ctypes, os, socket, subprocess, sys
_libc = ctypes.CDLL(None, use_errno=True)
_report = []
def _try(label, attack):
    try:
        attack()
        _report.append(label + ": ALLOWED")
    except BaseException as error:
        _report.append(label + ": denied")
def _sh(command):
    done = subprocess.run(["sh", "-c", command], capture_output=True, text=True, timeout=20)
    if done.returncode:
        raise OSError(done.stderr[-200:])
def _py(code):
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=20)
    if done.returncode:
        raise OSError(done.stderr[-200:])
def _c_open(path, flags):
    fd = _libc.open(path.encode(), flags)
    if fd < 0:
        raise OSError(ctypes.get_errno(), path)
    os.close(fd)
"""

ATTACKS = {
    "writes": """
_try("victim py", lambda: open({victim!r}, "a").write("x"))
_try("victim sh", lambda: _sh("echo x >> {victim}"))
_try("gradebook py", lambda: open({gradebook!r}, "a").write("x"))
_try("gradebook sh", lambda: _sh("echo x >> {gradebook}"))
_try("grader py", lambda: _c_open({grader!r}, os.O_WRONLY | os.O_APPEND))
_try("grader sh", lambda: _sh(": >> {grader}"))
_try("source py", lambda: _c_open({source!r}, os.O_WRONLY | os.O_APPEND))
_try("source sh", lambda: _sh(": >> {source}"))
_try("scratch py", lambda: (open("mine.txt", "w").write("x"), os.remove("mine.txt")))
""",
    "reads_checks": """
_try("checks py", lambda: open({checks!r}).read())
_try("checks c", lambda: _c_open({checks!r}, os.O_RDONLY))
_try("checks sh", lambda: _sh("cat {checks}"))
_try("other submission sh", lambda: _sh("cat {victim}"))
""",
    "network": """
_try("tcp py", lambda: socket.create_connection(("127.0.0.1", {port}), timeout=3).close())
_try("tcp sub", lambda: _py("import socket; socket.create_connection(('127.0.0.1', {port}), timeout=3)"))
""",
    "signals": """
def _c_kill(pid):
    if _libc.kill(pid, 0) < 0:
        raise OSError(ctypes.get_errno(), "kill")
_try("signal py", lambda: os.kill({grader_pid}, 0))
_try("signal c", lambda: _c_kill({grader_pid}))
_try("signal sh", lambda: _sh("kill -0 {grader_pid}"))
""",
    "straggler": """
def _detach():
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            os.execv("/bin/sleep", ["sleep", "{mark}1"])
        os._exit(0)
    os.wait()
_try("straggler py", _detach)
_try("straggler sh", lambda: subprocess.Popen(["setsid", "sh", "-c", "sleep {mark}2 & sleep {mark}3 &"],
                                              start_new_session=True).wait())
""",
}
BOMBS = {
    "fork_bomb_py": """
import os, time
while True:
    try:
        os.fork()
    except OSError:
        time.sleep(0.01)
""",
    "fork_bomb_sh": """
import subprocess, time
subprocess.Popen(["sh", "-c", "b() { b | b & }; b"])
time.sleep(30)
""",
    "thread_bomb_py": """
import threading, time
while True:
    try:
        threading.Thread(target=time.sleep, args=(60,), daemon=True).start()
    except RuntimeError:
        time.sleep(0.01)
""",
    "thread_bomb_sub": """
import subprocess, sys, time
subprocess.Popen([sys.executable, "-c", "import threading, time\\nwhile True:\\n    try:\\n"
                  "        threading.Thread(target=time.sleep, args=(60,), daemon=True).start()\\n"
                  "    except RuntimeError:\\n        time.sleep(0.01)"])
time.sleep(30)
""",
}


def attacked(code):
    """The solution with ``code`` in a cell of its own at the start, and a last cell that
    reports what each attack got (as an error of that cell, which costs no points)."""
    nb = sample_class.solved(A)
    nb.cells.insert(1, nbformat.v4.new_code_cell(PRELUDE + code))
    nb.cells.append(nbformat.v4.new_code_cell('raise RuntimeError("REPORT " + "; ".join(_report))'))
    return nb


def report(result) -> dict:
    line = next(line for line in result.output.splitlines() if line.startswith("RuntimeError: REPORT "))
    return dict(item.split(": ") for item in line.split("REPORT ", 1)[1].split("; "))


def leftovers(mark, wait=3.0) -> list:
    """Processes still around that an attack started (found by their marker). The grader
    does not wait for killed processes to be torn down, so give the kernel a moment."""
    import time
    deadline = time.monotonic() + wait
    while (found := _marked(mark)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


def _marked(mark) -> list:
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            cmdline = open(f"/proc/{entry.name}/cmdline", "rb").read().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if mark in cmdline:
            found.append((entry.name, cmdline[:80]))
    return found


def digest(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


GUARDED = [ROOT / "autograder" / "judge.py", ROOT / "source" / A / f"{A}.ipynb"]


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("isolation")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.setblocking(False)
    gradebook = folder / "gradebook.db"
    gradebook.write_bytes(b"SQLite format 3\0 the grades")
    victim = folder / "victim.ipynb"
    nbformat.write(sample_class.solved(A), victim)
    mark = f"{random.randint(1000, 9999)}.{random.randint(100, 999)}"
    values = dict(victim=str(victim), gradebook=str(gradebook), grader=str(GUARDED[0]), source=str(GUARDED[1]),
                  checks=str(ROOT / "autograder" / "checks" / "blocks.py"), port=listener.getsockname()[1],
                  grader_pid=os.getpid(), mark=mark)
    before = {p: digest(p) for p in [victim, gradebook, *GUARDED]}
    subs = [Submission("victim", A, victim)]
    for name, code in {**ATTACKS, **BOMBS}.items():
        path = folder / f"{name}.ipynb"
        nbformat.write(attacked(code.format(**values)) if name in ATTACKS else _bomb(code), path)
        subs.append(Submission(name, A, path))
    results = {r.student: r for r in grade_all(subs, context(), LIMITS, jobs=2)}
    try:
        connection = listener.accept()[0]
        connection.close()
        connected = True
    except BlockingIOError:
        connected = False
    listener.close()
    return dict(results=results, before=before, connected=connected, mark=mark, folder=folder,
                victim=victim, values=values)


def _bomb(code):
    nb = sample_class.solved(A)
    nb.cells.insert(1, nbformat.v4.new_code_cell(code))
    return nb


def test_the_correct_submission_keeps_full_marks(batch):
    victim = batch["results"]["victim"]
    assert victim.status == "ok" and victim.score == victim.max_score, [t.output for t in victim.tests if not t.passed]
    assert victim.isolation == FEATURES.describe()


@pytest.mark.parametrize("name", list(ATTACKS))
def test_each_attack_fails_inside_the_sandbox(batch, name):
    result, victim = batch["results"][name], batch["results"]["victim"]
    got = report(result)
    allowed = [label for label, outcome in got.items() if outcome == "ALLOWED" and "straggler" not in label]
    if name in ("writes", "reads_checks") and FEATURES.landlock:  # else the audit hook alone
        assert allowed == (["scratch py"] if name == "writes" else []), got
    if name == "network" and (FEATURES.landlock >= 4 or "netns" in FEATURES.namespaces):
        assert allowed == [], got
    if name == "signals" and (FEATURES.landlock >= 6 or FEATURES.uid):
        assert allowed == [], got
    assert (result.score, result.status) == (victim.score, "ok"), result.output


def test_nothing_outside_was_changed_or_reached(batch):
    assert {p: digest(p) for p in batch["before"]} == batch["before"]
    assert not batch["connected"], "a submission connected to the test's TCP port"


def test_no_process_outlives_its_submission(batch):
    assert leftovers(batch["mark"]) == []


@pytest.mark.parametrize("name", list(BOMBS))
def test_bombs_end_as_that_submissions_failure(batch, name):
    result = batch["results"][name]
    assert result.score < result.max_score
    # The keeper's watchdog ends it once it fills its process limit; on a slow machine the
    # cell's time limit may come first (where no uid of its own lets the keeper count, only that).
    assert result.status in ("crashed (too many processes)", "timeout"), result.status
    assert result.execution_time < 30, result.execution_time


def test_a_later_run_is_unaffected_and_the_fallback_works(batch):
    """The same correct notebook again, with every protection, then with none (as on a kernel
    without Landlock or namespaces): full marks both times; the detached straggler, graded with
    no PID namespace, is still swept up by the keeper (a subreaper)."""
    again = grade_all([Submission("again", A, batch["victim"])], context(), LIMITS)[0]
    assert again.score == again.max_score and again.isolation == FEATURES.describe()
    bare = Limits(cell_seconds=10, without=EVERYTHING)
    path = batch["folder"] / "straggler.ipynb"
    plain, straggler = grade_all([Submission("bare", A, batch["victim"]), Submission("straggler", A, path)],
                                 context(), bare, jobs=2)
    assert plain.score == plain.max_score and plain.isolation == "no_new_privs", plain.output
    assert report(straggler)["straggler py"] == "ALLOWED"  # it started, then died with its submission
    assert leftovers(batch["mark"]) == []


def test_strict_mode_never_grades_unconfined():
    """A submission whose sandbox lacks a protection is a grader error in strict mode."""
    limits = Limits(cell_seconds=10, isolation="strict", without=("pidns",))
    path = ROOT / "solutions" / A / f"{A}.ipynb"
    [result] = grade_all([Submission("strict", A, path)], context(), limits)
    assert result.status == "grader error" and "pidns" in result.output and result.score == 0


def test_unavailable_landlock_is_detected_not_assumed(monkeypatch):
    monkeypatch.setattr(confine, "landlock_abi", lambda: 0)
    features = confine.available()
    assert not features.landlock and "landlock" not in features.describe()
    assert f"landlock v{confine.STRICT_LANDLOCK_ABI}+" in features.missing()
    assert confine.Features(4, ["netns", "pidns"], nproc=True).missing() == ["landlock v6+"]


def test_strict_refuses_without_the_full_set_and_says_so(monkeypatch, tmp_path, capsys):
    from autograder.__main__ import main
    nbformat.write(sample_class.solved(A), tmp_path / f"{A}.ipynb")
    monkeypatch.setattr(confine, "available", lambda skip=(): confine.Features(4, [], nproc=True))
    assert main(["grade", str(tmp_path / f"{A}.ipynb"), "--isolation", "strict"]) == 4
    err = capsys.readouterr().err
    assert "isolation: landlock v4, nproc" in err and "lacks landlock v6+, netns, pidns" in err
    with pytest.raises(SystemExit) as usage:
        main(["grade", str(tmp_path / f"{A}.ipynb"), "--isolation", "paranoid"])
    assert usage.value.code == 2


@needs_landlock
def test_nbgrader_autograde_runs_in_the_confined_kernel(tmp_path):
    """The write attacks through nbgrader: its kernel may write its working folder only."""
    from nbgrader.converters import GenerateAssignment
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    course = tmp_path / "course"
    (course / "source").mkdir(parents=True)
    subprocess.run(["cp", "-r", str(ROOT / "source" / A), str(course / "source")], check=True)
    (course / "nbgrader_config.py").write_text((ROOT / "nbgrader_config.py").read_text())
    config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    config.CourseDirectory.root = str(course)
    config.CourseDirectory.db_url = f"sqlite:///{course / 'gradebook.db'}"
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = A
    GenerateAssignment(coursedir=coursedir, config=config).start()
    victim = course / "submitted" / "alice" / A / f"{A}.ipynb"
    victim.parent.mkdir(parents=True)
    nbformat.write(sample_class.solved(A), victim)
    values = dict(victim=str(victim), gradebook=str(course / "gradebook.db"), grader=str(GUARDED[0]),
                  source=str(course / "source" / A / f"{A}.ipynb"))
    attacker = course / "submitted" / "mallory" / A / f"{A}.ipynb"
    attacker.parent.mkdir(parents=True)
    nb = attacked(ATTACKS["writes"].format(**values) + "\nprint('REPORT ' + '; '.join(_report))")
    nb.cells.pop()  # the report is printed into the autograded notebook instead
    nbformat.write(nb, attacker)
    before = {p: digest(p) for p in [victim, *GUARDED, course / "source" / A / f"{A}.ipynb"]}
    done = subprocess.run(["nbgrader", "autograde", A, "--force", "--log-level=ERROR"], cwd=course,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    graded = json.loads((course / "autograded" / "mallory" / A / f"{A}.ipynb").read_text())
    text = "".join("".join(o.get("text", "")) for o in graded["cells"][1].get("outputs", []))
    got = dict(item.split(": ") for item in text.split("REPORT ", 1)[1].strip().split("; "))
    assert [label for label, outcome in got.items() if outcome == "ALLOWED"] == ["scratch py"], got
    assert {p: digest(p) for p in before} == before
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:  # intact, and both graded
        scores = {s: gb.find_submission(A, s).score for s in ("alice", "mallory")}
    assert scores["alice"] == scores["mallory"] > 0
