namespace BandwidthOperator.Api.Schema;

/// <summary>One validation failure, named by the field's path (<c>spec.inbound.floor</c>) as the API server does.</summary>
public sealed record SchemaError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
