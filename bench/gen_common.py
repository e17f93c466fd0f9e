"""The part of the seeded data generators gen_arrays.py and gen_frames.py that is the same for both:
the sidecar <first file>.meta.json, the up-to-date test, the generation run and the command line.

A generator script describes its data sets with a DataSets and keeps only what makes its files.
The meta file records the data set's parameters and a hash of the generator script (not of this
file: nothing here changes the data), so editing the script regenerates its data sets.
"""

import argparse
import hashlib
import json
import os
import sys
import time

import numpy as np


class DataSets:
    """The data sets of one generator script.

    script    the generator's __file__: hashed into the meta file, and bench/data is next to it
    specs     name -> parameters; "stream" separates the generators' random streams for one seed
    paths     (name, data_dir) -> {key: path}; the first path names the meta file
    complete  (name, files) -> True if the files are all there, as expected
    describe  (name, files) -> (what, detail) for "generating WHAT (DETAIL, seed N) ..."
    generate  (name, rng, files) -> None: writes the files
    extra     more parameters for the meta file, recorded before the spec's
    """

    def __init__(self, script, specs, paths, complete, describe, generate, extra=None):
        self.script, self.specs, self.paths = script, specs, paths
        self.complete, self.describe, self.generate = complete, describe, generate
        self.extra = extra or {}

    def params(self, name, seed):
        with open(self.script, "rb") as f:
            source_hash = hashlib.sha256(f.read()).hexdigest()
        return {"dataset": name, "seed": seed, **self.extra, **self.specs[name], "generator_sha256": source_hash}

    def meta_path(self, name, data_dir):
        return next(iter(self.paths(name, data_dir).values())) + ".meta.json"

    def up_to_date(self, name, seed, data_dir):
        try:
            with open(self.meta_path(name, data_dir)) as f:
                if json.load(f) != self.params(name, seed):
                    return False
        except (OSError, ValueError):
            return False
        return self.complete(name, self.paths(name, data_dir))

    def ensure(self, name, seed, data_dir, force=False):
        """Generate data set `name` unless it is up to date. Returns its {key: path}."""
        files = self.paths(name, data_dir)
        if not force and self.up_to_date(name, seed, data_dir):
            return files
        os.makedirs(data_dir, exist_ok=True)
        meta = self.meta_path(name, data_dir)
        if os.path.exists(meta):
            os.remove(meta)
        what, detail = self.describe(name, files)
        print(f"generating {what} ({detail}, seed {seed}) ...", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        self.generate(name, np.random.default_rng([seed, self.specs[name]["stream"]]), files)
        secs = time.perf_counter() - t0
        with open(meta, "w") as f:
            json.dump(self.params(name, seed), f, indent=1)
        size = sum(os.path.getsize(p) for p in files.values()) / 2**20
        print(f"generated {name} data: {size:,.0f} MiB in {secs:.1f} s", file=sys.stderr, flush=True)
        return files

    def main(self, description):
        """Command line: [NAME ...] [--seed N] [--data-dir DIR] [--force]; `description` is the script's __doc__."""
        ap = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
        ap.add_argument("names", nargs="*", metavar="NAME", help=f"data sets: {', '.join(self.specs)} (default: all)")
        ap.add_argument("--seed", type=int, default=20240601)
        ap.add_argument("--data-dir", default=os.path.join(os.path.dirname(os.path.abspath(self.script)), "data"))
        ap.add_argument("--force", action="store_true", help="regenerate even if up to date")
        a = ap.parse_args()
        for name in a.names:
            if name not in self.specs:
                ap.error(f"unknown data set {name!r} (available: {', '.join(self.specs)})")
        for name in a.names or self.specs:
            self.ensure(name, a.seed, a.data_dir, a.force)
