"""Hidden checks, one module per assignment (``NN_slug`` -> ``slug.py``). Never shipped to students."""
