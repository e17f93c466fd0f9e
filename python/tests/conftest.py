"""Session-wide fixtures: a Dask cluster and a Spark session, each started once for the whole run.

Both engines run their tasks in other processes (Dask's workers, Spark's Python workers), which
import the same brisk as the tests: they are started with this interpreter (``sys.executable``).
Spark needs Java 17 or 21; without one its tests are skipped, unless ``BRISK_REQUIRE_JAVA=1`` (as in
CI, which installs Debian's ``openjdk-17-jre-headless``), where a missing Java fails them.

A function a test sends to Spark must be nested in the test, so that it is pickled by value: Spark's
Python workers cannot import the test modules (Dask's workers can, but nesting works for both).
"""

from __future__ import annotations

import logging
import os
import shutil
import sys

import pytest

# Spark's own logging, errors only (the JVM reads this file at start; ``setLogLevel`` comes too late
# for the start-up lines).
SPARK_LOG4J2 = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n%ex
"""

# Settings for small local jobs: no web UI or progress bar, two shuffle partitions (one per core),
# pandas <-> Spark through Arrow, UTC timestamps, and a JIT that starts quickly (C1 only: a few
# seconds less to start, fast enough for test-sized data).
SPARK_CONF = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "2",
    "spark.default.parallelism": "2",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.sql.session.timeZone": "UTC",
    "spark.driver.memory": "1g",
}
SPARK_JAVA_OPTIONS = "-XX:TieredStopAtLevel=1"


@pytest.fixture(scope="session")
def dask_client():
    """A ``distributed.Client`` on a ``LocalCluster`` of two worker processes, one thread each, no dashboard."""
    from distributed import Client, LocalCluster

    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.ERROR,
    ) as cluster, Client(cluster) as client:
        yield client


def _java_missing() -> str | None:
    """Why Spark cannot start here (no Java), or None."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home and os.path.isfile(os.path.join(java_home, "bin", "java")):
        return None
    if shutil.which("java"):
        return None
    return "Spark needs Java 17 or 21 (Debian: openjdk-17-jre-headless); no `java` on PATH and no JAVA_HOME"


@pytest.fixture(scope="session")
def spark(tmp_path_factory):
    """A ``SparkSession`` on ``local[2]``, quiet, whose Python workers run this interpreter."""
    why = _java_missing()
    if why:
        if os.environ.get("BRISK_REQUIRE_JAVA") == "1":
            pytest.fail(f"BRISK_REQUIRE_JAVA=1 but {why}")
        pytest.skip(why)
    log4j = tmp_path_factory.mktemp("spark") / "log4j2.properties"
    log4j.write_text(SPARK_LOG4J2)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PYSPARK_PYTHON", sys.executable)
        env.setenv("PYSPARK_DRIVER_PYTHON", sys.executable)
        # The machine's host name may resolve to another address; Spark would warn and use it.
        env.setenv("SPARK_LOCAL_IP", "127.0.0.1")
        from pyspark.sql import SparkSession

        builder = SparkSession.builder.master("local[2]").appName("brisk-tests")
        for key, value in SPARK_CONF.items():
            builder = builder.config(key, value)
        java_options = f"-Dlog4j2.configurationFile={log4j.as_uri()} {SPARK_JAVA_OPTIONS}"
        session = builder.config("spark.driver.extraJavaOptions", java_options).getOrCreate()
        session.sparkContext.setLogLevel("ERROR")
        try:
            yield session
        finally:
            session.stop()
