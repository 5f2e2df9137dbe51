"""The layer test written other ways (early return, issubclass(type(m), ...), the MRO, a tuple
in isinstance), parameters reached through named_parameters(recurse=False), init functions that
walk m.modules() themselves (so net.apply re-initialises layers several times), functions that
return m; the quiz answer built with set()."""

# %% builtin_init_answer
def init_normal(m):
    if not isinstance(m, (nn.Linear,)):
        return m
    for name, p in m.named_parameters(recurse=False):
        if name == "weight":
            nn.init.normal_(p, std=0.01)
        elif name == "bias":
            nn.init.zeros_(p)
    return m


def init_constant(m):
    if not issubclass(type(m), nn.Linear):
        return
    nn.init.ones_(m.weight)
    nn.init.zeros_(m.bias)

# %% per_block_answer
def init_xavier(m):
    for layer in m.modules():
        if isinstance(layer, nn.Linear):
            nn.init.xavier_uniform_(layer.weight)


def init_42(m):
    if nn.Linear in type(m).__mro__:
        nn.init.constant_(m.weight, val=42.0)

# %% my_init_answer
def my_init(m):
    for layer in m.modules():
        if isinstance(layer, nn.Linear):
            with torch.no_grad():
                w = layer.weight
                w.uniform_(-10, 10)
                w.mul_((w.abs() >= 5).float())

# %% edit_first_layer_answer
def edit_first_layer(net):
    first = list(net.children())[0]
    with torch.no_grad():
        first.weight += torch.ones_like(first.weight)
        first.weight[0, 0] = 42

# %% no_grad_quiz_answer
NO_GRAD_FACTS = set("ACDE")

# %% kaiming_answer
def relu_normal(shape):
    w = torch.zeros(shape)
    torch.nn.init.kaiming_normal_(w, a=0, mode="fan_in", nonlinearity="relu")
    return w


def relu_uniform_fan_out(shape):
    w = torch.zeros(shape)
    torch.nn.init.kaiming_uniform_(w, mode="fan_out", nonlinearity="relu")
    return w

# %% orthogonal_trunc_answer
def orthogonal_weight(rows, cols, gain=1.0):
    w = torch.zeros(rows, cols)
    torch.nn.init.orthogonal_(w, gain=gain)
    return w


def truncated_weight(shape, std):
    w = torch.zeros(*shape)
    torch.nn.init.trunc_normal_(w, mean=0, std=std, a=-2 * std, b=2 * std)
    return w

# %% gain_xavier_answer
def leaky_gain(slope):
    gain = torch.nn.init.calculate_gain("leaky_relu", slope)
    return float(gain)


def tanh_xavier(shape):
    w = torch.zeros(shape)
    torch.nn.init.xavier_normal_(w, gain=torch.nn.init.calculate_gain("tanh"))
    return w
