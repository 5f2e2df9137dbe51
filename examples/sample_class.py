"""Build a sample class of submissions from the course itself, so it never goes stale.

    python -m examples.sample_class DEST [ASSIGNMENT ...]

writes ``DEST/<student>/<assignment>/<assignment>.ipynb`` (nbgrader's ``submitted/`` layout):
alice hands in the solution, bob half of it, carol the untouched release, dave a syntax
error, erin an infinite loop.
"""
import copy
import importlib
import re
import sys
from pathlib import Path

import nbformat

from autograder.notebook import ROOT, assignments, grade_id

SYNTAX_ERROR = "def broken(:\n    pass\n"
INFINITE_LOOP = "while True:\n    pass\n"


def released(assignment):
    return nbformat.read(ROOT / "assignments" / assignment / f"{assignment}.ipynb", as_version=4)


def solved(assignment):
    """The release with every answer cell filled in from solutions/: what a perfect student hands in."""
    solution = nbformat.read(ROOT / "solutions" / assignment / f"{assignment}.ipynb", as_version=4)
    return with_answers(released(assignment), solution, answer_ids(solution))


def answer_ids(nb):
    return [grade_id(c) for c in nb.cells if (c.metadata.get("nbgrader") or {}).get("solution")
            and c.cell_type == "code"]


def slug(assignment) -> str:
    return assignment.split("_", 1)[1]


def mutants(assignment) -> dict:
    """Hand-written wrong answers: ``{label: (check, edits)}``. In ``MUTANTS`` a check maps to
    one list of edits (label: the check's name) or to ``{name: edits}`` (label ``check:name``)."""
    table = importlib.import_module(f"examples.mutants.{slug(assignment)}").MUTANTS
    out = {}
    for check, value in table.items():
        named = value if isinstance(value, dict) else {None: value}
        for name, edits in named.items():
            out[check if name is None else f"{check}:{name}"] = (check, edits)
    return out


ALTERNATIVES = ROOT / "examples" / "alternatives"


def alternatives(assignment) -> dict:
    """Correct solutions written differently: ``examples/alternatives/<slug>/<name>.py``, whose
    ``# %% <grade_id>`` sections replace those answer cells of the solution."""
    out = {}
    for path in sorted((ALTERNATIVES / slug(assignment)).glob("*.py")):
        sections = re.split(r"^# %% (\S+)[^\n]*\n", path.read_text(encoding="utf-8"), flags=re.M)
        nb = solved(assignment)
        cells = {grade_id(c): c for c in nb.cells if grade_id(c) in answer_ids(nb)}
        for gid, code in zip(sections[1::2], sections[2::2]):
            if gid not in cells:
                raise ValueError(f"{path}: no answer cell {gid!r} in {assignment}")
            cells[gid].source = code.strip("\n") + "\n"
        out[path.stem] = nb
    return out


def edit(nb, edits):
    """Apply ``(grade_id, old, new)`` edits; each ``old`` must be in its cell."""
    nb = copy.deepcopy(nb)
    cells = {grade_id(c): c for c in nb.cells if grade_id(c)}
    for gid, old, new in edits:
        if old not in cells[gid].source:
            raise ValueError(f"{gid}: {old!r} is not in the answer cell")
        cells[gid].source = cells[gid].source.replace(old, new)
    return nb


def with_answers(nb, answers_from, ids):
    cells = {grade_id(c): c for c in answers_from.cells if grade_id(c)}
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if grade_id(cell) in ids:
            cell.source = cells[grade_id(cell)].source
    return nb


def prepend_to_first_answer(nb, code):
    nb = copy.deepcopy(nb)
    first = answer_ids(nb)[0]
    cell = next(c for c in nb.cells if grade_id(c) == first)
    cell.source = code + cell.source
    return nb


def students(assignment) -> dict:
    sol, rel = solved(assignment), released(assignment)
    ids = answer_ids(sol)
    return {
        "alice": sol,
        "bob": with_answers(rel, sol, ids[: (len(ids) + 1) // 2]),
        "carol": rel,
        "dave": prepend_to_first_answer(sol, SYNTAX_ERROR),
        "erin": prepend_to_first_answer(sol, INFINITE_LOOP),
    }


def build(dest, names=None):
    for assignment in names or assignments():
        for student, nb in students(assignment).items():
            path = Path(dest) / student / assignment / f"{assignment}.ipynb"
            path.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, path)


if __name__ == "__main__":
    build(sys.argv[1], sys.argv[2:])
