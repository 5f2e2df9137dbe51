"""Wrong answers for 04_parameter_tying, including the pitfalls of parameter tying."""
MUTANTS = {
    # Two separate layers whose values were copied: equal numbers, not the same tensor.
    "tied_identity": [("make_tied_net_answer", "    return net",
                       "    twin = nn.Linear(8, 8)\n    twin.load_state_dict(shared.state_dict())\n"
                       "    net[4] = twin\n    return net")],
    # copy.deepcopy keeps the sharing inside the copy (its memo maps the shared layer to one copy).
    "untie_copy": [("untied_copy_answer", "nn.Sequential(*[copy.deepcopy(block) for block in net])",
                    "copy.deepcopy(net)")],
    # Forgetting that gradients accumulate: stale gradients leak into the answer.
    "grad_sum": [("tied_grad_parts_answer", "    tied_net.zero_grad()\n    untied_net.zero_grad()\n", "")],
    # Counting parameters through state_dict() counts the shared layer twice.
    "param_counts": [("param_summary_answer", "sum(p.numel() for p in params)",
                      "sum(t.numel() for t in net.state_dict().values())")],
    # Value equality is not identity.
    "sharing_quiz": [("sharing_quiz_answer", '{"B", "C", "E", "F"}', '{"A", "B", "C", "E", "F"}')],
    # No optimizer step: the network never learns.
    "train_accuracy": [("train_shared_answer",
                        "                for param in net.parameters():  # 去重后的参数:共享权重只更新一次\n"
                        "                    param -= lr * param.grad\n",
                        "                pass\n")],
    # Recording once per epoch instead of once per step (the block is dedented out of the batch loop).
    "train_history": [("train_shared_answer",
                       '            history["loss"].append(loss.item())\n'
                       '            for name, layer in linears.items():\n'
                       '                history["param_norm"][name].append(layer.weight.norm().item())\n'
                       '                history["grad_norm"][name].append(layer.weight.grad.norm().item())\n',
                       '        history["loss"].append(loss.item())\n'
                       '        for name, layer in linears.items():\n'
                       '            history["param_norm"][name].append(layer.weight.norm().item())\n'
                       '            history["grad_norm"][name].append(layer.weight.grad.norm().item())\n')],
    # Two layers with copied initial values: identical at first, they drift apart during training.
    "history_tied": [("train_shared_answer",
                      "                         shared, nn.ReLU(),\n"
                      "                         nn.Linear(num_hiddens, 10))",
                      "                         copy.deepcopy(shared), nn.ReLU(),\n"
                      "                         nn.Linear(num_hiddens, 10))")],
}
