"""The server that every submission's process is forked from.

It imports, once, what each child would otherwise import on its own: torch, the optimizers'
compiler hooks (seconds, at the first optimizer), the libraries the course uses, IPython's
cell transformer and the sandbox. Nothing here imports torch, so the grader can start the
server first and do its own imports while the server does its.
"""
import multiprocessing
import os

PRELOAD = ["torch", "torch._dynamo", "sklearn.datasets", "matplotlib.pyplot",
           "IPython.core.inputtransformer2", "autograder.sandbox"]


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
