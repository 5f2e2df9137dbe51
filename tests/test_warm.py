"""The fork server's warm-up (autograder/warm.py) runs, and leaves nothing a submission could see."""
import os
import subprocess
import sys

from autograder.notebook import ROOT

PROBE = """
import importlib, os, threading, torch
from autograder.forkserver import PRELOAD
for name in PRELOAD[:PRELOAD.index("autograder.warm")]:  # what the server imports first
    try:
        importlib.import_module(name)
    except ImportError:
        pass
def files():
    return sorted(os.path.join(d, f) for top in (os.environ["HOME"], os.environ["TMPDIR"]) for d, _, fs in os.walk(top) for f in fs + _)
before, state = files(), torch.get_rng_state()
from autograder import warm
warm._warm()  # raises if a path no longer works on this torch: the warm-up would be silently gone
torch.set_rng_state(state)
importlib.reload(warm)
assert torch.equal(torch.get_rng_state(), state), "the random generator moved"
assert threading.active_count() == 1, threading.enumerate()
assert torch.get_num_threads() == 1
assert files() == before, sorted(set(files()) - set(before))
print("ok")
"""


def test_warm_up_runs_and_leaves_nothing_behind(tmp_path):
    """It runs, and leaves no thread, no moved generator and no file (in a home and a temporary
    folder of its own) behind."""
    home, tmp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir(), tmp.mkdir()
    env = {**os.environ, "HOME": str(home), "TMPDIR": str(tmp), "XDG_CACHE_HOME": str(home / ".cache")}
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0 and done.stdout.strip().endswith("ok"), done.stderr[-3000:]
