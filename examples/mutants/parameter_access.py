"""Wrong answers for 02_parameter_access: one realistic mistake each."""
MUTANTS = {
    "state_shapes": {
        # named_parameters() instead of state_dict(): the buffers (BatchNorm's running statistics) go missing.
        "named_parameters": [("state_shapes_answer", "module.state_dict().items()", "module.named_parameters()")],
        # Parameters and buffers chained: a non-persistent buffer is not in state_dict(), a repeated layer is.
        "params_and_buffers": [("state_shapes_answer", "module.state_dict().items()",
                                "[*module.named_parameters(), *module.named_buffers()]")],
        # Shapes as lists, not the tuples the exercise asks for.
        "list_shapes": [("state_shapes_answer", "tuple(value.shape)", "list(value.shape)")],
        # Only the module's own parameters: fine for one layer, empty for a net.
        "top_level_only": [("state_shapes_answer", "module.state_dict().items()",
                            "list(module._parameters.items()) + list(module._buffers.items())")],
    },
    "grad_snapshot": {
        # The loss is not the one asked for, so the recorded gradients are off by a factor.
        "mean_loss": [("grad_snapshot_answer", "net(X).sum().backward()", "net(X).mean().backward()")],
        # Gradients zeroed first: on a net that already has gradients, after loses them.
        "zero_grad_first": [("grad_snapshot_answer", "    before = {", "    net.zero_grad()\n    before = {")],
        # after holds p.grad itself: the next backward changes it in place.
        "no_clone": [("grad_snapshot_answer", "p.grad.clone()", "p.grad")],
        # before read after the backward pass.
        "before_after_backward": [("grad_snapshot_answer",
                                   "    before = {name: p.grad for name, p in net.named_parameters()}\n"
                                   "    net(X).sum().backward()\n",
                                   "    net(X).sum().backward()\n"
                                   "    before = {name: p.grad for name, p in net.named_parameters()}\n")],
        # A fresh net's answer hard-wired: before is always None.
        "before_always_none": [("grad_snapshot_answer", "{name: p.grad for name", "{name: None for name")],
    },
    "param_table": {
        # state_dict() lists buffers too: running_mean and friends are not parameters.
        "state_dict": [("param_table_answer", "net.named_parameters()", "net.state_dict().items()")],
        # Only trainable parameters: a frozen weight is still a parameter.
        "trainable_only": [("param_table_answer", "for name, p in net.named_parameters()]",
                            "for name, p in net.named_parameters() if p.requires_grad]")],
        # A shared layer listed at every place it appears.
        "duplicates": [("param_table_answer", "net.named_parameters()", "net.named_parameters(remove_duplicate=False)")],
        # Rows as lists instead of (name, shape) tuples.
        "list_rows": [("param_table_answer", "(name, tuple(p.shape))", "[name, tuple(p.shape)]")],
    },
    "rgnet": {
        # The 5.1 pitfall: one block1() object put in all four places shares one set of parameters.
        "one_block": [("rgnet_answer", "    net = nn.Sequential()\n", "    net = nn.Sequential()\n    one = block1()\n"),
                      ("rgnet_answer", 'f"block {i}", block1())', 'f"block {i}", one)')],
        # No space in the names.
        "names_without_space": [("rgnet_answer", 'f"block {i}"', 'f"block{i}"')],
        # Three blocks instead of four.
        "three_blocks": [("rgnet_answer", "for i in range(4)", "for i in range(3)")],
        # block1 reuses one Linear object: every block shares its first layer.
        "shared_first_layer": [("rgnet_answer", "def block1():\n    return nn.Sequential(nn.Linear(4, 8),",
                                "_first = nn.Linear(4, 8)\n\n\ndef block1():\n    return nn.Sequential(_first,")],
        # The output layer's width wrong.
        "wrong_head": [("rgnet_answer", "block2(), nn.Linear(4, 1))", "block2(), nn.Linear(4, 2))")],
        # rgnet built from block1() instead of block2().
        "block1_in_rgnet": [("rgnet_answer", "rgnet = nn.Sequential(block2(),", "rgnet = nn.Sequential(block1(),")],
    },
    "deep_param": {
        # Off by one: the last index of the path is never used.
        "off_by_one": [("deep_param_answer", "for index in path:", "for index in path[:-1]:")],
        # children() skips a repeated submodule, so later indices shift.
        "children": [("deep_param_answer", "block = block[index]", "block = list(block.children())[index]")],
        # The number used as a name: fails when the submodules have names of their own.
        "index_as_name": [("deep_param_answer", "block = block[index]", "block = block._modules[str(index)]")],
        # The values, not the Parameter.
        "data": [("deep_param_answer", "return getattr(block, name)", "return getattr(block, name).data")],
    },
    "count_parameters": {
        # state_dict() counts a shared layer at every place it appears, and counts buffers.
        "state_dict": [("count_parameters_answer", "p.numel() for p in net.parameters()",
                        "v.numel() for v in net.state_dict().values()")],
        # Only trainable parameters.
        "trainable_only": [("count_parameters_answer", "for p in net.parameters())",
                            "for p in net.parameters() if p.requires_grad)")],
        # The number of tensors, not of elements.
        "tensors": [("count_parameters_answer", "sum(p.numel() for p in net.parameters())", "len(list(net.parameters()))")],
        # A tensor instead of a Python int.
        "tensor_result": [("count_parameters_answer", "return sum(", "return torch.tensor(sum(")
                          , ("count_parameters_answer", "net.parameters())", "net.parameters()))")],
    },
    "fancy_fixed": {
        # state_dict() also holds the buffer rand_weight, which is not a parameter.
        "state_dict": [("fancy_mlp_answer", "for name, p in fixed.named_parameters()",
                        "for name, p in fixed.state_dict().items()")],
        # Shapes left as lists.
        "list_shapes": [("fancy_mlp_answer", "[(name, tuple(p.shape)) for name, p in fixed",
                         "[(name, list(p.shape)) for name, p in fixed")],
    },
    "fancy_nest": {
        # The book's habit of reaching for .data: a plain tensor, not the Parameter.
        "data": [("fancy_mlp_answer", "NEST_SECOND_BIAS = nest.net[2].bias", "NEST_SECOND_BIAS = nest.net[2].bias.data")],
        # The second child, a ReLU, is not the second Linear: net[1] has no bias, net[0] is the first layer.
        "first_layer": [("fancy_mlp_answer", "nest.net[2].bias", "nest.net[0].bias")],
        # Only the top module's own children: the Sequential's inner names are lost.
        "top_children": [("fancy_mlp_answer",
                          "NEST_PARAMS = [(name, tuple(p.shape)) for name, p in nest.named_parameters()]",
                          "NEST_PARAMS = [(name, tuple(p.shape)) for name, p in nest.linear.named_parameters()]")],
    },
}

# Automatic mutants (python -m autograder mutants 02_parameter_access) that behave as the notebook asks.
_SIZE = ("torch.Size is a subclass of tuple and equals the tuple of the same numbers: the notebook's "
         "\"形状元组\" accepts it (the alternative ordered_dict.py returns value.shape on purpose)")
EQUIVALENT = {
    "state_shapes_answer:3:22:drop-call.tuple": _SIZE,
    "param_table_answer:3:24:drop-call.tuple": _SIZE,
    "fancy_mlp_answer:2:28:drop-call.tuple": _SIZE,
    "fancy_mlp_answer:3:27:drop-call.tuple": _SIZE,
}
