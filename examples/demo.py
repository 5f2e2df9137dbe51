"""``make demo``: a term in three minutes. Release the course, grade a sample class with the CI
grader (into a gradebook it creates from scratch), grade one assignment with ``nbgrader
autograde`` too and show that both give the same points, check by check.

Everything lands in ``.demo/``; the last lines say where each output is. ``make bench`` compares
the two graders on many more notebooks.
"""
import os
import shutil
import subprocess
import sys
import time

from autograder.notebook import ROOT, assignments, check_ids, read, source_path
from examples import sample_class

WORK = ROOT / ".demo"
TIMEOUT = 10  # seconds per cell for both graders: erin's infinite loop is cut after this
COMPARED = "01_blocks"  # the assignment that nbgrader grades as well


def release(names):
    """nbgrader's own generate_assignment and generate_solution, in this process (one Python
    start instead of two per assignment); its chatter goes to .demo/nbgrader.log."""
    import logging

    from nbgrader.converters import GenerateAssignment, GenerateSolution
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader
    config = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()
    config.CourseDirectory.root = str(ROOT)
    config.CourseDirectory.db_url = f"sqlite:///{WORK / 'nbgrader.db'}"  # nbgrader autograde's gradebook
    log = logging.getLogger("demo-release")
    log.addHandler(logging.FileHandler(WORK / "nbgrader.log"))
    log.propagate = False
    for assignment in names:
        for converter in (GenerateAssignment, GenerateSolution):
            coursedir = CourseDirectory(config=config)
            coursedir.assignment_id = assignment
            step = converter(coursedir=coursedir, config=config, log=log)
            step.force = True
            step.start()


def nbgrader(*args):
    """An nbgrader command on the demo's own gradebook and folders."""
    where = [f"--CourseDirectory.{step}_directory={WORK.name}/{step}" for step in ("submitted", "autograded")]
    with open(WORK / "nbgrader.log", "a") as log:
        subprocess.run(["nbgrader", *args, f"--db=sqlite:///{WORK / 'nbgrader.db'}", *where,
                        "--log-level=WARN"], cwd=ROOT, check=True, stdout=log, stderr=subprocess.STDOUT)


def nbgrader_points(assignment) -> dict:
    from nbgrader.api import Gradebook
    checks = check_ids(read(source_path(assignment)))
    with Gradebook(f"sqlite:///{WORK / 'nbgrader.db'}") as gb:
        return {sub.student_id: {c: gb.find_grade(c, assignment, assignment, sub.student_id).score for c in checks}
                for sub in gb.assignment_submissions(assignment)}


def main(names):
    import json
    # nbgrader and the `alembic` it runs come from this venv, however the demo was started.
    os.environ["PATH"] = f"{os.path.dirname(sys.executable)}{os.pathsep}{os.environ.get('PATH', '')}"
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir()
    started = time.monotonic()
    print(f"== release: nbgrader generate_assignment and generate_solution, {len(names)} assignment(s)")
    release(names)
    sample_class.build(WORK / "submitted", names)
    print(f"   {time.monotonic() - started:.0f} s; sample class in .demo/submitted/ "
          "(alice: solution, bob: half, carol: untouched, dave: syntax error, erin: infinite loop)")

    print("== python -m autograder grade .demo/submitted --gradebook ... (sandboxed, in parallel)")
    clock = time.monotonic()
    subprocess.run([sys.executable, "-m", "autograder", "grade", str(WORK / "submitted"), f"--timeout={TIMEOUT}",
                    "--gradebook", f"sqlite:///{WORK / 'gradebook.db'}", "--json", str(WORK / "results.json"),
                    "--csv", str(WORK / "grades.csv"), "--feedback", str(WORK / "feedback"),
                    "--report", str(WORK / "report.html")], cwd=ROOT, check=True, stderr=subprocess.DEVNULL)
    print(f"   {time.monotonic() - clock:.0f} s for {len(names) * 5} notebooks")

    if COMPARED in names:
        print(f"== nbgrader autograde {COMPARED} (one kernel per notebook)")
        clock = time.monotonic()
        nbgrader("autograde", COMPARED, "--force", f"--Execute.timeout={TIMEOUT}")
        print(f"   {time.monotonic() - clock:.0f} s for 5 notebooks")
        theirs = nbgrader_points(COMPARED)
        ours = {r["student"]: {t["check"]: t["score"] for t in r["tests"]}
                for r in json.loads((WORK / "results.json").read_text()) if r["assignment"] == COMPARED}
        same = [s for s in ours if ours[s] == theirs.get(s)]
        print(f"   both graders give the same points, check by check: {len(same)} of {len(ours)} students"
              + ("" if len(same) == len(ours) else f" (differ: {sorted(set(ours) - set(same))})"))

    print(f"\nDone in {time.monotonic() - started:.0f} s. Outputs:")
    for path, what in [("assignments/, solutions/", "the release, regenerated from source/"),
                       (".demo/gradebook.db", "nbgrader's gradebook, made from scratch by the CI grader"),
                       (".demo/grades.csv", "grades in `nbgrader export` columns"),
                       (".demo/results.json", "every check's result (Gradescope's fields)"),
                       (".demo/feedback/<student>/<assignment>.html", "a feedback page per submission"),
                       (".demo/report.html", "the class report for instructors"),
                       (".demo/nbgrader.db, .demo/autograded/", f"nbgrader autograde's gradebook and notebooks ({COMPARED})"),
                       (".demo/nbgrader.log", "nbgrader's messages")]:
        print(f"  {path:<44} {what}")


if __name__ == "__main__":
    main(sys.argv[1:] or assignments())
