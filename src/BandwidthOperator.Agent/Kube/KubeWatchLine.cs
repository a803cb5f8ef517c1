using System.Text.Json;

namespace BandwidthOperator.Agent.Kube;

/// <summary>One line of a WATCH stream: an event (ADDED, MODIFIED, DELETED, BOOKMARK) of an object, or ERROR with a Status as the object.</summary>
internal sealed class KubeWatchLine
{
    public string? Type { get; set; }

    public JsonElement Object { get; set; }
}
