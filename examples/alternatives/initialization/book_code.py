"""The book's own code (d2l-zh 5.2.2) with the notebook's one change, isinstance instead of
type(m) == nn.Linear: mean=0 as an int, my_init printing what it initialises and editing through
.data, edit_first_layer through .data as the book does; the nn.init tour as in the book's
exercise answers (positional mode/nonlinearity, calculate_gain with a positional slope)."""

# %% builtin_init_answer
def init_normal(m):
    if isinstance(m, nn.Linear):
        nn.init.normal_(m.weight, mean=0, std=0.01)
        nn.init.zeros_(m.bias)


def init_constant(m):
    if isinstance(m, nn.Linear):
        nn.init.constant_(m.weight, 1)
        nn.init.zeros_(m.bias)

# %% per_block_answer
def init_xavier(m):
    if isinstance(m, nn.Linear):
        nn.init.xavier_uniform_(m.weight)


def init_42(m):
    if isinstance(m, nn.Linear):
        nn.init.constant_(m.weight, 42)

# %% my_init_answer
def my_init(m):
    if isinstance(m, nn.Linear):
        print("Init", *[(name, param.shape)
                        for name, param in m.named_parameters()][0])
        nn.init.uniform_(m.weight, -10, 10)
        m.weight.data *= m.weight.data.abs() >= 5

# %% edit_first_layer_answer
def edit_first_layer(net):
    net[0].weight.data[:] += 1
    net[0].weight.data[0, 0] = 42

# %% kaiming_answer
def relu_normal(shape):
    w = torch.empty(shape)
    nn.init.kaiming_normal_(w, mode='fan_in', nonlinearity='relu')
    return w


def relu_uniform_fan_out(shape):
    w = torch.empty(shape)
    nn.init.kaiming_uniform_(w, mode='fan_out', nonlinearity='relu')
    return w

# %% orthogonal_trunc_answer
def orthogonal_weight(rows, cols, gain=1.0):
    w = torch.empty(rows, cols)
    nn.init.orthogonal_(w, gain)
    return w


def truncated_weight(shape, std):
    w = torch.empty(shape)
    nn.init.trunc_normal_(w, 0., std, -2 * std, 2 * std)
    return w

# %% gain_xavier_answer
def leaky_gain(slope):
    return nn.init.calculate_gain('leaky_relu', slope)


def tanh_xavier(shape):
    w = torch.empty(shape)
    nn.init.xavier_normal_(w, nn.init.calculate_gain('tanh'))
    return w
