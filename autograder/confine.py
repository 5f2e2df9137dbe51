"""Kernel-enforced confinement of a submission: one place, used by the CI grader's sandbox
(sandbox.py) and by nbgrader's kernel launcher (kernel.py).

What a confined process gets, each where the kernel offers it (``available()`` says which):

- ``landlock vN``: a Landlock domain (Linux >= 5.13). Read and execute only below the system's
  folders (/usr, /lib*, /bin, /sbin, /etc, /proc, /sys, /dev: devices may also be written and
  ioctl'd, for /dev/null and GPUs), Python's prefixes and import path, and the files the caller
  names; read-write only below its own scratch folder. Rights an older ABI lacks are dropped, as
  Linux's samples/landlock/sandboxer.c does: ABI >= 4 also denies TCP bind and connect (except
  ports the caller names for bind), ABI >= 6 scopes signals and abstract unix sockets to the
  domain. Landlock cannot deny a subpath of an allowed path, so a readable root that contains a
  hidden path (``autograder/checks``) is replaced by its entries, recursively (``carve``).
- ``netns``, ``pidns``: new network and PID namespaces (as root, or in an unprivileged user
  namespace where the system allows one): no network at all, and every process of the
  submission dies with its first one.
- ``uid``: as root, the submission runs under a uid of its own (2,000,000,000 + a pid), so
  that root's rights are gone and RLIMIT_NPROC, which root ignores, counts this submission's
  processes and threads alone.
- ``nproc``: RLIMIT_NPROC bounds its processes and threads (fork and thread bombs).
- ``no_new_privs`` always (it is what lets Landlock restrict an unprivileged process).

Fork and thread bombs, and why a uid: RLIMIT_NPROC is the one limit that counts threads and
processes together and costs nothing, but the kernel never applies it to root, and for any
other user it counts every process of that uid on the machine. A uid per submission makes it
exact (64 tasks), and lets the keeper (sandbox.py) count the submission's tasks with one
/proc scan every 0.25 s (only while its first process has children or many threads) and end it when it fills the limit (``crashed (too many
processes)``). A pids cgroup would do the same without a uid, but needs a writable, delegated
cgroup tree (cgroup v1 here, v2 on most CI runners, neither writable without root), and a PID
namespace alone bounds nothing. Python itself may live where only root can read
(/root/.pyenv), hence the one capability kept; without root (GitHub's runners) the limit is
the uid's current count plus 64, and the cell's time limit ends a bomb.

The binding is this small ctypes module. The maintained Python package ``landlock`` (PyPI,
1.0.0.dev5 at the time of writing) is a development release that covers filesystem rules
only: no TCP rules (ABI 4) nor scopes (ABI 6), which this module uses, so it is not used.
Nothing here needs a privilege or a package: on a kernel without a feature the call that
would use it fails and the feature is left out (``available()`` probes without changing the
calling process).
"""
import ctypes
import functools
import json
import os
import platform
import sys
from dataclasses import dataclass, field
from pathlib import Path

FULL = ("landlock", "netns", "pidns", "nproc")  # what --isolation strict requires (landlock >= 6)
STRICT_LANDLOCK_ABI = 6
PROCESSES = 64        # tasks (processes and threads) a submission may have at once
UID_BASE = 2_000_000_000

_SYS_CREATE, _SYS_ADD, _SYS_RESTRICT = 444, 445, 446  # the same number on every architecture
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH, _RULE_NET_PORT = 1, 2
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_SET_KEEPCAPS, PR_SET_CHILD_SUBREAPER, PR_SET_NO_NEW_PRIVS = 1, 4, 8, 36, 38
PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE = 47, 2
CAP_DAC_READ_SEARCH = 2
_CAPABILITY_VERSION_3 = 0x20080522
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000

# Filesystem rights (include/uapi/linux/landlock.h), and the ABI that introduced each.
EXECUTE, WRITE_FILE, READ_FILE, READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
REFER, TRUNCATE, IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
FS_V1 = (1 << 13) - 1  # execute ... make_sym
READ = EXECUTE | READ_FILE | READ_DIR
FILE_RIGHTS = EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE | IOCTL_DEV  # those a file rule may hold
DEVICES = READ | WRITE_FILE | TRUNCATE | IOCTL_DEV
NET_BIND_TCP, NET_CONNECT_TCP = 1 << 0, 1 << 1
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1 << 0, 1 << 1

SYSTEM = ["/usr", "/lib", "/lib32", "/lib64", "/libx32", "/bin", "/sbin", "/etc", "/proc", "/sys"]


class ConfinementError(Exception):
    """A protection that was asked for could not be applied."""


@functools.cache
def _libc():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    return libc


def _check(result):
    if result < 0:
        number = ctypes.get_errno()
        raise OSError(number, os.strerror(number))
    return result


def _prctl(option, value, arg3=0):
    libc = _libc()
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    return _check(libc.prctl(option, value, arg3, 0, 0))


def landlock_abi() -> int:
    """The kernel's Landlock ABI version, or 0 where there is no Landlock (another OS, an old
    kernel, Landlock not enabled at boot, a seccomp filter that refuses the call)."""
    if sys.platform != "linux":
        return 0
    libc = _libc()
    version = libc.syscall(ctypes.c_long(_SYS_CREATE), None, ctypes.c_size_t(0),
                           ctypes.c_uint32(_CREATE_RULESET_VERSION))
    return max(int(version), 0)


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


class _NetPort(ctypes.Structure):
    _fields_ = [("allowed_access", ctypes.c_uint64), ("port", ctypes.c_uint64)]


def fs_rights(abi: int) -> int:
    """Every filesystem right the ABI knows (the best-effort downgrade of sandboxer.c)."""
    rights = FS_V1
    if abi >= 2:
        rights |= REFER
    if abi >= 3:
        rights |= TRUNCATE
    if abi >= 5:
        rights |= IOCTL_DEV
    return rights


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def carve(roots, hidden) -> list[str]:
    """``roots`` less everything below a ``hidden`` path: a root that contains one is replaced
    by its entries (recursively, only along the way to the hidden path), since a Landlock rule
    grants a whole hierarchy. Roots below a hidden path go. Symbolic links are resolved."""
    hidden = [os.path.realpath(h) for h in hidden]
    out = []

    def split(path):
        path = os.path.realpath(path)
        if not os.path.exists(path) or any(_under(path, h) for h in hidden):
            return
        if not any(_under(h, path) for h in hidden) or not os.path.isdir(path):
            out.append(path)
            return
        for entry in sorted(os.listdir(path)):
            split(os.path.join(path, entry))

    for root in roots:
        split(root)
    return list(dict.fromkeys(out))


def python_roots(outside=None) -> list[str]:
    """What Python needs to run and import: its prefixes and import path. An import path entry
    inside ``outside`` (the course) is left out unless it is inside a prefix (the venv)."""
    prefixes = [sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix]
    roots = list(prefixes)
    for entry in sys.path:
        if not entry or not os.path.isdir(entry):
            continue
        real = os.path.realpath(entry)
        if outside and _under(os.path.realpath(outside), real):
            continue  # the course itself, or a folder above it
        if outside and _under(real, os.path.realpath(outside)) and not any(
                _under(real, os.path.realpath(p)) for p in prefixes):
            continue
        roots.append(entry)
    return roots


def readable(read=(), hidden=(), devices=("/dev",)) -> list:
    """The read rules, worked out once (a fork server computes them for all its children):
    ``(path, access, is_folder)``."""
    rules = [(p, READ) for p in carve(read, hidden)] + [(p, DEVICES) for p in devices]
    return [(p, access, os.path.isdir(p)) for p, access in rules if os.path.exists(p)]


def landlock(abi: int, read=(), write=(), devices=("/dev",), bind_ports=(), hidden=(), rules=None) -> None:
    """Restrict this process and its future children (Landlock ABI ``abi``, best effort).
    ``rules``: the result of ``readable`` (else worked out from ``read``, ``hidden``, ``devices``)."""
    libc = _libc()
    handled = fs_rights(abi)
    attr = _RulesetAttr(handled, (NET_BIND_TCP | NET_CONNECT_TCP) if abi >= 4 else 0,
                        (SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL) if abi >= 6 else 0)
    size = 8 if abi < 4 else 16 if abi < 6 else 24
    ruleset = _check(libc.syscall(ctypes.c_long(_SYS_CREATE), ctypes.byref(attr), ctypes.c_size_t(size),
                                  ctypes.c_uint32(0)))
    try:
        rules = list(readable(read, hidden, devices) if rules is None else rules)
        rules += [(p, handled, True) for p in write]
        for path, access, folder in rules:
            try:
                fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                continue  # not on this system
            try:
                if not folder:
                    access &= FILE_RIGHTS
                rule = _PathBeneath(access & handled, fd)
                _check(libc.syscall(ctypes.c_long(_SYS_ADD), ctypes.c_int(ruleset), ctypes.c_int(_RULE_PATH_BENEATH),
                                    ctypes.byref(rule), ctypes.c_uint32(0)))
            finally:
                os.close(fd)
        if abi >= 4:
            for port in bind_ports:
                rule = _NetPort(NET_BIND_TCP, int(port))
                _check(libc.syscall(ctypes.c_long(_SYS_ADD), ctypes.c_int(ruleset), ctypes.c_int(_RULE_NET_PORT),
                                    ctypes.byref(rule), ctypes.c_uint32(0)))
        _prctl(PR_SET_NO_NEW_PRIVS, 1)
        _check(libc.syscall(ctypes.c_long(_SYS_RESTRICT), ctypes.c_int(ruleset), ctypes.c_uint32(0)))
    finally:
        os.close(ruleset)


def no_new_privs() -> None:
    """No setuid bit or file capability of a program it runs gives it more rights."""
    _prctl(PR_SET_NO_NEW_PRIVS, 1)


def unshare(flags: int) -> None:
    _check(_libc().unshare(flags))


def namespaces(skip=()) -> list[str]:
    """Enter new network and PID namespaces where allowed (a new user namespace first when not
    root); the PID namespace takes effect for the next child. Returns what was entered."""
    wanted = [(name, flag) for name, flag in (("netns", CLONE_NEWNET), ("pidns", CLONE_NEWPID))
              if name not in skip]
    if not wanted or sys.platform != "linux":
        return []
    user = 0 if os.geteuid() == 0 else CLONE_NEWUSER
    uid, gid = os.getuid(), os.getgid()
    for names, flags in ([[n for n, _ in wanted], sum(f for _, f in wanted)], *(([n], f) for n, f in wanted)):
        try:
            unshare(user | flags)
        except OSError:
            continue
        if user:  # keep our own ids inside the user namespace
            for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
                try:
                    Path(f"/proc/self/{name}").write_text(text)
                except OSError:
                    pass
        return names
    return []


def own_uid(key: int):
    """A uid (and gid) for one submission, when root may switch to it here; else None."""
    if os.geteuid() != 0 or sys.platform != "linux":
        return None
    uid = UID_BASE + key % 100_000_000
    try:
        ranges = [tuple(map(int, line.split())) for line in Path("/proc/self/uid_map").read_text().splitlines()]
    except (OSError, ValueError):
        return None
    return uid if any(inside <= uid < inside + count for inside, _, count in ranges) else None


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def become(uid: int) -> None:
    """Switch from root to ``uid`` for good, keeping one capability: CAP_DAC_READ_SEARCH (also
    for the programs it starts, as an ambient capability), because Python or the venv may live
    where only root can look (/root/.pyenv). What is readable is Landlock's to say; writing,
    signalling and every other power of root are gone, and RLIMIT_NPROC applies again."""
    _prctl(PR_SET_KEEPCAPS, 1)
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    keep = 1 << CAP_DAC_READ_SEARCH
    data = (_CapData * 2)(_CapData(keep, keep, keep), _CapData(0, 0, 0))
    _check(_libc().capset(ctypes.byref(_CapHeader(_CAPABILITY_VERSION_3, 0)), data))
    _prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_DAC_READ_SEARCH)
    _prctl(PR_SET_DUMPABLE, 1)  # /proc/self stays its own (a uid change clears it)


def tasks_of_uid(uid: int) -> int:
    """Processes and threads of ``uid`` now (a /proc scan: the task folder's link count is
    2 + its threads)."""
    count = 0
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    count += os.stat(f"/proc/{entry.name}/task").st_nlink - 2
            except OSError:
                pass
    return count


def quiet(pid: int, threads: int = 8) -> bool:
    """Whether ``pid`` has no child and at most ``threads`` threads: then its uid's tasks need no
    counting (a handful of reads instead of a scan of /proc)."""
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
        return len(tasks) <= threads and not any(
            Path(f"/proc/{pid}/task/{t}/children").read_text().strip() for t in tasks)
    except OSError:
        return False


def limit_tasks(processes: int, uid_is_own: bool) -> bool:
    """RLIMIT_NPROC: ``processes`` tasks for a uid of its own, or that many more than the uid
    has now (it counts every process of the uid). Root ignores it: returns whether it holds."""
    import resource
    if os.geteuid() == 0:
        return False
    limit = processes if uid_is_own else tasks_of_uid(os.getuid()) + processes
    resource.setrlimit(resource.RLIMIT_NPROC, (limit, limit))
    return True


def subreaper() -> None:
    _prctl(PR_SET_CHILD_SUBREAPER, 1)


def die_with_parent() -> None:
    import signal
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def children(pid: int) -> list[int]:
    try:
        return [int(n) for t in os.listdir(f"/proc/{pid}/task")
                for n in Path(f"/proc/{pid}/task/{t}/children").read_text().split()]
    except OSError:
        pass
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(f"/proc/{entry.name}/stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, ValueError, IndexError):
                pass
    return found


def sweep() -> None:
    """Kill every descendant (this process is their subreaper: orphans come to it) until none
    is left, and reap them."""
    import signal
    for _ in range(1000):
        kids = children(os.getpid())
        if not kids:
            break
        for kid in kids:
            try:
                os.kill(kid, signal.SIGKILL)
            except OSError:
                pass
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            break
    try:
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    except ChildProcessError:
        pass


@dataclass
class Features:
    landlock: int = 0               # ABI version, 0: none
    namespaces: list = field(default_factory=list)
    uid: bool = False
    nproc: bool = False

    def names(self) -> list[str]:
        out = [f"landlock v{self.landlock}"] if self.landlock else []
        out += self.namespaces
        out += ["uid"] if self.uid else []
        out += ["nproc"] if self.nproc else []
        return out + (["no_new_privs"] if sys.platform == "linux" else [])

    def describe(self) -> str:
        return ", ".join(self.names()) or "none"

    def missing(self) -> list[str]:
        """What --isolation strict requires and this lacks."""
        have = set(self.namespaces) | ({"nproc"} if self.nproc else set())
        if self.landlock >= STRICT_LANDLOCK_ABI:
            have.add("landlock")
        return [f"landlock v{STRICT_LANDLOCK_ABI}+" if name == "landlock" else name
                for name in FULL if name not in have]


def available(skip=()) -> Features:
    """What this kernel and user offer, probed in a short-lived child (namespaces and the uid
    switch can only be tried)."""
    if sys.platform != "linux":
        return Features()
    abi = 0 if "landlock" in skip else landlock_abi()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read)
            spaces = namespaces(skip)
            uid = own_uid(os.getpid()) if "uid" not in skip else None
            if uid is not None:
                try:
                    become(uid)
                except OSError:
                    uid = None
            nproc = "nproc" not in skip and (uid is not None or os.geteuid() != 0)
            os.write(write, json.dumps([spaces, uid is not None, nproc]).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    try:
        spaces, uid, nproc = json.loads(data)
    except ValueError:
        spaces, uid, nproc = [], False, False
    return Features(abi, spaces, uid, nproc)


def machine() -> str:
    return f"{platform.system()} {platform.release()}"
