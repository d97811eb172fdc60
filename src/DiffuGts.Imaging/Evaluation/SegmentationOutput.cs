using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Evaluation;

/// <summary>What a method returns for one case: a continuous score (anomaly or probability) map and its binary mask.</summary>
public sealed record SegmentationOutput(Volume<float> Score, Volume<bool> Mask);
