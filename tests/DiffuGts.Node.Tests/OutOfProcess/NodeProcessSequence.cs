using Xunit;

namespace DiffuGts.Node.Tests.OutOfProcess;

/// <summary>
/// The tests that run the node as a child process share one collection, so they run one after another: each kills
/// nodes on cues from their logs, and two nodes segmenting at once on a small CI machine would blur those phases.
/// </summary>
[CollectionDefinition(Name)]
public sealed class NodeProcessSequence
{
    public const string Name = "Node out of process";
}
