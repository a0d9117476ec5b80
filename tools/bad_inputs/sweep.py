"""A new user's sweep of bad inputs across mtjlib's public API (issue 24), with a verdict per case.

Usage: ``.venv/bin/python tools/bad_inputs/sweep.py [ENTRY]`` (``ENTRY``: only labels
containing it). Every public function and dataclass of the API reference (``book/api/``) is
called with bad values of each parameter (NaN, inf, strings, bools for numbers, None, lists,
dicts, wrong shapes, out-of-range, empty, huge and tiny values, objects of another class,
non-integer indices, flags that are not bools, realised imperfections of another network,
degenerate fits), and each outcome is classified:

``named``
    a ValueError or TypeError (or the FileNotFoundError load_character documents) whose message
    names the parameter as the caller spelled it and shows a scalar's value;
``novalue``
    named, but a scalar's value is not shown;
``unnamed``
    a ValueError/TypeError that does not name the parameter (an internal name instead);
``other``
    another exception (AttributeError, IndexError, LinAlgError...);
``silent``
    no error: the bad value was accepted (coerced, ignored, or an inf returned);
``slow``
    named, but after more than 2 s (work done before the check);
``hang``
    no answer within 120 s.

The numba kernels documented with their modules (``activation.rates``, ``dynamics.drive``,
the ``rls`` and ``llg`` kernels) are not called: they take arrays the public functions have
checked and do no validation by design (DESIGN.md: "pure functions of float64 arrays").
It prints every case that is not ``named`` and the counts; about a minute on 2 cores.

The cases are tables, one per layer of mtjlib, in the sibling modules ``physics.py``,
``networks.py``, ``training.py``, ``tasks.py`` and
``studies.py`` (what they share: ``shared.py``); this file runs them, in
the order of :data:`ORDER`, and reports.
"""

from __future__ import annotations

import signal
import sys
import time
import traceback

# the case tables, siblings in tools/ (on sys.path when this file runs as a script); importing
# them adds their sections to shared.SECTIONS
import networks  # noqa: F401
import physics  # noqa: F401
import studies  # noqa: F401
import tasks  # noqa: F401
import training  # noqa: F401
from shared import SECTIONS

#: The sections in the order their cases run and are reported: that of the single file the
#: tables came from (the layers interleave; a case may leave state in a shared object).
ORDER = ["device", "llg", "neuron", "network", "force", "generation", "metrics", "recognition",
         "character", "innate", "family", "s1_sizes", "imperfections", "s3_synapses", "thermal",
         "s2_phase_noise", "sweep", "rls"]
if sorted(ORDER) != sorted(SECTIONS):
    raise RuntimeError(f"ORDER {sorted(ORDER)} is not the sections {sorted(SECTIONS)}")
CASES: list[tuple] = [case for name in ORDER for case in SECTIONS[name]]


# Runner ---------------------------------------------------------------------------------------
class Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise Timeout()


def classify(label, name, value, call):
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(120)
    t0 = time.perf_counter()
    try:
        call(value)
    except Timeout:
        return "hang", "timeout 120 s", 120.0
    except (ValueError, TypeError) as e:
        dt = time.perf_counter() - t0
        msg = f"{type(e).__name__}: {e}"
        if name not in str(e):
            return "unnamed", msg, dt
        if name == "bogus":  # Python's own "unexpected keyword argument 'bogus'"
            return "named", msg, dt
        scalar = isinstance(value, (int, float, str)) and not isinstance(value, bool) and \
            value != ""
        shown = (repr(value)[:20], str(value)[:20], f"{value:g}" if isinstance(value, float) else "")
        if scalar and not any(s and s in str(e) for s in shown):
            return "novalue", msg, dt
        return ("slow" if dt > 2.0 else "named"), msg, dt
    except FileNotFoundError as e:  # documented for missing data folders and files
        if name in str(e):
            return "named", str(e), time.perf_counter() - t0
        return "unnamed", str(e), time.perf_counter() - t0
    except Exception as e:  # noqa: BLE001
        return "other", f"{type(e).__name__}: {e}"[:300] + " @ " + \
            traceback.extract_tb(e.__traceback__)[-1].name, time.perf_counter() - t0
    else:
        return "silent", "no error", time.perf_counter() - t0
    finally:
        signal.alarm(0)


if __name__ == "__main__":
    only = sys.argv[1] if len(sys.argv) > 1 else None
    counts: dict[str, int] = {}
    bad = []
    for label, name, value, call in CASES:
        if only and only not in label:
            continue
        cls, msg, dt = classify(label, name, value, call)
        counts[cls] = counts.get(cls, 0) + 1
        if cls != "named":
            bad.append((cls, label, name, value, msg, dt))
    for cls, label, name, value, msg, dt in bad:
        print(f"{cls:8s} {label}({name}={str(value)[:40]!s}) [{dt:.1f}s]: {msg[:220]}")
    print(f"\n{sum(counts.values())} cases: {counts}")
