using System.CommandLine;
using DiffuGts.Dicom.Network.Client;

namespace DiffuGts.Cli.Commands;

/// <summary><c>diffugts echo</c>: C-ECHO a peer (PS3.4 Annex A) and report the outcome through the exit code.</summary>
internal static class EchoCommand
{
    public static Command Create()
    {
        var peer = new PeerArguments();
        var command = new Command("echo", "Verify a DICOM peer with C-ECHO.");
        peer.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var options = peer.Read(parse);
            var started = TimeProvider.System.GetTimestamp();
            try
            {
                var status = await EchoScu.EchoAsync(options, cancellationToken);
                var elapsed = TimeProvider.System.GetElapsedTime(started);
                await output.WriteLineAsync($"C-ECHO {options.CalledAeTitle}@{options.Host}:{options.Port}: {status} in {elapsed.TotalMilliseconds:F0} ms");
                return status.IsSuccess ? CliExitCodes.Success : CliExitCodes.PartialFailure;
            }
            catch (Exception ex) when (ex is DicomConnectionException or AssociationRejectedException or AssociationAbortedException)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"C-ECHO failed: {ex.Message}");
                return SendCommand.ExitCodeFor(ex);
            }
        });
        return command;
    }
}
