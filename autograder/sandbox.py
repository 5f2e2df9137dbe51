"""One child process per submission: it runs the student's cells and answers probes.

Children are forked from a server that imported torch once (forkserver.py), so a
submission costs a fork, not a kernel start. The child never sees a check: it receives code
and inputs, and sends back plain data as bytes, which the parent reads with the restricted
loader. Limits are the child's own (rlimits, a temporary directory, a process group), so a
runaway submission can take down nobody but itself.

Each submission is two processes. The keeper (``_keep``, the process the grader started)
enters new namespaces where the kernel allows, forks the server and stays outside the
sandbox: it forwards the grader's interrupts, watches the submission's process count, and when
the server ends it kills whatever the submission left (in a PID namespace the kernel does). The
server (``_serve``) confines itself (confine.py: Landlock, a uid of its own, rlimits) before
the first student cell, tells the grader which protections hold, then runs the notebook.
"""
import gc
import io
import json
import linecache
import os
import resource
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
import types
from dataclasses import dataclass
from pathlib import Path

from . import confine, plain
from .judge import SandboxGone
from .notebook import ROOT, SOURCE
from .student import Student, describe, probe


@dataclass(frozen=True)
class Limits:
    cell_seconds: float = 30.0      # nbgrader's Execute.timeout, read from nbgrader_config.py
    submission_seconds: float = 600.0  # the whole notebook, checks included
    memory_bytes: int = 4 * 2**30   # memory the child may write to
    output_bytes: int = 2**20       # stdout+stderr file; output past it is cut
    grace_seconds: float = 3.0      # after an interrupt, before the child is killed
    isolation: str = "default"      # "strict": no grading without every protection (confine.FULL)
    without: tuple = ()             # protections not to use, as if the kernel lacked them (tests)
    processes: int = confine.PROCESSES  # processes and threads of one submission at once


AUTOGRADER = Path(__file__).resolve().parent
HIDDEN = (AUTOGRADER / "checks", SOURCE, ROOT / "solutions")  # never readable by a submission
TOO_MANY = 213  # the keeper's exit status when the submission hit its process limit
# What a submission may read, worked out once here (in the fork server) for every child.
READABLE = confine.readable(confine.SYSTEM + confine.python_roots(ROOT) + [str(AUTOGRADER)], HIDDEN) \
    if sys.platform == "linux" else []


# ---- the child ---------------------------------------------------------------------------

def _compile(source: str, label: str):
    """A cell as IPython runs it. IPython's syntax (``%magic``, ``!cmd``, ``x?``) is never valid
    Python, so only a cell that does not compile pays for IPython's transformer."""
    try:
        code = compile(source, label, "exec")
    except SyntaxError:
        from IPython.core.inputtransformer2 import TransformerManager
        source = TransformerManager().transform_cell(source)
        code = compile(source, label, "exec")
    linecache.cache[label] = (len(source), None, source.splitlines(True), label)
    return code


def _run_cell(namespace: dict, source: str, label: str):
    """Execute one cell; return None or a short traceback restricted to the student's cells."""
    try:
        exec(_compile(source, label), namespace)
        return None
    except KeyboardInterrupt:
        return "CellTimeoutError: 单元格运行超时，已被中断"
    except BaseException as error:
        frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.startswith("<单元格")]
        lines = traceback.format_list(frames[-3:]) + [describe(error)]
        return "".join(lines)[-2000:]


def _shell(main: types.ModuleType):
    """``get_ipython`` for cells in IPython's syntax (``%matplotlib inline``, ``%%time``,
    ``!ls``), which call it: a real IPython shell on the notebook's namespace, made on first use."""
    shell = None

    def get_ipython():
        nonlocal shell
        if shell is None:
            from IPython.core.interactiveshell import InteractiveShell
            from traitlets.config import Config

            class Shell(InteractiveShell):
                def enable_gui(self, gui=None):  # %matplotlib: no GUI event loop here
                    pass
            shell = Shell.instance(config=Config(HistoryManager={"enabled": False}),
                                   user_module=main, user_ns=main.__dict__)
        return shell
    return get_ipython


class _Output(io.TextIOBase):
    """The student's stdout and stderr: what fits under the cap is kept, the rest dropped."""

    def __init__(self, limit: int):
        self.room = limit

    def write(self, text):
        data = text.encode("utf-8", "replace")[: max(self.room, 0)]
        self.room -= len(data)
        if data:
            try:
                os.write(1, data)
            except OSError:  # output written below Python (C code, subprocesses) filled the file
                pass
        return len(text)


def _drain(log, limit: int) -> str:
    """What the cell printed (cut at ``limit``); the file starts empty again for the next."""
    log.seek(0)
    text = log.read(limit).decode("utf-8", "replace")
    log.seek(0)
    log.truncate()
    return text


def _guard():
    """An audit hook in the child: the student's code may not open the hidden checks, the
    source notebooks or the solutions, nor signal a process outside its own process group (the
    grader, the fork server, other submissions). The second layer: code that goes below Python
    (ctypes, other programs) meets the kernel's confinement instead (``_confine``)."""
    hidden = tuple(str(ROOT / folder) + os.sep for folder in ("autograder/checks", "source", "solutions"))
    group = os.getpgrp()

    def hook(event, args, realpath=os.path.realpath, getpgid=os.getpgid):
        if event == "open" and isinstance(args[0], (str, bytes)):
            if realpath(os.fsdecode(args[0])).startswith(hidden):
                raise PermissionError("评分时不能读取隐藏检查")
        elif event in ("os.kill", "os.killpg"):
            pid = args[0]
            try:
                ours = pid == 0 or (getpgid(pid) if event == "os.kill" and pid > 0 else abs(pid)) == group
            except OSError:
                ours = False
            if not ours:
                raise PermissionError("评分时不能向其他进程发信号")

    sys.addaudithook(hook)


def _keep(conn, workdir: str, limits: Limits):
    """The submission's first process, outside its sandbox: namespaces, then the server."""
    gc.freeze()  # before the fork, so that neither process copies the collector's pages
    linux = sys.platform == "linux"
    if not linux:  # no namespaces, subreaper or sigtimedwait: one process, its own group
        _serve(conn, workdir, limits)
        return
    os.setpgrp()  # the grader's last resort kills this group
    spaces = confine.namespaces(limits.without)
    uid = confine.own_uid(os.getpid()) if "uid" not in limits.without else None
    if uid is not None:
        try:
            os.chown(workdir, uid, uid)
        except OSError:
            uid = None
    try:
        confine.subreaper()  # without a PID namespace, orphans of the submission come here
    except OSError:
        pass
    waited = {signal.SIGCHLD, signal.SIGINT, signal.SIGTERM}
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, waited)
    server = os.fork()
    if server == 0:
        try:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            _serve(conn, workdir, limits, spaces, uid)
        finally:
            os._exit(0)
    conn.close()
    watch = uid is not None and "nproc" not in limits.without  # the uid counts its tasks alone
    status = too_many = None
    while status is None:
        got = signal.sigtimedwait(waited, 0.25 if watch else 60)
        if got is not None and got.si_signo == signal.SIGINT:  # the grader interrupts a cell
            os.kill(server, signal.SIGINT)
            continue
        if got is not None and got.si_signo == signal.SIGTERM:  # the grader is done with it
            os.kill(server, signal.SIGKILL)
            if "pidns" in spaces:  # the kernel ends them all: the grader need not wait for that
                os._exit(TOO_MANY if too_many else 0)
        pid, code = os.waitpid(server, os.WNOHANG)
        if pid:
            status = code
        elif got is None and watch and not confine.quiet(server) and \
                confine.tasks_of_uid(uid) >= limits.processes * 3 // 4:
            too_many = True  # a fork or thread bomb (near its limit, where it hovers): it ends here
            os.kill(server, signal.SIGKILL)
    confine.sweep()  # in a PID namespace the kernel has already killed them all
    if too_many:
        os._exit(TOO_MANY)
    if os.WIFSIGNALED(status):  # die as the server died, so the grader can say how
        if os.WTERMSIG(status) not in (signal.SIGKILL, signal.SIGSTOP):
            signal.signal(os.WTERMSIG(status), signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_SETMASK, set())
        os.kill(os.getpid(), os.WTERMSIG(status))
    os._exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 1)


def _confine(got: confine.Features, workdir: str, limits: Limits, uid) -> None:
    """The server's own confinement, before any student code; ``got`` records what holds.
    Each step stands alone: in the default mode a step the kernel refuses is left out."""
    if sys.platform != "linux":
        return
    errors = []

    def step(apply):
        try:
            apply()
        except Exception as error:
            errors.append(f"{type(error).__name__}: {error}")

    def become():
        confine.become(uid)
        got.uid = True

    def nproc():
        got.nproc = confine.limit_tasks(limits.processes, got.uid)

    def landlock():
        abi = confine.landlock_abi()
        if abi:
            confine.landlock(abi, write=[workdir], rules=READABLE)
            got.landlock = abi

    step(confine.no_new_privs)
    step(confine.die_with_parent)  # the keeper killed: the server (in a PID namespace, all) too
    if uid is not None:
        step(become)
    if "nproc" not in limits.without:
        step(nproc)
    if "landlock" not in limits.without:
        step(landlock)
    if errors and limits.isolation == "strict":
        raise confine.ConfinementError("; ".join(errors))


def _serve(conn, workdir: str, limits: Limits, spaces=(), uid=None):
    # The millions of objects inherited from the fork server (torch and the rest) are never
    # garbage: left in the collector's lists, the first full collection walks them all (0.3 s)
    # and writes to every page it touches.
    gc.freeze()
    me = os.getpid()
    os.setpgrp()  # its own group, apart from the keeper's
    os.chdir(workdir)
    for name, sub in (("HOME", ""), ("TMPDIR", ""), ("IPYTHONDIR", ".ipython"), ("MPLCONFIGDIR", ".matplotlib"),
                      ("XDG_CACHE_HOME", ".cache")):  # every file it writes stays in here
        os.environ[name] = os.path.join(workdir, sub) if sub else workdir
    tempfile.tempdir = workdir
    got = confine.Features(namespaces=list(spaces))
    try:
        _confine(got, workdir, limits, uid)
    except Exception as error:  # never graded unconfined in strict mode; in default, with less
        if limits.isolation == "strict":
            conn.send_bytes(json.dumps(["error", f"{type(error).__name__}: {error}", []]).encode())
            return
    conn.send_bytes(json.dumps(["ready", got.describe(), got.missing()]).encode())
    _guard()
    # The data limit counts what the process writes to (heap, anonymous memory), not address
    # space that is only reserved, which CUDA reserves by the terabyte.
    resource.setrlimit(resource.RLIMIT_DATA, (limits.memory_bytes, limits.memory_bytes))
    # Output from below Python bypasses _Output: the file size limit keeps it off the disk.
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.output_bytes * 4, limits.output_bytes * 4))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an over-long write fails instead of killing
    signal.signal(signal.SIGINT, signal.default_int_handler)
    log = open("output.log", "w+b")
    os.dup2(log.fileno(), 1)
    os.dup2(log.fileno(), 2)
    sys.stdin = open(os.devnull)
    import torch
    torch.set_num_threads(1)  # parallelism comes from grading submissions side by side
    # The student's namespace is a real __main__ module, as in Jupyter: pickle (torch.save of a
    # whole model) finds the classes the notebook defined.
    main = sys.modules["__main__"] = types.ModuleType("__main__")
    namespace = main.__dict__
    namespace["__builtins__"] = __builtins__
    namespace["get_ipython"] = _shell(main)
    while True:
        sys.stdout = sys.stderr = _Output(limits.output_bytes)
        try:
            message = conn.recv()
        except KeyboardInterrupt:  # an interrupt that came after the reply: nothing to stop
            continue
        except EOFError:
            return
        try:
            if message[0] == "cell":
                error = _run_cell(namespace, message[1], message[2])
                reply = plain.dump((error, _drain(log, limits.output_bytes)))
            else:
                code, inputs, returns, seed = message[1:]
                reply = probe(namespace, code, plain.load(inputs), returns, seed)
            if os.getpid() != me:  # a process the student forked came back here: it ends
                os._exit(0)
        except KeyboardInterrupt:
            reply = plain.dump((False, "CellTimeoutError: 检查运行你的代码超时，已被中断"))
        except BaseException as error:  # the sandbox's own step failed (say, memory): say so, go on
            text = f"评分沙盒出错：{describe(error)}"
            reply = plain.dump((text, "") if message[0] == "cell" else (False, text))
        conn.send_bytes(reply)


# ---- the parent --------------------------------------------------------------------------

_STARTING = threading.Lock()


def _start(process):
    """Start a child without multiprocessing re-running the parent's ``__main__`` in it
    (a script, pytest, or stdin, which cannot be re-run): the child needs only this module."""
    with _STARTING:
        main = sys.modules["__main__"]
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            process.start()
        finally:
            sys.modules["__main__"] = main


class Sandbox:
    def __init__(self, ctx, limits: Limits):
        self.limits = limits
        self.workdir = tempfile.mkdtemp(prefix="submission-")
        self.conn, child_end = ctx.Pipe()
        self.process = ctx.Process(target=_keep, args=(child_end, self.workdir, limits), daemon=True)
        _start(self.process)
        child_end.close()
        self.timeouts = 0
        self.isolation = ""
        # The server says which protections hold before it runs anything of the student's.
        try:
            if not self.conn.poll(max(120.0, limits.cell_seconds)):
                raise EOFError
            kind, self.isolation, missing = json.loads(self.conn.recv_bytes(4096))
        except (EOFError, OSError, ValueError):
            self.close()
            raise confine.ConfinementError(f"the sandbox did not start ({self._death()})") from None
        if kind != "ready" or (limits.isolation == "strict" and missing):
            self.close()
            raise confine.ConfinementError(f"--isolation strict: {self.isolation}" if kind != "ready" else
                                           f"--isolation strict, but this submission lacks {', '.join(missing)}")
        self.deadline = time.monotonic() + limits.submission_seconds

    def call(self, message) -> bytes:
        """Send one request; wait the cell time limit; interrupt, then kill if need be."""
        try:
            self.conn.send(message)
            wait = min(self.limits.cell_seconds, self.deadline - time.monotonic())
            if not self.conn.poll(max(wait, 0)):
                self.timeouts += 1
                if wait < self.limits.cell_seconds:  # the whole notebook is over its time
                    self.close()
                    raise SandboxGone("timeout")
                os.kill(self.process.pid, signal.SIGINT)
                if not self.conn.poll(self.limits.grace_seconds):
                    self.close()
                    raise SandboxGone("timeout")
            return self.conn.recv_bytes(plain.LIMIT)
        except (EOFError, OSError, BrokenPipeError):
            death = self._death()  # how the keeper ended, before close() ends it in any case
            self.close()
            raise SandboxGone(death)

    def cell(self, source: str, label: str):
        """Run a student's cell: (error or None, output)."""
        return plain.load(self.call(("cell", source, label)))

    def _death(self) -> str:
        self.process.join(1)
        code = self.process.exitcode
        if code == TOO_MANY:
            return "crashed (too many processes)"
        if code is not None and code < 0:
            return f"crashed (signal {signal.Signals(-code).name})"
        return f"crashed (exit code {code})"

    def close(self):
        """End the submission: the keeper kills the server and sweeps up what it left (in a PID
        namespace, the server's death kills them all); a keeper that does not exit is killed."""
        if self.process.is_alive():
            try:
                os.kill(self.process.pid, signal.SIGTERM)
                self.process.join(3)
            except ProcessLookupError:
                pass
        try:  # the keeper's group (and where there is no keeper, the server's)
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.join(5)
        self.conn.close()
        shutil.rmtree(self.workdir, ignore_errors=True)


class RemoteStudent(Student):
    def __init__(self, sandbox: Sandbox, check_name: str):
        super().__init__(check_name)
        self.sandbox = sandbox

    def _probe(self, code, inputs, returns, seed):
        return self.sandbox.call(("probe", code, inputs, returns, seed))
