"""Written close to the book: explicit loops everywhere, dry run with torch.ones under no_grad,
the init in a no_grad block calling normal_ and zero_ directly; two_calls keeps the first layer
in a variable; MultiWidthMLP declares body before the stems and picks the stem with a dict lookup."""
# %% lazy_mlp_answer
def lazy_mlp(*out_sizes):
    net = nn.Sequential()
    for i in range(len(out_sizes)):
        net.append(nn.LazyLinear(out_sizes[i]))
        if i != len(out_sizes) - 1:
            net.append(nn.ReLU())
    return net

# %% init_status_answer
def init_status(net):
    return [not isinstance(p, nn.parameter.UninitializedTensorMixin) for p in net.parameters()]

# %% init_after_dry_run_answer
def init_after_dry_run(net, in_features):
    with torch.no_grad():
        net(torch.ones((2, in_features)))
        for m in net.modules():
            if isinstance(m, nn.Linear):
                m.weight.normal_(0, 0.01)
                m.bias.zero_()
    return net

# %% two_calls_answer
def two_calls(make_net, X1, X2):
    net = make_net()
    first = net[0]
    net(X1)
    in_features = first.in_features
    try:
        net(X2)
        return (in_features, None)
    except RuntimeError as err:
        return (in_features, str(err))

# %% multi_width_answer
class MultiWidthMLP(nn.Module):
    def __init__(self, widths, num_hiddens, num_outputs):
        super().__init__()
        self.body = nn.Linear(num_hiddens, num_outputs)
        self.stems = nn.ModuleDict({f"{w}": nn.Linear(w, num_hiddens) for w in widths})

    def forward(self, X):
        key = str(X.shape[-1])
        hidden = F.relu(self.stems[key](X))
        return self.body(hidden)
