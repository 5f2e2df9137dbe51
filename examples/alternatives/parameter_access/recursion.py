"""Hand-written recursion instead of named_parameters(): a pre-order walk over _modules with a
memo of modules and parameters already seen (what named_parameters does); deep_param is
recursive too; count_parameters uses math.prod of the shapes over distinct parameter ids."""
# %% state_shapes_answer
def state_shapes(module):
    return dict((key, tuple(int(n) for n in value.shape)) for key, value in module.state_dict().items())
# %% param_table_answer
def param_table(net):
    rows, seen_params, seen_modules = [], set(), set()

    def walk(module, prefix):
        if id(module) in seen_modules:
            return
        seen_modules.add(id(module))
        for name, p in module._parameters.items():
            if p is not None and id(p) not in seen_params:
                seen_params.add(id(p))
                rows.append((prefix + name, tuple(p.shape)))
        for name, child in module._modules.items():
            if child is not None:
                walk(child, prefix + name + ".")

    walk(net, "")
    return rows
# %% deep_param_answer
def deep_param(net, path, name):
    if not path:
        return getattr(net, name)
    return deep_param(net[path[0]], path[1:], name)
# %% count_parameters_answer
import math


def count_parameters(net):
    unique = {id(p): p for p in net.parameters()}
    return sum(math.prod(p.shape) for p in unique.values())
# %% fancy_mlp_answer
FIXED_PARAMS = [(n, tuple(p.shape)) for n, p in fixed.named_parameters()]
NEST_PARAMS = list(map(lambda item: (item[0], tuple(item[1].shape)), nest.named_parameters()))
NEST_SECOND_BIAS = nest.get_parameter("net.2.bias")
