"""The Dask rows of the benchmark, in a process of their own: ``python spread.py SIZE``.

``aid_dask`` over ``SIZE`` students on a local cluster of two worker processes, beside
``aid_frame`` over the same frame in this process; it prints the seconds of each as
JSON: ``first`` is the first call over the whole frame in this process (whose memory
for the answer is new to it, as a worker's is for each partition it keeps) and
``in_process`` the best of 3.  The roster is first put on the workers in
:data:`PARTITIONS` partitions, as a roster read there from Parquet is.  ``evaluated``
leaves the result on the workers (``persist``); ``collected`` brings it back to this
process (``compute``), which adds the transfer; ``summed`` is
``cash_total.sum().compute()``.

It is a script of its own so that the other rows' processes do not import Dask, pandas
and the distributed scheduler, whose memory would count in their peaks.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

import dask.dataframe
import distributed
import pandas as pd
from run import COLUMN_RUNS, ON, REGION, best_of, roster_table

import edupolicy
from edupolicy.columnar.dask import aid_dask
from edupolicy.columnar.pandas import aid_frame

#: Dask and its distributed scheduler (untyped).
dd: Any = dask.dataframe
cluster: Any = distributed
#: The partitions of the roster.
PARTITIONS = 8


def spread(size: int) -> dict[str, float]:
    """The seconds of ``aid_frame`` in this process and of ``aid_dask`` on the cluster."""
    policy = edupolicy.load(REGION)
    frame = roster_table(size).to_pandas(types_mapper=pd.ArrowDtype)
    aid_frame(policy, frame.iloc[:100], ON)  # warm, as the others are
    first, _ = best_of(1, lambda: aid_frame(policy, frame, ON))
    in_process, _ = best_of(COLUMN_RUNS, lambda: aid_frame(policy, frame, ON))
    timings: dict[str, list[float]] = {"evaluated": [], "collected": [], "summed": []}
    with (
        cluster.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as local,
        cluster.Client(local) as client,
    ):
        roster: Any = dd.from_pandas(frame, npartitions=PARTITIONS).persist()
        cluster.wait(roster)
        warm: Any = aid_dask(policy, roster, ON)
        warm.compute()  # warm: the policy and the imports
        for _ in range(COLUMN_RUNS):
            aided: Any = aid_dask(policy, roster, ON)
            start = time.perf_counter()
            kept = aided.persist()
            cluster.wait(kept)
            timings["evaluated"].append(time.perf_counter() - start)
            del kept
            start = time.perf_counter()
            aided.compute()
            timings["collected"].append(time.perf_counter() - start)
            start = time.perf_counter()
            aided.cash_total.sum().compute()
            timings["summed"].append(time.perf_counter() - start)
        client.cancel(roster)
    found = {k: min(v) for k, v in timings.items()}
    return {"first": first, "in_process": in_process, **found}


if __name__ == "__main__":
    print(json.dumps(spread(int(sys.argv[1]))))
