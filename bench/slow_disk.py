#!/usr/bin/env python3
"""Client latency of llmtap with `buffer: disk` on a slow disk (docs/PERFORMANCE.md, "Slow disk").

    python3 bench/slow_disk.py [BUILD_DIR]     (default BUILD_DIR: build-rel)

Per case: llmtap (a mock_response deployment, a disk-buffered ndjson callback with a memory window
of 8 records) first takes BACKLOG (3000) requests while its receiver (`llmtap sink`) is down and is
killed with -9, leaving a backlog in the disk buffer; then the receiver comes back, llmtap restarts
on the same buffer, and REQUESTS (2000) chat completions are sent one after another over one
kept-alive connection while the delivery thread reads the backlog back. Reports p50 / p99 / max of
those requests and the records still on disk after the last answer (> 0: the read-back lasted the
whole measurement). Six cases, each with a fresh buffer: fsync never / always, each with no delay,
with DELAY_US (2000) added to every read of the disk buffer only (LLMTAP_TEST_DISK_READ_DELAY_US:
the delivery thread's side), and to every write and read (LLMTAP_TEST_DISK_DELAY_US: the request
path's append too; see delivery/disk/file_ops.h). A read made under a lock the request path takes
would show in the "reads" rows.
Everything on 127.0.0.1; the machine is shared, so compare the cases of one run with each other.
"""
import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build-rel")
LLMTAP = os.path.join(BUILD if os.path.isabs(BUILD) else os.path.join(ROOT, BUILD), "llmtap")
REQUESTS = int(os.environ.get("REQUESTS", "2000"))
BACKLOG = int(os.environ.get("BACKLOG", "3000"))
DELAY_US = int(os.environ.get("DELAY_US", "2000"))
BODY = b'{"model":"m","messages":[{"role":"user","content":"hello"}]}'


def start(args, env=None):
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    deadline = time.time() + 20
    while time.time() < deadline:
        line = proc.stdout.readline().decode(errors="replace")
        match = re.search(r"listening on [\d.]+:(\d+)", line)
        if match:
            # Keep reading what it prints, so a full pipe never stalls it.
            threading.Thread(target=lambda: proc.stdout.read(), daemon=True).start()
            return proc, int(match.group(1))
    raise RuntimeError("did not start: " + " ".join(args))


def stop(proc):
    proc.send_signal(signal.SIGKILL)
    proc.wait()


def write_config(path, sink_port, buffer_dir, fsync):
    with open(path, "w") as f:
        f.write(f"""model_list:
  - model_name: m
    litellm_params:
      model: openai/m
      mock_response: "ok"
litellm_settings:
  callbacks: ["cb"]
callback_settings:
  cb:
    callback_type: generic_api
    endpoint: http://127.0.0.1:{sink_port}/logs
    log_format: ndjson
    batch_size: 4
    flush_interval: 0.01
    max_queue_records: 8
    max_in_flight: 1
    buffer: disk
    buffer_path: {buffer_dir}
    fsync: {fsync}
general_settings:
  master_key: sk-1234
""")


def requests(port, count):
    """Sends `count` chat completions one after another; their latencies (s) and /metrics."""
    conn = http.client.HTTPConnection("127.0.0.1", port)
    headers = {"Content-Type": "application/json", "Authorization": "Bearer sk-1234"}
    times = []
    for _ in range(count):
        began = time.perf_counter()
        conn.request("POST", "/v1/chat/completions", BODY, headers)
        response = conn.getresponse()
        response.read()
        times.append(time.perf_counter() - began)
        assert response.status == 200, response.status
    conn.request("GET", "/metrics")
    metrics = conn.getresponse().read().decode()
    conn.close()
    return times, metrics


def run_case(work, fsync, delay_name, delay_us):
    buffer_dir = os.path.join(work, f"buffer-{fsync}-{delay_name}")
    config = os.path.join(work, "config.yaml")
    # 1. A backlog: BACKLOG records appended while the receiver is down, then kill -9.
    sink, sink_port = start([LLMTAP, "sink", "--host", "127.0.0.1", "--port", "0"])
    stop(sink)
    write_config(config, sink_port, buffer_dir, fsync)
    llmtap, port = start([LLMTAP, "--config", config, "--host", "127.0.0.1", "--port", "0"])
    requests(port, BACKLOG)
    stop(llmtap)
    # 2. The receiver is back; llmtap restarts on the slow disk and reads the backlog back on its
    # delivery thread while the measured requests arrive.
    sink, _ = start([LLMTAP, "sink", "--host", "127.0.0.1", "--port", str(sink_port)])
    env = dict(os.environ)
    if delay_name != "none":
        env[delay_name] = str(delay_us)
    llmtap, port = start([LLMTAP, "--config", config, "--host", "127.0.0.1", "--port", "0",
                          "--threads", "1"], env)
    times, metrics = requests(port, REQUESTS)
    stop(llmtap)
    stop(sink)
    # Records still on disk after the last answer: the backlog was being read back throughout.
    match = re.search(r'^llmtap_callback_disk_records\{callback="cb"\} (\d+)', metrics, re.M)
    backlog = int(match.group(1)) if match else -1
    times.sort()
    pick = lambda q: times[min(len(times) - 1, int(q * len(times)))] * 1e3
    return pick(0.5), pick(0.99), times[-1] * 1e3, backlog


def main():
    work = tempfile.mkdtemp(prefix="llmtap-slow-disk.")
    try:
        print(f"{REQUESTS} sequential requests per case, delay {DELAY_US} µs")
        print(f"{'fsync':8} {'delay on':>14} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'on disk':>8}")
        cases = (("none", "none"), ("reads", "LLMTAP_TEST_DISK_READ_DELAY_US"),
                 ("writes+reads", "LLMTAP_TEST_DISK_DELAY_US"))
        for fsync in ("never", "always"):
            for label, name in cases:
                p50, p99, worst, backlog = run_case(work, fsync, name, DELAY_US)
                print(f"{fsync:8} {label:>14} {p50:>8.3f} {p99:>8.3f} {worst:>8.3f} {backlog:>8}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
