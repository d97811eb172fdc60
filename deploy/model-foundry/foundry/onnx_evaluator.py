"""A small ONNX interpreter for parity checks of our own exported graphs, where Debian offers no ONNX runtime.

Debian has no onnxruntime for Python and python3-onnx 1.12 predates `onnx.reference` (1.13), so `export_package` checks
each graph by executing its nodes with this interpreter and comparing with PyTorch. Each operator follows the ONNX
operator specification (opset 17) for the attributes our exporter emits; anything else raises `UnsupportedOperator`
instead of guessing. Heavy kernels (Conv, AveragePool) use torch.nn.functional on explicitly padded inputs; everything
else is NumPy. The C# side still runs the same graphs with ONNX Runtime against the golden files.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import helper, numpy_helper

Array = np.ndarray


class UnsupportedOperator(NotImplementedError):
    pass


def _attrs(node: onnx.NodeProto) -> dict[str, object]:
    return {a.name: helper.get_attribute_value(a) for a in node.attribute}


def _tensor_attr(value: object) -> Array:
    return numpy_helper.to_array(value)  # type: ignore[arg-type]


def _spatial_pads(pads: list[int], rank: int) -> list[tuple[int, int]]:
    n = rank - 2
    return [(pads[i], pads[i + n]) for i in range(n)]


def _conv(x: Array, w: Array, b: Array | None, a: dict[str, object]) -> Array:
    n = x.ndim - 2
    if a.get("auto_pad", b"NOTSET") not in (b"NOTSET", "NOTSET"):
        raise UnsupportedOperator("Conv auto_pad")
    pads = _spatial_pads(list(a.get("pads", [0] * 2 * n)), x.ndim)  # type: ignore[arg-type]
    xt = np.pad(x, [(0, 0), (0, 0)] + pads)
    fn = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}[n]
    out = fn(torch.from_numpy(np.ascontiguousarray(xt)), torch.from_numpy(np.array(w)), None if b is None else torch.from_numpy(np.array(b)),
             stride=tuple(a.get("strides", [1] * n)), dilation=tuple(a.get("dilations", [1] * n)), groups=int(a.get("group", 1)))  # type: ignore[arg-type]
    return out.numpy()


def _average_pool(x: Array, a: dict[str, object]) -> Array:
    k = tuple(a["kernel_shape"])  # type: ignore[arg-type]
    pads = list(a.get("pads", [0] * 2 * len(k)))  # type: ignore[arg-type]
    if any(pads) or a.get("ceil_mode", 0):
        raise UnsupportedOperator("AveragePool with padding or ceil_mode")
    fn = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}[len(k)]
    return fn(torch.from_numpy(np.ascontiguousarray(x)), k, tuple(a.get("strides", k))).numpy()  # type: ignore[arg-type]


def _instance_norm(x: Array, scale: Array, bias: Array, a: dict[str, object]) -> Array:
    axes = tuple(range(2, x.ndim))
    mean = x.mean(axis=axes, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=axes, keepdims=True)
    shape = (1, -1) + (1,) * (x.ndim - 2)
    return ((x - mean) / np.sqrt(var + float(a.get("epsilon", 1e-5))) * scale.reshape(shape) + bias.reshape(shape)).astype(x.dtype)


def _resize(x: Array, roi: Array | None, scales: Array | None, sizes: Array | None, a: dict[str, object]) -> Array:
    mode = a.get("mode", b"nearest")
    ctm = a.get("coordinate_transformation_mode", b"half_pixel")
    nearest = a.get("nearest_mode", b"round_prefer_floor")
    if mode != b"nearest" or ctm != b"asymmetric" or nearest != b"floor":
        raise UnsupportedOperator(f"Resize mode={mode!r} ctm={ctm!r} nearest={nearest!r}")
    if sizes is not None and sizes.size:
        out_shape = [int(s) for s in sizes]
        scale = [o / i for o, i in zip(out_shape, x.shape)]
    else:
        assert scales is not None
        scale = [float(s) for s in scales]
        out_shape = [int(np.floor(i * s)) for i, s in zip(x.shape, scale)]
    for axis, (n_out, s) in enumerate(zip(out_shape, scale)):
        idx = np.minimum(np.floor(np.arange(n_out) / s).astype(np.int64), x.shape[axis] - 1)
        x = np.take(x, idx, axis=axis)
    return x


def _slice(x: Array, starts: Array, ends: Array, axes: Array | None, steps: Array | None) -> Array:
    axes_l = list(range(len(starts))) if axes is None else [int(v) % x.ndim for v in axes]
    steps_l = [1] * len(starts) if steps is None else [int(v) for v in steps]
    index = [slice(None)] * x.ndim
    for ax, s, e, st in zip(axes_l, starts, ends, steps_l):
        n = x.shape[ax]
        s, e = int(s), int(e)
        if st > 0:
            s = min(max(s + n if s < 0 else s, 0), n)
            e = min(max(e + n if e < 0 else e, 0), n)
        else:
            s = min(max(s + n if s < 0 else s, -1), n - 1)
            e = min(max(e + n if e < 0 else e, -1), n - 1)
            e = None if e < 0 else e  # type: ignore[assignment]
        index[ax] = slice(s, e, st)
    return x[tuple(index)]


def _reshape(x: Array, shape: Array, a: dict[str, object]) -> Array:
    target = [int(v) for v in shape]
    if not a.get("allowzero", 0):
        target = [x.shape[i] if v == 0 else v for i, v in enumerate(target)]
    return x.reshape(target)


def _div(a: Array, b: Array) -> Array:
    if np.issubdtype(a.dtype, np.integer):
        return np.trunc(a / b).astype(a.dtype)
    return (a / b).astype(np.result_type(a, b))


_CAST = {onnx.TensorProto.FLOAT: np.float32, onnx.TensorProto.INT64: np.int64, onnx.TensorProto.INT32: np.int32,
         onnx.TensorProto.DOUBLE: np.float64, onnx.TensorProto.BOOL: np.bool_, onnx.TensorProto.FLOAT16: np.float16}


def _unary(fn: Callable[[Array], Array]) -> Callable[..., Array]:
    return lambda a, x: fn(x).astype(x.dtype)


_OPS: dict[str, Callable[..., Array]] = {
    "Add": lambda a, x, y: x + y,
    "Sub": lambda a, x, y: x - y,
    "Mul": lambda a, x, y: x * y,
    "Div": lambda a, x, y: _div(x, y),
    "Pow": lambda a, x, y: np.power(x, y).astype(x.dtype),
    "Sigmoid": _unary(lambda x: 0.5 * (1.0 + np.tanh(0.5 * x))),  # overflow-free form of 1 / (1 + e^−x)
    "Abs": _unary(np.abs),
    "Exp": _unary(np.exp),
    "Log": _unary(np.log),
    "Cos": _unary(np.cos),
    "Sin": _unary(np.sin),
    "Identity": lambda a, x: x,
    "Cast": lambda a, x: x.astype(_CAST[int(a["to"])]),  # type: ignore[call-overload]
    "Shape": lambda a, x: np.array(x.shape[int(a.get("start", 0)):a.get("end")], dtype=np.int64),  # type: ignore[misc]
    "Gather": lambda a, x, i: np.take(x, i.astype(np.int64) % x.shape[int(a.get("axis", 0))] if i.size else i.astype(np.int64),
                                      axis=int(a.get("axis", 0))),  # type: ignore[arg-type]
    "Unsqueeze": lambda a, x, axes: np.expand_dims(x, tuple(int(v) % (x.ndim + len(axes)) for v in axes)),
    "Concat": lambda a, *xs: np.concatenate(xs, axis=int(a["axis"])),  # type: ignore[arg-type]
    "Reshape": lambda a, x, s: _reshape(x, s, a),
    "Transpose": lambda a, x: np.transpose(x, a.get("perm")),  # type: ignore[arg-type]
    "ConstantOfShape": lambda a, s: np.full([int(v) for v in s], _tensor_attr(a["value"]).item() if "value" in a else 0.0,
                                            dtype=_tensor_attr(a["value"]).dtype if "value" in a else np.float32),
    "Expand": lambda a, x, s: np.broadcast_to(x, np.broadcast_shapes(x.shape, tuple(int(v) for v in s))).copy(),
    "Slice": lambda a, x, st, en, ax=None, sp=None: _slice(x, st, en, ax, sp),
    "Pad": lambda a, x, pads, value=None, axes=None: _pad(x, pads, value, axes, a),
    "Clip": lambda a, x, lo=None, hi=None: np.clip(x, -np.inf if lo is None else lo, np.inf if hi is None else hi).astype(x.dtype),
    "Conv": lambda a, x, w, b=None: _conv(x, w, b, a),
    "AveragePool": lambda a, x: _average_pool(x, a),
    "InstanceNormalization": lambda a, x, s, b: _instance_norm(x, s, b, a),
    "Resize": lambda a, x, roi=None, scales=None, sizes=None: _resize(x, roi, scales, sizes, a),
    "MatMul": lambda a, x, y: np.matmul(x, y),
    "Gemm": lambda a, x, y, c=None: _gemm(x, y, c, a),
    "Einsum": lambda a, *xs: np.einsum(a["equation"].decode(), *xs).astype(xs[0].dtype),  # type: ignore[union-attr]
    "Softmax": lambda a, x: _softmax(x, int(a.get("axis", -1))),  # type: ignore[arg-type]
    "ReduceL2": lambda a, x: np.sqrt((x * x).sum(axis=tuple(a["axes"]) if "axes" in a else None,  # type: ignore[arg-type]
                                                  keepdims=bool(a.get("keepdims", 1)))).astype(x.dtype),
}


def _pad(x: Array, pads: Array, value: Array | None, axes: Array | None, a: dict[str, object]) -> Array:
    if a.get("mode", b"constant") != b"constant" or axes is not None:
        raise UnsupportedOperator("Pad other than constant over all axes")
    n = x.ndim
    width = [(int(pads[i]), int(pads[i + n])) for i in range(n)]
    if any(p < 0 for pair in width for p in pair):
        raise UnsupportedOperator("Pad with negative pads")
    return np.pad(x, width, constant_values=0 if value is None or value.size == 0 else value.item())


def _gemm(x: Array, y: Array, c: Array | None, a: dict[str, object]) -> Array:
    x = x.T if a.get("transA", 0) else x
    y = y.T if a.get("transB", 0) else y
    out = float(a.get("alpha", 1.0)) * (x @ y)  # type: ignore[arg-type]
    if c is not None:
        out = out + float(a.get("beta", 1.0)) * c  # type: ignore[arg-type]
    return out.astype(x.dtype)


def _softmax(x: Array, axis: int) -> Array:
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return (e / e.sum(axis=axis, keepdims=True)).astype(x.dtype)


def run(model: onnx.ModelProto, feeds: dict[str, Array]) -> dict[str, Array]:
    """Evaluates `model` on `feeds`; returns every graph output by name."""
    env: dict[str, Array] = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    env.update(feeds)
    for node in model.graph.node:
        a = _attrs(node)
        if node.op_type == "Constant":
            env[node.output[0]] = _tensor_attr(a["value"])
            continue
        fn = _OPS.get(node.op_type)
        if fn is None:
            raise UnsupportedOperator(node.op_type)
        args = [env[n] if n else None for n in node.input]
        while args and args[-1] is None:
            args.pop()
        out = fn(a, *args)
        env[node.output[0]] = np.asarray(out)
    return {o.name: env[o.name] for o in model.graph.output}
