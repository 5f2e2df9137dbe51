"""Wrong answers for 06_custom_layers, including the book's `.data` pitfall: one mistake each."""
MUTANTS = {
    "centered_layer": {
        # Per-row centring: the Sequential mean is still 0, but it is not the layer asked for.
        "per_row": [("centered_layer_answer", "X - X.mean()", "X - X.mean(dim=-1, keepdim=True)")],
        # Per-column centring, written for 2-D inputs.
        "per_column": [("centered_layer_answer", "X - X.mean()", "X - X.mean(dim=0)")],
        # The mean as a Python number: right values, but the gradient loses the mean's term.
        "item": [("centered_layer_answer", "X - X.mean()", "X - X.mean().item()")],
        # The mean detached from autograd: the same wrong gradient.
        "detached_mean": [("centered_layer_answer", "X - X.mean()", "X - X.mean().detach()")],
        # Centres the caller's tensor in place.
        "in_place": [("centered_layer_answer", "return X - X.mean()", "X -= X.mean()\n        return X")],
        # Only the first two dimensions averaged: right for 2-D inputs only.
        "two_dims": [("centered_layer_answer", "X - X.mean()", "X - X.mean(dim=(0, -1), keepdim=True)")],
    },
    "mylinear_params": {
        # Uniform instead of standard normal initialisation.
        "uniform": [("my_linear_answer", "nn.Parameter(torch.randn(in_units, units))",
                     "nn.Parameter(torch.rand(in_units, units))")],
        # A zero bias: invisible when weight and bias are pooled.
        "zero_bias": [("my_linear_answer", "nn.Parameter(torch.randn(units))", "nn.Parameter(torch.zeros(units))")],
        # A scaled-down weight (a habit from other initialisations).
        "scaled_weight": [("my_linear_answer", "nn.Parameter(torch.randn(in_units, units))",
                           "nn.Parameter(torch.randn(in_units, units) * 0.01)")],
        # A plain tensor attribute: not registered, so no parameter, no state_dict entry.
        "plain_tensor_bias": [("my_linear_answer", "self.bias = nn.Parameter(torch.randn(units))",
                               "self.bias = torch.randn(units, requires_grad=True)")],
    },
    "mylinear_forward": {
        # Bias added after the activation: consistent gradients, wrong values.
        "bias_after_relu": [("my_linear_answer", "F.relu(X @ self.weight + self.bias)",
                             "F.relu(X @ self.weight) + self.bias")],
        # No activation.
        "no_relu": [("my_linear_answer", "F.relu(X @ self.weight + self.bias)", "X @ self.weight + self.bias")],
        # Sigmoid instead of ReLU.
        "sigmoid": [("my_linear_answer", "F.relu(X @ self.weight + self.bias)",
                     "torch.sigmoid(X @ self.weight + self.bias)")],
    },
    "mylinear_grad": {
        # The book's forward: right values, but .data detaches the parameters from autograd.
        "book_data": [("my_linear_answer", "F.relu(X @ self.weight + self.bias)",
                       "F.relu(torch.matmul(X, self.weight.data) + self.bias.data)")],
        # The whole forward under no_grad.
        "no_grad": [("my_linear_answer", "        return F.relu(X @ self.weight + self.bias)",
                     "        with torch.no_grad():\n            return F.relu(X @ self.weight + self.bias)")],
        # Only the bias detached: weight still learns, bias never does.
        "detached_bias": [("my_linear_answer", "+ self.bias)", "+ self.bias.detach())")],
        # The input copied with torch.tensor: the layer passes no gradient back to what feeds it.
        "input_copied": [("my_linear_answer", "F.relu(X @ self.weight", "F.relu(torch.tensor(X.tolist()) @ self.weight")],
    },
    "mylinear_sequential": {
        "builtin_first": [("mylinear_net_answer", "MyLinear(64, 8), MyLinear(8, 1)", "nn.Linear(64, 8), MyLinear(8, 1)")],
        # The hidden width wrong.
        "wrong_width": [("mylinear_net_answer", "MyLinear(64, 8), MyLinear(8, 1)", "MyLinear(64, 16), MyLinear(16, 1)")],
        # One layer straight to the output.
        "one_layer": [("mylinear_net_answer", "MyLinear(64, 8), MyLinear(8, 1)", "MyLinear(64, 1)")],
    },
    "tensor_reduction": {
        # Squares each x_i instead of pairing x_i with x_j (still linear in W, so gradients stay consistent).
        "squares": [("tensor_reduction_answer", '"bi,bj,ijk->bk"', '"bi,bi,ijk->bk"')],
        # Zero initialisation: the forward formula is right, the init is not.
        "zero_init": [("tensor_reduction_answer", "torch.randn(d, d, k)", "torch.zeros(d, d, k)")],
        # Uniform initialisation.
        "uniform_init": [("tensor_reduction_answer", "torch.randn(d, d, k)", "torch.rand(d, d, k)")],
        # Only one factor of x: a linear map of the flattened weight, not a quadratic form.
        "linear_only": [("tensor_reduction_answer", 'torch.einsum("bi,bj,ijk->bk", X, X, self.weight)',
                         'torch.einsum("bi,ijk->bk", X, self.weight)')],
    },
    "tensor_reduction_grad": {
        # The same .data pitfall in the exercise layer.
        "data": [("tensor_reduction_answer", "X, X, self.weight)", "X, X, self.weight.data)")],
        # One factor detached: right values, half the gradient with respect to the input.
        "detached_factor": [("tensor_reduction_answer", "X, X, self.weight)", "X, X.detach(), self.weight)")],
        # The whole forward under no_grad.
        "no_grad": [("tensor_reduction_answer", "        return torch.einsum",
                     "        with torch.no_grad():\n            return torch.einsum")],
    },
    "fourier_layer": {
        # rfft's length: one coefficient too many.
        "rfft_length": [("fourier_layer_answer", "[..., : n // 2]", "[..., : n // 2 + 1]")],
        # The second dimension, right for 2-D inputs only.
        "dim_1": [("fourier_layer_answer", "torch.fft.fft(X, dim=-1)[..., : n // 2]",
                   "torch.fft.fft(X, dim=1)[:, : n // 2]")],
        # The orthonormal normalisation instead of the default.
        "ortho": [("fourier_layer_answer", "torch.fft.fft(X, dim=-1)", 'torch.fft.fft(X, dim=-1, norm="ortho")')],
        # Magnitudes instead of the complex coefficients.
        "magnitude": [("fourier_layer_answer", "return torch.fft.fft(X, dim=-1)[..., : n // 2]",
                       "return torch.fft.fft(X, dim=-1)[..., : n // 2].abs()")],
        # Through numpy: right values, but nothing flows back to the input.
        "detached": [("fourier_layer_answer", "torch.fft.fft(X, dim=-1)", "torch.fft.fft(X.detach(), dim=-1)")],
    },
}

# Automatic mutants (python -m autograder mutants 06_custom_layers) that behave as the notebook asks.
EQUIVALENT = {
    "fourier_layer_answer:5:32:drop-kwarg.dim": "torch.fft.fft transforms along dim=-1 by default: the same call",
}
