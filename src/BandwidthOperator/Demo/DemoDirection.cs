namespace BandwidthOperator.Demo;

/// <summary>Which way a part of a phase sends: inbound from the external host to the guests through the uplink, outbound from the guests to it.</summary>
internal enum DemoDirection
{
    Inbound,
    Outbound,
}

internal static class DemoDirections
{
    /// <summary>The short name used in the table, the summary and the chart: "in" or "out".</summary>
    public static string Label(this DemoDirection direction) => direction == DemoDirection.Inbound ? "in" : "out";
}
