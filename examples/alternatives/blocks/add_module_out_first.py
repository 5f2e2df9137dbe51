"""Declares MLP's `out` before `hidden`; MySequential registers with add_module; NestMLP declares
`linear` before `net`; ParallelBlock registers with add_module; stack_blocks builds the
Sequential in a loop with append."""
# %% mlp
class MLP(nn.Module):
    def __init__(self):
        super(MLP, self).__init__()
        self.out = nn.Linear(256, 10)
        self.hidden = nn.Linear(20, 256)

    def forward(self, X):
        H = F.relu(self.hidden(X))
        return self.out(H)

# %% mysequential
class MySequential(nn.Module):
    def __init__(self, *args):
        super().__init__()
        for i, module in enumerate(args):
            self.add_module(str(i), module)

    def forward(self, X):
        for module in self._modules.values():
            X = module(X)
        return X

# %% nest_mlp_answer
class NestMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(32, 16)
        self.net = nn.Sequential(nn.Linear(20, 64), nn.ReLU(),
                                 nn.Linear(64, 32), nn.ReLU())

    def forward(self, X):
        H = self.net(X)
        return self.linear(H)


chimera = nn.Sequential()
chimera.append(NestMLP())
chimera.append(nn.Linear(16, 20))
chimera.append(FixedHiddenMLP())

# %% parallel_block_answer
class ParallelBlock(nn.Module):
    def __init__(self, net1, net2):
        super().__init__()
        self.add_module("left", net1)
        self.add_module("right", net2)

    def forward(self, X):
        return torch.cat([self.left(X), self.right(X)], 1)

# %% stack_blocks_answer
def stack_blocks(make_block, n):
    net = nn.Sequential()
    for _ in range(n):
        net.append(make_block())
    return net
