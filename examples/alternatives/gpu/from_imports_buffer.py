"""Names imported from torch.cuda and time (`from torch.cuda import device_count`,
`from time import perf_counter_ns`), a registered buffer of counts in PrefixMean, nanosecond
timing, map_location given as a string, the Frobenius norm written by hand, a `match` on types."""
# %% try_gpu_answer
from torch.cuda import device_count


def try_gpu(i=0):
    return torch.device(f'cuda:{i}') if device_count() > i else torch.device('cpu')


def try_all_gpus():
    n = device_count()
    return [torch.device('cuda', k) for k in range(n)] if n > 0 else [torch.device('cpu')]
# %% raises_on_mismatch_answer
def raises_on_mismatch(a, b):
    try:
        _ = a + b
        return False
    except RuntimeError:
        return True
# %% to_device_answer
def to_device(data, device):
    match data:
        case torch.Tensor():
            return data.to(device)
        case list() | tuple():
            return type(data)(to_device(x, device) for x in data)
        case dict():
            return {k: to_device(v, device) for k, v in data.items()}
        case _:
            return data
# %% prefix_mean_answer
class PrefixMean(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.register_buffer('counts', torch.arange(1, n + 1, dtype=torch.float32))
        self.linear = nn.Linear(n, n)

    def forward(self, X):
        return torch.cumsum(self.linear(X), dim=-1) / self.counts
# %% load_to_answer
def load_to(file, device):
    return torch.load(file, map_location=str(device), weights_only=True)
# %% benchmark_answer
from time import perf_counter_ns


def benchmark(f, device, repeat=10):
    f()
    if device.type == 'cuda':
        torch.cuda.synchronize(device=device)
    t0 = perf_counter_ns()
    for _ in range(repeat):
        f()
    if device.type == 'cuda':
        torch.cuda.synchronize(device=device)
    t1 = perf_counter_ns()
    return (t1 - t0) / 1e9 / repeat
# %% norms_answer
def norms_item(mats):
    log = []
    for M in mats:
        P = M @ M
        log.append(P.pow(2).sum().sqrt().item())
    return log


def norms_on_device(mats):
    log = []
    for M in mats:
        P = M @ M
        log.append((P * P).sum().sqrt())
    return torch.stack(log)
