"""Rebuilds the old three-layer nn.Sequential, loads the file into it and hands its first four
modules to new_net.features; saves checkpoints atomically (a temporary name, then os.replace) as the
notebook suggests, with the RNG state too; tensors_identical by the book's == plus a shape check."""
# %% params_answer
def save_params(path, net):
    torch.save(net.state_dict(), path)


def load_params(path):
    clone = MLP()
    missing, unexpected = clone.load_state_dict(torch.load(path, map_location="cpu"))
    assert not missing and not unexpected
    return clone.eval()

# %% identical_answer
def tensors_identical(a, b):
    return a.size() == b.size() and bool(torch.all(a == b).item())

# %% load_on_cpu_answer
def load_on_cpu(path):
    return torch.load(path, weights_only=True, map_location={"cuda:%d" % i: "cpu" for i in range(64)})

# %% checkpoint_answer
def save_checkpoint(path, model, optimizer, epoch):
    tmp_path = str(path) + ".tmp"
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": epoch,
                "rng": torch.get_rng_state()}, tmp_path)
    os.replace(tmp_path, path)


def load_checkpoint(path, model, optimizer):
    checkpoint = torch.load(path, weights_only=True)
    model.load_state_dict(checkpoint["model"])
    optimizer.load_state_dict(checkpoint["optimizer"])
    torch.set_rng_state(checkpoint["rng"])
    return checkpoint["epoch"]

# %% reuse_answer
def reuse_first_two(path, new_net):
    old = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
    old.load_state_dict(torch.load(path))
    new_net.features = nn.Sequential(*list(old.children())[:4])
    return new_net
