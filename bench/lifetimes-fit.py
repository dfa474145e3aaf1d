# The lifetimes side of bench/clv.bench.ts: fits lifetimes' BetaGeoFitter and ParetoNBDFitter to
# the calibration summary the bench passes (CSV: frequency,recency,T on stdin) and prints, as one
# JSON line, each fitter's parameters and its fit times in ms (fit only: building the DataFrame is
# not timed). Run by the bench with PYTHONPATH set from LIFETIMES_PYTHONPATH.
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
    params = None
    for _ in range(runs):
        t = time.perf_counter()
        f = fitter().fit(df["frequency"], df["recency"], df["T"])
        times.append((time.perf_counter() - t) * 1000)
        params = {k: float(v) for k, v in f.params_.items()}
    out[name] = {"ms": times, "params": params}
print(json.dumps(out))
