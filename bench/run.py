"""``make bench``: time ``nbgrader autograde`` and the CI grader on the same submissions.

    python -m bench.run [--per-assignment N] [--class-size M] [ASSIGNMENT ...]

Builds N submissions per assignment (correct, wrong, untouched and broken ones, from the
course itself), grades them with both in one run, prints seconds per notebook and the
ratio, and fails if the two disagree on any score. Then grades a class of M students with
the CI grader alone (nbgrader would take hours) and prints its wall time; 0 skips that.
"""
import argparse
import collections
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
    kinds = [solved] + [sample_class.edit(solved, e) for _, e in sample_class.mutants(assignment).values()]
    kinds += [sample_class.released(assignment), sample_class.prepend_to_first_answer(solved, "def broken(:")]
    return {f"s{i:03d}": kinds[i % len(kinds)] for i in range(n)}


def write_class(folder: Path, names, n):
    for a in names:
        for student, nb in class_of(a, n).items():
            path = folder / student / a / f"{a}.ipynb"
            path.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, path)
    return len(names) * n


def grade_ours(submitted: Path, results: Path) -> float:
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "autograder", "grade", str(submitted), "--json", str(results)],
                   cwd=ROOT, check=True, capture_output=True)
    return time.monotonic() - started


def per_assignment(results: Path) -> str:
    """Mean seconds per notebook, by assignment, as each submission's process measured it."""
    times = collections.defaultdict(list)
    for r in json.loads(results.read_text()):
        times[r["assignment"]].append(r["execution_time"])
    return "  ".join(f"{a.split('_')[0]}:{sum(t) / len(t):.2f}" for a, t in sorted(times.items()))


def compare(course: Path, names, n):
    """Both graders on the same n submissions per assignment: (exit status, nbgrader's s/notebook)."""
    db = f"--db=sqlite:///{course / 'gradebook.db'}"
    for a in names:
        subprocess.run(["nbgrader", "generate_assignment", a, "--force", db], cwd=course, check=True,
                       capture_output=True)
    total = write_class(course / "submitted", names, n)

    ours_s = grade_ours(course / "submitted", course / "results.json")  # first: the colder start
    started = time.monotonic()
    for a in names:
        subprocess.run(["nbgrader", "autograde", a, "--force", db], cwd=course, check=True, capture_output=True)
    nbgrader_s = time.monotonic() - started

    from nbgrader.api import Gradebook
    ours = {(r["student"], r["assignment"]): r["score"] for r in json.loads((course / "results.json").read_text())}
    with Gradebook(db.split("=", 1)[1]) as gb:
        theirs = {(s.student_id, a): s.score for a in names for s in gb.assignment_submissions(a)}
    disagree = sorted(k for k in ours if ours[k] != theirs.get(k))

    print(f"{total} notebooks ({len(names)} assignments x {n}), {os.cpu_count()} cores")
    print(f"nbgrader autograde: {nbgrader_s:7.1f} s  {nbgrader_s / total:6.2f} s/notebook")
    print(f"CI grader:          {ours_s:7.1f} s  {ours_s / total:6.2f} s/notebook")
    print(f"speed-up: {nbgrader_s / ours_s:.1f}x; scores agree on {total - len(disagree)}/{total}")
    print(f"CI grader, s/notebook by assignment: {per_assignment(course / 'results.json')}")
    if disagree:
        print("disagreements:", [(k, ours[k], theirs.get(k)) for k in disagree])
    return int(bool(disagree)), nbgrader_s / total


def whole_class(course: Path, names, m, nbgrader_rate: float) -> None:
    total = write_class(course / "class", names, m)
    seconds = grade_ours(course / "class", course / "class.json")
    print(f"\nA class of {m} x {len(names)} assignments = {total} notebooks, CI grader alone: "
          f"{seconds:.1f} s ({seconds / 60:.1f} min, {seconds / total:.3f} s/notebook), "
          f"{nbgrader_rate / (seconds / total):.0f}x nbgrader's rate per notebook above")
    print(f"CI grader, s/notebook by assignment: {per_assignment(course / 'class.json')}")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.run")
    parser.add_argument("assignments", nargs="*")
    parser.add_argument("--per-assignment", type=int, default=10, help="submissions graded by both")
    parser.add_argument("--class-size", type=int, default=300, help="students graded by the CI grader alone")
    args = parser.parse_args(argv)
    names = args.assignments or assignments()
    course = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        shutil.copytree(ROOT / "source", course / "source")
        shutil.copy(ROOT / "nbgrader_config.py", course)
        status, nbgrader_rate = compare(course, names, args.per_assignment)
        if args.class_size:
            whole_class(course, names, args.class_size, nbgrader_rate)
        return status
    finally:
        shutil.rmtree(course, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
