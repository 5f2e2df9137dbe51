"""Command line.

    python -m autograder grade PATH... [--jobs N] [--shard I/N] [--device D] [outputs]
    python -m autograder merge SHARD.json... [outputs]
    python -m autograder mutants NN_slug [--jobs N] [--json FILE] [--limit K] [--only CELL] [--list]

PATH is a notebook or a folder laid out as nbgrader's ``submitted/<student>/<assignment>/``.
Outputs, from one run: --json (one object per submission), --gradescope (results.json of one
student's notebooks), --classroom, --junit, --csv (nbgrader's export columns), --gradebook,
--feedback (pages for students), --report (class report for instructors).
"""
import argparse
import dataclasses
import json
import os
import sys
import time

from . import formats
from .forkserver import JOBS, start
from .notebook import ROOT, discover


def course_limits(timeout=None, memory_gib=None):
    """Course-wide defaults from nbgrader_config.py: the cell time limit is nbgrader's own
    ``Execute.timeout``; memory and output caps are the ``Autograder`` section's."""
    from traitlets.config.loader import PyFileConfigLoader

    from .sandbox import Limits
    config = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()
    ours = config.Autograder
    return Limits(cell_seconds=timeout or config.Execute.get("timeout", Limits.cell_seconds),
                  submission_seconds=ours.get("submission_seconds", Limits.submission_seconds),
                  memory_bytes=int((memory_gib or ours.get("memory_gib", Limits.memory_bytes / 2**30)) * 2**30),
                  output_bytes=int(ours.get("output_kib", Limits.output_bytes / 1024) * 1024))


def table(results) -> str:
    rows = [("student", "assignment", "score", "status", "seconds")]
    rows += [(r["student"], r["assignment"], f"{r['score']:g}/{r['max_score']:g}", r["status"],
              f"{r['execution_time']:.1f}") for r in results]
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows)


def shard(items, spec: str):
    """``I/N``: every N-th submission from the I-th (1-based), in a fixed order."""
    index, count = (int(n) for n in spec.split("/"))
    if not 1 <= index <= count:
        raise ValueError(f"--shard {spec}: I must be between 1 and N")
    ordered = sorted(items, key=lambda s: (s.assignment, s.student, str(s.path)))
    return ordered[index - 1::count]


class Progress:
    """One line per submission; on a terminal, a bar that redraws in place, with an ETA."""

    def __init__(self, total: int):
        self.total, self.done, self.started = total, 0, time.monotonic()
        self.tty = sys.stderr.isatty()

    def __call__(self, result):
        self.done += 1
        elapsed = time.monotonic() - self.started
        eta = elapsed / self.done * (self.total - self.done)
        bar = "#" * (20 * self.done // self.total)
        line = (f"[{bar:<20}] {self.done}/{self.total} ETA {eta:4.0f}s  {result.student} "
                f"{result.assignment} {result.score:g}/{result.max_score:g} {result.status}")
        print(("\r\x1b[K" if self.tty else "") + line, end="" if self.tty else "\n", file=sys.stderr, flush=True)
        if self.tty and self.done == self.total:
            print(file=sys.stderr)


def write_outputs(results, args) -> None:
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(results, out, ensure_ascii=False, indent=1)
    if args.gradescope:
        with open(args.gradescope, "w", encoding="utf-8") as out:
            json.dump(formats.gradescope(results), out, ensure_ascii=False, indent=1)
    if args.classroom:
        encoded = formats.classroom_base64(results)
        with open(args.classroom, "w") as out:
            out.write(encoded)
        if os.environ.get("GITHUB_OUTPUT"):  # a step output for the reporter action
            with open(os.environ["GITHUB_OUTPUT"], "a") as out:
                out.write(f"result={encoded}\n")
    if args.junit:
        with open(args.junit, "w", encoding="utf-8") as out:
            out.write(formats.junit(results))
    if args.csv:
        formats.nbgrader_csv(results, args.csv)
    if args.gradebook:
        formats.gradebook(results, args.gradebook)
    if args.feedback:
        from .feedback import write_feedback
        write_feedback(results, args.feedback)
    if args.report:
        from .report import write_report
        write_report(results, args.report)


def add_outputs(parser):
    parser.add_argument("--json", help="all results, one object per submission")
    parser.add_argument("--gradescope", help="Gradescope results.json of everything graded (one student)")
    parser.add_argument("--classroom", help="GitHub Classroom result, base64 (also to $GITHUB_OUTPUT)")
    parser.add_argument("--junit", help="JUnit XML")
    parser.add_argument("--csv", help="grades in nbgrader's export columns")
    parser.add_argument("--gradebook", metavar="DB_URL", help="store scores in this nbgrader gradebook")
    parser.add_argument("--feedback", metavar="DIR", help="a feedback page per submission (HTML and Markdown)")
    parser.add_argument("--report", help="the class report for instructors (one HTML file with plots)")


def _assignments_of(args) -> set:
    """The assignments a command will write results for (known ones only)."""
    from .notebook import assignments
    if args.command == "merge":
        found = set()
        for path in args.shards:
            with open(path, encoding="utf-8") as f:
                found |= {r["assignment"] for r in json.load(f)}
    else:
        found = {s.assignment for s in discover([p for p in args.paths if os.path.exists(p)])}
    return found & set(assignments())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder")
    commands = parser.add_subparsers(dest="command", required=True)
    g = commands.add_parser("grade", help="grade notebooks or nbgrader submitted/ folders")
    g.add_argument("paths", nargs="+")
    g.add_argument("--jobs", type=int, default=JOBS, help="submissions at once")
    g.add_argument("--shard", help="I/N: grade only the I-th of N deterministic slices")
    g.add_argument("--timeout", type=float, help="seconds per cell (default: nbgrader's Execute.timeout)")
    g.add_argument("--memory-gib", type=float, help="memory cap per submission (default: config, 4)")
    g.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    g.add_argument("--visible-only", action="store_true",
                   help="run only the test cells' visible assertions (what Validate shows; no points)")
    g.add_argument("--isolation", choices=["default", "strict"], default="default",
                   help="strict: refuse to grade (exit 4) without every protection (README: Isolation)")
    add_outputs(g)
    m = commands.add_parser("merge", help="join the --json results of several shards")
    m.add_argument("shards", nargs="+")
    add_outputs(m)
    from . import mutants
    mutants.add_parser(commands)
    args = parser.parse_args(argv)

    if args.command == "mutants":
        return mutants.main(args)

    if getattr(args, "gradebook", None):  # before the grading, not after it
        try:
            formats.prepare_gradebook(args.gradebook, _assignments_of(args))
        except formats.GradebookMismatch as error:
            print(f"error: --gradebook {args.gradebook}: {error}", file=sys.stderr)
            return 2
        except Exception as error:  # not a database nbgrader can open
            print(f"error: --gradebook {args.gradebook}: {type(error).__name__}: {error}"[:500], file=sys.stderr)
            return 2

    if args.command == "merge":
        results = []
        for path in args.shards:
            with open(path, encoding="utf-8") as f:
                results += json.load(f)
        results.sort(key=lambda r: (r["assignment"], r["student"]))
    else:
        missing = [p for p in args.paths if not os.path.exists(p)]
        if missing:
            parser.error(f"no such file or folder: {', '.join(missing)}")
        if args.device == "cpu":
            os.environ["CUDA_VISIBLE_DEVICES"] = ""  # before the forkserver starts: children see no GPU
        elif args.device == "cuda":
            import torch
            if not torch.cuda.is_available():
                print("error: --device cuda, but no CUDA device works here", file=sys.stderr)
                return 3
        submissions = discover(args.paths)
        if args.shard:
            submissions = shard(submissions, args.shard)
        if not submissions:
            print("error: no notebooks found", file=sys.stderr)
            return 2
        from . import confine
        features = confine.available()
        print(f"isolation: {features.describe()}", file=sys.stderr)
        if args.isolation == "strict" and features.missing():
            print(f"error: --isolation strict, but this system lacks {', '.join(features.missing())} "
                  f"({confine.machine()}, {'root' if os.geteuid() == 0 else 'not root'}); "
                  "grade without it, or on a system that has it (README: Isolation and its limits)",
                  file=sys.stderr)
            return 4
        ctx = start(len(submissions))  # its imports overlap ours, which follow
        from .grade import grade_all
        limits = dataclasses.replace(course_limits(args.timeout, args.memory_gib), isolation=args.isolation)
        graded = grade_all(submissions, ctx, limits, args.jobs, Progress(len(submissions)), args.visible_only)
        results = [r.to_json() for r in graded]
    print(table(results))
    write_outputs(results, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
