"""Makes ``import torchvision`` work beside the CPU torch wheel; import this before ultralytics or easyocr.

The registry's torchvision 0.28.0 wheel is a CUDA build. Beside ``torch==2.13.0+cpu`` its compiled ops
library does not load, so no ``torchvision::nms`` operator is ever defined, and torchvision's own import
then fails while registering a fake (meta) kernel for it: ``operator torchvision::nms does not exist``.
Letting pip pick torchvision's CUDA torch instead gives a 6 GB environment. So the training install pins
both (``constraints/train.txt``) and this module defines the operator with a pure-torch CPU kernel first.
torchvision registers fake kernels for exactly two operators at import, ``nms`` and its quantized twin
``qnms``; ``nms`` is also the one compiled op that ultralytics and easyocr call.
"""

from __future__ import annotations

import importlib.util
import sys
from typing import Any

_SCHEMA = "(Tensor dets, Tensor scores, float iou_threshold) -> Tensor"


def _nms_cpu(boxes: Any, scores: Any, iou_threshold: float) -> Any:
    """Greedy NMS over x0,y0,x1,y1 boxes, highest score first; the same contract as torchvision's kernel."""
    import torch

    if boxes.numel() == 0:
        return torch.empty((0,), dtype=torch.long, device=boxes.device)
    x0, y0, x1, y1 = boxes.unbind(1)
    areas = (x1 - x0).clamp(min=0) * (y1 - y0).clamp(min=0)
    order = scores.argsort(descending=True)
    keep: list[int] = []
    suppressed = torch.zeros(boxes.shape[0], dtype=torch.bool, device=boxes.device)
    for idx in order.tolist():
        if suppressed[idx]:
            continue
        keep.append(idx)
        ix0 = torch.maximum(x0[idx], x0)
        iy0 = torch.maximum(y0[idx], y0)
        ix1 = torch.minimum(x1[idx], x1)
        iy1 = torch.minimum(y1[idx], y1)
        inter = (ix1 - ix0).clamp(min=0) * (iy1 - iy0).clamp(min=0)
        iou = inter / (areas[idx] + areas - inter).clamp(min=1e-12)
        suppressed |= iou > iou_threshold
    return torch.tensor(keep, dtype=torch.long, device=boxes.device)


def _qnms_cpu(boxes: Any, scores: Any, iou_threshold: float) -> Any:
    return _nms_cpu(boxes.dequantize(), scores.dequantize(), iou_threshold)


def _has_op() -> bool:
    import torch

    try:
        torch.ops.torchvision.nms  # noqa: B018  (looking it up is the test)
    except (AttributeError, RuntimeError):
        return False
    return True


_LIBRARY: Any = None


def install() -> bool:
    """Define ``torchvision::nms`` (and ``qnms``) on CPU unless it exists already; True when this call defined it.

    Must run before the first ``import torchvision``; a no-op when a matching torchvision already
    loaded its own kernels (a CUDA environment, or a future CPU wheel).
    """
    global _LIBRARY
    if importlib.util.find_spec("torch") is None:
        raise ModuleNotFoundError("torch is not installed: pip install -e '.[train]' -c constraints/train.txt")
    import torch

    if _LIBRARY is not None or _has_op():
        return False
    if "torchvision" in sys.modules:
        raise RuntimeError("torchvision_cpu.install() must run before torchvision is imported")
    library = torch.library.Library("torchvision", "DEF")  # type: ignore[no-untyped-call,unused-ignore]
    for name, kernel in (("nms", _nms_cpu), ("qnms", _qnms_cpu)):
        library.define(name + _SCHEMA)  # type: ignore[no-untyped-call,unused-ignore]
        library.impl(name, kernel, "CPU")  # type: ignore[no-untyped-call,unused-ignore]
    _LIBRARY = library  # kept alive: dropping the Library object would unregister the operator
    return True


def _ops_nms(boxes: Any, scores: Any, iou_threshold: float) -> Any:
    import torch

    return torch.ops.torchvision.nms(boxes, scores, iou_threshold)


def import_torchvision() -> Any:
    """``install()`` and then import torchvision: what every training script calls first.

    torchvision's Python ``ops.nms`` refuses to run when its compiled library did not load, even with the
    operator defined, so it is pointed at the operator (``batched_nms`` looks ``nms`` up in ``ops.boxes``).
    """
    defined = install()
    import torchvision
    import torchvision.ops.boxes

    if defined:
        torchvision.ops.nms = torchvision.ops.boxes.nms = _ops_nms
    return torchvision
