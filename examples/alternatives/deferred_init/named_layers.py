"""lazy_mlp builds a named Sequential with add_module and one reused ReLU object; init_status
checks the class against UninitializedParameter; init_after_dry_run uses net.apply with
type(m) is nn.Linear; locate_mismatch walks named children by position with a manual counter."""
# %% lazy_mlp_answer
def lazy_mlp(*out_sizes):
    net = nn.Sequential()
    act = nn.ReLU()
    for i, n in enumerate(out_sizes):
        if i:
            net.add_module(f"relu{i}", act)
        net.add_module(f"linear{i}", nn.LazyLinear(n))
    return net

# %% init_status_answer
def init_status(net):
    status = []
    for p in net.parameters():
        status.append(type(p) is not nn.parameter.UninitializedParameter)
    return status

# %% init_after_dry_run_answer
def init_after_dry_run(net, in_features):
    dummy = torch.randn(2, in_features)
    with torch.no_grad():
        net(dummy)

    def init(m):
        if type(m) is nn.Linear:
            nn.init.normal_(m.weight, std=0.01)
            nn.init.constant_(m.bias, 0.0)

    return net.apply(init)

# %% locate_mismatch_answer
def locate_mismatch(net, X):
    index = 0
    for layer in net:
        try:
            X = layer(X)
        except RuntimeError as error:
            return index, f"{error}"
        index += 1
    return None
