#!/usr/bin/env bash
# Side-by-side benchmarks of brisk against pandas, Polars, NumPy, scikit-learn and matplotlib. See bench/README.md.
#
#   bench/run.sh [--rows N] [--only stats,cov,kmeans,pca,groupby,clean,join,importance,pipeline|arrays|frames|report] [--tools brisk,pandas,polars,numpy,sklearn] [--repeat K]
#
# --rows sizes the CSV file of the stats and groupby cases only; --repeat applies to every case.
# Environment: BRISK_BIN=path skips the cargo build and benchmarks that binary;
# PYTHON=python3.11 picks the interpreter used to create bench/.venv.
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

# 2. brisk binary.
skip_build=0
prev=""
for arg in "$@"; do
  case "$arg" in
    -h|--help) skip_build=1 ;;
    --tools=*) [[ "${arg#--tools=}" == *brisk* ]] || skip_build=1 ;;
  esac
  if [[ "$prev" == "--tools" && "$arg" != *brisk* ]]; then skip_build=1; fi
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
