namespace DiffuGts.Inference.Packages;

/// <summary>Element types a package tensor may have (docs/model-package.md §1: float32, float16, int64).</summary>
public enum TensorElementType
{
    Fp32,
    Fp16,
    I64,
}
