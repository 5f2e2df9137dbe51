"""Find submitted notebooks, read them, and lay out what grading one runs, in nbgrader's order.

nbgrader runs the submitted notebook top to bottom with every test cell replaced by the
instructor's version, and puts deleted test cells back after the cell that preceded them in
the source (``add_missing_cells``). ``steps`` yields the same sequence: the student's code
cells, and a check wherever a test cell stands.
"""
import json
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "source"


class BadNotebook(Exception):
    """The file cannot be read as a notebook; the message says why, in words for a student."""


@dataclass(frozen=True)
class Step:
    kind: str        # "code" or "check"
    text: str        # the code, or the check's name
    label: str       # where it came from, for messages
    visible: str = ""  # a check's visible assertions: the source test cell above its hidden part


def assignments() -> list[str]:
    """Every assignment in the course, discovered from source/NN_slug/NN_slug.ipynb."""
    return sorted(p.parent.name for p in SOURCE.glob("*/*.ipynb") if p.stem == p.parent.name)


@dataclass
class Submission:
    student: str
    assignment: str
    path: Path


def discover(paths) -> list[Submission]:
    """Notebooks named on the command line, or found in folders laid out as nbgrader's
    ``submitted/<student>/<assignment>/<notebook>.ipynb``."""
    known = set(assignments())
    found = []
    for path in map(Path, paths):
        files = [path] if path.is_file() else sorted(
            p for p in path.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
        for file in files:
            if file.parent.name in known:
                found.append(Submission(file.parent.parent.name, file.parent.name, file))
            else:
                assignment = next((a for a in sorted(known) if a in file.name), file.stem)
                found.append(Submission(file.stem, assignment, file))
    return found


def source_path(assignment: str) -> Path:
    return SOURCE / assignment / f"{assignment}.ipynb"


def read(path) -> dict:
    """A notebook as nbformat 4 JSON. Version 4 is taken as it is: importing nbformat costs
    over a second (its schema validator), in the grader and in the fork server alike, and
    grading needs only the cells. Older versions go through nbformat's converter."""
    try:
        with open(path, encoding="utf-8") as file:
            nb = json.load(file)
    except ValueError:  # not JSON, or not UTF-8
        raise BadNotebook("文件不是有效的 Jupyter 笔记本（无法按 JSON 解析）。") from None
    except OSError as error:
        raise BadNotebook(f"无法读取笔记本：{type(error).__name__}：{error}"[:300]) from None
    if isinstance(nb, dict) and nb.get("nbformat") != 4:
        import nbformat
        try:
            nb = nbformat.convert(nbformat.from_dict(nb), 4)
        except Exception as error:
            raise BadNotebook(f"无法读取笔记本：{type(error).__name__}：{error}"[:300]) from None
    if not (isinstance(nb, dict) and isinstance(nb.get("cells"), list)
            and all(isinstance(cell, dict) for cell in nb["cells"])):
        raise BadNotebook("文件是 JSON，但不是 Jupyter 笔记本（没有单元格列表）。")
    return nb


def text(cell) -> str:
    """A cell's source, which the file may hold as one string or as a list of lines."""
    source = cell.get("source", "")
    return "".join(map(str, source)) if isinstance(source, list) else str(source)


def _nbgrader(cell) -> dict:
    meta = cell.get("metadata")
    meta = meta.get("nbgrader") if isinstance(meta, dict) else None
    return meta if isinstance(meta, dict) else {}


def grade_id(cell):
    return _nbgrader(cell).get("grade_id")


def is_test(cell) -> bool:
    meta = _nbgrader(cell)
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


HIDDEN = "### BEGIN HIDDEN TESTS"


def visible_part(cell) -> str:
    """What a student sees of a test cell: the code above its hidden part, a few ``assert``
    lines that the hidden check implies (empty when there are only comments)."""
    code = text(cell).split(HIDDEN, 1)[0].strip()
    return code if any(line.strip() and not line.lstrip().startswith("#") for line in code.splitlines()) else ""


def check_ids(source) -> list[str]:
    """The grade_ids of the source's test cells: each is the name of a check."""
    return [grade_id(c) for c in source["cells"] if is_test(c)]


def steps(source, submitted) -> list[Step]:
    visible = {grade_id(c): visible_part(c) for c in source["cells"] if is_test(c)}
    tests = set(visible)
    order = []  # (grade_id or None, Step or None), in the submitted notebook's order
    for number, cell in enumerate(submitted["cells"], 1):
        gid = grade_id(cell)
        if gid in tests:
            if not any(g == gid for g, _ in order):  # a duplicated test cell is graded once
                order.append((gid, Step("check", gid, gid, visible[gid])))
        elif cell.get("cell_type") == "code":
            order.append((gid, Step("code", text(cell), f"<单元格 {number}>")))
        elif gid:
            order.append((gid, None))
    # Put deleted test cells back after the cell that precedes them in the source, as nbgrader does.
    present = {g for g, _ in order}
    ids = [grade_id(c) for c in source["cells"] if grade_id(c)]
    for i, gid in enumerate(ids):
        if gid in tests and gid not in present:
            before = ids[i - 1] if i else None
            at = next((k + 1 for k, (g, _) in enumerate(order) if g == before and g),
                      len(order) if before else 0)
            order.insert(at, (gid, Step("check", gid, gid, visible[gid])))
            present.add(gid)
    return [step for _, step in order if step]
