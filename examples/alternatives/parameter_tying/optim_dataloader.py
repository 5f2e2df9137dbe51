"""torch.optim.SGD with a DataLoader over a TensorDataset (shuffled by a seeded Generator);
untied_copy deep-copies the whole net and then each position again; tied_grad_parts uses
torch.autograd.grad, which never touches .grad; param_summary dedups by id()."""
# %% make_tied_net_answer
def make_tied_net():
    shared = nn.Linear(8, 8)
    layers = [nn.Linear(4, 8), nn.ReLU(), shared, nn.ReLU(), shared, nn.ReLU(), nn.Linear(8, 1)]
    return nn.Sequential(*layers)

# %% untied_copy_answer
def untied_copy(net):
    clone = copy.deepcopy(net)
    for i in range(len(clone)):
        clone[i] = copy.deepcopy(clone[i])   # a separate deepcopy per position: no shared memo
    return clone

# %% tied_grad_parts_answer
def tied_grad_parts(tied_net, untied_net, X):
    (tied,) = torch.autograd.grad(tied_net(X).sum(), [tied_net[2].weight])
    first, second = torch.autograd.grad(untied_net(X).sum(), [untied_net[2].weight, untied_net[4].weight])
    return tied, first, second

# %% param_summary_answer
def param_summary(net):
    unique = {id(p): p for p in net.parameters()}
    return dict(tensors=len(unique), state_keys=len(net.state_dict().keys()),
                scalars=int(sum(p.numel() for p in unique.values())))

# %% train_shared_answer
from torch.utils.data import DataLoader, TensorDataset


def make_shared_mlp(num_hiddens=64):
    hidden = nn.Linear(num_hiddens, num_hiddens)
    return nn.Sequential(nn.Linear(64, num_hiddens), nn.ReLU(), hidden, nn.ReLU(), hidden, nn.ReLU(),
                         nn.Linear(num_hiddens, 10))


def train_shared(num_epochs=10, lr=0.2, batch_size=64, num_hiddens=64, seed=0):
    torch.manual_seed(seed)
    net = make_shared_mlp(num_hiddens)
    X_tr, y_tr, _, _ = load_digits_split()
    loader = DataLoader(TensorDataset(X_tr, y_tr), batch_size=batch_size, shuffle=True,
                        generator=torch.Generator().manual_seed(seed))
    optimizer = torch.optim.SGD(net.parameters(), lr=lr)
    criterion = nn.CrossEntropyLoss()
    keys = ["0", "2", "4", "6"]
    history = {"loss": [], "param_norm": {k: [] for k in keys}, "grad_norm": {k: [] for k in keys}}
    for _ in range(num_epochs):
        for Xb, yb in loader:
            optimizer.zero_grad()
            loss = criterion(net(Xb), yb)
            loss.backward()
            optimizer.step()
            history["loss"].append(float(loss))
            for k in keys:
                w = net[int(k)].weight
                history["param_norm"][k].append(torch.linalg.norm(w).item())
                history["grad_norm"][k].append(torch.linalg.norm(w.grad).item())
    return net, history
