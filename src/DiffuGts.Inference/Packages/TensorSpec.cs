namespace DiffuGts.Inference.Packages;

/// <summary>
/// One graph input or output as the manifest declares it. A dimension is a fixed size or, when
/// <see cref="SymbolicDimensions"/> names it, dynamic (docs/model-package.md §1).
/// </summary>
public sealed record TensorSpec(string Name, TensorElementType ElementType, IReadOnlyList<int?> Dimensions, IReadOnlyList<string?> SymbolicDimensions)
{
    public int Rank => Dimensions.Count;
}
