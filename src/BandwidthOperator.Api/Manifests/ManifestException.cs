namespace BandwidthOperator.Api.Manifests;

/// <summary>A manifest that cannot be read: the message names the file and, where known, the line.</summary>
public sealed class ManifestException : Exception
{
    public ManifestException()
    {
    }

    public ManifestException(string message)
        : base(message)
    {
    }

    public ManifestException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
