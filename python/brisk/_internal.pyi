# Types of the compiled module. The public, documented API is the Python package's wrappers.
import numpy as np
import numpy.typing as npt

__version__: str

# --- arrays and estimators ---
def covariance(x: npt.NDArray[np.float64], ddof: int) -> npt.NDArray[np.float64]: ...

# --- tables and files ---
# `source`: None (the embedded penguins), a path, or an object with __arrow_c_stream__.
# Tables come back as a PyCapsule holding an Arrow C stream ("arrow_array_stream").
def statistics(source: object, chunk_rows: int, population: bool) -> str: ...
def clean(
    source: object, numeric: list[str] | None, categorical: list[str] | None, sigma: float
) -> tuple[object, str, str]: ...
def groupby(
    source: object, by: list[str], aggs: str, derived: list[str], sort: str | None, descending: bool
) -> object: ...
def join(
    left: object, right: object, on: str, right_on: str, how: str, count: str | None
) -> object: ...

# --- charts, report and profiling ---
