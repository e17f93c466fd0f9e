#!/usr/bin/env bash
# Side-by-side benchmarks of brisk against pandas, Polars, NumPy, scikit-learn, matplotlib and ydata-profiling. See bench/README.md.
#
#   bench/run.sh [--rows N] [--only stats,cov,kmeans,pca,groupby,clean,join,importance,pipeline,profile,report1g,python|arrays|frames|report|outofcore] [--tools brisk,pandas,polars,numpy,sklearn,ydata,dask,spark] [--repeat K]
#   bench/run.sh --only report10g [--rows-10g N]   # on demand only: writes a ~10 GB CSV to bench/data
#   bench/run.sh --only python     # the Python package in-process (install it first: bench/.venv/bin/pip install .)
#   bench/run.sh --only scale      # on demand only: brisk.dask / brisk.spark against Dask's and Spark's own statistics
#
# --rows sizes the CSV file of the stats, groupby, report1g and scale cases only; --repeat applies to every case.
# Environment: BRISK_BIN=path skips the cargo build and benchmarks that binary;
# PYTHON=python3.11 picks the interpreter used to create bench/.venv and bench/.venv-ydata.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$BENCH_DIR/.." && pwd)"
VENV="$BENCH_DIR/.venv"

# 1. Python environment with pinned peers (re-installed only when requirements.txt changes).
if [[ ! -x "$VENV/bin/python" ]]; then
  echo "creating $VENV ..." >&2
  "${PYTHON:-python3}" -m venv "$VENV"
fi
stamp="$VENV/.requirements.sha256"
want="$(sha256sum "$BENCH_DIR/requirements.txt" | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
  echo "installing bench/requirements.txt into $VENV ..." >&2
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$BENCH_DIR/requirements.txt"
  echo "$want" > "$stamp"
fi

# 1b. ydata-profiling, the profile case's peer, in its own environment: it needs pandas < 3 and numpy < 2.4
# (requirements-ydata.txt). A failure here is not fatal: the profile case then reports ydata-profiling as missing.
YVENV="$BENCH_DIR/.venv-ydata"
ystamp="$YVENV/.requirements.sha256"
ywant="$(sha256sum "$BENCH_DIR/requirements-ydata.txt" | cut -d' ' -f1)"
if [[ ! -f "$ystamp" || "$(cat "$ystamp")" != "$ywant" ]]; then
  echo "installing bench/requirements-ydata.txt into $YVENV ..." >&2
  if { [[ -x "$YVENV/bin/python" ]] || "${PYTHON:-python3}" -m venv "$YVENV"; } &&
     "$YVENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$BENCH_DIR/requirements-ydata.txt"; then
    echo "$ywant" > "$ystamp"
  else
    echo "warning: could not install requirements-ydata.txt; the profile case will run without ydata-profiling" >&2
  fi
fi

# 2. brisk binary.
skip_build=0
prev=""
for arg in "$@"; do
  case "$arg" in
    -h|--help) skip_build=1 ;;
    --tools=*) [[ "${arg#--tools=}" == *brisk* ]] || skip_build=1 ;;
  esac
  if [[ "$prev" == "--tools" && "$arg" != *brisk* ]]; then skip_build=1; fi
  # The python and scale cases need no CLI binary: they import the package installed in bench/.venv.
  if [[ "$arg" == --only=python || "$arg" == --only=scale || ( "$prev" == "--only" && ( "$arg" == python || "$arg" == scale ) ) ]]; then
    skip_build=1
  fi
  prev="$arg"
done
if [[ -n "${BRISK_BIN:-}" ]]; then
  brisk="$BRISK_BIN"
elif [[ $skip_build == 1 ]]; then
  brisk=""
elif ! command -v cargo >/dev/null 2>&1; then
  echo "warning: cargo not found; cannot build brisk" >&2
  brisk=""
else
  echo "building brisk (cargo build --release -p brisk-cli) ..." >&2
  if (cd "$REPO_ROOT" && cargo build --release -p brisk-cli); then
    brisk="$REPO_ROOT/target/release/brisk"
  else
    echo "warning: cargo build failed; benchmarking the peers only" >&2
    brisk=""
  fi
fi

# 3-6. Data generation, timed runs, table and correctness checks.
exec "$VENV/bin/python" "$BENCH_DIR/bench.py" --brisk "$brisk" "$@"
