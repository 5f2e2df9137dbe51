"""PrefixMean as a Python loop over the columns (torch.stack of running means), synchronize given
the GPU's index, `str(device).startswith('cuda')`, torch.add in raises_on_mismatch, non_blocking
copies in to_device, torch.mm in matmul_on_two, try_gpu through a range membership test."""
# %% try_gpu_answer
def try_gpu(i=0):
    if i in range(torch.cuda.device_count()):
        return torch.device(type='cuda', index=i)
    return torch.device(type='cpu')


def try_all_gpus():
    gpus = []
    for k in range(torch.cuda.device_count()):
        gpus += [torch.device(f'cuda:{k}')]
    return gpus or [torch.device('cpu')]
# %% raises_on_mismatch_answer
def raises_on_mismatch(a, b):
    result = True
    try:
        torch.add(a, b)
        result = False
    except RuntimeError:
        pass
    return result
# %% to_device_answer
def to_device(data, device):
    if isinstance(data, torch.Tensor):
        return data.to(device, non_blocking=True)
    elif isinstance(data, list):
        return [to_device(d, device) for d in data]
    elif isinstance(data, tuple):
        return tuple(to_device(d, device) for d in data)
    elif isinstance(data, dict):
        return {k: to_device(v, device) for k, v in data.items()}
    else:
        return data
# %% prefix_mean_answer
class PrefixMean(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.linear = nn.Linear(n, n)

    def forward(self, X):
        H = self.linear(X)
        columns = [H[:, :j + 1].mean(dim=1) for j in range(H.shape[1])]
        return torch.stack(columns, dim=1)
# %% benchmark_answer
def benchmark(f, device, repeat=10):
    gpu = str(device).startswith('cuda')
    f()
    if gpu:
        torch.cuda.synchronize(device.index)
    tic = time.perf_counter()
    for _ in range(repeat):
        f()
    if gpu:
        torch.cuda.synchronize(device.index)
    toc = time.perf_counter()
    return float((toc - tic) / repeat)
# %% norms_answer
def norms_item(mats):
    out = []
    for k in range(len(mats)):
        out.append(torch.linalg.norm(torch.mm(mats[k], mats[k])).item())
    return out


def norms_on_device(mats):
    return torch.stack([torch.linalg.norm(torch.mm(M, M)) for M in mats], dim=0)
# %% two_devices_answer
def matmul_on_two(A, B, devices):
    d0 = devices[0]
    d1 = devices[1] if len(devices) >= 2 else d0
    A0 = A.to(d0)
    B1 = B.to(d1)
    return torch.mm(A0, A0), torch.mm(B1, B1)
