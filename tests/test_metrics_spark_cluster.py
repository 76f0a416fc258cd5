"""The metric SQL on a real Spark standalone cluster: a master and a worker started on
127.0.0.1 with the scripts that ship inside PySpark, and the demo year evaluated from the
clean store on it (``TOOLKIT_SPARK_MASTER``) with the same ``evaluation.json`` byte for
byte as DuckDB's. Slow: the cluster starts in some 10-20 s."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from demo_helpers import YEAR  # noqa: E402

from toolkit.clean.year import load_year  # noqa: E402
from toolkit.evaluation.evaluate import evaluate  # noqa: E402
from toolkit.outputs.tables import evaluation_json  # noqa: E402
from toolkit.rules.load import load_rules  # noqa: E402

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs a Java runtime"),
]

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def spark_class() -> Path:
    pyspark = pytest.importorskip("pyspark")
    return Path(pyspark.__file__).parent / "bin" / "spark-class"


def master_state(ui_port: int) -> dict:
    with urllib.request.urlopen(f"http://{HOST}:{ui_port}/json/", timeout=5) as r:
        return json.load(r)


def wait_for(check, what: str, seconds: float = 120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"the Spark cluster did not come up: {what}")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A standalone master and one worker on 127.0.0.1: (master URL, master's UI port)."""
    logs = tmp_path_factory.mktemp("spark-cluster")
    port, ui, worker_ui = free_port(), free_port(), free_port()
    env = {**os.environ, "SPARK_LOCAL_IP": HOST, "SPARK_LOG_DIR": str(logs),
           "SPARK_WORKER_DIR": str(logs / "work")}
    url = f"spark://{HOST}:{port}"
    procs = [subprocess.Popen(
        [str(spark_class()), "org.apache.spark.deploy.master.Master",
         "--host", HOST, "--port", str(port), "--webui-port", str(ui)],
        env=env, stdout=open(logs / "master.log", "wb"), stderr=subprocess.STDOUT)]
    try:
        wait_for(lambda: master_state(ui)["status"] == "ALIVE", "master")
        procs.append(subprocess.Popen(
            [str(spark_class()), "org.apache.spark.deploy.worker.Worker", url,
             "--host", HOST, "--cores", "2", "--memory", "2g", "--webui-port", str(worker_ui)],
            env=env, stdout=open(logs / "worker.log", "wb"), stderr=subprocess.STDOUT))
        wait_for(lambda: any(w["state"] == "ALIVE" for w in master_state(ui)["workers"]), "worker")
        yield url, ui
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()


#: evaluates the year from the store in a process of its own (one Spark session per
#: process: a local one may already run in this worker)
SCRIPT = textwrap.dedent("""
    import sys
    from pathlib import Path
    from toolkit.clean.year import load_year
    from toolkit.evaluation.evaluate import evaluate
    from toolkit.outputs.tables import evaluation_json
    from toolkit.rules.load import load_rules
    year, data_dir, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    yd = load_year(year, data_dir)
    assert yd.from_cache, "the year was not served by the clean store"
    Path(out).write_bytes(evaluation_json(evaluate(yd, load_rules(year), engine="spark")))
""")


def test_demo_year_from_the_store_on_a_standalone_cluster(demo, cluster, tmp_path):
    data_dir, _ = demo
    url, ui = cluster
    expected = evaluation_json(evaluate(load_year(YEAR, data_dir), load_rules(YEAR)))  # DuckDB; warms the store
    out = tmp_path / "evaluation.json"
    env = {**os.environ, "TOOLKIT_SPARK_MASTER": url, "TOOLKIT_SPARK_SCRATCH": str(tmp_path),
           "SPARK_LOCAL_IP": HOST, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(YEAR), str(data_dir), str(out)],
                          env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert out.read_bytes() == expected
    # the work ran on the cluster: its master lists the application as completed
    state = master_state(ui)
    apps = [a["name"] for a in state.get("completedapps", []) + state.get("activeapps", [])]
    assert "toolkit-metrics" in apps
