using System.CommandLine;
using DiffuGts.Dicom.Network.Client;

namespace DiffuGts.Cli.Commands;

/// <summary><c>diffugts echo</c>: C-ECHO a peer (PS3.4 Annex A) and report the outcome through the exit code.</summary>
internal static class EchoCommand
{
    public static Command Create()
    {
        var host = new Option<string>("--host") { Description = "Peer host name or address.", Required = true };
        var port = new Option<int>("--port") { Description = "Peer DICOM port.", Required = true };
        var calledAe = new Option<string>("--called-ae") { Description = "The peer's AE title.", Required = true };
        var callingAe = new Option<string>("--calling-ae") { Description = "Our AE title.", DefaultValueFactory = _ => "DIFFUGTS" };
        var command = new Command("echo", "Verify a DICOM peer with C-ECHO.") { host, port, calledAe, callingAe };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var options = new DicomClientOptions
            {
                Host = parse.GetRequiredValue(host),
                Port = parse.GetValue(port),
                CalledAeTitle = parse.GetRequiredValue(calledAe),
                CallingAeTitle = parse.GetRequiredValue(callingAe),
            };
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
