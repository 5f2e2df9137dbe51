"""init_after_dry_run initialises with torch.nn.init on named parameters of each Linear module;
two_calls builds a tuple at the end; locate_mismatch uses a while loop over an iterator of
net; MultiWidthMLP uses ModuleDict.update and a sorted loop; lazy_mlp uses a zip of sizes."""
# %% lazy_mlp_answer
def lazy_mlp(*out_sizes):
    layers = [nn.LazyLinear(out_sizes[0])] if out_sizes else []
    for size in out_sizes[1:]:
        layers.extend([nn.ReLU(), nn.LazyLinear(size)])
    return nn.Sequential(*layers)

# %% init_after_dry_run_answer
def init_after_dry_run(net, in_features):
    with torch.no_grad():
        net(torch.zeros(2, in_features))
    for module in net.modules():
        if isinstance(module, nn.Linear):
            for name, param in module.named_parameters():
                if name == "weight":
                    torch.nn.init.normal_(param, mean=0.0, std=0.01)
                else:
                    torch.nn.init.zeros_(param)
    return net

# %% locate_mismatch_answer
def locate_mismatch(net, X):
    layers = list(net)
    i = 0
    while i < len(layers):
        try:
            X = layers[i](X)
        except RuntimeError as err:
            return (i, str(err))
        i += 1
    return None

# %% two_calls_answer
def two_calls(make_net, X1, X2):
    net = make_net()
    net(X1)
    width = int(net[0].in_features)
    err_msg = None
    try:
        net(X2)
    except RuntimeError as err:
        err_msg = str(err)
    return (width, err_msg)

# %% multi_width_answer
class MultiWidthMLP(nn.Module):
    def __init__(self, widths, num_hiddens, num_outputs):
        super().__init__()
        self.stems = nn.ModuleDict()
        self.stems.update({str(w): nn.Linear(w, num_hiddens) for w in sorted(widths)})
        self.body = nn.Linear(num_hiddens, num_outputs)

    def forward(self, X):
        return self.body(F.relu(self.stems[str(X.shape[X.dim() - 1])](X)))
