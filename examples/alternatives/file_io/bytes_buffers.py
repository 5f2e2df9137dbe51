"""Serialises into io.BytesIO and writes the bytes with pathlib (Path(path).write_bytes), reads them
back the same way; map_location is a function returning the storage as deserialised;
tensors_identical compares shapes, then the largest absolute difference."""
# %% save_rows_answer
def save_rows(path, data, k):
    buffer = io.BytesIO()
    torch.save(data.narrow(0, 0, k).clone(), buffer)
    Path(path).write_bytes(buffer.getvalue())

# %% params_answer
def save_params(path, net):
    buffer = io.BytesIO()
    torch.save(net.state_dict(), buffer)
    Path(path).write_bytes(buffer.getvalue())


def load_params(path):
    state = torch.load(io.BytesIO(Path(path).read_bytes()), weights_only=True)
    clone = MLP().eval()
    clone.load_state_dict(state)
    return clone

# %% identical_answer
def tensors_identical(a, b):
    return tuple(a.shape) == tuple(b.shape) and (a.numel() == 0 or (a - b).abs().max().item() == 0)

# %% load_on_cpu_answer
def load_on_cpu(path):
    data = Path(path).read_bytes()
    return torch.load(io.BytesIO(data), map_location=lambda storage, location: storage)

# %% checkpoint_answer
def save_checkpoint(path, model, optimizer, epoch):
    buffer = io.BytesIO()
    torch.save([model.state_dict(), optimizer.state_dict(), int(epoch)], buffer)
    Path(path).write_bytes(buffer.getvalue())


def load_checkpoint(path, model, optimizer):
    model_state, optimizer_state, epoch = torch.load(io.BytesIO(Path(path).read_bytes()))
    model.load_state_dict(model_state)
    optimizer.load_state_dict(optimizer_state)
    return epoch

# %% reuse_answer
def reuse_first_two(path, new_net):
    state = torch.load(io.BytesIO(Path(path).read_bytes()))
    renamed = {"features." + name: value for name, value in state.items() if not name.startswith("4.")}
    result = new_net.load_state_dict(renamed, strict=False)
    assert not result.unexpected_keys and all(k.startswith("head.") for k in result.missing_keys), result
    return new_net
