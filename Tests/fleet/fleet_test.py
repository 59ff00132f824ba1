#!/usr/bin/env python3
"""The fleet test: two `notebooks serve` replicas scraped by a real Prometheus.

1. Installs Debian's `prometheus` if missing (without letting the package start a service).
2. Checks `notebooks prometheus-rules` and deploy/driftlab-rules.yml with `promtool check rules`, and
   runs the rules' unit tests (deploy/driftlab-rules.test.yml) with `promtool test rules`.
3. Starts two replicas (release build) and a Prometheus on loopback (scrape every 1 s, its own
   temporary storage, the rules of `notebooks prometheus-rules` with short windows loaded).
4. Feeds the replicas different traffic: replica A confident and fast, replica B at low
   confidence with a slow tail. Then, through Prometheus's HTTP API:
   - the fleet's prediction rate (steady state) and per-label totals equal what was sent;
   - the fleet's p95 processing time from histogram_quantile lies within one bucket of the exact
     p95 over the union of both replicas' records;
   - the low-confidence rule fires.
5. kill -9 of a replica loses nothing a POST /v1/flush acknowledged; SIGTERM flushes what is pending.

Everything it starts it stops by process id. Standard library only.
Usage: python3 Tests/fleet/fleet_test.py [--binary .build/release/notebooks]
"""
import argparse
import json
import math
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROCESSES = []          # every process this test started, stopped by pid at exit
PASSED, FAILED = [], []

# The processing-time edges of the server's histogram (ServerMetrics.processingTimeBuckets).
EDGES = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 1.5, 2, 2.5, 3, 4,
         5, 6, 7.5, 10, 15, 20, 30, 60]


def check(name, condition, detail=""):
    (PASSED if condition else FAILED).append(name)
    print(f"{'ok  ' if condition else 'FAIL'} {name}{': ' + detail if detail else ''}", flush=True)
    return condition


def stop_all():
    for proc in reversed(PROCESSES):
        if proc.poll() is None:
            try:
                os.kill(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()


def on_signal(signum, _frame):
    stop_all()
    sys.exit(128 + signum)


def ensure_prometheus():
    if shutil.which("prometheus") and shutil.which("promtool"):
        return
    print("installing Debian's prometheus (no service start)", flush=True)
    policy = "/usr/sbin/policy-rc.d"
    made_policy = not os.path.exists(policy)
    if made_policy:  # forbid starting services during the install
        with open(policy, "w") as f:
            f.write("#!/bin/sh\nexit 101\n")
        os.chmod(policy, 0o755)
    try:
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        if subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", "prometheus"], env=env).returncode != 0:
            subprocess.run(["apt-get", "update"], env=env, check=True)
            subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", "prometheus"], env=env, check=True)
    finally:
        if made_policy:
            os.remove(policy)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method, url, body=None, timeout=10):
    data = body.encode() if isinstance(body, str) else body
    request = urllib.request.Request(url, data=data, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def start_replica(binary, directory, log, *extra):
    proc = subprocess.Popen([binary, "serve", directory, "--listen", "127.0.0.1:0", "--interval", "1", *extra],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    PROCESSES.append(proc)
    deadline = time.time() + 30
    while time.time() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        log.append(line)
        match = re.search(r"on http://127\.0\.0\.1:(\d+)", line)
        if match:
            # keep draining stderr so the replica never blocks on it
            threading.Thread(target=lambda: log.extend(proc.stderr), daemon=True).start()
            return proc, int(match.group(1))
    raise RuntimeError(f"replica did not start: {''.join(log)}")


def prom_query(prom, expr):
    status, text = http("GET", f"{prom}/api/v1/query?" + urllib.parse.urlencode({"query": expr}))
    if status != 200:
        raise RuntimeError(f"query {expr}: {status} {text}")
    return json.loads(text)["data"]["result"]


def prom_scalar(prom, expr):
    result = prom_query(prom, expr)
    return float(result[0]["value"][1]) if result else None


def percentile_linear(values, q):
    """numpy's 'linear' percentile."""
    xs = sorted(values)
    position = (len(xs) - 1) * q
    lo = math.floor(position)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (position - lo)


def bucket_index(value):
    """Index of the histogram bucket (lower, upper] holding value; len(EDGES) for +Inf."""
    for i, edge in enumerate(EDGES):
        if value <= edge:
            return i
    return len(EDGES)


class Traffic:
    """A replica's traffic: a fixed label mix, confidence and latency laws."""

    def __init__(self, seed, labels, weights, confidence, latency):
        self.rng = random.Random(seed)
        self.labels, self.weights = labels, weights
        self.confidence, self.latency = confidence, latency
        self.sent_labels = {}
        self.sent_times = []

    def batch(self, n):
        lines = []
        for _ in range(n):
            label = self.rng.choices(self.labels, self.weights)[0]
            confidence = min(1.0, max(0.0, self.confidence(self.rng)))
            latency = self.latency(self.rng)
            self.sent_labels[label] = self.sent_labels.get(label, 0) + 1
            self.sent_times.append(latency)
            lines.append(json.dumps({"prediction": label, "confidence": confidence, "processing_time": latency,
                                     "text": "an input text of several words", "model_version": "v1"}))
        return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/notebooks"))
    parser.add_argument("--seconds", type=float, default=30, help="how long traffic is fed")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    started = time.time()
    ensure_prometheus()
    work = tempfile.mkdtemp(prefix="driftlab-fleet-")
    try:
        run(args, work)
    finally:
        stop_all()
        shutil.rmtree(work, ignore_errors=True)
    print(f"fleet test: {len(PASSED)} passed, {len(FAILED)} failed in {time.time() - started:.0f} s")
    print(f"{len(PASSED)} passed, {len(FAILED)} failed")
    return 1 if FAILED else 0


def run(args, work):
    binary = args.binary
    # The rules: the committed copy and a fast variant for this test, both checked by promtool.
    deploy_rules = os.path.join(ROOT, "deploy", "driftlab-rules.yml")
    generated = subprocess.run([binary, "prometheus-rules"], capture_output=True, text=True, check=True).stdout
    check("deploy/driftlab-rules.yml is what `notebooks prometheus-rules` prints",
          open(deploy_rules).read() == generated)
    promtool = subprocess.run(["promtool", "check", "rules", deploy_rules], capture_output=True, text=True)
    check("promtool check rules deploy/driftlab-rules.yml", promtool.returncode == 0, promtool.stdout.strip().splitlines()[-1:] and promtool.stdout.strip().splitlines()[-1] or promtool.stderr)
    unit = subprocess.run(["promtool", "test", "rules", os.path.join(ROOT, "deploy", "driftlab-rules.test.yml")],
                          capture_output=True, text=True)
    check("promtool test rules deploy/driftlab-rules.test.yml (every rule on synthetic series of two replicas)",
          unit.returncode == 0, (unit.stdout + unit.stderr).strip()[-1500:] if unit.returncode else "")
    rules_path = os.path.join(work, "rules.yml")
    fast = subprocess.run([binary, "prometheus-rules", "--window", "10s", "--for", "3s", "--evaluation-interval", "1s"],
                          capture_output=True, text=True, check=True).stdout
    with open(rules_path, "w") as f:
        f.write(fast)
    promtool = subprocess.run(["promtool", "check", "rules", rules_path], capture_output=True, text=True)
    if not check("promtool check rules (fast variant)", promtool.returncode == 0, promtool.stderr.strip()):
        return

    # Two replicas.
    logs = {"a": [], "b": []}
    dirs = {name: os.path.join(work, f"replica-{name}") for name in "ab"}
    replica_a, port_a = start_replica(binary, dirs["a"], logs["a"])
    # B without the loop: no timed flusher, so only SIGTERM can write its last pending lines.
    replica_b, port_b = start_replica(binary, dirs["b"], logs["b"], "--no-loop")
    urls = {"a": f"http://127.0.0.1:{port_a}", "b": f"http://127.0.0.1:{port_b}"}

    # Prometheus on loopback, scraping both every second.
    prom_port = free_port()
    config = os.path.join(work, "prometheus.yml")
    with open(config, "w") as f:
        f.write(f"""global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - {rules_path}
scrape_configs:
  - job_name: driftlab
    static_configs:
      - targets: ['127.0.0.1:{port_a}', '127.0.0.1:{port_b}']
""")
    prom_log = open(os.path.join(work, "prometheus.log"), "w")
    prometheus = subprocess.Popen(["prometheus", f"--config.file={config}", f"--storage.tsdb.path={work}/tsdb",
                                   f"--web.listen-address=127.0.0.1:{prom_port}"],
                                  stdout=prom_log, stderr=subprocess.STDOUT)
    PROCESSES.append(prometheus)
    prom = f"http://127.0.0.1:{prom_port}"
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            if http("GET", f"{prom}/-/ready", timeout=1)[0] == 200:
                break
        except OSError:
            pass
        time.sleep(0.2)
    else:
        check("prometheus is ready", False, open(os.path.join(work, "prometheus.log")).read()[-2000:])
        return
    deadline = time.time() + 20
    while time.time() < deadline and (prom_scalar(prom, 'sum(up{job="driftlab"})') or 0) < 2:
        time.sleep(0.5)
    check("prometheus scrapes both replicas", prom_scalar(prom, 'sum(up{job="driftlab"})') == 2)

    # Different traffic: A confident and fast, B unsure with a slow tail.
    traffic = {
        "a": Traffic(1, ["positive", "negative", "neutral"], [0.6, 0.3, 0.1],
                     lambda r: r.betavariate(18, 2), lambda r: r.lognormvariate(math.log(0.12), 0.5)),
        "b": Traffic(2, ["positive", "negative", "spam"], [0.2, 0.5, 0.3],
                     lambda r: r.betavariate(2, 5),
                     lambda r: r.uniform(5.5, 9.5) if r.random() < 0.08 else r.lognormvariate(math.log(0.4), 0.6)),
    }
    per_tick = {"a": 100, "b": 200}   # every 0.25 s: 400/s and 800/s
    tick = 0.25
    rate_samples = []   # (Prometheus's fleet rate, the rate really sent), steady state
    sent_log = []       # (time, predictions sent so far)
    errors = []
    t0 = time.time()
    next_tick = t0
    while time.time() - t0 < args.seconds:
        for name in "ab":
            status, text = http("POST", f"{urls[name]}/v1/predictions", traffic[name].batch(per_tick[name]))
            if status != 200 or json.loads(text)["recorded"] != per_tick[name]:
                errors.append((name, status, text[:200]))
        sent_log.append((time.time(), sum(len(t.sent_times) for t in traffic.values())))
        elapsed = time.time() - t0
        if elapsed > 12 and len(sent_log) % 8 == 0:  # sample the fleet rate every ~2 s in steady state
            value = prom_scalar(prom, "sum(rate(driftlab_predictions_total[8s]))")
            # what was really sent over the same 8 s (the sender may lag behind its schedule)
            then = next((entry for entry in sent_log if entry[0] >= sent_log[-1][0] - 8), sent_log[0])
            if value is not None and sent_log[-1][0] > then[0]:
                rate_samples.append((value, (sent_log[-1][1] - then[1]) / (sent_log[-1][0] - then[0])))
        next_tick += tick
        time.sleep(max(0.0, next_tick - time.time()))
    sent_seconds = time.time() - t0
    check("every batch was recorded whole", not errors, str(errors[:3]))
    ratios = sorted(measured / sent for measured, sent in rate_samples)
    median_ratio = ratios[len(ratios) // 2] if ratios else float("nan")
    check("fleet prediction rate from Prometheus matches the rate sent (median of steady-state samples)",
          abs(median_ratio - 1) <= 0.1,
          f"ratio {median_ratio:.3f} over {len(ratios)} samples, e.g. {rate_samples[-1][0]:.0f}/s measured, "
          f"{rate_samples[-1][1]:.0f}/s sent" if rate_samples else "no samples")

    # Wait for the last scrape to see everything, then compare totals per label.
    sent_total = sum(len(t.sent_times) for t in traffic.values())
    deadline = time.time() + 10
    while time.time() < deadline and prom_scalar(prom, "sum(driftlab_predictions_total)") != sent_total:
        time.sleep(0.5)
    fleet_total = prom_scalar(prom, "sum(driftlab_predictions_total)")
    check("fleet prediction total equals what was sent", fleet_total == sent_total, f"{fleet_total} vs {sent_total}")
    sent_by_label = {}
    for t in traffic.values():
        for label, count in t.sent_labels.items():
            sent_by_label[label] = sent_by_label.get(label, 0) + count
    by_label = {r["metric"]["label"]: int(float(r["value"][1]))
                for r in prom_query(prom, "sum by (label) (driftlab_predictions_total)")}
    check("fleet per-label counts equal what was sent", by_label == sent_by_label, f"{by_label} vs {sent_by_label}")

    # The fleet's p95 against the exact p95 of the union of both replicas' records.
    union = traffic["a"].sent_times + traffic["b"].sent_times
    exact = percentile_linear(union, 0.95)
    estimate = prom_scalar(prom, "histogram_quantile(0.95, sum by (le) (driftlab_processing_time_seconds_bucket))")
    windowed = prom_scalar(prom, "histogram_quantile(0.95, sum by (le) "
                                 f"(increase(driftlab_processing_time_seconds_bucket[{int(sent_seconds) + 30}s])))")
    check("fleet p95 from histogram_quantile within one bucket of the exact p95",
          estimate is not None and abs(bucket_index(estimate) - bucket_index(exact)) <= 1,
          f"histogram_quantile {estimate:.3f} s (windowed {windowed if windowed is None else round(windowed, 3)} s), "
          f"exact {exact:.3f} s")

    # The low-confidence rule fires (replica B drags the fleet's average below 0.6); keep feeding B.
    fired = set()
    deadline = time.time() + 40
    while time.time() < deadline and "DriftLabLowAverageConfidence" not in fired:
        http("POST", f"{urls['b']}/v1/predictions", traffic["b"].batch(200))
        http("POST", f"{urls['a']}/v1/predictions", traffic["a"].batch(100))
        status, text = http("GET", f"{prom}/api/v1/alerts")
        fired = {a["labels"]["alertname"] for a in json.loads(text)["data"]["alerts"] if a["state"] == "firing"}
        time.sleep(0.25)
    avg = prom_scalar(prom, "sum(rate(driftlab_prediction_confidence_sum[10s])) / "
                            "sum(rate(driftlab_prediction_confidence_count[10s]))")
    check("rule DriftLabLowAverageConfidence fires", "DriftLabLowAverageConfidence" in fired,
          f"firing: {sorted(fired)}, fleet average confidence {avg}")

    # kill -9 loses nothing a flush acknowledged.
    before = sum(1 for _ in open(os.path.join(dirs["a"], "monitor", "predictions.json")))
    extra = traffic["a"].batch(1234)
    status, text = http("POST", f"{urls['a']}/v1/predictions", extra)
    recorded_a = json.loads(text)["recorded"]
    status, text = http("POST", f"{urls['a']}/v1/flush")
    acknowledged = json.loads(text)["predictions"] if status == 200 else -1
    os.kill(replica_a.pid, signal.SIGKILL)
    replica_a.wait()
    on_disk = sum(1 for _ in open(os.path.join(dirs["a"], "monitor", "predictions.json")))
    check("kill -9 after POST /v1/flush loses nothing acknowledged",
          status == 200 and on_disk == acknowledged and on_disk >= before + recorded_a,
          f"{on_disk} lines on disk, {acknowledged} acknowledged")
    # A restart restores them.
    replica_a2, port_a2 = start_replica(binary, dirs["a"], logs["a"])
    status, text = http("GET", f"http://127.0.0.1:{port_a2}/healthz")
    check("a restarted replica restores its counters", json.loads(text)["predictions"] == acknowledged, text.strip())

    # A client that disconnects mid-body records nothing (not even its complete lines), and serving goes on.
    before_cut = json.loads(http("GET", f"http://127.0.0.1:{port_a2}/healthz")[1])["predictions"]
    partial = traffic["a"].batch(3)
    with socket.create_connection(("127.0.0.1", port_a2)) as sock:
        sock.sendall((f"POST /v1/predictions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len(partial) + 500}\r\n\r\n"
                      + partial).encode())
        time.sleep(0.3)
    time.sleep(0.3)
    status, text = http("GET", f"http://127.0.0.1:{port_a2}/healthz")
    check("a client disconnecting mid-body records nothing and the server keeps serving",
          status == 200 and json.loads(text)["predictions"] == before_cut, text.strip())

    # SIGTERM flushes what is pending: fewer lines than a write batch, on a replica without the timed flusher.
    total_b = json.loads(http("POST", f"{urls['b']}/v1/flush")[1])["predictions"]
    http("POST", f"{urls['b']}/v1/predictions", traffic["b"].batch(37))
    pending = sum(1 for _ in open(os.path.join(dirs["b"], "monitor", "predictions.json")))
    replica_b.send_signal(signal.SIGTERM)
    code = replica_b.wait(timeout=20)
    on_disk_b = sum(1 for _ in open(os.path.join(dirs["b"], "monitor", "predictions.json")))
    check("SIGTERM writes the pending lines and exits 0",
          code == 0 and pending == total_b and on_disk_b == total_b + 37,
          f"exit {code}; {pending} lines on disk before SIGTERM, {on_disk_b} after, {total_b + 37} recorded")
    replica_a2.send_signal(signal.SIGTERM)
    replica_a2.wait(timeout=20)


if __name__ == "__main__":
    sys.exit(main())
