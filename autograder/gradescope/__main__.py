"""``python -m autograder.gradescope ZIP``: the autograder zip Gradescope asks for.

At the zip's root: setup.sh and run_autograder (Gradescope's names), and the course files
the grader needs: autograder/, source/, nbgrader_config.py, pyproject.toml.
"""
import sys
import zipfile
from pathlib import Path

from autograder.notebook import ROOT

HERE = Path(__file__).resolve().parent


def build(zip_path) -> None:
    course = [p for top in ("autograder", "source") for p in sorted((ROOT / top).rglob("*"))
              if p.is_file() and "__pycache__" not in p.parts and ".ipynb_checkpoints" not in p.parts]
    course += [ROOT / "nbgrader_config.py", ROOT / "pyproject.toml"]
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as z:
        for name in ("setup.sh", "run_autograder"):
            info = zipfile.ZipInfo(name)
            info.external_attr = 0o755 << 16  # executable, as Gradescope expects
            z.writestr(info, (HERE / name).read_text())
        for path in course:
            z.write(path, path.relative_to(ROOT))


if __name__ == "__main__":
    Path(sys.argv[1]).parent.mkdir(parents=True, exist_ok=True)
    build(sys.argv[1])
    print(sys.argv[1])
