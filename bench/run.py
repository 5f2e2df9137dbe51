"""``make bench``: time ``nbgrader autograde`` and the CI grader on the same submissions.

    python -m bench.run [--per-assignment N] [ASSIGNMENT ...]

Builds N submissions per assignment (correct, wrong, untouched and broken ones, from the
course itself), grades them with both in one run, prints seconds per notebook and the
ratio, and fails if the two disagree on any score.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from autograder.notebook import ROOT, assignments
from examples import sample_class


def class_of(assignment, n):
    """n submissions cycling through: correct, each wrong answer, untouched, broken."""
    solved = sample_class.solved(assignment)
    kinds = [solved] + [sample_class.edit(solved, e) for e in sample_class.mutants(assignment).values()]
    kinds += [sample_class.released(assignment), sample_class.prepend_to_first_answer(solved, "def broken(:")]
    return {f"s{i:03d}": kinds[i % len(kinds)] for i in range(n)}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.run")
    parser.add_argument("assignments", nargs="*")
    parser.add_argument("--per-assignment", type=int, default=10)
    args = parser.parse_args(argv)
    names = args.assignments or assignments()
    course = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        shutil.copytree(ROOT / "source", course / "source")
        shutil.copy(ROOT / "nbgrader_config.py", course)
        db = f"--db=sqlite:///{course / 'gradebook.db'}"
        quiet = dict(cwd=course, check=True, capture_output=True)
        for a in names:
            subprocess.run(["nbgrader", "generate_assignment", a, "--force", db], **quiet)
            for student, nb in class_of(a, args.per_assignment).items():
                path = course / "submitted" / student / a / f"{a}.ipynb"
                path.parent.mkdir(parents=True, exist_ok=True)
                nbformat.write(nb, path)
        total = len(names) * args.per_assignment

        started = time.monotonic()
        for a in names:
            subprocess.run(["nbgrader", "autograde", a, "--force", db], **quiet)
        nbgrader_s = time.monotonic() - started

        started = time.monotonic()
        subprocess.run([sys.executable, "-m", "autograder", "grade", str(course / "submitted"),
                        "--json", str(course / "results.json")], cwd=ROOT, check=True, capture_output=True)
        ours_s = time.monotonic() - started

        from nbgrader.api import Gradebook
        ours = {(r["student"], r["assignment"]): r["score"] for r in json.loads((course / "results.json").read_text())}
        with Gradebook(db.split("=", 1)[1]) as gb:
            theirs = {(s.student_id, a): s.score for a in names for s in gb.assignment_submissions(a)}
        disagree = sorted(k for k in ours if ours[k] != theirs.get(k))

        cores = os.cpu_count()
        print(f"{total} notebooks ({len(names)} assignments x {args.per_assignment}), {cores} cores")
        print(f"nbgrader autograde: {nbgrader_s:7.1f} s  {nbgrader_s / total:6.2f} s/notebook")
        print(f"CI grader:          {ours_s:7.1f} s  {ours_s / total:6.2f} s/notebook")
        print(f"speed-up: {nbgrader_s / ours_s:.1f}x; scores agree on {total - len(disagree)}/{total}")
        if disagree:
            print("disagreements:", [(k, ours[k], theirs.get(k)) for k in disagree])
            return 1
        return 0
    finally:
        shutil.rmtree(course, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
