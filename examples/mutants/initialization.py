"""Wrong answers for 03_initialization, including the book's pitfalls."""
MUTANTS = {
    # Variance instead of standard deviation: 0.01 is the std, N(0, 0.01) in variance notation has std 0.1.
    "builtin_init": [("builtin_init_answer", "std=0.01", "std=0.1")],
    # The normal variant of Xavier: right std, but its samples leave U(-a, a).
    "per_block_init": [("per_block_answer", "nn.init.xavier_uniform_(m.weight)", "nn.init.xavier_normal_(m.weight)")],
    # The mask the wrong way round: keeps the middle of U(-10, 10) instead of the tails.
    "my_init_distribution": [("my_init_answer", "m.weight *= m.weight.abs() >= 5", "m.weight *= m.weight.abs() < 5")],
    # A fresh Parameter: right distribution, but an optimizer made before init no longer sees the weight.
    "my_init_in_place": [("my_init_answer", "m.weight *= m.weight.abs() >= 5",
                          "m.weight = nn.Parameter(m.weight * (m.weight.abs() >= 5))")],
    # The two steps in the wrong order: [0, 0] ends up 43.
    "edit_first_layer": [("edit_first_layer_answer",
                          "net[0].weight[:] += 1\n        net[0].weight[0, 0] = 42",
                          "net[0].weight[0, 0] = 42\n        net[0].weight[:] += 1")],
    # Believes no_grad switches requires_grad off.
    "no_grad_quiz": [("no_grad_quiz_answer", '{"A", "C", "D", "E"}', '{"A", "B", "C", "D", "E"}')],
    # The book's test: an exact type comparison silently skips subclasses of nn.Linear.
    "subclass_safe": [("builtin_init_answer", "isinstance(m, nn.Linear)", "type(m) == nn.Linear")],
    # fan_out where fan_in is asked for: std sqrt(2/256) instead of sqrt(2/1024).
    "kaiming": [("kaiming_answer", 'nn.init.kaiming_normal_(w, mode="fan_in", nonlinearity="relu")',
                 'nn.init.kaiming_normal_(w, mode="fan_out", nonlinearity="relu")')],
    # trunc_normal_'s default bounds are -2 and 2 in absolute units: with std=0.02 nothing is cut.
    "orthogonal_trunc": [("orthogonal_trunc_answer", "nn.init.trunc_normal_(w, mean=0.0, std=std, a=-2 * std, b=2 * std)",
                          "nn.init.trunc_normal_(w, mean=0.0, std=std)")],
    # Xavier without the tanh gain.
    "gain_xavier": [("gain_xavier_answer", 'nn.init.xavier_normal_(w, gain=nn.init.calculate_gain("tanh"))',
                     "nn.init.xavier_normal_(w)")],
}
