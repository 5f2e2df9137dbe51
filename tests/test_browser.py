"""The student's flow in a real browser: JupyterLab, Run All, nbgrader's Validate button.

Headless Chromium (Debian's /usr/bin/chromium, driven by the `playwright` Python package)
opens 01_blocks in JupyterLab, runs every cell, checks the outputs, then presses nbgrader's
Validate button and reads the dialog. Two more hand Validate a notebook whose read-only test
cell a student edited, and one with a wrong answer that a visible assertion catches, and expect
nbgrader's failure dialog, so the check can fail.

Chromium is installed by the test set-up when it is missing (`apt-get install -y chromium`,
as root on Debian). Where that cannot be done the tests fail, unless COURSE_SKIP_BROWSER=1 is
set explicitly. Screenshots and the server's log go to COURSE_BROWSER_ARTIFACTS if set, else to
a new /tmp/course-browser-test-* folder that is kept; the path is printed.
"""
import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from autograder.notebook import grade_id
from examples import sample_class

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENT = "01_blocks"
CHROMIUM = os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium")
CJK_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
# Without the background-networking flags Chromium hangs on a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SUCCESS = "Success! Your notebook passes all the tests."    # nbgrader 0.9 labextension's text
CHANGED = "The source of the following cell has changed, but it should not have!"
TAMPERED_CELL = "mlp_forward"                               # a read-only (locked) test cell
# A wrong answer that the visible assertions of MLP's test cells catch: the output layer's size.
WRONG_ANSWER = ("mlp", "nn.Linear(256, 10)", "nn.Linear(256, 5)")

# Bounds: nothing below waits longer than these (milliseconds for the browser).
SERVER_START_S = 90
RUN_ALL_MS = 120_000
VALIDATE_MS = 150_000
STEP_MS = 30_000


def _skip_requested():
    return os.environ.get("COURSE_SKIP_BROWSER", "").strip().lower() in {"1", "true", "yes"}


def _run(cmd, timeout):
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    try:
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"{' '.join(cmd)}: no result after {timeout} s"
    if done.returncode:
        return f"{' '.join(cmd)} exited {done.returncode}:\n{(done.stdout + done.stderr)[-2000:]}"
    return None


def ensure_chromium():
    """Debian's Chromium, installed with apt-get when missing and we are root; else fail.

    A Chinese font (fonts-wqy-microhei) comes with it, so the screenshots are legible; the
    assertions read the page's text and do not need it.
    """
    packages = [name for name, path in (("chromium", CHROMIUM), ("fonts-wqy-microhei", CJK_FONT))
                if not Path(path).exists()]
    if "chromium" not in packages:
        return CHROMIUM
    problem = None
    if os.geteuid() != 0:
        problem = "not root, so the test set-up cannot apt-get install it"
    elif not shutil.which("apt-get"):
        problem = "no apt-get on this machine"
    else:
        problem = (_run(["apt-get", "update"], timeout=300)
                   or _run(["apt-get", "install", "-y", *packages], timeout=900))
    if Path(CHROMIUM).exists():
        return CHROMIUM
    pytest.fail(
        f"The browser test needs Chromium at {CHROMIUM}: {problem or 'apt-get did not install it'}.\n"
        "Install it (Debian: `apt-get install -y chromium`), point COURSE_CHROMIUM at a Chromium "
        "binary, or set COURSE_SKIP_BROWSER=1 to skip the browser tests deliberately.",
        pytrace=False,
    )


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tampered(nb):
    """The solved notebook with a read-only test cell edited, as a student might."""
    nb = nbformat.from_dict(nb)
    cell = next(c for c in nb.cells if grade_id(c) == TAMPERED_CELL)
    cell.source += "\npass  # 学生改动了只读的评分单元\n"
    return nb


@pytest.fixture(scope="session")
def artifacts(request):
    """Where the screenshots and the server's log go: kept after the run (pytest's own temporary
    folders are pruned to the last three runs, by any pytest on the machine)."""
    folder = os.environ.get("COURSE_BROWSER_ARTIFACTS")
    if folder:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
    else:
        folder = Path(tempfile.mkdtemp(prefix="course-browser-test-"))
    capture = request.config.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled() if capture else contextlib.nullcontext():
        print(f"\nbrowser test: screenshots and JupyterLab's log in {folder}", flush=True)
    return folder


# Module scope: the browser, the server and its kernels are gone before the next test file runs.
@pytest.fixture(scope="module")
def browser():
    if _skip_requested():
        pytest.skip("COURSE_SKIP_BROWSER is set")
    executable = ensure_chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("The browser test needs the `playwright` Python package (pip install -e . installs it).",
                    pytrace=False)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS,
                                     timeout=60_000)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def lab(tmp_path_factory, artifacts):
    """JupyterLab on 127.0.0.1 over a student's copy of the assignment; stopped at the end.

    root/01_blocks/ holds the release with every answer filled in from solutions/;
    root/01_blocks_tampered/ the same with a read-only test cell edited; root/01_blocks_wrong/
    the same with a wrong answer that a visible assertion catches. The server runs from a
    folder holding the course's nbgrader_config.py, which Validate reads (its cell time limit).
    """
    if _skip_requested():
        pytest.skip("COURSE_SKIP_BROWSER is set")
    base = tmp_path_factory.mktemp("lab")
    root, cwd = base / "root", base / "cwd"
    solved = sample_class.solved(ASSIGNMENT)
    for folder, nb in ((ASSIGNMENT, solved), (f"{ASSIGNMENT}_tampered", tampered(solved)),
                       (f"{ASSIGNMENT}_wrong", sample_class.edit(solved, [WRONG_ANSWER]))):
        (root / folder).mkdir(parents=True)
        nbformat.write(nb, root / folder / f"{ASSIGNMENT}.ipynb")
    cwd.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", cwd)
    # JupyterLab settings: no news or update questions popping over the notebook.
    settings = base / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(
        '{"fetchNews": "false", "checkForUpdates": false}')

    venv_bin = str(Path(sys.executable).parent)
    env = dict(
        os.environ,
        PATH=venv_bin + os.pathsep + os.environ.get("PATH", ""),  # the kernel imports torch from here
        JUPYTER_CONFIG_DIR=str(base / "config"),        # not the user's ~/.jupyter
        JUPYTER_RUNTIME_DIR=str(base / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(base / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(base / "workspaces"),
        IPYTHONDIR=str(base / "ipython"),
        MPLBACKEND="Agg",
        PYTHONUNBUFFERED="1",
    )
    port, token = free_port(), secrets.token_hex(16)
    cmd = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
        "--LabApp.extension_manager=readonly",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.news_url=None",
    ]
    if os.geteuid() == 0:
        cmd.append("--allow-root")  # CI runs as root
    log_path = artifacts / "jupyterlab.log"
    log = open(log_path, "w")
    server = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
                              stdin=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_S
        while True:
            if server.poll() is not None:
                pytest.fail(f"JupyterLab exited with {server.returncode}:\n{log_path.read_text()[-3000:]}",
                            pytrace=False)
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"JupyterLab did not answer within {SERVER_START_S} s:\n"
                            f"{log_path.read_text()[-3000:]}", pytrace=False)
            time.sleep(0.5)
        yield {"url": url, "token": token, "root": root}
    finally:
        _stop(server, base / "runtime")
        log.close()


def _stop(server, runtime):
    """SIGTERM the server (it shuts its kernels down), SIGKILL it if it lingers, then kill any
    kernel it left: kernels run in sessions of their own, found by our runtime folder's path in
    their command line (their connection file lives there)."""
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            break
        try:
            server.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue
    for pid in _processes_mentioning(str(runtime) + os.sep):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _processes_mentioning(text):
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text in cmdline:
            found.append(int(entry.name))
    return found


@pytest.fixture
def page(browser, lab):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(STEP_MS)
    try:
        yield page
    finally:
        context.close()


# The kernel is up: the toolbar names it and its execution indicator says idle.
KERNEL_READY = """(panel) => {
    const name = panel.querySelector('.jp-Toolbar-kernelName');
    const status = panel.querySelector('.jp-Notebook-ExecutionIndicator');
    return !!name && !/No Kernel/.test(name.getAttribute('aria-label') || name.textContent)
        && !!status && status.dataset.status === 'idle';
}"""


def open_notebook(page, lab, folder):
    # A workspace of its own per notebook, so no other notebook's tab (and kernel) is restored.
    page.goto(f"{lab['url']}/lab/workspaces/{folder}/tree/{folder}/{ASSIGNMENT}.ipynb?token={lab['token']}",
              wait_until="domcontentloaded", timeout=60_000)
    panel = page.locator(".jp-NotebookPanel:visible")
    panel.locator(".jp-Cell").first.wait_for(timeout=60_000)
    page.wait_for_function(KERNEL_READY, arg=panel.element_handle(), timeout=60_000, polling=250)
    return panel


@contextlib.contextmanager
def screenshot_on_failure(page, path):
    try:
        yield
    except BaseException:
        try:
            page.screenshot(path=path, timeout=10_000)
        except Exception:
            pass
        raise


# The state of Run All, read from the page: the prompts of the code cells and any error output.
RUN_STATE = """(panel) => {
    const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(p => p.textContent.trim());
    const errors = [...panel.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]')]
        .filter(o => /Traceback/.test(o.textContent)).map(o => o.textContent.slice(0, 800));
    const busy = prompts.some(p => p.includes('*'));
    const done = prompts.length > 0 && !busy && /\\[\\d+\\]/.test(prompts[prompts.length - 1]);
    return {prompts, errors, busy, done};
}"""


def validate(page, panel):
    """Press nbgrader's Validate button in the notebook toolbar; return the results dialog."""
    button = panel.locator(".jp-Toolbar .validate-button")
    button.wait_for()
    button.click()
    dialog = page.locator(".jp-Dialog")
    dialog.wait_for(timeout=VALIDATE_MS)  # validate runs the notebook in a fresh kernel
    # nbgrader's other dialogs ("Validation failed: Cannot save notebook", "Version Mismatch")
    # have no results in them.
    assert dialog.locator("#validation-message").count() == 1, \
        f"nbgrader showed no validation results: {dialog.inner_text()}"
    return dialog


def test_run_all_and_validate(page, lab, artifacts):
    with screenshot_on_failure(page, artifacts / "failure-run-all-and-validate.png"):
        panel = open_notebook(page, lab, ASSIGNMENT)

        # Run > Run All Cells, from JupyterLab's menu bar, as a student would.
        page.locator(".lm-MenuBar-item", has_text="Run").first.click()
        page.locator(".lm-Menu-item", has=page.locator(".lm-Menu-itemLabel", has_text="Run All Cells")).first.click()
        handle = panel.element_handle()
        page.wait_for_function(
            f"(panel) => {{ const s = ({RUN_STATE})(panel); return s.done || s.errors.length > 0; }}",
            arg=handle, timeout=RUN_ALL_MS, polling=250)
        panel.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(timeout=RUN_ALL_MS)
        state = page.evaluate(RUN_STATE, handle)
        assert not state["errors"], f"Run All produced errors: {state['errors']}"
        assert state["done"], f"Run All did not reach the last cell: {state['prompts']}"

        # The notebook's own cells, with the student's answers, printed what they should.
        outputs = panel.locator(".jp-OutputArea-output")
        for expected in ("torch.Size([2, 10])", "['hidden', 'out']", "torch.Size([2, 18])"):
            assert outputs.filter(has_text=expected).count() > 0, f"no output shows {expected}"
        shown = outputs.filter(has_text="torch.Size([2, 18])").first
        shown.scroll_into_view_if_needed()
        page.screenshot(path=artifacts / "01-run-all.png")

        dialog = validate(page, panel)
        page.screenshot(path=artifacts / "02-validate-success.png")
        assert dialog.locator(".jp-Dialog-header").inner_text().strip() == "Validation Results"
        message = dialog.locator("#validation-message")
        assert SUCCESS in message.inner_text(), message.inner_text()
        assert "validation-success" in (message.get_attribute("class") or "")
        dialog.get_by_role("button", name="Ok").click()
        dialog.wait_for(state="detached")


def test_validate_reports_a_tampered_test_cell(page, lab, artifacts):
    with screenshot_on_failure(page, artifacts / "failure-tampered.png"):
        panel = open_notebook(page, lab, f"{ASSIGNMENT}_tampered")
        dialog = validate(page, panel)
        page.screenshot(path=artifacts / "03-validate-failure.png")
        message = dialog.locator("#validation-message")
        text = message.inner_text()
        assert SUCCESS not in text
        assert CHANGED in text, text
        assert "学生改动了只读的评分单元" in text, text       # the dialog shows the offending cell
        assert "validation-changed" in (message.get_attribute("class") or "")
        assert "nbgrader-ErrorDialog" in (dialog.get_attribute("class") or "")


def test_validate_reports_a_failing_visible_check(page, lab, artifacts):
    """A wrong answer: Validate runs the test cells' visible assertions and shows the failure."""
    with screenshot_on_failure(page, artifacts / "failure-visible-check.png"):
        panel = open_notebook(page, lab, f"{ASSIGNMENT}_wrong")
        dialog = validate(page, panel)
        page.screenshot(path=artifacts / "04-validate-visible-check.png")
        text = dialog.locator("#validation-message").inner_text()
        assert SUCCESS not in text and "AssertionError" in text, text
        assert "评分单元" in text, text  # the dialog shows the failing test cell
        assert "nbgrader-ErrorDialog" in (dialog.get_attribute("class") or "")
