namespace DiffuGts.Inference.Packages;

/// <summary>A graph of the package: its file and the tensors it must take and give, by name.</summary>
public sealed record GraphSpec(GraphRole Role, string File, IReadOnlyList<TensorSpec> Inputs, IReadOnlyList<TensorSpec> Outputs)
{
    public TensorSpec Input(string name) => Inputs.Single(t => t.Name == name);

    public TensorSpec Output(string name) => Outputs.Single(t => t.Name == name);

    public bool HasInput(string name) => Inputs.Any(t => t.Name == name);
}
