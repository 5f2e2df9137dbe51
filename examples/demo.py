"""``make demo``: release the course, then grade a sample class twice — with ``nbgrader
autograde`` into a real sqlite gradebook, and with the CI grader — and print both tables.

Everything lands in ``.demo/``: the gradebook, nbgrader's autograded notebooks, both CSV
exports, the CI grader's results.json, feedback pages and the class report.
"""
import shutil
import subprocess
import sys
import time

from autograder.notebook import ROOT, assignments
from examples import sample_class

WORK = ROOT / ".demo"


def nbgrader(*args, check=True):
    """Run an nbgrader command on the demo's gradebook; its chatter goes to .demo/nbgrader.log."""
    db = f"--db=sqlite:///{WORK / 'gradebook.db'}"
    where = [f"--CourseDirectory.{step}_directory={WORK.name}/{step}" for step in ("submitted", "autograded")]
    with open(WORK / "nbgrader.log", "a") as log:
        return subprocess.run(["nbgrader", *args, db, *where, "--log-level=WARN"], cwd=ROOT, check=check,
                              stdout=log, stderr=subprocess.STDOUT)


def gradebook_table(names) -> str:
    from nbgrader.api import Gradebook
    rows = [("student", "assignment", "score")]
    with Gradebook(f"sqlite:///{WORK / 'gradebook.db'}") as gb:
        for a in names:
            for sub in sorted(gb.assignment_submissions(a), key=lambda s: s.student_id):
                rows.append((sub.student_id, a, f"{sub.score:g}/{sub.max_score:g}"))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows)


def main(names):
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir()
    print(f"== release {len(names)} assignment(s) into assignments/ and solutions/")
    for a in names:
        nbgrader("generate_assignment", a, "--force")
        nbgrader("generate_solution", a, "--force")
    sample_class.build(WORK / "submitted", names)

    print("== nbgrader autograde (one kernel per notebook, serially)")
    started = time.monotonic()
    for a in names:
        nbgrader("autograde", a, "--force", check=False)
    nbgrader_seconds = time.monotonic() - started
    nbgrader("export", f"--to={WORK / 'nbgrader_grades.csv'}")

    print("== python -m autograder grade (sandboxed, in parallel)")
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "autograder", "grade", str(WORK / "submitted"),
                    "--json", str(WORK / "results.json"), "--csv", str(WORK / "grades.csv"),
                    "--feedback", str(WORK / "feedback"), "--report", str(WORK / "report.html")],
                   cwd=ROOT, check=True, stderr=subprocess.DEVNULL)
    grader_seconds = time.monotonic() - started

    print("\n== nbgrader gradebook\n" + gradebook_table(names))
    print(f"\nnbgrader autograde: {nbgrader_seconds:.1f} s; CI grader: {grader_seconds:.1f} s")
    print(f"Outputs in {WORK.relative_to(ROOT)}/: gradebook.db, nbgrader_grades.csv, grades.csv, results.json,"
          " feedback/<student>/<assignment>.html, nbgrader.log")
    print(f"Class report: {WORK / 'report.html'}")


if __name__ == "__main__":
    main(sys.argv[1:] or assignments())
