"""map_location passed positionally (torch.load(path, "cpu")), paths turned into str with
os.fspath, tensors_identical via numpy.array_equal, named_parameters() saved as the parameter dict
(the MLP has no buffers), and the two layers copied into a full state_dict of new_net."""
# %% save_rows_answer
def save_rows(path, data, k):
    torch.save(data[0:k].detach().clone(), os.fspath(path))

# %% params_answer
def save_params(path, net):
    torch.save(dict(net.named_parameters()), os.fspath(path))


def load_params(path):
    clone = MLP()
    clone.load_state_dict(torch.load(os.fspath(path)))
    clone.eval()
    return clone

# %% identical_answer
import numpy as np


def tensors_identical(a, b):
    return bool(np.array_equal(a.detach().numpy(), b.detach().numpy()))

# %% load_on_cpu_answer
def load_on_cpu(path):
    return torch.load(os.fspath(path), "cpu")

# %% checkpoint_answer
def save_checkpoint(path, model, optimizer, epoch):
    torch.save(dict(model=model.state_dict(), optim=optimizer.state_dict(), epoch=epoch), os.fspath(path))


def load_checkpoint(path, model, optimizer):
    ckpt = torch.load(os.fspath(path), map_location=torch.device("cpu"))
    model.load_state_dict(ckpt["model"], strict=True)
    optimizer.load_state_dict(ckpt["optim"])
    return ckpt["epoch"]

# %% reuse_answer
def reuse_first_two(path, new_net):
    old = torch.load(path)
    full = new_net.state_dict()
    for key in ("0.weight", "0.bias", "2.weight", "2.bias"):
        full["features." + key] = old[key]
    new_net.load_state_dict(full)
    return new_net
