"""What the benchmarks need besides the code they time: the machine they ran on, and a step
timed in a fresh process with its own peak memory. Not collected by pytest."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PEAK = """
import resource


def own_peak_mb():
    # The process's own high-water mark: ru_maxrss keeps the parent's across exec.
    try:
        return int(open('/proc/self/status').read().split('VmHWM:')[1].split()[0]) / 1024
    except (OSError, IndexError, ValueError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""
"""Defines ``own_peak_mb()`` in the code run by :func:`in_fresh_process`."""


def machine() -> dict[str, object]:
    """The CPU, cores, memory, operating system, Python and load: what figures depend on."""
    cpu = platform.processor() or platform.machine()
    memory_gib = 0.0
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_gib = int(line.split()[1]) / 1024**2
    except OSError:
        pass
    system = platform.platform(terse=True)
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                system = f"{line.split('=', 1)[1].strip(chr(34))}, {platform.release()}"
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(memory_gib, 1),
        "os": system,
        "python": platform.python_version(),
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def in_fresh_process(body: str) -> dict[str, float]:
    """Run ``body`` (Python that sets ``t``, the seconds timed, and ``extra``, a dict) in a new
    interpreter; its time, its own peak memory and its largest child's (worker processes)."""
    code = "\n".join([
        "import datetime as dt, json, resource, sys, time",
        "from pathlib import Path",
        f"sys.path.insert(0, {str(ROOT)!r})",
        PEAK,
        body,
        "kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024",
        "print(json.dumps({'s': t, 'peak_mb': own_peak_mb(), 'child_peak_mb': kids, **extra}))",
    ])  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])
