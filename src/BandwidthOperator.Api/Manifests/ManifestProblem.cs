namespace BandwidthOperator.Api.Manifests;

/// <summary>One field of one object that its CRD's schema refuses: <c>file:line: Kind ns/name: spec.inbound.flor: unknown field</c>.</summary>
public sealed record ManifestProblem(string Source, long Line, string Object, string Path, string Message)
{
    public override string ToString() => $"{Source}:{Line}: {Object}: {Path}: {Message}";
}
