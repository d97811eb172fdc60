using DiffuGts.Imaging.Evaluation;
using DiffuGts.Testing;
using Xunit;

namespace DiffuGts.Imaging.Tests.Evaluation;

public sealed class EvaluationDatasetTests
{
    [Fact]
    public void Discover_BenchmarkLayout_ReadsMetadataSortedById()
    {
        using var dir = new TempDirectory();
        TinyDataset.WriteBenchmarkCase(dir.Path, "case_b", 1, true, "Unseen");
        TinyDataset.WriteBenchmarkCase(dir.Path, "case_a", 2, false, "seen");

        var cases = EvaluationDataset.Discover(dir.Path);

        Assert.Equal(DatasetLayout.Benchmark, EvaluationDataset.Detect(dir.Path));
        Assert.Equal(["case_a", "case_b"], cases.Select(c => c.Id));
        Assert.Equal(["seen", "unseen"], cases.Select(c => c.Category));
        Assert.Equal("liver", cases[0].Organ);
        Assert.Equal("a liver tumour, hypodense, in the liver", cases[1].Prompt);
        Assert.EndsWith("organs.nii.gz", cases[0].OrganLabelsPath, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, DatasetLayout.Decathlon)]
    [InlineData(true, DatasetLayout.NnUNet)]
    public void Discover_DecathlonOrNnUNet_FindsImagesLesionAndOrganLabels(bool nnUNet, DatasetLayout layout)
    {
        using var dir = new TempDirectory();
        TinyDataset.WriteDecathlon(dir.Path, nnUNet, cases: 3);

        var cases = EvaluationDataset.Discover(dir.Path, "unseen");

        Assert.Equal(layout, EvaluationDataset.Detect(dir.Path));
        Assert.Equal(["liver_0", "liver_1", "liver_2"], cases.Select(c => c.Id));
        Assert.All(cases, c => Assert.Equal([2], c.LesionLabelValues));
        Assert.All(cases, c => Assert.Equal(1, c.LesionOrganLabel));
        Assert.All(cases, c => Assert.Equal("unseen", c.Category));
        Assert.Equal("cancer in the liver", cases[0].Prompt);
        Assert.EndsWith(nnUNet ? "liver_0_0000.nii.gz" : "liver_0.nii.gz", cases[0].ImagePath, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DecathlonCase_LesionIsLabelTwoAndOrganCoversIt()
    {
        using var dir = new TempDirectory();
        TinyDataset.WriteDecathlon(dir.Path, nnUNet: false, cases: 1, testSplit: true);
        var evaluationCase = EvaluationDataset.Discover(dir.Path).Single();

        var input = EvaluationCaseLoader.Load(evaluationCase);

        var (_, lesion, organs) = TinyDataset.Make(100, withLesion: true);
        Assert.Equal(lesion.Data.Select(v => v != 0), input.Truth.Data);
        Assert.Equal(organs.Data.Select(v => v == 1 ? 1 : 0), input.OrganLabels!.Data);
    }

    [Fact]
    public void Shard_ThreePartsOfSeven_RoundRobinOverSortedIdsCoveringAllOnce()
    {
        var cases = Enumerable.Range(0, 7).Select(i => new EvaluationCase($"c{i}", "", "", [], null, null, "", "", "", "")).ToList();

        var parts = Enumerable.Range(0, 3).Select(k => EvaluationDataset.Shard(cases, 3, k).Select(c => c.Id).ToList()).ToList();

        Assert.Equal(["c0", "c3", "c6"], parts[0]);
        Assert.Equal(["c1", "c4"], parts[1]);
        Assert.Equal(cases.Select(c => c.Id).Order(), parts.SelectMany(p => p).Order());
        Assert.Throws<ArgumentOutOfRangeException>(() => EvaluationDataset.Shard(cases, 3, 3));
    }

    [Fact]
    public void Detect_FolderWithoutLayout_ThrowsNamingIt()
    {
        using var dir = new TempDirectory();

        var e = Assert.Throws<InvalidDataException>(() => EvaluationDataset.Detect(dir.Path));

        Assert.Contains("dataset.json", e.Message, StringComparison.Ordinal);
        Assert.Throws<DirectoryNotFoundException>(() => EvaluationDataset.Detect(dir.Combine("missing")));
    }

    [Fact]
    public void Discover_DatasetJsonWithoutLesionLabel_Throws()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("dataset.json"), """{"labels": {"0": "background", "1": "liver"}}""");

        var e = Assert.Throws<InvalidDataException>(() => EvaluationDataset.Discover(dir.Path));

        Assert.Contains("lesion", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Discover_BenchmarkCaseWithoutMetadata_Throws()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("cases", "x"));

        var e = Assert.Throws<InvalidDataException>(() => EvaluationDataset.Discover(dir.Path));

        Assert.Contains("case.json", e.Message, StringComparison.Ordinal);
    }
}
