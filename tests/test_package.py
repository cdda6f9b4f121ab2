"""What 'pip install .' installs: every module and data file of the source tree.

The tests import the source tree, so a module or data file missing from the installed copy
would go unnoticed until 'mentorkit demo' failed on a fresh machine. This builds the wheel and
compares its contents with the tree.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("toolkit", "builders", "sync")


def test_the_wheel_holds_every_module_and_data_file(tmp_path: Path) -> None:
    # Built from a clean copy: a build/ folder left by an earlier install would fill the gaps.
    source = tmp_path / "source"
    skip = shutil.ignore_patterns("build", "dist", "*.egg-info", "__pycache__", ".*", "tests",
                                  "sample_workbooks")  # fmt: skip
    shutil.copytree(ROOT, source, ignore=skip)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path),
         str(source)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    (wheel,) = tmp_path.glob("*.whl")
    with zipfile.ZipFile(wheel) as z:
        packed = {n for n in z.namelist() if n.split("/")[0] in PACKAGES}
    tree = {
        p.relative_to(ROOT).as_posix()
        for package in PACKAGES
        for p in (ROOT / package).rglob("*")
        if p.is_file() and p.suffix in (".py", ".yaml", ".typed") and "__pycache__" not in p.parts
    }
    assert tree - packed == set()
    assert "toolkit/indicators/report.py" in packed
