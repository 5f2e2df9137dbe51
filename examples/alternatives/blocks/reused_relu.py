"""One nn.ReLU object reused: MLP keeps it as an (extra, parameter-free) attribute, NestMLP puts
the same ReLU object twice in its Sequential; MySequential keeps a Python list of names next to
add_module; ParallelBlock uses torch.concat with dim=-1."""
# %% mlp
class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(20, 256)
        self.act = nn.ReLU()
        self.out = nn.Linear(256, 10)

    def forward(self, X):
        return self.out(self.act(self.hidden(X)))

# %% mysequential
class MySequential(nn.Module):
    def __init__(self, *blocks):
        super().__init__()
        self.order = []
        for idx, block in enumerate(blocks):
            key = "layer_%d" % idx
            self.add_module(key, block)
            self.order.append(key)

    def forward(self, X):
        out = X
        for key in self.order:
            out = self._modules[key](out)
        return out

# %% nest_mlp_answer
class NestMLP(nn.Module):
    def __init__(self):
        super().__init__()
        relu = nn.ReLU()
        self.net = nn.Sequential(nn.Linear(20, 64), relu, nn.Linear(64, 32), relu)
        self.linear = nn.Linear(32, 16)

    def forward(self, X):
        return self.linear(self.net(X))


chimera = nn.Sequential(NestMLP(), nn.Linear(16, 20), FixedHiddenMLP())

# %% parallel_block_answer
class ParallelBlock(nn.Module):
    def __init__(self, net1, net2):
        super().__init__()
        self.branches = nn.ModuleDict({"a": net1, "b": net2})

    def forward(self, X):
        return torch.concat((self.branches["a"](X), self.branches["b"](X)), dim=-1)
