using System.CommandLine;
using System.Globalization;
using DiffuGts.Dicom;
using DiffuGts.Dicom.Dictionary;
using DiffuGts.Dicom.IO;

namespace DiffuGts.Cli.Commands;

/// <summary>
/// <c>diffugts dump FILE...</c>: prints each element as tag, VR, length, keyword and value, one line per element, items
/// indented; Pixel Data is summarised. A malformed file prints the format error (offset and tag path) and exits 1.
/// </summary>
internal static class DumpCommand
{
    private const int MaxValueChars = 72;

    public static Command Create()
    {
        var files = new Argument<string[]>("files") { Description = "DICOM Part 10 files to print.", Arity = ArgumentArity.OneOrMore };
        var strict = new Option<bool>("--strict") { Description = "Reject any departure from PS3.5/PS3.10 instead of warning." };
        var headerOnly = new Option<bool>("--header-only") { Description = "Stop before Pixel Data without reading it." };
        var command = new Command("dump", "Print the elements of DICOM files.");
        command.Arguments.Add(files);
        command.Options.Add(strict);
        command.Options.Add(headerOnly);
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var options = new DicomReadOptions
            {
                Mode = parse.GetValue(strict) ? DicomReadMode.Strict : DicomReadMode.Lenient,
                StopBeforePixelData = parse.GetValue(headerOnly),
            };
            var exitCode = 0;
            foreach (var path in parse.GetValue(files) ?? [])
            {
                try
                {
                    using var stream = File.OpenRead(path);
                    var file = DicomFile.Open(stream, options);
                    Print(output, path, file);
                }
                catch (Exception ex) when (ex is DicomFormatException or IOException or UnauthorizedAccessException)
                {
                    error.WriteLine($"error: {path}: {ex.Message}");
                    exitCode = 1;
                }
            }

            return exitCode;
        });
        return command;
    }

    private static void Print(TextWriter output, string path, DicomFile file)
    {
        output.WriteLine($"# File: {path}");
        output.WriteLine($"# Transfer syntax: {file.TransferSyntax}");
        foreach (var warning in file.Warnings)
        {
            output.WriteLine($"# Warning: {warning}");
        }

        output.WriteLine("# File meta information");
        PrintDataset(output, file.FileMetaInformation, 0, file);
        output.WriteLine("# Dataset");
        PrintDataset(output, file.Dataset, 0, file);
        if (file.PixelDataOffset is { } offset)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"(7FE0,0010) -- not read (header-only; starts at byte {offset})"));
        }
    }

    private static void PrintDataset(TextWriter output, DicomDataset dataset, int depth, DicomFile file)
    {
        var indent = new string(' ', depth * 2);
        foreach (var item in dataset)
        {
            var keyword = DicomDictionary.GetKeyword(item.Tag) ?? (item.Tag.IsPrivate ? "Private" : "Unknown");
            switch (item)
            {
                case DicomSequence sequence:
                    output.WriteLine($"{indent}{item.Tag} SQ {sequence.Items.Count} item(s) {keyword}");
                    for (var i = 0; i < sequence.Items.Count; i++)
                    {
                        output.WriteLine($"{indent}  > item {i + 1}");
                        PrintDataset(output, sequence.Items[i], depth + 2, file);
                    }

                    break;
                case DicomFragmentSequence fragments:
                    var total = fragments.Fragments.Sum(f => (long)f.Length);
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{indent}{item.Tag} {item.VR} undefined {keyword} <encapsulated: {fragments.Fragments.Count} fragment(s), {total} bytes, offset table {fragments.BasicOffsetTable.Count} entries>"));
                    break;
                case DicomElement element when element.Tag == DicomTags.PixelData:
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{indent}{item.Tag} {item.VR} {element.Length} {keyword} <native: {Describe(file.Dataset)}>"));
                    break;
                case DicomElement element:
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{indent}{item.Tag} {item.VR} {element.Length} {keyword} {Value(dataset, element)}"));
                    break;
            }
        }
    }

    private static string Value(DicomDataset dataset, DicomElement element)
    {
        if (element.Length == 0)
        {
            return "(no value)";
        }

        string text;
        try
        {
            text = "[" + string.Join('\\', dataset.GetStrings(element.Tag)) + "]";
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
        {
            text = $"<unreadable: {ex.Message}>";
        }

        return text.Length > MaxValueChars ? text[..MaxValueChars] + "..." : text;
    }

    private static string Describe(DicomDataset dataset)
    {
        var rows = dataset.GetValueOrDefault(DicomTags.Rows, 0);
        var columns = dataset.GetValueOrDefault(DicomTags.Columns, 0);
        var frames = dataset.GetValueOrDefault(DicomTags.NumberOfFrames, 1);
        var bits = dataset.GetValueOrDefault(DicomTags.BitsAllocated, 0);
        var samples = dataset.GetValueOrDefault(DicomTags.SamplesPerPixel, 1);
        return string.Create(CultureInfo.InvariantCulture, $"{frames} frame(s) of {columns}x{rows}, {samples} sample(s) of {bits} bits");
    }
}
