using System.Net;
using k8s.Autorest;
using Polly;
using Polly.Retry;

namespace BandwidthOperator.Agent.Status;

/// <summary>
/// The one retry pipeline of the agent's writes to the API server: exponential backoff with jitter
/// (50 ms doubling, at most 2 s), retrying a connection failure and the HTTP status codes the caller
/// names (<see cref="Transient"/>, plus what a writer can repair by reading again, e.g. 422 for a JSON
/// patch made from a stale Node).
/// </summary>
public static class ApiRetry
{
    /// <summary>Worth another try as they are: 409 (rebuilt from a fresh read), 429 and the server errors.</summary>
    public static IReadOnlySet<HttpStatusCode> Transient { get; } = new HashSet<HttpStatusCode>
    {
        HttpStatusCode.Conflict,
        HttpStatusCode.TooManyRequests,
        HttpStatusCode.InternalServerError,
        HttpStatusCode.BadGateway,
        HttpStatusCode.ServiceUnavailable,
        HttpStatusCode.GatewayTimeout,
    };

    /// <param name="retried">The status codes a failed call is retried on.</param>
    /// <param name="maxRetryAttempts">Retries after the first attempt.</param>
    /// <param name="onRetry">Told the attempt number (1 = first retry) and the failure, before each retry.</param>
    public static ResiliencePipeline Pipeline(TimeProvider time, IReadOnlySet<HttpStatusCode> retried, int maxRetryAttempts, Action<int, Exception?>? onRetry = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(retried);
        return new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder()
                    .Handle<HttpOperationException>(e => e.Response?.StatusCode is { } code && retried.Contains(code))
                    .Handle<HttpRequestException>(),
                MaxRetryAttempts = maxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(50),
                MaxDelay = TimeSpan.FromSeconds(2),
                OnRetry = args =>
                {
                    onRetry?.Invoke(args.AttemptNumber + 1, args.Outcome.Exception);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary><see cref="Transient"/> and <paramref name="more"/>.</summary>
    public static IReadOnlySet<HttpStatusCode> TransientAnd(params HttpStatusCode[] more) => new HashSet<HttpStatusCode>(Transient.Concat(more));
}
