using BandwidthOperator.Agent.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BandwidthOperator.Agent.Tests.Hosting;

public sealed class AgentOptionsValidatorTests
{
    private static AgentOptions Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddOptions<AgentOptions>().BindConfiguration(AgentOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AgentOptions>, AgentOptionsValidator>();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<AgentOptions>>().Value;
    }

    [Fact]
    public void The_daemonset_settings_bind()
    {
        var options = Bind(new()
        {
            ["Agent:ResyncPeriod"] = "00:05:00",
            ["Agent:HealthPort"] = "13080",
            ["Agent:Metrics:Enabled"] = "true",
            ["Agent:Metrics:Port"] = "13090",
            ["Agent:Metrics:Secure"] = "true",
        });

        options.ResyncPeriod.ShouldBe(TimeSpan.FromMinutes(5));
        options.HealthPort.ShouldBe(13080);
        options.Metrics.Enabled.ShouldBeTrue();
        options.Metrics.Port.ShouldBe(13090);
        options.Metrics.Secure.ShouldBeTrue();
    }

    [Fact]
    public void Default_ports_avoid_the_ones_other_node_software_takes_and_metrics_stay_on_loopback()
    {
        var options = new AgentOptions();
        new[] { options.HealthPort, options.Metrics.Port }.ShouldAllBe(p => p != 8080 && p != 9090 && p != 9100 && p != 10250 && p != 10256);
        options.Metrics.Secure.ShouldBeFalse();
    }

    [Fact]
    public void Defaults_are_valid()
    {
        new AgentOptionsValidator().Validate(null, new AgentOptions()).Succeeded.ShouldBeTrue();
    }

    [Theory]
    [InlineData("Agent:ResyncPeriod", "00:00:00", "Agent:ResyncPeriod")]
    [InlineData("Agent:HealthPort", "70000", "Agent:HealthPort")]
    [InlineData("Agent:Metrics:Port", "13080", "Agent:Metrics:Port")]
    [InlineData("Agent:Metrics:ReviewCacheDuration", "-00:00:01", "Agent:Metrics:ReviewCacheDuration")]
    [InlineData("Agent:Metrics:Port", "0", "Agent:Metrics:Port")]
    public void A_bad_setting_fails_at_start_naming_the_setting(string key, string value, string named)
    {
        var e = Should.Throw<OptionsValidationException>(() => Bind(new() { [key] = value }));
        e.Failures.ShouldContain(f => f.Contains(named, StringComparison.Ordinal));
    }

    [Fact]
    public void Metrics_turned_off_need_no_port()
    {
        new AgentOptionsValidator().Validate(null, new AgentOptions { Metrics = new MetricsOptions { Enabled = false, Port = 0 } }).Succeeded.ShouldBeTrue();
    }
}
