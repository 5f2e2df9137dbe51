"""lazy_mlp returns nn.Sequential(OrderedDict(...)) with named layers; init_status compares
the parameter's class name; init_after_dry_run runs the dry run in eval mode and restores
training mode, then initialises through state_dict-free loops with torch.no_grad; MultiWidthMLP
uses F.relu through a named helper."""
# %% lazy_mlp_answer
from collections import OrderedDict


def lazy_mlp(*out_sizes):
    items = []
    for i, size in enumerate(out_sizes):
        if i > 0:
            items.append((f"act{i}", nn.ReLU()))
        items.append((f"fc{i}", nn.LazyLinear(size)))
    return nn.Sequential(OrderedDict(items))

# %% init_status_answer
def init_status(net):
    return [type(p).__name__ != "UninitializedParameter" for p in net.parameters()]

# %% init_after_dry_run_answer
def init_after_dry_run(net, in_features):
    was_training = net.training
    net.eval()
    with torch.no_grad():
        net(torch.randn(2, in_features))
    net.train(was_training)
    with torch.no_grad():
        for layer in net.modules():
            if isinstance(layer, nn.Linear):
                layer.weight.copy_(torch.randn(layer.weight.shape) * 0.01)
                layer.bias.fill_(0)
    return net

# %% multi_width_answer
class MultiWidthMLP(nn.Module):
    def __init__(self, widths, num_hiddens, num_outputs):
        super().__init__()
        self.stems = nn.ModuleDict({str(width): nn.Linear(width, num_hiddens) for width in widths})
        self.body = nn.Linear(num_hiddens, num_outputs)

    def stem(self, X):
        return self.stems[str(X.shape[-1])](X)

    def forward(self, X):
        return self.body(F.relu(self.stem(X)))
