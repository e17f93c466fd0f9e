# Types of the compiled module. The public, documented API is the Python package's wrappers.
import numpy as np
import numpy.typing as npt

__version__: str

# --- arrays and estimators ---
def covariance(x: npt.NDArray[np.float64], ddof: int) -> npt.NDArray[np.float64]: ...

# --- tables and files ---

# --- charts, report and profiling ---
