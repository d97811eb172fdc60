using Microsoft.Extensions.Logging;

namespace DiffuGts.Inference.Tests;

/// <summary>Captures log lines (level, event ID, message) for assertions.</summary>
internal sealed class TestLogger : ILogger
{
    private readonly List<(LogLevel Level, EventId Id, string Message)> _lines = [];

    public IReadOnlyList<(LogLevel Level, EventId Id, string Message)> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_lines)
        {
            _lines.Add((logLevel, eventId, formatter(state, exception)));
        }
    }
}
