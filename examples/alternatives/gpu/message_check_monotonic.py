"""raises_on_mismatch that returns True only for a device error (reads the message), try_all_gpus
through try_gpu with a tuple, monotonic clock, load_to with map_location=torch.device(device),
norms via torch.linalg.matrix_norm, the cumsum counts as an int64 arange on the device."""
# %% try_gpu_answer
def try_gpu(i=0):
    n = torch.cuda.device_count()
    return torch.device(f'cuda:{i}') if i + 1 <= n else torch.device('cpu')


def try_all_gpus():
    n = torch.cuda.device_count()
    return list(torch.device(f'cuda:{k}') for k in range(n)) or [torch.device('cpu')]
# %% raises_on_mismatch_answer
def raises_on_mismatch(a, b):
    try:
        a + b
    except RuntimeError as err:
        return 'device' in str(err)
    return False
# %% prefix_mean_answer
class PrefixMean(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.linear = nn.Linear(n, n)

    def forward(self, X):
        H = self.linear(X)
        steps = torch.arange(1, H.size(1) + 1, device=H.device)
        return torch.cumsum(H, 1) / steps
# %% load_to_answer
def load_to(file, device):
    return torch.load(file, map_location=torch.device(device))
# %% benchmark_answer
def benchmark(f, device, repeat=10):
    f()
    if device.type == 'cuda':
        torch.cuda.synchronize(device)
    t = time.monotonic()
    for _ in range(repeat):
        f()
    if device.type == 'cuda':
        torch.cuda.synchronize(device)
    return (time.monotonic() - t) / repeat
# %% norms_answer
def norms_item(mats):
    return [float(torch.linalg.matrix_norm(M @ M).item()) for M in mats]


def norms_on_device(mats):
    return torch.stack([torch.linalg.matrix_norm(M @ M) for M in mats])
