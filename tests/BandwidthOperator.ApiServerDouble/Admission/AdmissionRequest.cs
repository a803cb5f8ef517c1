using System.Text.Json.Nodes;

namespace BandwidthOperator.ApiServerDouble.Admission;

/// <summary>
/// What a ValidatingAdmissionPolicy sees of a write: the operation (<c>CREATE</c>, <c>UPDATE</c>,
/// <c>DELETE</c>; a PATCH is an UPDATE), the resource, the user, and the object before and after.
/// </summary>
public sealed record AdmissionRequest(
    string Operation,
    string Group,
    string Version,
    string Resource,
    string? Subresource,
    string? Namespace,
    string Name,
    AdmissionUser User,
    JsonObject? OldObject,
    JsonObject? Object);
