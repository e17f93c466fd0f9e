# Types of the compiled module. The public, documented API is the Python package's wrappers.
import numpy as np
import numpy.typing as npt

__version__: str

# --- arrays and estimators ---
def covariance(x: npt.NDArray[np.float64], ddof: int) -> npt.NDArray[np.float64]: ...

# --- tables and files ---

# --- charts, report and profiling ---
from typing import Any

def importance_chart(
    names: list[str],
    scores: npt.NDArray[np.float64],
    top: int,
    title: str,
    width: int,
    height: int,
    png: bool,
) -> Any: ...  # str (SVG) or bytes (PNG)
def report(
    source: Any,
    target: str | None,
    method_name: str,
    clusters: int | None,
    sigma: float,
    top: int,
    sample_rows: int,
    memory_limit: int | None,
    clean: bool,
    seed: int,
    keep_index: bool,
    alerts: dict[str, float],
) -> tuple[str, str, list[str]]: ...
def report_fragment(html: str) -> str: ...

class StageGuard:
    def end(self) -> int | None: ...

def profile_begin(name: str) -> StageGuard: ...
def profile_attach(index: int, peak_bytes: int, allocations: int) -> None: ...
def profile_table(reset: bool) -> dict[str, list[Any]]: ...
