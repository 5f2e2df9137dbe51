"""Writing through .data and fresh tensors: new values assigned to m.weight.data (the Parameter
object stays the same), constants with torch.full_like / ones_like, my_init with torch.where on a
new tensor copied in with copy_; nn.init's defaults relied on (kaiming_normal_ defaults to fan_in,
kaiming_uniform_'s a=0 gives ReLU's gain), keyword param= for calculate_gain, gain given as 5/3."""

# %% builtin_init_answer
def init_normal(m):
    if isinstance(m, nn.Linear):
        m.weight.data = torch.randn(m.out_features, m.in_features) * 0.01
        m.bias.data = torch.zeros(m.out_features)


def init_constant(m):
    if isinstance(m, nn.Linear):
        m.weight.data = torch.ones_like(m.weight)
        m.bias.data = torch.zeros_like(m.bias)

# %% per_block_answer
def init_xavier(m):
    if isinstance(m, nn.Linear):
        nn.init.xavier_uniform_(m.weight.data, gain=1.0)


def init_42(m):
    if isinstance(m, nn.Linear):
        m.weight.data = torch.full_like(m.weight.data, 42.0)

# %% my_init_answer
def my_init(m):
    if isinstance(m, nn.Linear):
        w = torch.empty_like(m.weight).uniform_(-10, 10)
        w = torch.where(w.abs() >= 5, w, torch.zeros_like(w))
        with torch.no_grad():
            m.weight.copy_(w)

# %% edit_first_layer_answer
def edit_first_layer(net):
    layer = net[0]
    with torch.no_grad():
        layer.weight.copy_(layer.weight + 1)
        layer.weight[0, 0] = 42.0
    return None

# %% kaiming_answer
def relu_normal(shape):
    return nn.init.kaiming_normal_(torch.empty(*shape), nonlinearity="relu")


def relu_uniform_fan_out(shape):
    return nn.init.kaiming_uniform_(torch.empty(*shape), a=0, mode="fan_out")

# %% orthogonal_trunc_answer
def orthogonal_weight(rows, cols, gain=1.0):
    return nn.init.orthogonal_(torch.empty((rows, cols)), gain=gain)


def truncated_weight(shape, std):
    return nn.init.trunc_normal_(torch.empty(shape), std=std, a=-2.0 * std, b=2.0 * std)

# %% gain_xavier_answer
def leaky_gain(slope):
    return nn.init.calculate_gain(nonlinearity="leaky_relu", param=slope)


def tanh_xavier(shape):
    return nn.init.xavier_normal_(torch.empty(shape), gain=5 / 3)
