"""Helpers that more than one assignment's checks use (no checks here)."""
import io
import zipfile

from autograder.plain import dump
from autograder.registry import expect


def cuda_tagged(obj, device: str = "cuda:0") -> bytes:
    """``torch.save(obj)`` as a CUDA machine writes it: every storage's location tag rewritten
    from cpu to ``device`` (cuda:0 unless told), in the bytes, so it works without a GPU and changes no global state
    (checks are judged in threads side by side: patching torch.serialization would tag their
    tensors too)."""
    source = zipfile.ZipFile(io.BytesIO(dump(obj)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename.endswith("data.pkl"):
                tag = b"X" + len(device).to_bytes(4, "little") + device.encode()  # pickle's BINUNICODE
                tagged = content.replace(b"X\x03\x00\x00\x00cpu", tag)
                if tagged == content:
                    raise RuntimeError("course bug: no cpu location tag found in the pickle")
                content = tagged
            target.writestr(info.filename, content)
    return out.getvalue()


def expect_choices(student, name: str, correct: set, hint: str) -> None:
    """A multiple-choice answer: the student's set ``name`` must hold exactly the ``correct`` letters."""
    answer = student.eval(f"sorted({name})")
    expect(isinstance(answer, list) and set(answer) == correct, f"{name} 不完全正确。提示：{hint}")
