"""Wrong answers, one module per assignment (``NN_slug`` -> ``slug.py``).

``MUTANTS`` maps each check to edits of the solution notebook: ``(grade_id, old, new)``
replaces ``old`` by ``new`` in the answer cell ``grade_id``. A submission with those edits
must lose exactly that check's points: the proof that every check can fail.
"""
