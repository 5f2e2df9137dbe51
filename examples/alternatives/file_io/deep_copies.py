"""State dicts copied before saving (a dict comprehension of clones, copy.deepcopy for the optimizer),
map_location="cpu" with weights_only left to its default, the epoch saved as int(epoch);
the copy of the two layers done by hand under torch.no_grad(); the answer sets written as set("ABC")."""
# %% save_rows_answer
def save_rows(path, data, k):
    rows = torch.empty((k,) + tuple(data.shape[1:]), dtype=data.dtype)
    rows.copy_(data[:k])
    torch.save(rows, path)

# %% params_answer
import copy


def save_params(path, net):
    torch.save({name: tensor.detach().clone() for name, tensor in net.state_dict().items()}, str(path))


def load_params(path):
    net = MLP()
    net.load_state_dict(torch.load(path, weights_only=True), strict=True)
    net.train(False)
    return net

# %% identical_answer
def tensors_identical(a, b):
    same = a.shape == b.shape and torch.equal(a, b)
    return True if same else False

# %% load_on_cpu_answer
def load_on_cpu(path):
    return torch.load(path, map_location="cpu")

# %% checkpoint_answer
def save_checkpoint(path, model, optimizer, epoch):
    torch.save({
        "model": {name: value.clone() for name, value in model.state_dict().items()},
        "optimizer": copy.deepcopy(optimizer.state_dict()),
        "epoch": int(epoch),
    }, path)


def load_checkpoint(path, model, optimizer):
    ckpt = torch.load(path, map_location="cpu", weights_only=True)
    model.load_state_dict(ckpt["model"])
    optimizer.load_state_dict(ckpt["optimizer"])
    return int(ckpt["epoch"])

# %% save_reasons_answer
SAVE_REASONS = set("ABC")

# %% reuse_answer
def reuse_first_two(path, new_net):
    state = torch.load(path, weights_only=True)
    with torch.no_grad():
        for index in (0, 2):
            layer = new_net.features[index]
            layer.weight.copy_(state[f"{index}.weight"])
            layer.bias.copy_(state[f"{index}.bias"])
    return new_net

# %% arch_saving_answer
ARCH_SAVING = set(["C", "B"])
