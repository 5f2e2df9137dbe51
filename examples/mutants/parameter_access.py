"""Wrong answers for 02_parameter_access."""
MUTANTS = {
    # named_parameters() instead of state_dict(): the buffers (BatchNorm's running statistics) go missing.
    "state_shapes": [("state_shapes_answer", "module.state_dict().items()", "module.named_parameters()")],
    # The loss is not the one asked for, so the recorded gradients are off by a factor.
    "grad_snapshot": [("grad_snapshot_answer", "net(X).sum().backward()", "net(X).mean().backward()")],
    # state_dict() lists buffers too: running_mean and friends are not parameters.
    "param_table": [("param_table_answer", "net.named_parameters()", "net.state_dict().items()")],
    # The 5.1 pitfall: one block1() object put in all four places shares one set of parameters.
    "rgnet": [("rgnet_answer", "    net = nn.Sequential()\n", "    net = nn.Sequential()\n    one = block1()\n"),
              ("rgnet_answer", 'f"block {i}", block1())', 'f"block {i}", one)')],
    # Off by one: the last index of the path is never used.
    "deep_param": [("deep_param_answer", "for index in path:", "for index in path[:-1]:")],
    # state_dict() counts a shared layer at every place it appears, and counts buffers.
    "count_parameters": [("count_parameters_answer", "p.numel() for p in net.parameters()",
                          "v.numel() for v in net.state_dict().values()")],
    # state_dict() also holds the buffer rand_weight, which is not a parameter.
    "fancy_fixed": [("fancy_mlp_answer", "for name, p in fixed.named_parameters()",
                     "for name, p in fixed.state_dict().items()")],
    # The book's habit of reaching for .data: a plain tensor, not the Parameter.
    "fancy_nest": [("fancy_mlp_answer", "NEST_SECOND_BIAS = nest.net[2].bias", "NEST_SECOND_BIAS = nest.net[2].bias.data")],
}
