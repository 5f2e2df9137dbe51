"""On a CUDA runner: every assignment gets the same verdicts with ``--device cuda`` as with
``--device cpu``, check by check, for the solution, the release and every wrong answer.

Skipped where no CUDA device works (CI has none); run it where one does.
"""
import json
import subprocess
import sys

import nbformat
import pytest
import torch

from autograder.notebook import ROOT, assignments
from conftest import variants

pytestmark = [pytest.mark.cuda,
              pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device here")]


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cuda")
    for assignment in assignments():
        for label, nb in variants(assignment).items():
            nbformat.write(nb, folder / f"{label.replace(':', '-')}-{assignment}.ipynb")
    out = {}
    for device in ("cpu", "cuda"):
        subprocess.run([sys.executable, "-m", "autograder", "grade", str(folder), "--device", device,
                        "--json", str(folder / f"{device}.json")], cwd=ROOT, check=True, capture_output=True)
        results = json.loads((folder / f"{device}.json").read_text())
        out[device] = {(r["assignment"], r["student"]): {t["check"]: t["score"] for t in r["tests"]}
                       for r in results}
    return out


@pytest.mark.parametrize("assignment", assignments())
def test_same_verdicts_on_cpu_and_cuda(verdicts, assignment):
    cpu = {k: v for k, v in verdicts["cpu"].items() if k[0] == assignment}
    cuda = {k: v for k, v in verdicts["cuda"].items() if k[0] == assignment}
    assert cpu and cuda == cpu
    solution = next(v for (a, s), v in cuda.items() if s.startswith("solution"))
    assert all(solution.values()), solution
