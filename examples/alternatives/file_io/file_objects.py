"""Every file goes through an open file object (``with open(path, "wb") as f``), as students who
learnt Python's I/O first write it; map_location is a torch.device; tensors_identical checks the
shape first, then all elements with ==."""
# %% save_rows_answer
def save_rows(path, data, k):
    first = data[:k].clone()
    with open(path, "wb") as f:
        torch.save(first, f)

# %% params_answer
def save_params(path, net):
    with open(path, "wb") as f:
        torch.save(net.state_dict(), f)


def load_params(path):
    model = MLP()
    with open(path, "rb") as f:
        state = torch.load(f)
    model.load_state_dict(state)
    model.eval()
    return model

# %% identical_answer
def tensors_identical(a, b):
    if a.shape != b.shape:
        return False
    return bool((a == b).all())

# %% load_on_cpu_answer
def load_on_cpu(path):
    with open(path, "rb") as f:
        return torch.load(f, map_location=torch.device("cpu"), weights_only=True)

# %% checkpoint_answer
def save_checkpoint(path, model, optimizer, epoch):
    checkpoint = {
        "epoch": epoch,
        "model_state_dict": model.state_dict(),
        "optimizer_state_dict": optimizer.state_dict(),
    }
    with open(path, "wb") as f:
        torch.save(checkpoint, f)


def load_checkpoint(path, model, optimizer):
    with open(path, "rb") as f:
        checkpoint = torch.load(f, weights_only=True)
    model.load_state_dict(checkpoint["model_state_dict"])
    optimizer.load_state_dict(checkpoint["optimizer_state_dict"])
    return checkpoint["epoch"]

# %% reuse_answer
def reuse_first_two(path, new_net):
    with open(path, "rb") as f:
        state = torch.load(f)
    new_net.features[0].load_state_dict({"weight": state["0.weight"], "bias": state["0.bias"]})
    new_net.features[2].load_state_dict({"weight": state["2.weight"], "bias": state["2.bias"]})
    return new_net
