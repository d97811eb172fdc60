using System.CommandLine;
using DiffuGts.Dicom.Network.Client;

namespace DiffuGts.Cli.Commands;

/// <summary>The peer options shared by <c>echo</c> and <c>send</c>: --host, --port, --called-ae, --calling-ae.</summary>
internal sealed class PeerArguments
{
    private readonly Option<string> _host = new("--host") { Description = "Peer host name or address.", Required = true };
    private readonly Option<int> _port = new("--port") { Description = "Peer DICOM port.", Required = true };
    private readonly Option<string> _calledAe = new("--called-ae") { Description = "The peer's AE title.", Required = true };
    private readonly Option<string> _callingAe = new("--calling-ae") { Description = "Our AE title.", DefaultValueFactory = _ => "DIFFUGTS" };

    public void AddTo(Command command)
    {
        command.Options.Add(_host);
        command.Options.Add(_port);
        command.Options.Add(_calledAe);
        command.Options.Add(_callingAe);
    }

    public DicomClientOptions Read(ParseResult parse) => new()
    {
        Host = parse.GetRequiredValue(_host),
        Port = parse.GetValue(_port),
        CalledAeTitle = parse.GetRequiredValue(_calledAe),
        CallingAeTitle = parse.GetRequiredValue(_callingAe),
    };
}
