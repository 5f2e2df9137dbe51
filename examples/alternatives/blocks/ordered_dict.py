"""Named Sequentials everywhere: NestMLP's net and chimera are nn.Sequential(OrderedDict(...)),
stack_blocks names its blocks; MySequential fills self._modules from an OrderedDict."""
# %% mysequential
from collections import OrderedDict


class MySequential(nn.Module):
    def __init__(self, *blocks):
        super().__init__()
        self._modules.update(OrderedDict((str(i), b) for i, b in enumerate(blocks)))

    def forward(self, X):
        for block in self._modules.values():
            X = block(X)
        return X

# %% nest_mlp_answer
from collections import OrderedDict


class NestMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(OrderedDict([
            ("fc1", nn.Linear(20, 64)), ("act1", nn.ReLU()),
            ("fc2", nn.Linear(64, 32)), ("act2", nn.ReLU()),
        ]))
        self.linear = nn.Linear(32, 16)

    def forward(self, X):
        return self.linear(self.net(X))


chimera = nn.Sequential(OrderedDict(nest=NestMLP(), proj=nn.Linear(16, 20), fixed=FixedHiddenMLP()))

# %% stack_blocks_answer
from collections import OrderedDict


def stack_blocks(make_block, n):
    return nn.Sequential(OrderedDict((f"block_{i}", make_block()) for i in range(n)))
