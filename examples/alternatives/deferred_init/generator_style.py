"""lazy_mlp builds its layers with itertools.zip_longest; init_status maps over the
parameters; init_after_dry_run dry-runs with torch.empty(...).uniform_() and initialises with
trunc_normal_ whose bounds (±1, a hundred standard deviations) leave the normal law as it is;
locate_mismatch keeps the running output in another name and returns the error's first arg."""
# %% lazy_mlp_answer
import itertools


def lazy_mlp(*out_sizes):
    linears = [nn.LazyLinear(n) for n in out_sizes]
    relus = [nn.ReLU() for _ in out_sizes[1:]]
    layers = [m for pair in itertools.zip_longest(linears, relus) for m in pair if m is not None]
    return nn.Sequential(*layers)

# %% init_status_answer
def init_status(net):
    return list(map(lambda p: not isinstance(p, nn.parameter.UninitializedParameter), net.parameters()))

# %% init_after_dry_run_answer
def init_after_dry_run(net, in_features):
    with torch.no_grad():
        _ = net(torch.empty(2, in_features).uniform_())
    for m in net.modules():
        if isinstance(m, nn.Linear):
            nn.init.trunc_normal_(m.weight, mean=0.0, std=0.01, a=-1.0, b=1.0)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
    return net

# %% locate_mismatch_answer
def locate_mismatch(net, X):
    H = X
    for position, layer in enumerate(net):
        try:
            H = layer(H)
        except RuntimeError as exc:
            return position, exc.args[0] if exc.args else str(exc)
    return None
