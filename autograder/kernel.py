"""nbgrader's kernel, confined: ``python -m autograder.kernel -f CONNECTION_FILE``.

The kernel spec ``autograder-confined`` (``jupyter/kernels/``; nbgrader_config.py puts that
folder on JUPYTER_PATH and names it ``Execute.kernel_name``) starts this launcher instead of
ipykernel. It applies the CI grader's confinement (confine.py) and then becomes ipykernel:

- the kernel's working folder (nbgrader's autograded/<student>/<assignment>) and a scratch
  folder of its own (HOME, TMPDIR, IPYTHONDIR, MPLCONFIGDIR) are writable, nothing else;
- readable: the system, Python and the venv, the connection file, and the whole autograder
  package, checks included (nbgrader runs them in this very kernel); not source/ nor
  solutions/ (nor the gradebook, other submissions or the course's other folders);
- TCP: bind only the five ports of its connection file and an ephemeral port (ipykernel's
  pipe for subprocess output), connect nowhere (Landlock ABI >= 4; no network namespace,
  since Jupyter talks to the kernel over the host's loopback);
- a PID namespace where allowed (the kernel is its first process: whatever it starts dies with
  it), else this launcher, as subreaper, kills what is left when the kernel ends; as root the
  kernel runs under a uid of its own with RLIMIT_NPROC (files it wrote are given back to the
  working folder's owner afterwards).

The launcher stays outside: it forwards signals (Jupyter's interrupt reaches the kernel through
its process group; a terminate becomes a kill, since the first process of a PID namespace
ignores signals it has no handler for), waits, sweeps and exits with the kernel's status.
"""
import json
import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path

from . import confine

NAME = "autograder-confined"
JUPYTER_PATH = Path(__file__).resolve().parent / "jupyter"  # holds kernels/autograder-confined/
PACKAGE = Path(__file__).resolve().parent
COURSE = PACKAGE.parent


def _connection(argv) -> str:
    try:
        return argv[argv.index("-f") + 1]
    except (ValueError, IndexError):
        sys.exit("usage: python -m autograder.kernel -f CONNECTION_FILE")


def _chown_back(folder: str, uid: int, gid: int) -> None:
    for top, dirs, files in os.walk(folder):
        for name in [top] + [os.path.join(top, n) for n in dirs + files]:
            try:
                os.lchown(name, uid, gid)
            except OSError:
                pass


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    connection = os.path.abspath(_connection(argv))
    with open(connection) as file:
        info = json.load(file)
    ports = [info[k] for k in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port") if info.get(k)]
    cwd = os.getcwd()
    owner = os.stat(cwd)
    scratch = tempfile.mkdtemp(prefix="kernel-")
    for name, sub in (("HOME", ""), ("TMPDIR", ""), ("IPYTHONDIR", ".ipython"), ("MPLCONFIGDIR", ".matplotlib"),
                      ("XDG_CACHE_HOME", ".cache")):
        os.environ[name] = os.path.join(scratch, sub) if sub else scratch
    linux = sys.platform == "linux"
    spaces = confine.namespaces(skip=("netns",)) if linux else []
    uid = confine.own_uid(os.getpid()) if linux else None
    if uid is not None:  # the folders themselves; what the kernel writes is given back after
        for folder in (cwd, scratch):
            os.chown(folder, uid, uid)
    if linux:
        confine.subreaper()
    waited = {signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT}
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, waited)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Jupyter interrupts the whole process group
    kernel = os.fork()
    if kernel == 0:
        try:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            if linux:
                confine.no_new_privs()
                confine.die_with_parent()
                if uid is not None:
                    confine.become(uid)
                confine.limit_tasks(confine.PROCESSES, uid is not None)
                abi = confine.landlock_abi()
                if abi:
                    confine.landlock(abi, read=confine.SYSTEM + confine.python_roots(COURSE) + [str(PACKAGE), connection],
                                     write=[cwd, scratch], bind_ports=ports + [0],
                                     hidden=[COURSE / "source", COURSE / "solutions"])
            os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", *argv])
        except BaseException as error:
            print(f"autograder.kernel: could not start the confined kernel: {error}", file=sys.stderr)
        finally:
            os._exit(1)
    status = None
    while status is None:
        got = signal.sigwaitinfo(waited)
        if got.si_signo != signal.SIGCHLD:
            os.kill(kernel, signal.SIGKILL)
        pid, code = os.waitpid(kernel, os.WNOHANG)
        if pid:
            status = code
    if linux:
        confine.sweep()
    if uid is not None:
        _chown_back(cwd, owner.st_uid, owner.st_gid)
    shutil.rmtree(scratch, ignore_errors=True)
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main())
