namespace BandwidthOperator.Agent.Health;

/// <summary>An HTTP(S) endpoint the agent started: stopped and disposed with the agent.</summary>
public interface IServedEndpoint : IDisposable
{
    Task StopAsync();
}
