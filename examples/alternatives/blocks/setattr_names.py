"""MySequential stores blocks with setattr under names it remembers, and calls them by name;
FixedHiddenMLP halves in place with div_ and uses clamp(min=0) for ReLU; ParallelBlock uses
torch.hstack."""
# %% mysequential
class MySequential(nn.Module):
    def __init__(self, *blocks):
        super().__init__()
        self.names = []
        for i, block in enumerate(blocks):
            name = f"block{i}"
            setattr(self, name, block)
            self.names.append(name)

    def forward(self, X):
        for name in self.names:
            X = getattr(self, name)(X)
        return X

# %% fixed_hidden_mlp
class FixedHiddenMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(20, 20)
        self.register_buffer('rand_weight', torch.rand(20, 20))

    def forward(self, X):
        X = self.linear(X)
        X = (X @ self.rand_weight + 1).clamp(min=0)
        X = self.linear(X)
        while X.abs().sum() > 1:
            X.div_(2)
        return X.sum()

# %% parallel_block_answer
class ParallelBlock(nn.Module):
    def __init__(self, net1, net2):
        super().__init__()
        self.net1, self.net2 = net1, net2

    def forward(self, X):
        return torch.hstack((self.net1(X), self.net2(X)))

# %% stack_blocks_answer
def stack_blocks(make_block, n):
    net = nn.Sequential()
    for i in range(n):
        net.add_module(f"block{i}", make_block())
    return net
