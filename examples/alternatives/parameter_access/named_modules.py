"""param_table via named_modules() and each module's own parameters (recurse=False), deduplicated
by identity as named_parameters does; state_shapes via state_dict(keep_vars=True); count via
the table of distinct parameters; the fancy answers build their tables with this param_table."""
# %% state_shapes_answer
def state_shapes(module):
    return {name: tuple(t.shape) for name, t in module.state_dict(keep_vars=True).items()}
# %% param_table_answer
def param_table(net):
    rows, seen = [], set()
    for prefix, module in net.named_modules():
        for name, p in module.named_parameters(recurse=False):
            if id(p) in seen:
                continue
            seen.add(id(p))
            rows.append((f"{prefix}.{name}" if prefix else name, tuple(p.shape)))
    return rows
# %% count_parameters_answer
def count_parameters(net):
    distinct = {id(p): p.numel() for p in net.parameters()}
    return sum(distinct.values())
# %% fancy_mlp_answer
FIXED_PARAMS = param_table(fixed)
NEST_PARAMS = param_table(nest)
NEST_SECOND_BIAS = dict(nest.named_parameters())["net.2.bias"]
