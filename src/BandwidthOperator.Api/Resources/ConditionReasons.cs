namespace BandwidthOperator.Api.Resources;

/// <summary>Condition types and the reasons they carry (CamelCase, stable: the README explains each).</summary>
public static class ConditionReasons
{
    public const string Admitted = "Admitted";
    public const string Ready = "Ready";

    // Admitted=True
    public const string FloorAdmitted = "FloorAdmitted";
    public const string NoFloor = "NoFloor";

    // Admitted=False
    public const string FloorOvercommitted = "FloorOvercommitted";
    public const string FloorNeedsNetworkAverage = "FloorNeedsNetworkAverage";
    public const string ClassIdsExhausted = "ClassIdsExhausted";

    // Either condition False
    public const string InvalidSpec = "InvalidSpec";
    public const string FloorAboveNetworkAverage = "FloorAboveNetworkAverage";
    public const string UnknownNetwork = "UnknownNetwork";
    public const string InvalidNetwork = "InvalidNetwork";
    public const string NetworkNotOnNode = "NetworkNotOnNode";
    public const string NamespaceNotAllowed = "NamespaceNotAllowed";
    public const string DuplicateMac = "DuplicateMac";
    public const string BridgeMissing = "BridgeMissing";
    public const string BridgeInUse = "BridgeInUse";
    public const string ForeignRootQdisc = "ForeignRootQdisc";
    public const string DeviceNotFound = "DeviceNotFound";
    public const string DeviceInUse = "DeviceInUse";
    public const string ForeignDeviceQdisc = "ForeignDeviceQdisc";
    public const string PortIsUplink = "PortIsUplink";
    public const string KernelError = "KernelError";

    // Ready=True
    public const string Applied = "Applied";

    /// <summary>Ready=True while Admitted=False (InvalidSpec): the floor and limits applied before the invalid edit stay.</summary>
    public const string LastAppliedKept = "LastAppliedKept";

    /// <summary>Warning Event on a BridgeNetwork that asks to be schedulable but cannot be advertised (its name is too long for a resource name).</summary>
    public const string NotSchedulable = "NotSchedulable";

    /// <summary>Admitted=False: a target-bound floor on a schedulable network that its workload did not request as the extended resource.</summary>
    public const string FloorNotRequested = "FloorNotRequested";
}
