"""One child process per submission: it runs the student's cells and answers probes.

Children are forked from a server that imported torch once (forkserver.py), so a
submission costs a fork, not a kernel start. The child never sees a check: it receives code
and inputs, and sends back plain data as bytes, which the parent reads with the restricted
loader. Limits are the child's own (rlimits, a temporary directory, a process group), so a
runaway submission can take down nobody but itself.
"""
import gc
import io
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

from . import plain
from .judge import SandboxGone
from .notebook import ROOT
from .student import Student, describe, probe


@dataclass(frozen=True)
class Limits:
    cell_seconds: float = 30.0      # nbgrader's Execute.timeout, read from nbgrader_config.py
    submission_seconds: float = 600.0  # the whole notebook, checks included
    memory_bytes: int = 4 * 2**30   # memory the child may write to
    output_bytes: int = 2**20       # stdout+stderr file; output past it is cut
    grace_seconds: float = 3.0      # after an interrupt, before the child is killed


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
    grader, the fork server, other submissions). Code that goes below Python (ctypes, other
    programs) is not covered: for adversarial classes, grade in a container per student."""
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


def _serve(conn, workdir: str, limits: Limits):
    # The millions of objects inherited from the fork server (torch and the rest) are never
    # garbage: left in the collector's lists, the first full collection walks them all (0.3 s)
    # and writes to every page it touches.
    gc.freeze()
    os.setpgrp()  # the parent kills the whole group: nothing the student starts outlives it
    os.chdir(workdir)
    os.environ["IPYTHONDIR"] = os.path.join(workdir, ".ipython")  # IPython's files stay in here
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
        self.process = ctx.Process(target=_serve, args=(child_end, self.workdir, limits), daemon=True)
        _start(self.process)
        child_end.close()
        self.timeouts = 0
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
            self.close()
            raise SandboxGone(self._death())

    def cell(self, source: str, label: str):
        """Run a student's cell: (error or None, output)."""
        return plain.load(self.call(("cell", source, label)))

    def _death(self) -> str:
        self.process.join(1)
        code = self.process.exitcode
        if code is not None and code < 0:
            return f"crashed (signal {signal.Signals(-code).name})"
        return f"crashed (exit code {code})"

    def close(self):
        if self.process.is_alive():
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
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
