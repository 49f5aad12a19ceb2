"""One way to open an ONNX model for the worker: CPU, a fixed number of threads, nothing else shared."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def cpu_session(model: Path, threads: int = 1) -> Any:
    """An onnxruntime session on the CPU with ``threads`` intra-op threads and one inter-op thread.

    Several models run one after another for each photo, and workers run side by side: each session keeps to
    the threads it is given instead of onnxruntime's default of every core.
    """
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    return ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
