"""Wrong answers for 04_parameter_tying, including the pitfalls of parameter tying: one mistake
each, and each loses exactly its check's points."""
UPDATE = ("                for param in net.parameters():  # 去重后的参数：共享权重只更新一次\n"
          "                    param -= lr * param.grad\n")
RECORD = ('            history["loss"].append(loss.item())\n'
          '            for name, layer in linears.items():\n'
          '                history["param_norm"][name].append(layer.weight.norm().item())\n'
          '                history["grad_norm"][name].append(layer.weight.grad.norm().item())\n')

MUTANTS = {
    "tied_identity": {
        # Two separate layers whose values were copied: equal numbers, not the same tensor.
        "copied_values": [("make_tied_net_answer", "    return net",
                           "    twin = nn.Linear(8, 8)\n    twin.load_state_dict(shared.state_dict())\n"
                           "    net[4] = twin\n    return net")],
        # Only the weight is tied (as in the notebook's tied-embeddings example): two Linear objects.
        "weight_only": [("make_tied_net_answer", "    return net",
                         "    twin = nn.Linear(8, 8)\n    twin.weight = shared.weight\n    net[4] = twin\n    return net")],
        # The shared layer is created once, outside the function: every call shares it.
        "module_level_layer": [("make_tied_net_answer", "def make_tied_net():\n    ### BEGIN SOLUTION\n    shared = nn.Linear(8, 8)\n",
                                "SHARED = nn.Linear(8, 8)\n\n\ndef make_tied_net():\n    ### BEGIN SOLUTION\n    shared = SHARED\n")],
        # The shared layer used three times instead of twice (an extra block at the end).
        "extra_block": [("make_tied_net_answer", "                        nn.Linear(8, 1))",
                         "                        nn.Linear(8, 1), nn.ReLU())")],
    },
    "untie_copy": {
        # copy.deepcopy keeps the sharing inside the copy (its memo maps the shared layer to one copy).
        "deepcopy_whole": [("untied_copy_answer", "nn.Sequential(*[copy.deepcopy(block) for block in net])",
                            "copy.deepcopy(net)")],
        # Unties the input in place and returns it: the caller's tied net is gone.
        "mutates_input": [("untied_copy_answer", "    return nn.Sequential(*[copy.deepcopy(block) for block in net])",
                           "    for i in range(len(net)):\n        net[i] = copy.deepcopy(net[i])\n    return net")],
        # named_children() lists a shared block once: the copy loses a position.
        "named_children": [("untied_copy_answer", "for block in net]", "for _, block in net.named_children()]")],
        # Unties blocks that are the same object, but not two blocks that share only a weight.
        "module_identity_only": [("untied_copy_answer",
                                  "    return nn.Sequential(*[copy.deepcopy(block) for block in net])",
                                  "    clone = copy.deepcopy(net)\n    for i in range(len(clone)):\n"
                                  "        if any(clone[i] is clone[j] for j in range(i)):\n"
                                  "            clone[i] = copy.deepcopy(clone[i])\n    return clone")],
        # Rebuilds every Linear with a bias, whatever the original had.
        "rebuild_with_bias": [("untied_copy_answer",
                               "    return nn.Sequential(*[copy.deepcopy(block) for block in net])",
                               "    blocks = []\n    for block in net:\n        if isinstance(block, nn.Linear):\n"
                               "            fresh = nn.Linear(block.in_features, block.out_features)\n"
                               "            fresh.load_state_dict(block.state_dict(), strict=False)\n"
                               "            blocks.append(fresh)\n        else:\n"
                               "            blocks.append(copy.deepcopy(block))\n    return nn.Sequential(*blocks)")],
    },
    "grad_sum": {
        # Forgetting that gradients accumulate: stale gradients leak into the answer.
        "stale_gradients": [("tied_grad_parts_answer", "    tied_net.zero_grad()\n    untied_net.zero_grad()\n", "")],
        # Returns the .grad tensors themselves: a later backward pass changes the answer.
        "no_clone": [("tied_grad_parts_answer", "grad.clone()", "grad")],
        # The two positions mixed up.
        "swapped_positions": [("tied_grad_parts_answer", "    first = untied_net[2].weight.grad.clone()\n"
                               "    second = untied_net[4].weight.grad.clone()\n",
                               "    first = untied_net[4].weight.grad.clone()\n"
                               "    second = untied_net[2].weight.grad.clone()\n")],
        # An optimizer step "while at it": the nets handed in change.
        "updates_nets": [("tied_grad_parts_answer", "    return tied, first, second",
                          "    torch.optim.SGD(tied_net.parameters(), lr=0.1).step()\n    return tied, first, second")],
    },
    "param_counts": {
        # Counting parameters through state_dict() counts the shared layer twice.
        "scalars_from_state_dict": [("param_summary_answer", "sum(p.numel() for p in params)",
                                     "sum(t.numel() for t in net.state_dict().values())")],
        # Tensors counted without deduplication.
        "no_dedup": [("param_summary_answer", "params = list(net.parameters())",
                      "params = [p for _, p in net.named_parameters(remove_duplicate=False)]")],
        # A tensor where the notebook asks for a Python int.
        "tensor_count": [("param_summary_answer", "sum(p.numel() for p in params)",
                          "torch.tensor([p.numel() for p in params]).sum()")],
        # Tensors counted as distinct state_dict storages: buffers are not parameters.
        "tensors_from_state_dict": [("param_summary_answer", '"tensors": len(params)',
                                     '"tensors": len({t.data_ptr() for t in net.state_dict().values()})')],
    },
    "sharing_quiz": {
        # Value equality is not identity.
        "value_equality": [("sharing_quiz_answer", '{"B", "C", "E", "F"}', '{"A", "B", "C", "E", "F"}')],
        # Believing deepcopy unties the copy.
        "deepcopy_unties": [("sharing_quiz_answer", '{"B", "C", "E", "F"}', '{"B", "E", "F"}')],
    },
    "train_accuracy": {
        # No optimizer step: the network never learns.
        "no_update": [("train_shared_answer", UPDATE, "                pass\n")],
        # Iterating the state_dict's entries updates the shared layer twice per step.
        "update_twice": [("train_shared_answer", "for param in net.parameters():",
                          "for param in net.state_dict(keep_vars=True).values():")],
        # A fixed learning rate instead of the argument.
        "fixed_lr": [("train_shared_answer", "param -= lr * param.grad", "param -= 0.1 * param.grad")],
        # No seeding: every call starts from different parameters.
        "unseeded": [("train_shared_answer", "    torch.manual_seed(seed)\n", "")],
        # Never shuffled.
        "no_shuffle": [("train_shared_answer", "order = torch.randperm(len(features), generator=shuffler)",
                        "order = torch.arange(len(features))")],
    },
    "train_history": {
        # Recording once per epoch instead of once per step (the block is dedented out of the batch loop).
        "per_epoch": [("train_shared_answer", RECORD,
                       '        history["loss"].append(loss.item())\n'
                       '        for name, layer in linears.items():\n'
                       '            history["param_norm"][name].append(layer.weight.norm().item())\n'
                       '            history["grad_norm"][name].append(layer.weight.grad.norm().item())\n')],
        # Recording before the update: the parameter norms lag one step behind.
        "before_update": [("train_shared_answer", "            with torch.no_grad():\n" + UPDATE + RECORD,
                           RECORD + "            with torch.no_grad():\n" + UPDATE)],
        # The bias's norm recorded instead of the weight's.
        "bias_norm": [("train_shared_answer", 'history["param_norm"][name].append(layer.weight.norm().item())',
                       'history["param_norm"][name].append(layer.bias.norm().item())')],
        # Tensors stored instead of floats.
        "loss_tensor": [("train_shared_answer", 'history["loss"].append(loss.item())',
                         'history["loss"].append(loss.detach())')],
    },
    "history_tied": {
        # Two layers with copied initial values: identical at first, they drift apart during training.
        "copied_layer": [("train_shared_answer",
                          "                         shared, nn.ReLU(),\n"
                          "                         nn.Linear(num_hiddens, 10))",
                          "                         copy.deepcopy(shared), nn.ReLU(),\n"
                          "                         nn.Linear(num_hiddens, 10))")],
        # Only the weight tied: the biases of positions 2 and 4 are separate tensors.
        "weight_only": [("train_shared_answer",
                         "    shared = nn.Linear(num_hiddens, num_hiddens)\n    return nn.Sequential(",
                         "    shared = nn.Linear(num_hiddens, num_hiddens)\n    twin = nn.Linear(num_hiddens, num_hiddens)\n"
                         "    twin.weight = shared.weight\n    return nn.Sequential("),
                        ("train_shared_answer",
                         "                         shared, nn.ReLU(),\n"
                         "                         nn.Linear(num_hiddens, 10))",
                         "                         twin, nn.ReLU(),\n"
                         "                         nn.Linear(num_hiddens, 10))")],
    },
}

# Surviving automatic mutants reviewed as equivalent to the notebook's specification.
EQUIVALENT = {
    "train_shared_answer:23:46:drop-kwarg.generator":
        "randperm without generator= draws from the global generator, which train_shared has just "
        "seeded with torch.manual_seed(seed): the shuffle is still made by a generator seeded with "
        "seed, reproducible and different for another seed, which is what the notebook pins (the "
        "check accepts any such shuffle, a DataLoader's included, and judges each step from the "
        "minibatches it observes).",
}
