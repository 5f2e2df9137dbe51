"""Keeps blocks in nn.ModuleList (MySequential, ParallelBlock), folds over them with
functools.reduce, uses torch.relu and torch.matmul, and builds stack_blocks from a ModuleList."""
# %% mlp
class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(20, 256)
        self.out = nn.Linear(256, 10)

    def forward(self, x):
        return self.out(torch.relu(self.hidden(x)))

# %% mysequential
import functools


class MySequential(nn.Module):
    def __init__(self, *blocks):
        super().__init__()
        self.blocks = nn.ModuleList(blocks)

    def forward(self, X):
        return functools.reduce(lambda h, block: block(h), self.blocks, X)

# %% fixed_hidden_mlp
class FixedHiddenMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(20, 20)
        self.register_buffer("rand_weight", torch.rand((20, 20)), persistent=True)

    def forward(self, X):
        X = self.linear(X)
        X = torch.relu(torch.matmul(X, self.rand_weight) + 1)
        X = self.linear(X)
        while X.abs().sum() > 1:
            X = X / 2
        return X.sum()

# %% parallel_block_answer
class ParallelBlock(nn.Module):
    def __init__(self, net1, net2):
        super().__init__()
        self.nets = nn.ModuleList([net1, net2])

    def forward(self, X):
        return torch.cat([net(X) for net in self.nets], dim=1)

# %% stack_blocks_answer
def stack_blocks(make_block, n):
    blocks = nn.ModuleList()
    for i in range(n):
        blocks.append(make_block())
    return nn.Sequential(*blocks)
