"""Trains plate-crnn on CPU for a time budget, then writes easyocr's files and the ONNX the worker runs.

    python -m workers.recognition.training.train_crnn /work/shared/datasets/ccpd-train500 --minutes 30 \
        --labelled /work/shared/datasets/plates-easypr/scenes

Writes ``plate_crnn.pth`` (state dict, keys prefixed ``module.`` as easyocr expects), ``plate_crnn.yaml``
and ``plate_crnn.onnx`` next to ``plate_crnn.py`` in workers/recognition/models/.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any

import numpy as np

from workers.recognition.ccpd import is_validation, scan
from workers.recognition.charset import CHARACTERS, decode_greedy
from workers.recognition.crops import HEIGHT, WIDTH, normalise
from workers.recognition.labelled import load
from workers.recognition.training.crnn_data import (
    Sample,
    labelled_plates,
    real_samples,
    synthetic_samples,
    validation_samples,
)
from workers.recognition.training.torchvision_cpu import install

MODELS = Path(__file__).resolve().parent.parent / "models"
# Small on purpose: it trains on two shared CPU cores and runs per lane photo on CPU.
CHANNELS = 64


def _params(channels: int) -> dict[str, int]:
    return {"input_channel": 1, "output_channel": channels, "hidden_size": channels}


def _yaml(params: dict[str, int]) -> str:
    chars = json.dumps(CHARACTERS, ensure_ascii=False)
    return (
        "# plate-crnn for easyocr: Reader(['ch_sim', 'en'], recog_network='plate_crnn', ...); see plate_crnn.md\n"
        "network_params:\n"
        + "".join(f"  {k}: {v}\n" for k, v in params.items())
        + f"imgH: {HEIGHT}\nlang_list: ['ch_sim', 'en']\ncharacter_list: {chars}\n"
    )


def _targets(plates: list[str]) -> tuple[list[int], list[int]]:
    index = {c: i + 1 for i, c in enumerate(CHARACTERS)}
    flat = [index[c] for p in plates for c in p]
    return flat, [len(p) for p in plates]


def _grown(saved: dict[str, Any], fresh: dict[str, Any]) -> dict[str, Any]:
    """Saved weights for a model whose alphabet has grown since: the new classes' output rows start fresh."""
    out = dict(saved)
    for name in ("head.weight", "head.bias"):
        old, new = saved[name], fresh[name]
        if old.shape[0] < new.shape[0]:
            out[name] = new.clone()
            out[name][: old.shape[0]] = old
    return out


def readings(model: object, samples: list[Sample]) -> list[str]:
    import torch

    model.eval()  # type: ignore[attr-defined]
    texts = []
    with torch.no_grad():
        for i in range(0, len(samples), 128):
            chunk = samples[i : i + 128]
            probs = model(torch.from_numpy(normalise([s.line for s in chunk]))).softmax(-1)  # type: ignore[operator]
            best, idx = probs.max(-1)
            texts += [decode_greedy(ix, pb)[0] for ix, pb in zip(idx.tolist(), best.tolist(), strict=True)]
    model.train()  # type: ignore[attr-defined]
    return texts


def accuracy(model: object, samples: list[Sample]) -> float:
    texts = readings(model, samples)
    return sum(t == s.plate for t, s in zip(texts, samples, strict=True)) / max(1, len(samples))


def _report(model: object, checks: dict[str, list[Sample]]) -> str:
    return " ".join(f"{name} {accuracy(model, samples):.3f}" for name, samples in checks.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ccpd", type=Path)
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--real-per-image", type=int, default=24, help="crops per CCPD training photo")
    parser.add_argument(
        "--labelled", type=Path, action="append", default=[],
        help="a labelled folder with corners (labels.tsv); its validation split (by plate text) is only reported",
    )  # fmt: skip
    parser.add_argument("--labelled-per-image", type=int, default=40, help="crops per labelled training plate")
    parser.add_argument("--out", type=Path, default=MODELS, help="where the .pth, .yaml and .onnx go")
    parser.add_argument("--channels", type=int, default=CHANNELS, help="convolution channels and LSTM size")
    parser.add_argument("--synthetic", type=int, default=10000)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument(
        "--resume", type=Path, nargs="?", const=MODELS / "plate_crnn.pth", default=None,
        help="start from a .pth (the committed plate_crnn.pth when no path is given)",
    )  # fmt: skip
    parser.add_argument("--cache", type=Path, default=None, help="an .npz of generated training lines to reuse")
    args = parser.parse_args()

    install()
    import torch

    sys.path.insert(0, str(MODELS))
    from plate_crnn import Model  # type: ignore[import-not-found]

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    labels = scan(args.ccpd)
    train_labels = [lb for lb in labels if not is_validation(lb)]
    checks = {"ccpd-val": validation_samples([lb for lb in labels if is_validation(lb)])}
    labelled_train = []
    for folder in args.labelled:
        photos, problems = load(folder)
        for problem in problems:
            print(f"skipped {problem}", file=sys.stderr)
        labelled_train += labelled_plates([p for p in photos if not p.in_validation()])
        held_out = labelled_plates([p for p in photos if p.in_validation()])
        checks[f"{folder.parent.name}-val"] = validation_samples(held_out)
    started = time.monotonic()
    if args.cache is not None and args.cache.exists():
        # Generating crops costs minutes of CPU; a second run (--resume) reuses the first one's.
        cached = np.load(args.cache, allow_pickle=False)
        train = [Sample(line, str(plate)) for line, plate in zip(cached["lines"], cached["plates"], strict=True)]
    else:
        train = list(real_samples(train_labels, args.real_per_image, rng))
        train += list(real_samples(labelled_train, args.labelled_per_image, rng))
        train += list(synthetic_samples(train_labels + labelled_train, args.synthetic, rng))
        if args.cache is not None:
            np.savez(args.cache, lines=np.stack([s.line for s in train]), plates=np.array([s.plate for s in train]))
    checks["synth-val"] = list(synthetic_samples(train_labels, 600, np.random.default_rng(args.seed + 1)))
    sizes = ", ".join(f"{name} {len(samples)}" for name, samples in checks.items())
    print(f"data: {len(train)} train; validation {sizes}; {time.monotonic() - started:.0f}s", flush=True)

    lines = torch.from_numpy(normalise([s.line for s in train]))
    plates = [s.plate for s in train]
    params = _params(args.channels)
    model = Model(num_class=len(CHARACTERS) + 1, **params)
    if args.resume is not None:
        saved = torch.load(args.resume, map_location="cpu")
        model.load_state_dict(_grown({k.removeprefix("module."): v for k, v in saved.items()}, model.state_dict()))
    optimiser = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    ctc = torch.nn.CTCLoss(blank=0, zero_infinity=True)
    budget, step, begun = args.minutes * 60, 0, time.monotonic()
    while (elapsed := time.monotonic() - begun) < budget:
        for group in optimiser.param_groups:
            group["lr"] = args.lr * 0.5 * (1 + math.cos(math.pi * elapsed / budget))
        batch = torch.from_numpy(rng.choice(len(train), 32, replace=False))
        x = lines[batch]
        # Horizontal shift by up to 4 px (wrapping the padded tail) so the network does not learn positions.
        x = torch.roll(x, int(rng.integers(-2, 3)), dims=3)
        flat, lengths = _targets([plates[i] for i in batch.tolist()])
        logits = model(x).log_softmax(-1).permute(1, 0, 2)  # T, N, C
        steps = torch.full((x.shape[0],), logits.shape[0], dtype=torch.long)
        loss = ctc(logits, torch.tensor(flat), steps, torch.tensor(lengths))
        optimiser.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        optimiser.step()
        step += 1
        if step % 500 == 0:
            print(f"step {step} {elapsed:.0f}s loss {loss.item():.3f} {_report(model, checks)}", flush=True)

    model.eval()
    wrong = {
        name: [(s.plate, t) for s, t in zip(samples, readings(model, samples), strict=True) if t != s.plate]
        for name, samples in checks.items()
    }
    final = {name: round(1 - len(wrong[name]) / max(1, len(samples)), 4) for name, samples in checks.items()}
    print(f"final after {step} steps: {final}", flush=True)
    for name, misread in wrong.items():
        print(f"{name} wrong: {misread[:30]}", flush=True)
    state = OrderedDict((f"module.{k}", v) for k, v in model.state_dict().items())
    args.out.mkdir(parents=True, exist_ok=True)
    torch.save(state, args.out / "plate_crnn.pth")
    (args.out / "plate_crnn.yaml").write_text(_yaml(params), encoding="utf-8")
    dummy = torch.zeros(1, 1, HEIGHT, WIDTH)
    torch.onnx.export(
        model, (dummy,), str(args.out / "plate_crnn.onnx"), input_names=["image"], output_names=["logits"],
        dynamic_axes={"image": {0: "n"}, "logits": {0: "n"}}, opset_version=17, dynamo=False,
    )  # fmt: skip
    print(json.dumps({"steps": step, **final, "train": len(train)}))


if __name__ == "__main__":
    main()
