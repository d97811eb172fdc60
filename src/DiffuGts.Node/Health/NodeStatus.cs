namespace DiffuGts.Node.Health;

/// <summary>Live facts only the running node knows (the listener, the loaded model); the services set them.</summary>
public sealed class NodeStatus
{
    private readonly Lock _gate = new();
    private string? _listenerEndpoint;
    private string? _modelName;
    private string? _executionProvider;
    private string? _modelError;

    public void ListenerStarted(string endpoint)
    {
        lock (_gate)
        {
            _listenerEndpoint = endpoint;
        }
    }

    public void ListenerStopped()
    {
        lock (_gate)
        {
            _listenerEndpoint = null;
        }
    }

    public void ModelLoaded(string name, string executionProvider)
    {
        lock (_gate)
        {
            (_modelName, _executionProvider, _modelError) = (name, executionProvider, null);
        }
    }

    public void ModelFailed(string error)
    {
        lock (_gate)
        {
            (_modelName, _executionProvider, _modelError) = (null, null, error);
        }
    }

    public (string? ListenerEndpoint, string? ModelName, string? ExecutionProvider, string? ModelError) Snapshot()
    {
        lock (_gate)
        {
            return (_listenerEndpoint, _modelName, _executionProvider, _modelError);
        }
    }
}
