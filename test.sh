#!/usr/bin/env bash
# Every test of brisk: the Rust workspace's, then the Python package's against NumPy, pandas, SciPy
# and scikit-learn, called live.
#
# The Python tests run in a virtual environment of their own (BRISK_TEST_VENV, by default beside
# the build artefacts), with the peers of python/requirements-test.txt installed from PyPI and
# brisk built into it by `maturin develop` on the same build artefacts as the Rust tests.
set -euo pipefail
cd "$(dirname "$0")"

target_dir="${CARGO_TARGET_DIR:-$PWD/target}"
venv="${BRISK_TEST_VENV:-$target_dir/python-test-venv}"
python="${PYTHON:-python3}"

cargo test --workspace

if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r python/requirements-test.txt
VIRTUAL_ENV="$venv" PATH="$venv/bin:$PATH" "$venv/bin/maturin" develop --quiet
# The report's figures are also compared with the command line's `--json`, by the binary the Rust
# tests built.
if [ -z "${BRISK_BIN:-}" ] && [ -x "$target_dir/debug/brisk" ]; then
    export BRISK_BIN="$target_dir/debug/brisk"
fi
"$venv/bin/python" -m pytest -q "$@"
