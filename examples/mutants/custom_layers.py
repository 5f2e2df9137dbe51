"""Wrong answers for 06_custom_layers, including the book's `.data` pitfall."""
MUTANTS = {
    # Per-row centring: the Sequential mean is still 0, but it is not the layer asked for.
    "centered_layer": [("centered_layer_answer", "X - X.mean()", "X - X.mean(dim=-1, keepdim=True)")],
    # Uniform instead of standard normal initialisation.
    "mylinear_params": [("my_linear_answer", "nn.Parameter(torch.randn(in_units, units))",
                         "nn.Parameter(torch.rand(in_units, units))")],
    # Bias added after the activation: consistent gradients, wrong values.
    "mylinear_forward": [("my_linear_answer", "F.relu(X @ self.weight + self.bias)",
                          "F.relu(X @ self.weight) + self.bias")],
    # The book's forward: right values, but .data detaches the parameters from autograd.
    "mylinear_grad": [("my_linear_answer", "F.relu(X @ self.weight + self.bias)",
                       "F.relu(torch.matmul(X, self.weight.data) + self.bias.data)")],
    "mylinear_sequential": [("mylinear_net_answer", "MyLinear(64, 8), MyLinear(8, 1)",
                             "nn.Linear(64, 8), MyLinear(8, 1)")],
    # Squares each x_i instead of pairing x_i with x_j (still linear in W, so gradients stay consistent).
    "tensor_reduction": [("tensor_reduction_answer", '"bi,bj,ijk->bk"', '"bi,bi,ijk->bk"')],
    # The same .data pitfall in the exercise layer.
    "tensor_reduction_grad": [("tensor_reduction_answer", "X, X, self.weight)", "X, X, self.weight.data)")],
    # rfft's length: one coefficient too many.
    "fourier_layer": [("fourier_layer_answer", "[..., : n // 2]", "[..., : n // 2 + 1]")],
}
