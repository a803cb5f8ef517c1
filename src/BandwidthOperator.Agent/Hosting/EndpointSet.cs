using BandwidthOperator.Agent.Health;

namespace BandwidthOperator.Agent.Hosting;

/// <summary>The started HTTP endpoints, disposed together.</summary>
internal sealed class EndpointSet : IDisposable
{
    private readonly List<IServedEndpoint> _items = [];

    public IReadOnlyList<IServedEndpoint> Items => _items;

    public void Add(HttpEndpoint endpoint, CancellationToken cancellationToken)
    {
        _items.Add(endpoint);
        endpoint.Start(cancellationToken);
    }

    public void Add(HttpsEndpoint endpoint, CancellationToken cancellationToken)
    {
        _items.Add(endpoint);
        endpoint.Start(cancellationToken);
    }

    public void Dispose()
    {
        foreach (var e in _items)
        {
            e.Dispose();
        }
    }
}
