using System.Text.Json.Nodes;

namespace BandwidthOperator.Agent.Tests.EndToEnd;

/// <summary>Reads an InterfaceBandwidth's status as the API-server double holds it.</summary>
internal static class StatusOf
{
    public static string? Condition(JsonObject? o, string type, string field) =>
        (o?["status"]?["conditions"] as JsonArray)?.FirstOrDefault(c => (string?)c?["type"] == type)?[field]?.GetValue<string>();

    public static int? ClassId(JsonObject? o) => (int?)o?["status"]?["classId"];

    /// <summary>Admitted and Ready both True.</summary>
    public static bool Admitted(JsonObject? o) => Condition(o, "Admitted", "status") == "True" && Condition(o, "Ready", "status") == "True";

    public static bool ReadyWithClass(JsonObject? o, int classId) => ClassId(o) == classId && Admitted(o);
}
