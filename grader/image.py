"""The Docker sandbox image: what it is built from, how to build it, and whether it is current.

The image is built from a build context assembled in a temporary folder, never
from the repository root: the Dockerfile, ``requirements.lock``, the wheels of
that lock (downloaded on this host, so the build needs no network) and the
worker package. Nothing else of the repository (problems, references, tests)
can enter it.

"Current" means an image labelled with :func:`expected_image_hash` exists: a
sha256 over the Dockerfile, the lock and every file of ``grader/worker/``. Edit
any of them and ``grader image check`` says the image is stale.
"""

from __future__ import annotations

import hashlib
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from .errors import GraderError, SandboxUnavailable
from .sandbox.base import WORKER_PACKAGE

REPO_ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = REPO_ROOT / "Dockerfile"
LOCK_FILE = REPO_ROOT / "requirements.lock"
BASE_SCRIPT = REPO_ROOT / "scripts" / "build-base-image"

IMAGE_NAME = "grader-sandbox"
BASE_IMAGE = "grader-base:bookworm"
HASH_LABEL = "grader.image.hash"
PYTHON_LABEL = "grader.python"
#: The interpreter (a venv) that the Dockerfile installs the lock into.
IMAGE_PYTHON = "/opt/venv/bin/python"
#: Where the Dockerfile puts the worker package (as ``grader_worker``).
IMAGE_LIB = "/opt/grader/lib"
PYTHON_VERSION = "3.11"

Log = Callable[[str], Any]


def wheel_cache_dir() -> Path:
    base = os.environ.get("GRADER_WHEEL_CACHE")
    if base:
        return Path(base)
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg) / "grader" / "wheels"


def _image_files() -> list[tuple[str, Path]]:
    """(name in the build context, path on disk) of every file that defines the image, sorted."""
    for path in (DOCKERFILE, LOCK_FILE):
        if not path.is_file():
            raise GraderError(f"{path} is missing: the sandbox image is built from a source checkout")
    files = [("Dockerfile", DOCKERFILE), ("requirements.lock", LOCK_FILE)]
    worker = sorted(p for p in WORKER_PACKAGE.rglob("*")
                    if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc")
    files += [(f"grader_worker/{p.relative_to(WORKER_PACKAGE).as_posix()}", p) for p in worker]
    return files


def expected_image_hash() -> str:
    """sha256 over the Dockerfile, the lock and the worker package (names and contents, sorted)."""
    digest = hashlib.sha256()
    for name, path in _image_files():
        data = path.read_bytes()
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def image_tag(digest: str | None = None) -> str:
    return f"{IMAGE_NAME}:{(digest or expected_image_hash())[:12]}"


# -- status ----------------------------------------------------------------

@dataclass
class ImageStatus:
    """Whether an image for this checkout exists."""

    current: bool
    tag: str
    expected_hash: str
    found_hash: str | None = None
    image_id: str | None = None
    python: str = IMAGE_PYTHON
    problem: str | None = None  # why there is no current image (engine down, none built, stale)

    def describe(self) -> str:
        if self.current:
            return f"{self.tag} is current (hash {self.expected_hash[:12]}, image {(self.image_id or '')[7:19]})"
        if self.problem:
            return f"no current sandbox image: {self.problem}"
        if self.found_hash:
            return (f"the sandbox image is stale: {IMAGE_NAME}:latest has hash {self.found_hash[:12]}, this checkout "
                    f"needs {self.expected_hash[:12]}; run `grader image build`")
        return f"no sandbox image {self.tag} for this checkout; run `grader image build`"


def docker_client(timeout: float = 10.0) -> Any:
    """A Docker SDK client, or SandboxUnavailable saying why there is none."""
    try:
        import docker
    except ImportError:
        raise SandboxUnavailable("sandbox 'docker' is not available: the docker Python package is not installed") \
            from None
    try:
        client = docker.from_env(timeout=timeout)
        client.ping()
    except Exception as exc:
        raise SandboxUnavailable(f"sandbox 'docker' is not available: the Docker engine does not answer ({exc})") \
            from None
    return client


def image_status(client: Any = None) -> ImageStatus:
    """Look for an image labelled with this checkout's hash. Never raises for an engine that is down."""
    expected = expected_image_hash()
    status = ImageStatus(current=False, tag=image_tag(expected), expected_hash=expected)
    try:
        client = client or docker_client(timeout=5)
    except SandboxUnavailable as exc:
        status.problem = str(exc).removeprefix("sandbox 'docker' is not available: ")
        return status
    try:
        found = client.api.images(filters={"label": f"{HASH_LABEL}={expected}"})
        if found:
            labels = (found[0].get("Labels") or {})
            status.current, status.image_id = True, found[0]["Id"]
            status.python = labels.get(PYTHON_LABEL, IMAGE_PYTHON)
            status.found_hash = expected
            tags = [t for t in found[0].get("RepoTags") or [] if t.startswith(IMAGE_NAME + ":")]
            if status.tag not in tags and tags:
                status.tag = tags[0]
            return status
        try:
            latest = client.api.inspect_image(f"{IMAGE_NAME}:latest")
            status.found_hash = ((latest.get("Config") or {}).get("Labels") or {}).get(HASH_LABEL)
        except Exception:
            pass
    except Exception as exc:
        status.problem = f"the Docker engine did not answer ({exc})"
    return status


# -- building ----------------------------------------------------------------

def _lock_requirements() -> list[tuple[str, str]]:
    pins = []
    for line in LOCK_FILE.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([^\s;]+)", line)
        if not match:
            raise GraderError(f"{LOCK_FILE}: cannot read {line!r} (every line must be name==version)")
        pins.append((match.group(1), match.group(2)))
    return pins


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _missing_wheels(folder: Path) -> list[str]:
    have = set()
    for wheel in folder.glob("*.whl"):
        parts = wheel.name.split("-")
        if len(parts) >= 5:
            have.add((_normalize(parts[0]), parts[1]))
    return [f"{name}=={version}" for name, version in _lock_requirements()
            if (_normalize(name), version) not in have]


def _platforms() -> list[str]:
    machine = platform.machine() or "x86_64"
    machine = {"amd64": "x86_64", "arm64": "aarch64"}.get(machine.lower(), machine)
    # bookworm has glibc 2.36: every manylinux wheel up to 2.36 runs there.
    tags = [f"manylinux_2_{minor}_{machine}" for minor in range(36, 16, -1)]
    return tags + [f"manylinux2014_{machine}"]


def download_wheels(log: Log = print) -> Path:
    """The wheels of the lock for the image's Python (cp311, manylinux), in a host cache; reused when complete."""
    lock_hash = hashlib.sha256(LOCK_FILE.read_bytes()).hexdigest()[:12]
    folder = wheel_cache_dir() / f"cp311-{_platforms()[-1].split('_', 1)[1]}"
    folder.mkdir(parents=True, exist_ok=True)
    missing = _missing_wheels(folder)
    if not missing:
        log(f"wheels: all {len(_lock_requirements())} pinned wheels are cached in {folder} (lock {lock_hash})")
        return folder
    log(f"wheels: downloading {len(missing)} of {len(_lock_requirements())} pinned wheels into {folder}")
    with tempfile.NamedTemporaryFile("w", suffix=".txt", prefix="grader-lock-", delete=False) as req:
        req.write("\n".join(missing) + "\n")
    argv = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
            "--implementation", "cp", "--python-version", PYTHON_VERSION, "--abi", "cp311",
            "--abi", "abi3", "--abi", "none", *[a for p in _platforms() for a in ("--platform", p)],
            "--dest", str(folder), "-r", req.name]
    # A host-wide pip constraint file (naming packages outside the lock, or pinning them otherwise)
    # must not apply: the lock alone decides. The index and find-links settings stay; with --no-deps
    # and exact pins they can only supply the pinned files.
    env = {k: v for k, v in os.environ.items() if k not in ("PIP_CONSTRAINT", "PIP_REQUIRE_VIRTUALENV")}
    env["PIP_CONSTRAINT"] = os.devnull
    try:
        _run(argv, log, env=env)
    finally:
        os.unlink(req.name)
    missing = _missing_wheels(folder)
    if missing:
        raise GraderError(f"pip download did not fetch wheels for: {', '.join(missing)}")
    return folder


def _run(argv: list[str], log: Log, env: dict[str, str] | None = None) -> None:
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True)
    assert process.stdout is not None
    tail: list[str] = []
    for line in process.stdout:
        line = line.rstrip()
        tail = (tail + [line])[-20:]
        log("  " + line)
    if process.wait() != 0:
        raise GraderError(f"{Path(argv[0]).name} {' '.join(argv[1:3])} failed (exit {process.returncode}):\n"
                          + "\n".join(tail))


def ensure_base_image(client: Any, log: Log = print) -> str:
    """Build the local Debian base image with scripts/build-base-image unless it exists."""
    try:
        client.api.inspect_image(BASE_IMAGE)
        return BASE_IMAGE
    except Exception:
        pass
    if not BASE_SCRIPT.is_file():
        raise GraderError(f"{BASE_IMAGE} is missing and {BASE_SCRIPT} is not there to build it")
    log(f"base: {BASE_IMAGE} is missing; building it with {BASE_SCRIPT.relative_to(REPO_ROOT)}")
    _run(["bash", str(BASE_SCRIPT)], log)
    return BASE_IMAGE


def assemble_context(into: Path, wheels: Path) -> None:
    """The build context: Dockerfile, lock, wheels/, grader_worker/. Nothing else."""
    for name, path in _image_files():
        target = into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    (into / "wheels").mkdir()
    for wheel in wheels.glob("*.whl"):
        try:
            os.link(wheel, into / "wheels" / wheel.name)
        except OSError:
            shutil.copyfile(wheel, into / "wheels" / wheel.name)


def build_image(base: str | None = None, log: Log = print) -> str:
    """Build the sandbox image for this checkout; return its tag (``grader-sandbox:<hash12>``)."""
    started = time.monotonic()
    client = docker_client(timeout=600)
    digest = expected_image_hash()
    tag = image_tag(digest)
    if base is None:
        base = ensure_base_image(client, log)
    wheels = download_wheels(log)
    with tempfile.TemporaryDirectory(prefix="grader-image-") as tmp:
        context = Path(tmp)
        assemble_context(context, wheels)
        log(f"build: {tag} from {base} (context {context})")
        image_id = None
        try:
            for chunk in client.api.build(path=str(context), tag=tag, buildargs={"BASE": base, "GRADER_IMAGE_HASH": digest},
                                          rm=True, forcerm=True, pull=False, decode=True):
                if "error" in chunk:
                    detail = (chunk.get("errorDetail") or {}).get("message") or chunk["error"]
                    raise GraderError(f"docker build failed: {detail.strip()}")
                text = chunk.get("stream")
                if text and text.strip():
                    for line in text.rstrip().splitlines():
                        log("  " + line)
                aux = chunk.get("aux")
                if isinstance(aux, dict) and "ID" in aux:
                    image_id = aux["ID"]
        except GraderError:
            raise
        except Exception as exc:
            raise GraderError(f"docker build failed: {exc}") from None
    if image_id is None:
        image_id = client.api.inspect_image(tag)["Id"]
    labels = (client.api.inspect_image(image_id).get("Config") or {}).get("Labels") or {}
    if labels.get(HASH_LABEL) != digest:
        raise GraderError(f"the built image lacks the label {HASH_LABEL}={digest[:12]}; is the Dockerfile current?")
    client.api.tag(image_id, IMAGE_NAME, "latest")
    size = client.api.inspect_image(image_id).get("Size", 0)
    log(f"build: tagged {tag} and {IMAGE_NAME}:latest ({size / 1e6:.0f} MB) in {time.monotonic() - started:.0f} s")
    return tag
