namespace BandwidthOperator.ApiServerDouble.Http;

/// <summary>
/// The resource types the double answers for now: the built-in ones and ours from the start, the
/// <see cref="ResourceType.Optional"/> ones (KubeVirt) once installed. Requests for a type that is not
/// served get the plain 404 of recorded exchanges 89 and 90.
/// </summary>
internal sealed class ServedTypes
{
    private readonly object _gate = new();
    private IReadOnlyList<ResourceType> _types = [.. ResourceType.All.Except(ResourceType.Optional)];

    public IReadOnlyList<ResourceType> Types
    {
        get
        {
            lock (_gate)
            {
                return _types;
            }
        }
    }

    public void Install(ResourceType type)
    {
        lock (_gate)
        {
            if (!_types.Contains(type))
            {
                _types = [.. _types, type];
            }
        }
    }
}
