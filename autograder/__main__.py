"""Command line: ``python -m autograder grade PATH... [--json FILE] [--jobs N] [--device D]``."""
import argparse
import csv
import json
import os
import sys

from .grade import discover, grade_all
from .notebook import ROOT
from .sandbox import Limits, context


def course_limits() -> Limits:
    """Course-wide defaults: the cell time limit is nbgrader's own ``Execute.timeout``."""
    from traitlets.config.loader import PyFileConfigLoader
    config = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()
    return Limits(cell_seconds=config.Execute.get("timeout", Limits.cell_seconds))


def table(results) -> str:
    rows = [("student", "assignment", "score", "status", "seconds")]
    rows += [(r.student, r.assignment, f"{r.score:g}/{r.max_score:g}", r.status, f"{r.execution_time:.1f}")
             for r in results]
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder")
    commands = parser.add_subparsers(dest="command", required=True)
    g = commands.add_parser("grade", help="grade notebooks or nbgrader submitted/ folders")
    g.add_argument("paths", nargs="+")
    g.add_argument("--json", help="write one Gradescope-style object per submission to FILE")
    g.add_argument("--csv", help="write student,assignment,score,max_score,status,seconds to FILE")
    g.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="submissions at once")
    g.add_argument("--timeout", type=float, help="seconds per cell (default: nbgrader's Execute.timeout)")
    g.add_argument("--memory-gib", type=float, default=4, help="memory cap per submission")
    g.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    args = parser.parse_args(argv)

    missing = [p for p in args.paths if not os.path.exists(p)]
    if missing:
        parser.error(f"no such file or folder: {', '.join(missing)}")
    if args.device == "cpu":
        os.environ["CUDA_VISIBLE_DEVICES"] = ""  # before the forkserver starts: children see no GPU
    elif args.device == "cuda":
        import torch
        if not torch.cuda.is_available():
            print("error: --device cuda, but no CUDA device is available here", file=sys.stderr)
            return 3
    limits = course_limits()
    limits = Limits(cell_seconds=args.timeout or limits.cell_seconds,
                    memory_bytes=int(args.memory_gib * 2**30))

    submissions = discover(args.paths)
    if not submissions:
        print("error: no notebooks found", file=sys.stderr)
        return 2
    done = []

    def progress(result):
        done.append(result)
        print(f"[{len(done)}/{len(submissions)}] {result.student} {result.assignment}: "
              f"{result.score:g}/{result.max_score:g} {result.status}", file=sys.stderr)

    results = grade_all(submissions, context(), limits, args.jobs, progress)
    print(table(results))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump([r.to_json() for r in results], out, ensure_ascii=False, indent=1)
    if args.csv:
        with open(args.csv, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["student", "assignment", "score", "max_score", "status", "seconds"])
            writer.writerows([r.student, r.assignment, r.score, r.max_score, r.status, r.execution_time]
                             for r in results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
