namespace DiffuGts.Inference.Packages;

/// <summary>
/// The tensors each graph role must have (docs/model-package.md §3): name, rank, whether float or int64, and the channel
/// size where the manifest fixes it. Checked against the manifest at parse time and against ORT metadata at load.
/// </summary>
internal static class GraphContract
{
    public const string Image = "image";
    public const string LatentMean = "latent_mean";
    public const string Latent = "latent";
    public const string Timestep = "timestep";
    public const string Prediction = "prediction";
    public const string PromptEmbeddings = "prompt_embeddings";
    public const string AnomalyLogits = "anomaly_logits";
    public const string PseudoHealthy = "pseudo_healthy";
    public const string PixelResidual = "pixel_residual";
    public const string FeatureResidual = "feature_residual";
    public const string AnomalyMap = "anomaly_map";
    public const string LesionLogit = "lesion_logit";
    public const string InputIds = "input_ids";
    public const string AttentionMask = "attention_mask";
    public const string TokenTypeIds = "token_type_ids";
    public const string LastHiddenState = "last_hidden_state";

    public static string ManifestKey(GraphRole role) => role switch
    {
        GraphRole.VaeEncoder => "vae_encoder",
        GraphRole.VaeDecoder => "vae_decoder",
        GraphRole.DiffusionUnet => "diffusion_unet",
        GraphRole.AovaHead => "aova_head",
        GraphRole.RefinementHead => "refinement_head",
        GraphRole.TextEncoder => "text_encoder",
        GraphRole.PixelRefinementHead => "refinement_head_pixel_residual",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    /// <summary>(name, rank, is-integer, channel size at axis 1 or null) of every required input.</summary>
    public static IReadOnlyList<Expected> Inputs(GraphRole role, ModelManifest m)
    {
        var f = m.Features;
        var c3 = f[2].Channels;
        var e = m.Prompts.EmbeddingDim;
        return role switch
        {
            GraphRole.VaeEncoder => [new(Image, 5, false, 1)],
            GraphRole.VaeDecoder => [new(Latent, 5, false, m.Latent.Channels)],
            GraphRole.DiffusionUnet => UnetInputs(m),
            GraphRole.AovaHead =>
            [
                new(f[0].Name, 5, false, f[0].Channels), new(f[1].Name, 5, false, f[1].Channels), new(f[2].Name, 5, false, c3),
                new(PromptEmbeddings, 3, false, 2, e),
            ],
            GraphRole.RefinementHead or GraphRole.PixelRefinementHead =>
            [
                new(Image, 5, false, 1), new(PseudoHealthy, 5, false, 1), new(PixelResidual, 5, false, 1),
                new(FeatureResidual, 5, false, c3), new(AnomalyMap, 5, false, 1),
            ],
            GraphRole.TextEncoder => [new(InputIds, 2, true, null), new(AttentionMask, 2, true, null), new(TokenTypeIds, 2, true, null)],
            _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
        };
    }

    public static IReadOnlyList<Expected> Outputs(GraphRole role, ModelManifest m)
    {
        var f = m.Features;
        return role switch
        {
            GraphRole.VaeEncoder =>
            [
                new(LatentMean, 5, false, m.Latent.Channels), new(f[0].Name, 5, false, f[0].Channels),
                new(f[1].Name, 5, false, f[1].Channels), new(f[2].Name, 5, false, f[2].Channels),
            ],
            GraphRole.VaeDecoder => [new(Image, 5, false, 1)],
            GraphRole.DiffusionUnet => [new(Prediction, 5, false, m.Latent.Channels)],
            GraphRole.AovaHead => [new(AnomalyLogits, 5, false, null)],
            GraphRole.RefinementHead or GraphRole.PixelRefinementHead => [new(LesionLogit, 5, false, 1)],
            GraphRole.TextEncoder => [new(LastHiddenState, 3, false, null, m.Prompts.EmbeddingDim)],
            _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
        };
    }

    /// <summary>Whether a graph may list outputs beyond the required ones (a text encoder's pooler, §3.6).</summary>
    public static bool AllowsExtraOutputs(GraphRole role) => role == GraphRole.TextEncoder;

    private static List<Expected> UnetInputs(ModelManifest m)
    {
        var c = m.Conditioning;
        var inputs = new List<Expected> { new(Latent, 5, false, m.Latent.Channels), new(Timestep, 1, false, null) };
        if (c.SpacingInput is { } spacing)
        {
            inputs.Add(new(spacing, 2, false, 3));
        }

        if (c.TopRegionInput is { } top && c.BottomRegionInput is { } bottom)
        {
            inputs.Add(new(top, 2, false, 4));
            inputs.Add(new(bottom, 2, false, 4));
        }

        if (c.ModalityInput is { } modality)
        {
            inputs.Add(new(modality, 1, true, null));
        }

        return inputs;
    }

    /// <summary>A required tensor: axis 1 must be <paramref name="Channels"/> and the last axis <paramref name="Last"/> when given.</summary>
    internal sealed record Expected(string Name, int Rank, bool IsInteger, int? Channels, int? Last = null);
}
