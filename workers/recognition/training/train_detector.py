"""Trains the plate detector from a yaml (no pretrained weights exist here) on CPU and exports it to ONNX.

python -m workers.recognition.training.train_detector var/det/data.yaml var/det-run --hours 0.7
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from workers.recognition.training import offline
from workers.recognition.training.torchvision_cpu import import_torchvision


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("project", type=Path)
    parser.add_argument("--model", default=str(Path(__file__).with_name("plate-yolo.yaml")))
    parser.add_argument("--imgsz", type=int, default=256)
    parser.add_argument("--hours", type=float, default=0.7, help="training time budget; the schedule fits it")
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--out", type=Path, default=Path("workers/recognition/models/plate-detector.onnx"))
    args = parser.parse_args()

    offline.configure(args.project.resolve() / "config")
    import_torchvision()
    from ultralytics import YOLO  # type: ignore[attr-defined,unused-ignore]

    model = YOLO(args.model)
    model.train(
        data=str(args.data.resolve()),
        epochs=args.epochs,
        time=args.hours,
        imgsz=args.imgsz,
        batch=args.batch,
        device="cpu",
        workers=2,
        pretrained=False,
        amp=False,
        plots=False,
        val=False,
        single_cls=True,
        project=str(args.project.resolve()),
        name="train",
        exist_ok=True,
        fliplr=0.0,  # a mirrored plate is not a plate
        # Mosaic shrinks already small plates four-fold; on a few CPU-hours it slows learning more than it helps.
        mosaic=0.0,
        close_mosaic=0,
        seed=0,
    )
    weights = args.project.resolve() / "train" / "weights" / "last.pt"
    exported = YOLO(str(weights)).export(format="onnx", imgsz=args.imgsz, simplify=True, opset=17, dynamic=False)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(exported, args.out)
    print(f"exported {args.out} ({args.out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
