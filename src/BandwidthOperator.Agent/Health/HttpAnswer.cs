namespace BandwidthOperator.Agent.Health;

/// <summary>An HTTP answer: status code, content type and body.</summary>
public sealed record HttpAnswer(int Status, string ContentType, string Body);
