"""The GPU count read once when the cell runs (a module-level constant), loops instead of
comprehensions, `else:` after `try`, an extra clock read around the warm-up (the warm-up is timed
too), isinstance checks in another order, `.cuda(i)` for GPUs in matmul_on_two."""
# %% try_gpu_answer
NUM_GPUS = torch.cuda.device_count()


def try_gpu(i=0):
    if i < NUM_GPUS:
        return torch.device('cuda', i)
    return torch.device('cpu')


def try_all_gpus():
    devices = []
    for k in range(NUM_GPUS):
        devices.append(try_gpu(k))
    if not devices:
        devices.append(torch.device('cpu'))
    return devices
# %% raises_on_mismatch_answer
def raises_on_mismatch(a, b):
    try:
        a + b
    except RuntimeError:
        return True
    else:
        return False
# %% to_device_answer
def to_device(data, device):
    if isinstance(data, dict):
        out = {}
        for key in data:
            out[key] = to_device(data[key], device)
        return out
    if isinstance(data, tuple):
        return tuple(to_device(item, device) for item in data)
    if isinstance(data, list):
        out = []
        for item in data:
            out.append(to_device(item, device))
        return out
    if torch.is_tensor(data):
        return data.to(device)
    return data
# %% benchmark_answer
def benchmark(f, device, repeat=10):
    cuda = device.type == 'cuda'
    t0 = time.perf_counter()
    f()  # warm-up
    if cuda:
        torch.cuda.synchronize(device)
    warm_up = time.perf_counter() - t0
    start = time.perf_counter()
    for _ in range(repeat):
        f()
    if cuda:
        torch.cuda.synchronize(device)
    end = time.perf_counter()
    return (end - start) / repeat
# %% two_devices_answer
def _put(t, device):
    if device.type == 'cuda':
        return t.cuda(device.index)
    return t.to(device)


def matmul_on_two(A, B, devices):
    A = _put(A, devices[0])
    if len(devices) >= 2:
        B = _put(B, devices[1])
    else:
        B = _put(B, devices[0])
    return (A @ A, B @ B)
