using System.Globalization;
using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Resources;

namespace BandwidthOperator.Api.Validation;

/// <summary>
/// Checks what the CRD schema cannot (or what offline manifests never passed through a schema for)
/// and turns a resource into typed settings. Every issue names the field.
/// </summary>
public static class ResourceValidator
{
    public const int MaxDeviceNameLength = 15;

    public static (NetworkSettings? Settings, IReadOnlyList<ValidationIssue> Issues) Validate(BridgeNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var issues = new List<ValidationIssue>();
        var name = network.Metadata?.Name;
        if (string.IsNullOrEmpty(name))
        {
            issues.Add(new("metadata.name", "is required"));
        }

        var bridge = network.Spec?.Bridge;
        if (DeviceNameProblem(bridge) is { } problem)
        {
            issues.Add(new("spec.bridge", problem));
        }

        var average = Rate(network.Spec?.Inbound?.Average, "spec.inbound.average", issues);
        var burst = Size(network.Spec?.Inbound?.Burst, "spec.inbound.burst", issues);
        if (average is { BitsPerSecond: 0 })
        {
            issues.Add(new("spec.inbound.average", "must be greater than 0"));
        }

        if (burst is not null && average is null)
        {
            issues.Add(new("spec.inbound.burst", "needs spec.inbound.average"));
        }

        var outAverage = Rate(network.Spec?.Outbound?.Average, "spec.outbound.average", issues);
        var outBurst = Size(network.Spec?.Outbound?.Burst, "spec.outbound.burst", issues);
        if (outAverage is { BitsPerSecond: 0 })
        {
            issues.Add(new("spec.outbound.average", "must be greater than 0"));
        }

        if (outBurst is not null && outAverage is null)
        {
            issues.Add(new("spec.outbound.burst", "needs spec.outbound.average"));
        }

        var uplinks = PortNames(network.Spec?.Ports?.Uplinks, "spec.ports.uplinks", issues);
        var guests = PortNames(network.Spec?.Ports?.Guests, "spec.ports.guests", issues);
        foreach (var both in uplinks.Intersect(guests, StringComparer.Ordinal))
        {
            issues.Add(new("spec.ports.guests", $"'{both}' is listed as an uplink and as a guest"));
        }

        if (issues.Count > 0)
        {
            return (null, issues);
        }

        return (new NetworkSettings(
            name!, bridge!, average, burst, network.Spec!.NodeSelector, network.Spec.NamespaceSelector, network.Metadata!.Generation ?? 0,
            outAverage, outBurst, uplinks, guests), issues);
    }

    public static (InterfaceSettings? Settings, IReadOnlyList<ValidationIssue> Issues) Validate(InterfaceBandwidth resource, int order = 0)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var issues = new List<ValidationIssue>();
        var meta = resource.Metadata ?? new();
        var spec = resource.Spec ?? new();
        if (string.IsNullOrEmpty(meta.Name))
        {
            issues.Add(new("metadata.name", "is required"));
        }

        if (string.IsNullOrEmpty(spec.Network))
        {
            issues.Add(new("spec.network", "is required"));
        }

        if (spec.Target is { } target)
        {
            TargetIssues(target, spec, issues);
            if (issues.Count == 0)
            {
                // Valid, but not yet placed: the agent resolves the workload and validates the resolved copy.
                issues.Add(new("spec.target", $"names {target.Kind} {meta.NamespaceProperty}/{target.Name} interface {target.Interface}, which only the agent resolves (node, MAC, host port)"));
            }

            return (null, issues);
        }

        if (string.IsNullOrEmpty(spec.NodeName))
        {
            issues.Add(new("spec.nodeName", "is required (or spec.target, to follow a VirtualMachineInstance or Pod)"));
        }

        MacAddress mac = default;
        if (!MacAddress.TryParse(spec.MacAddress, out mac, out var macError))
        {
            issues.Add(new("spec.macAddress", macError));
        }
        else if (mac.IsMulticast)
        {
            issues.Add(new("spec.macAddress", $"'{spec.MacAddress}' is a multicast address; an interface has a unicast MAC (lowest bit of the first octet 0)"));
        }
        else if (mac.IsZero)
        {
            issues.Add(new("spec.macAddress", "00:00:00:00:00:00 is not an interface's address"));
        }

        if (spec.Device is not null && DeviceNameProblem(spec.Device) is { } deviceProblem)
        {
            issues.Add(new("spec.device", deviceProblem));
        }

        var inbound = Limits(spec.Inbound?.Floor, spec.Inbound?.Average, spec.Inbound?.Peak, spec.Inbound?.Burst, "spec.inbound", issues);
        var outbound = Limits(spec.Outbound?.Floor, spec.Outbound?.Average, spec.Outbound?.Peak, spec.Outbound?.Burst, "spec.outbound", issues);

        ushort? statusClassId = resource.Status?.ClassId is int id and >= 3 and <= 0xFFFF ? (ushort)id : null;
        ushort? statusOutboundClassId = resource.Status?.OutboundClassId is int oid and >= 3 and <= 0xFFFF ? (ushort)oid : null;
        if (issues.Count > 0)
        {
            return (null, issues);
        }

        return (new InterfaceSettings(
            new ObjectRef(InterfaceBandwidth.KubeKind, meta.NamespaceProperty, meta.Name!),
            spec.Network,
            spec.NodeName!,
            mac,
            spec.Device,
            inbound,
            outbound,
            meta.CreationTimestamp is { } created ? new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) : null,
            order,
            statusClassId,
            meta.Generation ?? 0,
            statusOutboundClassId), issues);
    }

    /// <summary>
    /// Whether <paramref name="resource"/> is target-bound with a well-formed <c>spec.target</c> (the agent then
    /// resolves it); the issues say what is wrong with the target itself (schema rules, for offline manifests).
    /// </summary>
    public static IReadOnlyList<ValidationIssue> ValidateTarget(InterfaceBandwidth resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var issues = new List<ValidationIssue>();
        if (resource.Spec?.Target is { } target)
        {
            TargetIssues(target, resource.Spec, issues);
        }
        else
        {
            issues.Add(new("spec.target", "is not set"));
        }

        return issues;
    }

    private static void TargetIssues(InterfaceTarget target, InterfaceBandwidthSpec spec, List<ValidationIssue> issues)
    {
        if (spec.NodeName is not null)
        {
            issues.Add(new("spec.nodeName", "cannot be given with spec.target: the node is resolved from the workload"));
        }

        if (spec.MacAddress is not null)
        {
            issues.Add(new("spec.macAddress", "cannot be given with spec.target: the MAC is resolved from the workload (and only its own MAC is shaped)"));
        }

        if (spec.Device is not null)
        {
            issues.Add(new("spec.device", "cannot be given with spec.target: the host port is resolved from the workload"));
        }

        if (target.Kind is not (InterfaceTarget.VirtualMachineInstanceKind or InterfaceTarget.PodKind))
        {
            issues.Add(new("spec.target.kind", $"'{target.Kind}' is not VirtualMachineInstance or Pod"));
        }

        if (string.IsNullOrEmpty(target.Name))
        {
            issues.Add(new("spec.target.name", "is required"));
        }

        if (string.IsNullOrEmpty(target.Interface))
        {
            issues.Add(new("spec.target.interface", "is required"));
        }
    }

    /// <summary>Why a Linux device name is not valid, or null when it is.</summary>
    public static string? DeviceNameProblem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "is required";
        }

        var bytes = System.Text.Encoding.UTF8.GetByteCount(name);
        if (bytes > MaxDeviceNameLength)
        {
            return bytes == name.Length
                ? string.Create(CultureInfo.InvariantCulture, $"'{name}' is {name.Length} characters; Linux device names have at most {MaxDeviceNameLength}")
                : string.Create(CultureInfo.InvariantCulture, $"'{name}' is {bytes} bytes in UTF-8; Linux device names have at most {MaxDeviceNameLength}");
        }

        if (name is "." or "..")
        {
            return $"'{name}' is not a device name";
        }

        foreach (var c in name)
        {
            if (c == '/' || c == ':' || char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return $"'{name}' contains '{c}', which Linux device names cannot";
            }
        }

        return null;
    }

    private static string[] PortNames(IList<string>? names, string field, List<ValidationIssue> issues)
    {
        if (names is null)
        {
            return [];
        }

        for (var i = 0; i < names.Count; i++)
        {
            if (DeviceNameProblem(names[i]) is { } problem)
            {
                issues.Add(new(string.Create(CultureInfo.InvariantCulture, $"{field}[{i}]"), problem));
            }
        }

        return [.. names.Where(n => DeviceNameProblem(n) is null).Distinct(StringComparer.Ordinal)];
    }

    private static BandwidthLimits Limits(string? floorText, string? averageText, string? peakText, string? burstText, string path, List<ValidationIssue> issues)
    {
        // Field names are made only for the values given (a plan validates thousands of interfaces).
        var floor = floorText is null ? null : Rate(floorText, path + ".floor", issues);
        var average = averageText is null ? null : Rate(averageText, path + ".average", issues);
        var peak = peakText is null ? null : Rate(peakText, path + ".peak", issues);
        var burst = burstText is null ? null : Size(burstText, path + ".burst", issues);
        if (floor is { BitsPerSecond: 0 })
        {
            issues.Add(new(path + ".floor", "must be greater than 0 (omit it for no floor)"));
        }

        if (average is { BitsPerSecond: 0 })
        {
            issues.Add(new(path + ".average", "must be greater than 0 (omit it for no limit)"));
        }

        if (peak is not null && averageText is null)
        {
            issues.Add(new(path + ".peak", $"needs {path}.average"));
        }

        if (burst is not null && averageText is null)
        {
            issues.Add(new(path + ".burst", $"needs {path}.average"));
        }

        if (floor is { } f && average is { } a && f > a)
        {
            issues.Add(new(path + ".floor", $"floor {f} is above average {a}; floor ≤ average ≤ peak"));
        }

        if (average is { } a2 && peak is { } p && a2 > p)
        {
            issues.Add(new(path + ".peak", $"peak {p} is below average {a2}; floor ≤ average ≤ peak"));
        }

        return new BandwidthLimits(floor, average, peak, burst);
    }

    private static BitRate? Rate(string? text, string field, List<ValidationIssue> issues)
    {
        if (text is null)
        {
            return null;
        }

        if (QuantityHints.HasBinarySuffix(text) && BitRate.TryParse(text, out var binary, out _))
        {
            issues.Add(new(field, string.Create(CultureInfo.InvariantCulture, $"'{text}' has a binary suffix; rates are bits per second with decimal suffixes: write {QuantityHints.Suggest(text)} (or {binary.BitsPerSecond} for exactly {text})")));
            return null;
        }

        if (BitRate.TryParse(text, out var rate, out var error))
        {
            if (rate.BitsPerSecond % 8 != 0)
            {
                // The kernel keeps rates in bytes per second: 60 bit/s would be read back as 56 and never match.
                var down = rate.BitsPerSecond / 8 * 8;
                issues.Add(new(field, string.Create(CultureInfo.InvariantCulture, $"{rate.BitsPerSecond} bit/s is not a whole number of bytes per second, which is what the kernel keeps: write {down} or {down + 8}")));
                return null;
            }

            return rate;
        }

        issues.Add(new(field, QuantityHints.Suggest(text) is { } suggestion
            ? $"{error}; rates are Kubernetes quantities in bits per second: write {suggestion}"
            : error + " (bits per second, e.g. 100M, 2.5G)"));
        return null;
    }

    private static ByteSize? Size(string? text, string field, List<ValidationIssue> issues)
    {
        if (text is null)
        {
            return null;
        }

        if (ByteSize.TryParse(text, out var size, out var error))
        {
            return size;
        }

        issues.Add(new(field, error + " (bytes, e.g. 64Ki, 1Mi)"));
        return null;
    }
}
