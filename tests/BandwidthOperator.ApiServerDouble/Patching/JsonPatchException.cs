namespace BandwidthOperator.ApiServerDouble.Patching;

/// <summary>A JSON patch operation that could not be applied (a failed <c>test</c>, a missing path).</summary>
internal sealed class JsonPatchException(string message) : Exception(message);
