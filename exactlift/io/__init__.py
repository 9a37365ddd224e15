"""Trained networks in and out: weight files (npz, safetensors, ONNX, PyTorch) <-> exact case files.

>>> from exactlift.io import WEIGHT_FORMATS
>>> WEIGHT_FORMATS
('npz', 'safetensors', 'onnx', 'pt')
"""

from exactlift.io.export import export_weights
from exactlift.io.weights import (
    FLOAT_RULES,
    WEIGHT_FORMATS,
    WeightsError,
    exact_from_float,
    import_case,
    read_data,
    read_weights,
)

__all__ = [
    "FLOAT_RULES", "WEIGHT_FORMATS", "WeightsError", "exact_from_float", "export_weights", "import_case",
    "read_data", "read_weights",
]
