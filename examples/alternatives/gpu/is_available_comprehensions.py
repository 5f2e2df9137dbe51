"""try_gpu through is_available() and a count read at call time, try_all_gpus built on try_gpu
with `or`, time.time() for the clock, `.to(device=...)` as a keyword, counts made with
`torch.ones_like(H).cumsum(1)`, load to the CPU first and move afterwards, the log concatenated
with torch.cat."""
# %% try_gpu_answer
def try_gpu(i=0):
    if torch.cuda.is_available() and i < torch.cuda.device_count():
        return torch.device(f'cuda:{i}')
    return torch.device('cpu')


def try_all_gpus():
    return [try_gpu(k) for k in range(torch.cuda.device_count())] or [torch.device('cpu')]
# %% to_device_answer
def to_device(data, device):
    if isinstance(data, torch.Tensor):
        return data.to(device=device)
    if isinstance(data, dict):
        return dict((k, to_device(v, device)) for k, v in data.items())
    if isinstance(data, list):
        return [to_device(v, device) for v in data]
    if isinstance(data, tuple):
        return tuple([to_device(v, device) for v in data])
    return data
# %% prefix_mean_answer
class PrefixMean(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.linear = nn.Linear(n, n)

    def forward(self, X):
        H = self.linear(X)
        return H.cumsum(dim=1) / torch.ones_like(H).cumsum(dim=1)
# %% load_to_answer
def load_to(file, device):
    state = torch.load(file, map_location='cpu')
    return {name: tensor.to(device) for name, tensor in state.items()}
# %% benchmark_answer
def benchmark(f, device, repeat=10):
    f()
    if 'cuda' in str(device):
        torch.cuda.synchronize(device)
    begin = time.time()
    for i in range(repeat):
        f()
    if 'cuda' in str(device):
        torch.cuda.synchronize(device)
    return (time.time() - begin) / repeat
# %% norms_answer
def norms_item(mats):
    return [torch.linalg.norm(M @ M).item() for M in mats]


def norms_on_device(mats):
    return torch.cat([torch.linalg.norm(M @ M).reshape(1) for M in mats])
# %% two_devices_answer
def matmul_on_two(A, B, devices):
    a_dev, b_dev = devices[0], devices[min(1, len(devices) - 1)]
    A = A.to(a_dev)
    B = B.to(b_dev)
    return A @ A, B @ B
