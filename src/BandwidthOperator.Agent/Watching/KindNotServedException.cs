namespace BandwidthOperator.Agent.Watching;

/// <summary>The API server does not serve the kind (its CRD is not installed): expected, retried quietly with backoff (the caller says so once).</summary>
public sealed class KindNotServedException : Exception
{
    public KindNotServedException()
    {
    }

    public KindNotServedException(string message)
        : base(message)
    {
    }

    public KindNotServedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
