namespace DiffuGts.Cli.Commands;

/// <summary>The input of <c>diffugts segment</c> holds nothing to segment (exit code <see cref="SegmentCommand.ExitNoUsableInput"/>).</summary>
internal sealed class SegmentInputException(string message) : Exception(message);
