"""The server that every submission's process is forked from.

For a batch, it imports once what each child would otherwise import on its own: torch, the
optimizers' compiler hooks (1.2 s, at the first optimizer step), what the first
``torch.export`` imports (0.3 s, in 07), the libraries the course uses, IPython's shell (for
cells in its syntax) and the sandbox; then it makes torch's first calls (warm.py), so that no
child pays for them. A module that a later torch no longer has is skipped: the server ignores
an ImportError. A single submission gains nothing from imports made ahead of it, so the server
then imports only the sandbox (and torch with it), and the child the rest of what its notebook
uses. Nothing here imports torch, so the grader can start the server first and do its own
imports meanwhile.
"""
import multiprocessing
import os

# Submissions graded at once: one more than cores, so that while one waits on the judge (in
# the grader's process, under one lock) or on a fork, its core runs another (with as many as
# cores, about 10 % of a 2-core machine stayed idle).
JOBS = (os.cpu_count() or 1) + 1
LEAN = ["autograder.sandbox"]
PRELOAD = ["torch", "torch._dynamo",
           "torch.export._trace", "torch._functorch.partitioners", "torch._export.serde.serialize",
           "torch._inductor.ir",
           "sklearn.datasets", "matplotlib.pyplot", "IPython.core.interactiveshell"] + LEAN + ["autograder.warm"]


def context(preload=PRELOAD):
    os.environ.setdefault("MPLBACKEND", "Agg")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(preload)
    return ctx


def start(submissions: int):
    """Start the server now (it starts on first use otherwise) and return its context."""
    ctx = context(PRELOAD if submissions > 1 else LEAN)
    from multiprocessing import forkserver
    forkserver.ensure_running()
    return ctx
