using System.Globalization;
using System.Text;
using BandwidthOperator.Api.Quantities;

namespace BandwidthOperator.EndToEnd.Tests.Cli;

/// <summary>Writes BridgeNetwork/InterfaceBandwidth manifests as YAML, as a user would.</summary>
internal sealed class ManifestBuilder
{
    private readonly StringBuilder _yaml = new();

    public const string Node = "node-e2e";

    public ManifestBuilder Network(string name, string bridge, string? average = "100M")
    {
        _yaml.Append(CultureInfo.InvariantCulture, $"""
            ---
            apiVersion: bandwidthoperator.io/v1alpha1
            kind: BridgeNetwork
            metadata:
              name: {name}
            spec:
              bridge: {bridge}

            """);
        if (average is not null)
        {
            _yaml.Append(CultureInfo.InvariantCulture, $"""
                  inbound:
                    average: {average}

                """);
        }

        return this;
    }

    public ManifestBuilder Interface(string name, string network, MacAddress mac, string? floor = null, string? inAverage = null, string? outAverage = null, string? rawMac = null, string? device = null)
    {
        _yaml.Append(CultureInfo.InvariantCulture, $"""
            ---
            apiVersion: bandwidthoperator.io/v1alpha1
            kind: InterfaceBandwidth
            metadata:
              name: {name}
              namespace: e2e
            spec:
              network: {network}
              nodeName: {Node}
              macAddress: "{rawMac ?? mac.ToString()}"

            """);
        if (device is not null)
        {
            _yaml.Append(CultureInfo.InvariantCulture, $"  device: {device}\n");
        }

        if (floor is not null || inAverage is not null)
        {
            _yaml.Append("  inbound:\n");
            if (floor is not null)
            {
                _yaml.Append(CultureInfo.InvariantCulture, $"    floor: {floor}\n");
            }

            if (inAverage is not null)
            {
                _yaml.Append(CultureInfo.InvariantCulture, $"    average: {inAverage}\n");
            }
        }

        if (outAverage is not null)
        {
            _yaml.Append(CultureInfo.InvariantCulture, $"  outbound:\n    average: {outAverage}\n");
        }

        return this;
    }

    public override string ToString() => _yaml.ToString();

    public ManifestBuilder Raw(string yaml)
    {
        _yaml.Append("---\n").Append(yaml).Append('\n');
        return this;
    }

    public string Write(string directory, string fileName = "manifests.yaml")
    {
        var path = Path.Combine(directory, fileName);
        File.WriteAllText(path, _yaml.ToString());
        return path;
    }
}
