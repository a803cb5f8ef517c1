using BandwidthOperator.Agent.Hosting;
using Microsoft.Extensions.Logging;

namespace BandwidthOperator.Agent.Tests.Hosting;

/// <summary>The agent's log provider writes the formatter's lines, one per entry, at the levels the factory lets through.</summary>
public sealed class OneLineLoggerProviderTests
{
    [Fact]
    public void Each_entry_the_factory_lets_through_is_one_formatted_line()
    {
        using var output = new StringWriter();
        var formatter = new OneLineConsoleFormatter(new OneLineFormatterOptions(), TimeProvider.System);
        using (var factory = LoggerFactory.Create(l => l.SetMinimumLevel(LogLevel.Information).AddProvider(new OneLineLoggerProvider(formatter, output))))
        {
            var logger = factory.CreateLogger("BandwidthOperator.Agent.Test");
            var elapsed = TimeSpan.FromMilliseconds(1600);
#pragma warning disable CA1873 // a test of what is written: the entry is enabled
            logger.LogInformation(7, "bridge {Bridge} planned in {Elapsed}", "br0", elapsed);
#pragma warning restore CA1873
            logger.LogDebug("not written");
            var failure = new InvalidOperationException("outer", new TimeoutException("inner"));
            logger.LogWarning(8, failure, "write failed");
        }

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(2, output.ToString());
        lines[0].ShouldMatch(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info: BandwidthOperator\.Agent\.Test\[7\] bridge br0 planned in 1\.6s$");
        lines[1].ShouldMatch(@" warn: BandwidthOperator\.Agent\.Test\[8\] write failed — InvalidOperationException: outer ← TimeoutException: inner$");
    }
}
