"""block2 registers its blocks with setattr (a name with a space is fine for Module.__setattr__)
and a while loop; block1 built from a list with one ReLU object used at both places (children()
would list it once); rgnet assembled with add_module; grad_snapshot uses
copy.deepcopy for the after copies; deep_param pops the path from a copy."""
# %% grad_snapshot_answer
import copy


def grad_snapshot(net, X):
    params = dict(net.named_parameters())
    before = {name: params[name].grad for name in params}
    net(X).sum().backward()
    after = {name: copy.deepcopy(p.grad) for name, p in params.items()}
    return before, after
# %% rgnet_answer
def block1():
    act = nn.ReLU()
    layers = [nn.Linear(4, 8), act, nn.Linear(8, 4), act]
    return nn.Sequential(*layers)


def block2():
    net = nn.Sequential()
    i = 0
    while i < 4:
        setattr(net, "block " + str(i), block1())
        i += 1
    return net


rgnet = nn.Sequential()
rgnet.add_module("0", block2())
rgnet.add_module("1", nn.Linear(4, 1))
# %% deep_param_answer
def deep_param(net, path, name):
    rest = list(path)
    while rest:
        net = net[rest.pop(0)]
    return getattr(net, name)
# %% count_parameters_answer
def count_parameters(net):
    return int(sum(p.numel() for p in net.parameters()))
