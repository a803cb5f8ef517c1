namespace BandwidthOperator.Api.Resources;

/// <summary>The API group and version of BandwidthOperator's resources.</summary>
public static class ApiGroup
{
    public const string Group = "bandwidthoperator.io";
    public const string Version = "v1alpha1";
    public const string ApiVersion = Group + "/" + Version;
}
