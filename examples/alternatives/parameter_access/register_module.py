"""register_module and a comprehension for block2; torch.clone for the after copies and a
dict(zip()) for before; param_table from zip of names and shapes; count via torch's numel summed
with builtins and int(); deep_param with enumerate over the path."""
# %% state_shapes_answer
def state_shapes(module):
    sd = module.state_dict()
    return dict(zip(sd.keys(), [tuple(t.shape) for t in sd.values()]))
# %% grad_snapshot_answer
def grad_snapshot(net, X):
    names = [n for n, _ in net.named_parameters()]
    params = [p for _, p in net.named_parameters()]
    before = dict(zip(names, [p.grad for p in params]))
    out = net(X)
    out.sum().backward()
    after = dict(zip(names, [torch.clone(p.grad) for p in params]))
    return (before, after)
# %% param_table_answer
def param_table(net):
    named = list(net.named_parameters())
    return list(zip([n for n, _ in named], [tuple(p.shape) for _, p in named]))
# %% rgnet_answer
def block1():
    return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 4), nn.ReLU())


def block2():
    net = nn.Sequential()
    [net.register_module(f"block {i}", block1()) for i in range(4)]
    return net


rgnet = nn.Sequential(block2(), nn.Linear(4, 1))
# %% deep_param_answer
def deep_param(net, path, name):
    current = net
    for depth, index in enumerate(path):
        current = current[index]
    return current.__getattr__(name) if name in current._parameters else getattr(current, name)
# %% count_parameters_answer
def count_parameters(net):
    return int(sum(torch.tensor(p.numel()) for p in net.parameters())) if list(net.parameters()) else 0
