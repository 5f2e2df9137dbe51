"""Parameters copied one by one (named_parameters and .data), new nn.Parameter objects for the two
reused layers, map_location a function that moves each storage with .cpu(), checkpoint loaded
with the optimizer first, and tensors_identical with eq() on the flattened values after a shape
check."""
# %% save_rows_answer
def save_rows(path, data, k):
    part = data[:k]
    torch.save(part.clone(memory_format=torch.contiguous_format), path)

# %% params_answer
def save_params(path, net):
    state = net.state_dict()
    torch.save(state, path)


def load_params(path):
    saved = torch.load(path, weights_only=True)
    clone = MLP()
    for name, param in clone.named_parameters():
        param.data.copy_(saved[name])
    return clone.eval()

# %% identical_answer
def tensors_identical(a, b):
    if list(a.shape) != list(b.shape):
        return False
    return bool(a.flatten().eq(b.flatten()).all())

# %% load_on_cpu_answer
def load_on_cpu(path):
    return torch.load(path, map_location=lambda storage, location: storage.cpu(), weights_only=True)

# %% checkpoint_answer
def save_checkpoint(path, model, optimizer, epoch):
    torch.save({"epoch": epoch, "optimizer": optimizer.state_dict(), "model": model.state_dict()}, path)


def load_checkpoint(path, model, optimizer):
    state = torch.load(path)
    optimizer.load_state_dict(state["optimizer"])
    model.load_state_dict(state["model"])
    return state["epoch"]

# %% reuse_answer
def reuse_first_two(path, new_net):
    state = torch.load(path)
    for index in (0, 2):
        layer = new_net.features[index]
        layer.weight = nn.Parameter(state[f"{index}.weight"].clone())
        layer.bias = nn.Parameter(state[f"{index}.bias"].clone())
    return new_net
