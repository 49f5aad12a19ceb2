"""The plate-crnn network in easyocr's custom ``recog_network`` format (``Model(input_channel, ...)``).

easyocr imports this file by name from its ``user_network_directory`` and calls ``model(image, text)``;
``text`` is unused (CTC). Input (N, 1, 32, W); output (N, W/4, num_class) logits, blank at index 0.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn


def _block(cin: int, cout: int) -> list[nn.Module]:
    return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True)]


# nn.Module is Any where torch is not installed (mypy in CI), a typed class here: hence both codes.
class Model(nn.Module):  # type: ignore[misc,unused-ignore]
    def __init__(self, input_channel: int, output_channel: int, hidden_size: int, num_class: int) -> None:
        super().__init__()
        c = output_channel
        self.features = nn.Sequential(
            *_block(input_channel, c // 4),
            nn.MaxPool2d(2, 2),  # 16 x W/2
            *_block(c // 4, c // 2),
            nn.MaxPool2d(2, 2),  # 8 x W/4
            *_block(c // 2, c),
            *_block(c, c),
            nn.MaxPool2d((2, 1), (2, 1)),  # 4 x W/4
            *_block(c, c),
            nn.MaxPool2d((2, 1), (2, 1)),  # 2 x W/4
            *_block(c, c),
            nn.MaxPool2d((2, 1), (2, 1)),  # 1 x W/4 (a fixed pool: ONNX export needs constant sizes)
        )
        self.rnn = nn.LSTM(c, hidden_size, bidirectional=True, batch_first=True)
        self.head = nn.Linear(2 * hidden_size, num_class)

    def forward(self, input: torch.Tensor, text: Any = None) -> torch.Tensor:
        x = self.features(input).squeeze(2).permute(0, 2, 1)  # N, T, C
        x, _ = self.rnn(x)
        out: torch.Tensor = self.head(x)
        return out
