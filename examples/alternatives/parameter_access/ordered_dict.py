"""block2 built from an OrderedDict in one call (its _modules keys are the names, not 0..3);
rgnet likewise named; torch.Size values (a tuple subclass) in state_shapes; deep_param indexes
through list(_modules.values()); count_parameters via a dict of named parameters."""
# %% state_shapes_answer
def state_shapes(module):
    return {k: v.shape for k, v in module.state_dict().items()}
# %% rgnet_answer
from collections import OrderedDict


def block1():
    return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 4), nn.ReLU())


def block2():
    return nn.Sequential(OrderedDict((f"block {i}", block1()) for i in range(4)))


rgnet = nn.Sequential(OrderedDict([("body", block2()), ("head", nn.Linear(4, 1))]))
# %% deep_param_answer
def deep_param(net, path, name):
    block = net
    for index in path:
        block = list(block._modules.values())[index]
    return getattr(block, name)
# %% count_parameters_answer
def count_parameters(net):
    return sum(p.numel() for p in dict(net.named_parameters()).values())
