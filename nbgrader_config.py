# nbgrader configuration for the course (the CI grader reads Execute.timeout from here too).
c = get_config()  # noqa: F821

c.CourseDirectory.course_id = "d2l-computation"
c.CourseDirectory.release_directory = "assignments"
c.CourseDirectory.solution_directory = "solutions"
c.CourseDirectory.db_url = "sqlite:///gradebook.db"

# Seconds a single cell may run before nbgrader interrupts it; no course cell needs more.
c.Execute.timeout = 30
# After interrupting a timed-out cell, a busy machine can take longer than nbclient's 4 s to
# report; without this, nbgrader would fail the whole submission instead of grading it.
c.Execute.raise_on_iopub_timeout = False

# A student who deletes a test cell still gets it graded.
c.OverwriteCells.add_missing_cells = True

# Solutions are released without outputs or hidden tests, so regenerating them gives the committed files
# byte for byte (the tests prove the solutions run and score full marks).
c.GenerateSolution.preprocessors = [
    "nbgrader.preprocessors.IncludeHeaderFooter",
    "nbgrader.preprocessors.LockCells",
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.ClearMarkScheme",
    "nbgrader.preprocessors.ClearHiddenTests",
]

# The CI grader's own limits per submission (python -m autograder grade; flags override them).
c.Autograder.submission_seconds = 600  # a whole notebook, checks included
c.Autograder.memory_gib = 4       # address space of a submission's process
c.Autograder.output_kib = 1024    # what a cell may print before the rest is dropped

# nbgrader autograde runs each submission in a confined kernel (autograder/kernel.py): it may
# write only its working folder, connect nowhere, and leaves no process behind. Its kernel
# spec ships inside the package and is found through JUPYTER_PATH: no install step.
import os  # noqa: E402

import autograder.kernel  # noqa: E402

os.environ["JUPYTER_PATH"] = os.pathsep.join(
    p for p in (str(autograder.kernel.JUPYTER_PATH), os.environ.get("JUPYTER_PATH", "")) if p)
c.Execute.kernel_name = autograder.kernel.NAME
