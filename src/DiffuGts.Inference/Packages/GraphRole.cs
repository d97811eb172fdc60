namespace DiffuGts.Inference.Packages;

/// <summary>The graphs of a package (docs/model-package.md §3); the manifest key is the snake_case name.</summary>
public enum GraphRole
{
    VaeEncoder,
    VaeDecoder,
    DiffusionUnet,
    AovaHead,
    RefinementHead,
    TextEncoder,
}
