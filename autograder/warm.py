"""Imported by the fork server of a batch: torch's first calls, made once before any fork.

Many of torch's paths do work on their first call only (``torch.export`` sets up its tracer,
an optimizer's first step, ``torch.load``'s unpickler, the autograd engine, the ``nn.init``
functions), 0.1 to 0.2 s per submission in the heavier notebooks. Made here, every child
inherits them done. Nothing here changes what a submission could observe: the one setting it
changes (one thread) is what every child sets anyway, it writes no file, and it puts the
random generator back where it was (tests/test_warm.py).
"""
import copy
import io

import torch
from torch import nn
from torch.nn import functional as F


def _warm():
    net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
    X, y = torch.randn(3, 4), torch.tensor([0, 1, 1])
    for optimizer in (torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9),
                      torch.optim.Adam(net.parameters(), lr=0.01)):
        optimizer.zero_grad()
        F.cross_entropy(net(X), y).backward()
        optimizer.step()
        optimizer.load_state_dict(copy.deepcopy(optimizer.state_dict()))
    torch.autograd.grad(F.mse_loss(net(X), torch.zeros(3, 2)), list(net.parameters()))
    buffer = io.BytesIO()
    torch.save({"model": net.state_dict(), "epoch": 1}, buffer)
    buffer.seek(0)
    net.load_state_dict(torch.load(buffer, map_location="cpu", weights_only=True)["model"])
    for init in (nn.init.normal_, nn.init.uniform_, nn.init.zeros_, nn.init.ones_, nn.init.xavier_uniform_,
                 nn.init.xavier_normal_, nn.init.kaiming_uniform_, nn.init.kaiming_normal_,
                 nn.init.orthogonal_, nn.init.trunc_normal_):
        init(torch.empty(3, 4))
    nn.LazyLinear(2)(X)
    exported = torch.export.export(net.eval(), (X,))
    buffer = io.BytesIO()
    torch.export.save(exported, buffer)
    buffer.seek(0)
    torch.export.load(buffer).module()(X)


torch.set_num_threads(1)  # as every child runs (sandbox.py); and no thread pool is forked
_state = torch.get_rng_state()
try:
    _warm()
except Exception:  # a later torch that lacks one of these paths: the children do it themselves
    pass
finally:
    torch.set_rng_state(_state)
