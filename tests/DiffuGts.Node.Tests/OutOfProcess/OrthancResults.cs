using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DiffuGts.Testing;

namespace DiffuGts.Node.Tests.OutOfProcess;

/// <summary>One series as Orthanc's REST API reports it.</summary>
internal sealed record OrthancSeries(string Id, string Modality, string SeriesInstanceUid, IReadOnlyList<string> Instances);

/// <summary>What PACS holds, read through Orthanc's REST API (tools/lookup, studies/{id}/series, simplified-tags).</summary>
internal static class OrthancResults
{
    /// <summary>The series of the study with this Study Instance UID; empty when Orthanc has no such study.</summary>
    public static async Task<IReadOnlyList<OrthancSeries>> SeriesOfStudyAsync(OrthancProcess orthanc, string studyInstanceUid)
    {
        using var lookup = await orthanc.Http.PostAsync("tools/lookup", new StringContent(studyInstanceUid));
        lookup.EnsureSuccessStatusCode();
        var found = await lookup.Content.ReadFromJsonAsync<JsonArray>() ?? [];
        var study = found.FirstOrDefault(f => f!["Type"]!.GetValue<string>() == "Study");
        if (study is null)
        {
            return [];
        }

        var series = await orthanc.Http.GetFromJsonAsync<JsonArray>($"studies/{study["ID"]!.GetValue<string>()}/series") ?? [];
        return [.. series.Select(s => new OrthancSeries(
            s!["ID"]!.GetValue<string>(),
            s["MainDicomTags"]!["Modality"]!.GetValue<string>(),
            s["MainDicomTags"]!["SeriesInstanceUID"]!.GetValue<string>(),
            [.. s["Instances"]!.AsArray().Select(i => i!.GetValue<string>())]))];
    }

    /// <summary>Instances of one modality in the study, over all its series of that modality.</summary>
    public static async Task<int> CountAsync(OrthancProcess orthanc, string studyInstanceUid, string modality) =>
        (await SeriesOfStudyAsync(orthanc, studyInstanceUid)).Where(s => s.Modality == modality).Sum(s => s.Instances.Count);

    /// <summary>The Segment Labels of a SEG instance (PS3.3 C.8.20.4, Segment Sequence).</summary>
    public static async Task<IReadOnlyList<string>> SegmentLabelsAsync(OrthancProcess orthanc, string instanceId)
    {
        var tags = await orthanc.Http.GetFromJsonAsync<JsonObject>($"instances/{instanceId}/simplified-tags");
        return [.. tags!["SegmentSequence"]!.AsArray().Select(s => s!["SegmentLabel"]!.GetValue<string>())];
    }

    /// <summary>A top-level string attribute of an instance, by keyword.</summary>
    public static async Task<string?> TagAsync(OrthancProcess orthanc, string instanceId, string keyword)
    {
        var tags = await orthanc.Http.GetFromJsonAsync<JsonObject>($"instances/{instanceId}/simplified-tags");
        return tags![keyword]?.GetValue<string>();
    }

    /// <summary>Polls until the study holds at least <paramref name="count"/> instances of <paramref name="modality"/>.</summary>
    public static async Task WaitForAsync(OrthancProcess orthanc, string studyInstanceUid, string modality, int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (await CountAsync(orthanc, studyInstanceUid, modality) < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Orthanc holds no {modality} in study {studyInstanceUid} after {timeout}");
            }

            await Task.Delay(200);
        }
    }
}
