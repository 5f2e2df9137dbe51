"""stack_blocks deep-copies one block made by the factory (independent parameters); MySequential
keeps an index-keyed ModuleDict; FixedHiddenMLP builds the buffer first and writes
relu with F.relu on torch.mm; the list answer is written as a set of letters from a string."""
# %% mysequential
class MySequential(nn.Module):
    def __init__(self, *blocks):
        super().__init__()
        self.layers = nn.ModuleDict()
        for i, b in enumerate(blocks):
            self.layers[str(i)] = b

    def forward(self, X):
        for i in range(len(self.layers)):
            X = self.layers[str(i)](X)
        return X

# %% list_breaks_answer
LIST_BREAKS = set("ABC")

# %% fixed_hidden_mlp
class FixedHiddenMLP(nn.Module):
    def __init__(self):
        super().__init__()
        rand_weight = torch.rand(20, 20)
        self.register_buffer("rand_weight", rand_weight)
        self.linear = nn.Linear(20, 20)

    def forward(self, X):
        X = self.linear(X)
        X = F.relu(torch.mm(X, self.rand_weight) + 1)
        X = self.linear(X)
        while X.abs().sum() > 1:
            X /= 2
        return X.sum()

# %% stack_blocks_answer
import copy


def stack_blocks(make_block, n):
    block = make_block()
    return nn.Sequential(block, *[copy.deepcopy(block) for _ in range(n - 1)])
