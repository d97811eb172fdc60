using System.Buffers.Binary;
using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DiffuGts.Inference.Execution;
using DiffuGts.Inference.Prompts;

namespace DiffuGts.Cli.Commands;

/// <summary>
/// <c>diffugts embed-prompts --out FILE.npy|FILE.json PROMPT...</c>: the built-in MiniLM embeddings (384-d, L2-normalised)
/// of each text, in order, for the foundry to train AOVA adapters on (docs/model-package.md §6). Texts are embedded as
/// given: apply templates and aliases before calling, as the node does.
/// </summary>
internal static class EmbedPromptsCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Output file: .npy (float32 [N, 384]) or .json (a lexicon).", Required = true };
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N.", DefaultValueFactory = _ => "cpu" };
        var texts = new Argument<string[]>("prompt") { Description = "Texts to embed.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("embed-prompts", "Write MiniLM sentence embeddings of prompts (for training AOVA adapters).") { output, device, texts };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(output)!;
            var prompts = parse.GetValue(texts)!;
            var json = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
            if (!json && !path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
            {
                parse.InvocationConfiguration.Error.WriteLine("--out must end in .npy or .json");
                return 2;
            }

            ExecutionDevice executionDevice;
            try
            {
                executionDevice = ExecutionDevice.Parse(parse.GetValue(device)!);
            }
            catch (ArgumentException e)
            {
                parse.InvocationConfiguration.Error.WriteLine(e.Message);
                return 2;
            }

            using var encoder = new MiniLmEncoder(new ExecutionProviderFactory(new StderrLogger(parse.InvocationConfiguration.Error)), executionDevice);
            var rows = prompts.Select(p => encoder.Embed(p, CancellationToken.None)).ToList();
            if (json)
            {
                WriteLexicon(path, prompts, rows);
            }
            else
            {
                WriteNpy(path, rows, encoder.Dimension);
            }

            parse.InvocationConfiguration.Output.WriteLine($"{rows.Count} embeddings ({encoder.Dimension}-d) written to {path}");
            return 0;
        });
        return command;
    }

    private static void WriteLexicon(string path, string[] prompts, List<float[]> rows)
    {
        using var stream = File.Create(path);
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
        writer.WriteStartObject();
        writer.WriteString("model", "all-MiniLM-L6-v2");
        writer.WriteNumber("dim", rows.Count == 0 ? 0 : rows[0].Length);
        writer.WriteStartObject("embeddings");
        for (var n = 0; n < prompts.Length; n++)
        {
            writer.WriteStartArray(prompts[n]);
            foreach (var v in rows[n])
            {
                writer.WriteNumberValue(v);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>NumPy format 1.0: magic, version, little-endian header length, a Python dict literal padded to 64 bytes, data.</summary>
    private static void WriteNpy(string path, List<float[]> rows, int dimension)
    {
        var header = string.Create(CultureInfo.InvariantCulture, $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows.Count}, {dimension}), }}");
        var total = 10 + header.Length + 1;
        header = header.PadRight(header.Length + ((64 - (total % 64)) % 64)) + "\n";
        using var stream = File.Create(path);
        stream.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)header.Length);
        stream.Write(length);
        stream.Write(Encoding.ASCII.GetBytes(header));
        Span<byte> value = stackalloc byte[4];
        foreach (var row in rows)
        {
            foreach (var v in row)
            {
                BinaryPrimitives.WriteSingleLittleEndian(value, v);
                stream.Write(value);
            }
        }
    }
}
