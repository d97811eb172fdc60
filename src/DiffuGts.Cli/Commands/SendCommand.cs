using System.CommandLine;
using DiffuGts.Dicom;
using DiffuGts.Dicom.Network.Client;
using Spectre.Console;

namespace DiffuGts.Cli.Commands;

/// <summary>
/// <c>diffugts send</c>: C-STORE files and folders (recursive) to a peer in one association, one status line per
/// instance, a progress bar on an interactive terminal for long sends, and an exit code that tells success, partial
/// failure, connection failure and rejection apart (<see cref="CliExitCodes"/>).
/// </summary>
internal static class SendCommand
{
    private const int ProgressBarThreshold = 20;

    public static Command Create()
    {
        var peer = new PeerArguments();
        var paths = new Argument<string[]>("PATH") { Description = "Files or folders (searched recursively).", Arity = ArgumentArity.OneOrMore };
        var command = new Command("send", "Send DICOM files to a peer with C-STORE.") { paths };
        peer.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var options = peer.Read(parse);

            var (instances, unreadable) = Collect(parse.GetRequiredValue(paths));
            foreach (var (path, reason, _) in unreadable)
            {
                await output.WriteLineAsync($"SKIP  {path}: {reason}");
            }

            if (instances.Count == 0)
            {
                await error.WriteLineAsync("no DICOM Part 10 file found");
                return CliExitCodes.NothingToSend;
            }

            StoreReport report;
            try
            {
                report = instances.Count >= ProgressBarThreshold && AnsiConsole.Profile.Capabilities.Interactive
                    ? await SendWithProgressAsync(options, instances, cancellationToken)
                    : await new StoreScu(options).SendAsync(instances, null, cancellationToken);
            }
            catch (Exception ex) when (ex is DicomConnectionException or AssociationRejectedException or AssociationAbortedException)
            {
                await error.WriteLineAsync($"send failed: {ex.Message}");
                return ExitCodeFor(ex);
            }

            foreach (var result in report.Results)
            {
                var label = result.IsStored ? "OK   " : "FAIL ";
                await output.WriteLineAsync($"{label} {result.SopInstanceUid} {result.Outcome} {result.Status?.ToString() ?? ""} {result.Error ?? ""}".TrimEnd());
            }

            await output.WriteLineAsync($"{report.StoredCount}/{report.Results.Count} stored, {unreadable.Count} skipped");
            if (report.AssociationFailure is not null)
            {
                await error.WriteLineAsync($"association ended early: {report.AssociationFailure.Message}");
                return CliExitCodes.AssociationAborted;
            }

            return report.AllStored && !unreadable.Any(u => u.Named) ? CliExitCodes.Success : CliExitCodes.PartialFailure;
        });
        return command;
    }

    internal static int ExitCodeFor(Exception exception) => exception switch
    {
        DicomConnectionException => CliExitCodes.ConnectionFailure,
        AssociationRejectedException => CliExitCodes.AssociationRejected,
        _ => CliExitCodes.AssociationAborted,
    };

    /// <summary>Non-DICOM files met inside a folder are skipped; a named file that is not DICOM counts as a failure.</summary>
    private static (List<StoreInstance> Instances, List<(string Path, string Reason, bool Named)> Unreadable) Collect(IEnumerable<string> paths)
    {
        var instances = new List<StoreInstance>();
        var unreadable = new List<(string, string, bool)>();
        var files = paths.SelectMany<string, (string File, bool Named)>(p => Directory.Exists(p)
            ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(f => (f, false))
            : [(p, true)]);
        foreach (var (file, named) in files)
        {
            try
            {
                instances.Add(StoreInstance.FromFile(file));
            }
            catch (Exception ex) when (ex is DicomFormatException or IOException or UnauthorizedAccessException)
            {
                unreadable.Add((file, ex.Message, named));
            }
        }

        return (instances, unreadable);
    }

    private static async Task<StoreReport> SendWithProgressAsync(DicomClientOptions options, List<StoreInstance> instances,
        CancellationToken cancellationToken)
    {
        StoreReport? report = null;
        await AnsiConsole.Progress().StartAsync(async context =>
        {
            var task = context.AddTask($"C-STORE to {options.CalledAeTitle}", maxValue: instances.Count);
            var progress = new Progress<InstanceStoreResult>(_ => task.Increment(1));
            report = await new StoreScu(options).SendAsync(instances, progress, cancellationToken);
        });
        return report!;
    }
}
