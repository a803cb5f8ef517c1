using Microsoft.Extensions.Options;

namespace BandwidthOperator.Agent.Hosting;

/// <summary>Checks <see cref="AgentOptions"/> at start-up; each message names the setting as it is configured.</summary>
public sealed class AgentOptionsValidator : IValidateOptions<AgentOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.ResyncPeriod <= TimeSpan.Zero)
        {
            errors.Add($"Agent:ResyncPeriod (Agent__ResyncPeriod) must be a positive TimeSpan such as 00:05:00, was {options.ResyncPeriod}");
        }

        if (options.HealthPort is < 0 or > 65535)
        {
            errors.Add($"Agent:HealthPort (Agent__HealthPort) must be a TCP port 1-65535, or 0 to turn it off, was {options.HealthPort}");
        }

        if (options.RequeueBaseDelay <= TimeSpan.Zero)
        {
            errors.Add($"Agent:RequeueBaseDelay (Agent__RequeueBaseDelay) must be positive, was {options.RequeueBaseDelay}");
        }

        if (options.KubeVirtRetryMaxDelay <= TimeSpan.Zero)
        {
            errors.Add($"Agent:KubeVirtRetryMaxDelay (Agent__KubeVirtRetryMaxDelay) must be positive, was {options.KubeVirtRetryMaxDelay}");
        }

        if (options.RequeueMaxDelay < options.RequeueBaseDelay)
        {
            errors.Add($"Agent:RequeueMaxDelay (Agent__RequeueMaxDelay) must be at least Agent:RequeueBaseDelay ({options.RequeueBaseDelay}), was {options.RequeueMaxDelay}");
        }

        if (options.Metrics is null)
        {
            errors.Add("Agent:Metrics must be a section");
        }
        else if (options.Metrics.Enabled)
        {
            if (options.Metrics.Port is < 1 or > 65535)
            {
                errors.Add($"Agent:Metrics:Port (Agent__Metrics__Port) must be a TCP port 1-65535 while Agent:Metrics:Enabled is true, was {options.Metrics.Port}");
            }
            else if (options.Metrics.ReviewCacheDuration < TimeSpan.Zero)
            {
                errors.Add($"Agent:Metrics:ReviewCacheDuration (Agent__Metrics__ReviewCacheDuration) must not be negative, was {options.Metrics.ReviewCacheDuration}");
            }
            else if (options.Metrics.Port == options.HealthPort)
            {
                errors.Add($"Agent:Metrics:Port (Agent__Metrics__Port) must differ from Agent:HealthPort, both are {options.HealthPort}");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
