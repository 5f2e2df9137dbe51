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
            if label.startswith("ast:"):  # the automatic mutants: test_mutants judges them, on the CPU
                continue
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


def _raises(make, op):
    a, b = make()
    try:
        op(a, b)
    except RuntimeError:
        return True
    return False


# (a, b) factories on device d: where CUDA raises for a mixed-device op, the virtual GPUs must too.
PAIRS = {
    "cpu (3,) + gpu (3,)": lambda d: (torch.ones(3), torch.ones(3, device=d)),
    "cpu () + gpu (3,)": lambda d: (torch.tensor(2.0), torch.ones(3, device=d)),
    "gpu (3,) + cpu ()": lambda d: (torch.ones(3, device=d), torch.tensor(2.0)),
    "gpu () + cpu (2,)": lambda d: (torch.tensor(1.0, device=d), torch.ones(2)),
    "gpu () + cpu ()": lambda d: (torch.tensor(1.0, device=d), torch.tensor(2.0)),
    "cpu (1,) + gpu (3,)": lambda d: (torch.ones(1), torch.ones(3, device=d)),
    "gpu (2,) + gpu (2,)": lambda d: (torch.ones(2, device=d), torch.ones(2, device=d)),
    "bool gpu - bool gpu": lambda d: (torch.ones(2, dtype=torch.bool, device=d), torch.ones(2, dtype=torch.bool, device=d)),
}
OPS = {"+": lambda a, b: a + b, "-": lambda a, b: a - b,
       "stack": lambda a, b: torch.stack([a.reshape(-1)[:1], b.reshape(-1)[:1]])}


def test_virtual_gpus_follow_cuda_rules():
    """The checks of 08_gpu judge device placement on virtual GPUs; they are right on a CUDA
    runner only if a virtual GPU raises, copies and returns itself exactly where CUDA does."""
    from autograder.virtual_gpu import VirtualGPU

    real, virtual = {}, {}
    for name, make in PAIRS.items():
        for op_name, op in OPS.items():
            real[name, op_name] = _raises(lambda: make("cuda:0"), op)
            with VirtualGPU():
                virtual[name, op_name] = _raises(lambda: make("cuda:0"), op)
    assert virtual == real
    x = torch.ones(2)
    g = x.to("cuda:0")
    with VirtualGPU():
        v = x.to("cuda:0")
        assert (v.to("cuda:0") is v, v.cuda(0) is v, v.cuda() is v, x.to("cpu") is x, x.cpu() is x) == \
            (g.to("cuda:0") is g, g.cuda(0) is g, g.cuda() is g, x.to("cpu") is x, x.cpu() is x)
        assert str(v.device) == str(g.device) and v.get_device() == g.get_device() and v.is_cuda == g.is_cuda
    net = torch.nn.Linear(3, 2).to("cuda:0")
    with pytest.raises(RuntimeError):
        net(torch.ones(2, 3))
    with VirtualGPU():
        vnet = torch.nn.Linear(3, 2).to("cuda:0")
        with pytest.raises(RuntimeError):
            vnet(torch.ones(2, 3))
