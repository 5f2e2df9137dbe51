"""Explicit loops over state_dict() and named_parameters() instead of comprehensions; shapes via
size(); before is a copy of each gradient; deep_param walks the path with functools.reduce;
count_parameters accumulates in a loop; the fancy answers reuse param_table and deep_param."""
# %% state_shapes_answer
def state_shapes(module):
    shapes = {}
    sd = module.state_dict()
    for key in sd:
        shapes[key] = tuple(sd[key].size())
    return shapes
# %% grad_snapshot_answer
def grad_snapshot(net, X):
    before = {}
    for name, p in net.named_parameters():
        before[name] = None if p.grad is None else p.grad.clone()
    loss = torch.sum(net(X))
    loss.backward()
    after = {}
    for name, p in net.named_parameters():
        after[name] = p.grad.detach().clone()
    return before, after
# %% param_table_answer
def param_table(net):
    table = []
    for name, p in net.named_parameters():
        table.append((name, tuple(p.size())))
    return table
# %% deep_param_answer
import functools


def deep_param(net, path, name):
    block = functools.reduce(lambda m, i: m[i], path, net)
    return getattr(block, name)
# %% count_parameters_answer
def count_parameters(net):
    total = 0
    for p in net.parameters():
        total += p.numel()
    return total
# %% fancy_mlp_answer
FIXED_PARAMS = param_table(fixed)
NEST_PARAMS = param_table(nest)
NEST_SECOND_BIAS = deep_param(nest.net, [2], "bias")
