"""Trains the plate detector on CPU, from a yaml or from the committed checkpoint, and exports it to ONNX.

python -m workers.recognition.training.train_detector var/det/data.yaml var/det-run --hours 0.7
python -m workers.recognition.training.train_detector var/det/data.yaml var/det-run --hours 2 \
    --resume-from workers/recognition/models/plate-detector.pt

The stripped final checkpoint (fp16 EMA weights, under 1 MB) is copied next to the ONNX so that a later
session can go on from it with --resume-from instead of starting from scratch again.
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
    parser.add_argument(
        "--resume-from",
        type=Path,
        help="start from this checkpoint's weights (a new schedule, not ultralytics' resume) instead of --model",
    )
    parser.add_argument("--imgsz", type=int, default=256)
    parser.add_argument(
        "--hours", type=float, default=0.7, help="training time budget, the schedule fitted to it; 0: --epochs alone"
    )
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr0", type=float, default=0.002, help="AdamW learning rate at the start")
    parser.add_argument("--lrf", type=float, default=0.01, help="final learning rate as a fraction of lr0")
    # Lane cameras are fixed: plate size and lighting vary less than ultralytics' defaults (scale 0.5, value 0.4).
    parser.add_argument("--scale", type=float, default=0.3, help="random zoom range, +/- this fraction")
    parser.add_argument("--hsv-v", type=float, default=0.3, help="random brightness range, +/- this fraction")
    parser.add_argument("--out", type=Path, default=Path("workers/recognition/models/plate-detector.onnx"))
    parser.add_argument("--checkpoint-out", type=Path, default=Path("workers/recognition/models/plate-detector.pt"))
    args = parser.parse_args()

    offline.configure(args.project.resolve() / "config")
    import_torchvision()
    from ultralytics import YOLO  # type: ignore[attr-defined,unused-ignore]

    # From a checkpoint ultralytics copies its weights into the new trainer's model; from a yaml it starts random.
    model = YOLO(str(args.resume_from) if args.resume_from else args.model)
    model.train(
        data=str(args.data.resolve()),
        epochs=args.epochs,
        time=args.hours,
        imgsz=args.imgsz,
        batch=args.batch,
        device="cpu",
        workers=2,
        pretrained=args.resume_from is not None,
        # What ultralytics' "auto" picks for a run this short, but with lr0 and lrf honoured.
        optimizer="AdamW",
        momentum=0.9,
        warmup_bias_lr=0.0,
        lr0=args.lr0,
        lrf=args.lrf,
        scale=args.scale,
        hsv_v=args.hsv_v,
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
        save_period=5,  # epochN.pt beside last.pt: something to go on from if the run is cut short
    )
    # Ultralytics strips last.pt when training ends: fp16 EMA weights, no optimizer state.
    weights = args.project.resolve() / "train" / "weights" / "last.pt"
    args.checkpoint_out.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(weights, args.checkpoint_out)
    print(f"kept {args.checkpoint_out} ({args.checkpoint_out.stat().st_size} bytes)")
    exported = YOLO(str(weights)).export(format="onnx", imgsz=args.imgsz, simplify=True, opset=17, dynamic=False)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(exported, args.out)
    print(f"exported {args.out} ({args.out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
