namespace DiffuGts.Imaging.Evaluation;

/// <summary>The dataset layouts <c>diffugts eval</c> understands (docs/evaluation.md).</summary>
public enum DatasetLayout
{
    /// <summary><c>ROOT/cases/CASEID/{image.nii.gz, lesion.nii.gz, organs.nii.gz, case.json}</c>.</summary>
    Benchmark,

    /// <summary>Medical Segmentation Decathlon: <c>dataset.json</c> labels map int → name, images without channel suffix.</summary>
    Decathlon,

    /// <summary>nnU-Net v2 raw: <c>dataset.json</c> labels map name → int, images carry <c>_0000</c> channel suffixes.</summary>
    NnUNet,
}
