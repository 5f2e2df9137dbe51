"""lazy_mlp interleaves layers and drops the trailing ReLU; init_status uses nn.parameter.is_lazy;
the dry run uses random data without no_grad and the init writes .data by hand; locate_mismatch
indexes net[i]; two_calls reads the weight's shape; MultiWidthMLP has lazy stems."""
# %% lazy_mlp_answer
def lazy_mlp(*out_sizes):
    layers = []
    for size in out_sizes:
        layers += [nn.LazyLinear(size), nn.ReLU()]
    return nn.Sequential(*layers[:-1])

# %% init_status_answer
def init_status(net):
    return [not nn.parameter.is_lazy(p) for p in net.parameters()]

# %% init_after_dry_run_answer
def init_after_dry_run(net, in_features):
    net(torch.rand(2, in_features))
    for m in net.modules():
        if isinstance(m, nn.Linear):
            m.weight.data = torch.randn_like(m.weight) * 0.01
            m.bias.data = torch.zeros_like(m.bias)
    return net

# %% locate_mismatch_answer
def locate_mismatch(net, X):
    for i in range(len(net)):
        try:
            X = net[i](X)
        except RuntimeError as e:
            return (i, str(e))

# %% two_calls_answer
def two_calls(make_net, X1, X2):
    net = make_net()
    net(X1)
    in_features = net[0].weight.shape[1]
    message = None
    try:
        net(X2)
    except RuntimeError as e:
        message = str(e)
    return in_features, message

# %% multi_width_answer
class MultiWidthMLP(nn.Module):
    def __init__(self, widths, num_hiddens, num_outputs):
        super().__init__()
        self.stems = nn.ModuleDict()
        for w in widths:
            self.stems[str(w)] = nn.LazyLinear(num_hiddens)
        self.body = nn.Linear(num_hiddens, num_outputs)

    def forward(self, X):
        return self.body(torch.relu(self.stems[str(X.size(-1))](X)))
