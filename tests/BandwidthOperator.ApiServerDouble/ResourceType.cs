namespace BandwidthOperator.ApiServerDouble;

/// <summary>One resource the double serves, as discovery describes it.</summary>
/// <param name="Group">API group; empty for the core group (<c>/api/v1</c>).</param>
/// <param name="SelectableFields">Field labels a field selector may use besides metadata.name and metadata.namespace, each with its JSON path (<c>spec.nodeName</c>).</param>
/// <param name="IsCustom">Served from a CRD: keys come back sorted, strategic merge is refused, the schema in crds/ is enforced.</param>
public sealed record ResourceType(
    string Group,
    string Version,
    string Plural,
    string Singular,
    string Kind,
    bool Namespaced,
    bool HasStatus,
    bool IsCustom,
    IReadOnlyList<string> SelectableFields,
    IReadOnlyList<string> ShortNames,
    string? StorageVersionHash = null)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string ListKind => $"{Kind}List";

    /// <summary><c>plural.group</c> as error messages name it (<c>interfacebandwidths.bandwidthoperator.io</c>, <c>namespaces</c>).</summary>
    public string QualifiedName => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    /// <summary>Whether writes bump <c>metadata.generation</c> (custom resources and pods).</summary>
    public bool HasGeneration => IsCustom || (Group.Length == 0 && Plural == "pods");

    public static readonly ResourceType InterfaceBandwidths = new(
        "bandwidthoperator.io", "v1alpha1", "interfacebandwidths", "interfacebandwidth", "InterfaceBandwidth",
        Namespaced: true, HasStatus: true, IsCustom: true, ["spec.nodeName"], ["ibw"], "fvpTG8DRSqw=");

    public static readonly ResourceType BridgeNetworks = new(
        "bandwidthoperator.io", "v1alpha1", "bridgenetworks", "bridgenetwork", "BridgeNetwork",
        Namespaced: false, HasStatus: true, IsCustom: true, [], ["bn"], "ut1Ub6rGPMU=");

    public static readonly ResourceType Nodes = new(
        "", "v1", "nodes", "node", "Node", Namespaced: false, HasStatus: true, IsCustom: false, ["spec.unschedulable"], ["no"]);

    public static readonly ResourceType Namespaces = new(
        "", "v1", "namespaces", "namespace", "Namespace", Namespaced: false, HasStatus: true, IsCustom: false, ["status.phase"], ["ns"]);

    public static readonly ResourceType Pods = new(
        "", "v1", "pods", "pod", "Pod", Namespaced: true, HasStatus: true, IsCustom: false, ["spec.nodeName", "status.phase", "spec.serviceAccountName"], ["po"]);

    public static readonly ResourceType CoreEvents = new(
        "", "v1", "events", "event", "Event", Namespaced: true, HasStatus: false, IsCustom: false,
        ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"], ["ev"]);

    public static readonly ResourceType Events = new(
        "events.k8s.io", "v1", "events", "event", "Event", Namespaced: true, HasStatus: false, IsCustom: false,
        ["regarding.kind", "regarding.namespace", "regarding.name", "regarding.uid", "regarding.apiVersion", "reason", "reportingController", "type"], ["ev"]);

    public static readonly ResourceType Leases = new(
        "coordination.k8s.io", "v1", "leases", "lease", "Lease", Namespaced: true, HasStatus: false, IsCustom: false, [], []);

    /// <summary>
    /// KubeVirt's VirtualMachineInstance as the stand-in CRD of recorded exchange 91 serves it (no schema,
    /// unknown fields preserved). Served only after <see cref="KubeApiServerDouble.InstallKubeVirt"/>
    /// (before that, 404 as in 89 and 90).
    /// </summary>
    public static readonly ResourceType VirtualMachineInstances = new(
        "kubevirt.io", "v1", "virtualmachineinstances", "virtualmachineinstance", "VirtualMachineInstance",
        Namespaced: true, HasStatus: true, IsCustom: true, [], [], "1DClFQM6+os=");

    /// <summary>Everything the double can store.</summary>
    public static IReadOnlyList<ResourceType> All { get; } =
        [InterfaceBandwidths, BridgeNetworks, Nodes, Namespaces, Pods, CoreEvents, Events, Leases, VirtualMachineInstances];

    /// <summary>Types served only once installed (their CRD created).</summary>
    public static IReadOnlyList<ResourceType> Optional { get; } = [VirtualMachineInstances];
}
