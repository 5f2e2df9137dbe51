"""The server that every submission's process is forked from.

It imports, once, what each child would otherwise import on its own: torch, the optimizers'
compiler hooks (seconds, at the first optimizer), what the first ``torch.export`` imports
(0.3 s, in 07), the libraries the course uses, IPython's shell (for cells in its syntax) and
the sandbox. A module that a later torch no longer has is skipped: the server ignores an
ImportError. Nothing here imports torch, so the grader can start the server first and do its
own imports meanwhile.
"""
import multiprocessing
import os

PRELOAD = ["torch", "torch._dynamo",
           "torch.export._trace", "torch._functorch.partitioners", "torch._export.serde.serialize",
           "torch._inductor.ir",
           "sklearn.datasets", "matplotlib.pyplot", "IPython.core.interactiveshell", "autograder.sandbox"]


def context():
    os.environ.setdefault("MPLBACKEND", "Agg")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx


def start():
    """Start the server now (it starts on first use otherwise) and return its context."""
    ctx = context()
    from multiprocessing import forkserver
    forkserver.ensure_running()
    return ctx
