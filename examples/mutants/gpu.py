"""Wrong answers for 08_gpu, including the classic device pitfalls: each has one mistake and loses
exactly its check's points, on a CPU runner and on a CUDA runner alike."""
MUTANTS = {
    "try_devices": {
        # Off by one: with i GPUs there is no cuda:i (numbering starts at 0).
        "off_by_one": [("try_gpu_answer", "torch.cuda.device_count() >= i + 1", "torch.cuda.device_count() >= i")],
        # "Is there a GPU?" instead of "are there i + 1 GPUs?".
        "any_gpu": [("try_gpu_answer", "if torch.cuda.device_count() >= i + 1:", "if torch.cuda.is_available():")],
        # Names instead of torch.device objects.
        "strings": [("try_gpu_answer", "return torch.device(f'cuda:{i}')", "return f'cuda:{i}'")],
        # No index: every GPU is "cuda".
        "no_index": [("try_gpu_answer", "return torch.device(f'cuda:{i}')", "return torch.device('cuda')")],
        # No fallback: an empty list on a machine without GPUs.
        "empty_list": [("try_gpu_answer",
                        "return gpus if gpus else [torch.device('cpu')]", "return gpus")],
        # The CPU always appended, even when there are GPUs.
        "cpu_appended": [("try_gpu_answer", "return gpus if gpus else [torch.device('cpu')]",
                          "return gpus + [torch.device('cpu')]")],
        # A tuple where the notebook asks for a list.
        "tuple": [("try_gpu_answer", "return gpus if gpus else [torch.device('cpu')]",
                   "return tuple(gpus) if gpus else (torch.device('cpu'),)")],
    },
    "mismatch_error": {
        # Guessing from the devices misses the 0-dim CPU tensor exception.
        "device_compare": [("raises_on_mismatch_answer",
                            "try:\n        a + b\n    except RuntimeError:\n        return True\n    return False",
                            "return a.device != b.device")],
        # Comparing device types: cuda:0 and cuda:1 look the same.
        "type_compare": [("raises_on_mismatch_answer",
                          "try:\n        a + b\n    except RuntimeError:\n        return True\n    return False",
                          "return a.device.type != b.device.type")],
        # A guess that knows the exception, but only half of it (a 0-dim GPU tensor is no exception).
        "guess_dims": [("raises_on_mismatch_answer",
                        "try:\n        a + b\n    except RuntimeError:\n        return True\n    return False",
                        "return a.device != b.device and a.dim() > 0 and b.dim() > 0")],
        # In place: a += b changes the caller's tensor.
        "in_place": [("raises_on_mismatch_answer", "        a + b\n", "        a += b\n")],
        # No `return False`: None when the sum works.
        "returns_none": [("raises_on_mismatch_answer", "        return True\n    return False", "        return True")],
    },
    "to_device_identity": {
        # Always copying: a tensor already on the device is no longer returned as itself.
        "always_clone": [("to_device_answer", "return data.to(device)", "return data.clone().to(device)")],
        "copy_true": [("to_device_answer", "return data.to(device)", "return data.to(device, copy=True)")],
        # Tuples come back as lists.
        "tuple_as_list": [("to_device_answer", "return type(data)(to_device(item, device) for item in data)",
                           "return [to_device(item, device) for item in data]")],
        # One level only: tensors nested deeper stay where they were.
        "one_level": [("to_device_answer", "return type(data)(to_device(item, device) for item in data)",
                       "return type(data)(item.to(device) if isinstance(item, torch.Tensor) else item for item in data)")],
        # The caller's dictionary is filled in place.
        "mutates_dict": [("to_device_answer",
                          "return {key: to_device(value, device) for key, value in data.items()}",
                          "for key, value in data.items():\n            data[key] = to_device(value, device)\n"
                          "        return data")],
        # Keys turned into strings.
        "str_keys": [("to_device_answer", "return {key: to_device(value, device) for key, value in data.items()}",
                      "return {str(key): to_device(value, device) for key, value in data.items()}")],
        # Numbers turned into tensors on the device instead of being returned as they are.
        "numbers_to_tensors": [("to_device_answer", "        return {key: to_device(value, device) for key, value in data.items()}\n    return data",
                                "        return {key: to_device(value, device) for key, value in data.items()}\n"
                                "    if isinstance(data, (int, float)):\n        return torch.tensor(data, device=device)\n    return data")],
    },
    "model_on_device": {
        # A tensor created in forward without device= stays on the CPU.
        "cpu_counts": [("prefix_mean_answer", "device=H.device, dtype=H.dtype", "dtype=H.dtype")],
        # Right values, no gradient through H.
        "detached": [("prefix_mean_answer", "return H.cumsum(dim=1) / counts", "return H.detach().cumsum(dim=1) / counts")],
        # Prefix sums down the batch instead of along each row.
        "wrong_dim": [("prefix_mean_answer", "return H.cumsum(dim=1) / counts", "return H.cumsum(dim=0) / counts")],
        # Counting from 0.
        "count_from_zero": [("prefix_mean_answer", "torch.arange(1, H.shape[1] + 1,", "torch.arange(0, H.shape[1],")],
        # No bias: not an nn.Linear(n, n).
        "no_bias": [("prefix_mean_answer", "self.linear = nn.Linear(n, n)", "self.linear = nn.Linear(n, n, bias=False)")],
        # The mean of the whole row in every column.
        "row_mean": [("prefix_mean_answer", "return H.cumsum(dim=1) / counts",
                      "return H.mean(dim=1, keepdim=True).expand_as(H)")],
    },
    "load_on_device": {
        # No map_location: a file saved on a GPU cannot be read on a CPU-only machine.
        "no_map_location": [("load_to_answer", "torch.load(file, map_location=device)", "torch.load(file)")],
        # Always to the CPU, whatever device was asked for.
        "always_cpu": [("load_to_answer", "map_location=device", "map_location='cpu'")],
        # Opens the path itself: an open file object is refused.
        "opens_path": [("load_to_answer", "torch.load(file, map_location=device)",
                        "torch.load(open(file, 'rb'), map_location=device)")],
    },
    "benchmark_sync": {
        # Timing asynchronous GPU work without synchronizing measures only the queueing.
        "no_sync": [("benchmark_answer", "on_cuda = device.type == 'cuda'", "on_cuda = False")],
        # Synchronizing the current GPU (cuda:0), not the one being timed.
        "sync_current": [("benchmark_answer", "torch.cuda.synchronize(device)", "torch.cuda.synchronize()")],
        # Deciding by the machine, not by the device passed in.
        "by_machine": [("benchmark_answer", "on_cuda = device.type == 'cuda'", "on_cuda = torch.cuda.is_available()")],
        # No warm-up.
        "no_warmup": [("benchmark_answer", "on_cuda = device.type == 'cuda'\n    f()\n", "on_cuda = device.type == 'cuda'\n")],
        # The clock starts before the warm-up: the warm-up is timed as one of the calls.
        "start_before_warmup": [("benchmark_answer",
                                 "    f()\n    if on_cuda:\n        torch.cuda.synchronize(device)\n    start = time.perf_counter()\n",
                                 "    start = time.perf_counter()\n    f()\n    if on_cuda:\n        torch.cuda.synchronize(device)\n")],
        # The end time read before the last synchronize.
        "end_before_sync": [("benchmark_answer",
                             "        f()\n    if on_cuda:\n        torch.cuda.synchronize(device)\n"
                             "    return (time.perf_counter() - start) / repeat",
                             "        f()\n    end = time.perf_counter()\n    if on_cuda:\n        torch.cuda.synchronize(device)\n"
                             "    return (end - start) / repeat")],
        # The total, not the mean.
        "total": [("benchmark_answer", "return (time.perf_counter() - start) / repeat",
                   "return time.perf_counter() - start")],
        # One call too many in the timed loop.
        "repeat_plus_one": [("benchmark_answer", "for _ in range(repeat):", "for _ in range(repeat + 1):")],
        # Another default than the notebook's repeat=10.
        "default_repeat": [("benchmark_answer", "def benchmark(f, device, repeat=10):", "def benchmark(f, device, repeat=5):")],
    },
    "log_on_device": {
        # The "on-device" log that still calls .item() at every step.
        "item_in_loop": [("norms_answer", "log = [torch.linalg.norm(M @ M) for M in mats]\n    return torch.stack(log)",
                          "log = [torch.linalg.norm(M @ M).item() for M in mats]\n    return torch.tensor(log)")],
        # torch.tensor of 0-dim GPU tensors reads each of them back to the host.
        "tensor_of_list": [("norms_answer", "return torch.stack(log)", "return torch.tensor(log)")],
        # Brought back to the CPU at the end.
        "cpu_at_end": [("norms_answer", "return torch.stack(log)", "return torch.stack(log).cpu()")],
        # The norm of M, not of M @ M.
        "norm_of_m": [("norms_answer", "[torch.linalg.norm(M @ M) for M in mats]", "[torch.linalg.norm(M) for M in mats]")],
        # Tensors, not Python floats, in norms_item.
        "item_forgotten": [("norms_answer", "log.append(torch.linalg.norm(M @ M).item())", "log.append(torch.linalg.norm(M @ M))")],
        # The element-wise square instead of the matrix product.
        "elementwise": [("norms_answer", "log.append(torch.linalg.norm(M @ M).item())", "log.append(torch.linalg.norm(M * M).item())")],
    },
    "two_devices": {
        # Both products on the first device: the second GPU is never used.
        "second_always_first": [("two_devices_answer", "second = devices[1] if len(devices) > 1 else devices[0]",
                                 "second = devices[0]")],
        # The last device instead of the second one (right only for two devices).
        "last_device": [("two_devices_answer", "second = devices[1] if len(devices) > 1 else devices[0]",
                         "second = devices[-1]")],
        # The machine's GPUs instead of the devices passed in.
        "try_gpu": [("two_devices_answer", "first = devices[0]\n    second = devices[1] if len(devices) > 1 else devices[0]",
                     "first = try_gpu(0)\n    second = try_gpu(1) if len(devices) > 1 else first")],
        # Results brought back to the CPU.
        "to_cpu": [("two_devices_answer", "return A @ A, B @ B", "return (A @ A).cpu(), (B @ B).cpu()")],
        # Synchronizing inside the function, against the notebook's words.
        "sync_inside": [("two_devices_answer", "return A @ A, B @ B",
                         "out = (A @ A, B @ B)\n    for d in (first, second):\n        if d.type == 'cuda':\n"
                         "            torch.cuda.synchronize(d)\n    return out")],
        # A list where the notebook asks for a tuple.
        "list": [("two_devices_answer", "return A @ A, B @ B", "return [A @ A, B @ B]")],
        # The caller's tensors moved in place.
        "moves_inputs": [("two_devices_answer", "A, B = A.to(first), B.to(second)",
                          "A.data, B.data = A.to(first).data, B.to(second).data")],
    },
}

# Mutants of `python -m autograder mutants 08_gpu` reviewed as equivalent to the specification.
EQUIVALENT = {
    "prefix_mean_answer:9:66:drop-kwarg.dtype":
        "counts made as int64: a floating H divided by an integer tensor keeps H's dtype (float32 or float64), "
        "so the values, the device and the gradients are those of the specification",
}
