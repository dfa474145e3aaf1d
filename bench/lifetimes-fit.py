# The lifetimes side of bench/clv.bench.ts: fits lifetimes' BetaGeoFitter and ParetoNBDFitter to
# the calibration summary the bench passes (CSV: frequency,recency,T on stdin) and prints, as one
# JSON line, each fitter's parameters, its fit times in ms and its CPU times in ms (process time,
# all threads: less sensitive to a shared machine's load) (fit only: building the DataFrame is not
# timed). Run by the bench with PYTHONPATH set from LIFETIMES_PYTHONPATH.
import io
import json
import sys
import time
import warnings

warnings.filterwarnings("ignore")
import pandas as pd
from lifetimes import BetaGeoFitter, ParetoNBDFitter

runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
df = pd.read_csv(io.StringIO(sys.stdin.read()))
out = {}
for name, fitter in (("bgnbd", BetaGeoFitter), ("pnbd", ParetoNBDFitter)):
    times = []
    cpu = []
    params = None
    for _ in range(runs):
        t = time.perf_counter()
        c = time.process_time()
        f = fitter().fit(df["frequency"], df["recency"], df["T"])
        cpu.append((time.process_time() - c) * 1000)
        times.append((time.perf_counter() - t) * 1000)
        params = {k: float(v) for k, v in f.params_.items()}
    out[name] = {"ms": times, "cpuMs": cpu, "params": params}
print(json.dumps(out))
