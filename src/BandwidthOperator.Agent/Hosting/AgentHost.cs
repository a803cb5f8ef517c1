using BandwidthOperator.Agent.Engine;
using BandwidthOperator.Agent.Health;
using BandwidthOperator.Agent.Kube;
using BandwidthOperator.Agent.Metrics;
using BandwidthOperator.Agent.Queue;
using BandwidthOperator.Agent.Reconcile;
using BandwidthOperator.Agent.Scheduling;
using BandwidthOperator.Agent.Status;
using BandwidthOperator.Agent.Watching;
using BandwidthOperator.Agent.Workloads;
using BandwidthOperator.Api.Resources;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BandwidthOperator.Agent.Hosting;

/// <summary>
/// Builds the agent's host: configuration from the environment (<c>Agent__*</c>, <c>Logging__*</c>),
/// options validated at start, the Kubernetes client and the kernel given by the caller (the CLI
/// opens the real ones; tests pass the API double's client and a kernel in a test namespace).
/// </summary>
public static class AgentHost
{
    public static IHost Build(
        AgentIdentity identity,
        KubeApi client,
        INodeKernel kernel,
        Action<IConfigurationBuilder>? configure = null,
        TimeProvider? time = null,
        Action<ILoggingBuilder>? logging = null,
        AgentLogFormat logFormat = AgentLogFormat.Text)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(kernel);
        if (string.IsNullOrWhiteSpace(identity.NodeName))
        {
            throw new InvalidOperationException("the node name is required: --node NAME or NODE_NAME");
        }

        // The empty builder and only what the agent reads: its settings from the environment (Agent__*,
        // Logging__*, Memory__*) and the Logging section for levels. The default builder adds appsettings
        // files watched for changes, the DOTNET_ host variables and four logging providers the agent clears
        // again: ≈ 2 MiB of resident memory for nothing (docs/architecture.md, "Memory").
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = "bandwidth-operator",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddEnvironmentVariables();
        configure?.Invoke(builder.Configuration);
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        if (logging is not null)
        {
            logging(builder.Logging);
        }
        else
        {
            // One line per entry; stack traces only when the configured level is Debug or Trace.
            var level = Enum.TryParse<LogLevel>(builder.Configuration["Logging:LogLevel:Default"], ignoreCase: true, out var parsed) ? parsed : LogLevel.Information;
            // Our own provider, not the console logger's (docs/architecture.md, "Memory"): the same lines.
            var formatter = new OneLineConsoleFormatter(new OneLineFormatterOptions { Format = logFormat, StackTraces = level <= LogLevel.Debug }, TimeProvider.System);
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(new OneLineLoggerProvider(formatter, Console.Out));
        }

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
        Register(builder.Services, identity, client, kernel, time ?? TimeProvider.System);
        return builder.Build();
    }

    public static void Register(IServiceCollection services, AgentIdentity identity, KubeApi client, INodeKernel kernel, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<AgentOptions>().BindConfiguration(AgentOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AgentOptions>, AgentOptionsValidator>();
        services.AddSingleton(identity);
        services.AddSingleton(time);
        services.AddSingleton(client);
        // The kernel view (docs/architecture.md, "The kernel view"): cached per bridge, kept current by the tc
        // monitor's notifications (AgentService); a part older than half the resync period is read again, so
        // every resync reads the kernel in full (the safety net).
        var view = kernel is IKernelParts parts ? new CachingNodeKernel(parts, time) : null;
        var recording = new FactsRecordingKernel(view ?? kernel);
        services.AddSingleton(recording);
        if (view is not null)
        {
            services.AddSingleton(view);
        }

        services.AddSingleton(new OwnPortId(() => kernel is NetlinkNodeKernel n ? n.Tc.PortId : null));
        services.AddSingleton(sp =>
        {
            view?.MaxAge = sp.GetRequiredService<IOptions<AgentOptions>>().Value.ResyncPeriod / 2;
            return new NodeConverger(recording);
        });
        services.AddSingleton<ResourceStore<BridgeNetwork>>();
        services.AddSingleton<ResourceStore<InterfaceBandwidth>>();
        services.AddSingleton<IResourceSource<BridgeNetwork>>(_ => new CustomResourceSource<BridgeNetwork>(
            client, ApiGroup.Group, ApiGroup.Version, BridgeNetwork.Plural, BridgeNetwork.KubeKind));
        services.AddSingleton<IResourceSource<InterfaceBandwidth>>(_ => new CustomResourceSource<InterfaceBandwidth>(
            client, ApiGroup.Group, ApiGroup.Version, InterfaceBandwidth.Plural, InterfaceBandwidth.KubeKind, "spec.nodeName=" + identity.NodeName));
        // Target-bound InterfaceBandwidths have no spec.nodeName; an absent selectable field is the empty
        // string, so this selects exactly them (the schema makes target and nodeName exclusive).
        services.AddSingleton<WorkloadCaches>();
        services.AddSingleton(_ => new WorkloadSources(
            new CustomResourceSource<InterfaceBandwidth>(client, ApiGroup.Group, ApiGroup.Version, InterfaceBandwidth.Plural, InterfaceBandwidth.KubeKind, "spec.nodeName="),
            new CustomResourceSource<VirtualMachineInstance>(client, VirtualMachineInstance.Group, VirtualMachineInstance.Version, VirtualMachineInstance.Plural,
                VirtualMachineInstance.KubeKind, labelSelector: VirtualMachineInstance.NodeNameLabel + "=" + identity.NodeName),
            new CustomResourceSource<VirtualMachineInstance>(client, VirtualMachineInstance.Group, VirtualMachineInstance.Version, VirtualMachineInstance.Plural,
                VirtualMachineInstance.KubeKind, labelSelector: VirtualMachineInstance.MigrationTargetNodeNameLabel + "=" + identity.NodeName),
            new PodSource(client, identity.NodeName)));
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<AgentOptions>>().Value;
            return new WorkQueue(time, new ExponentialBackoff(o.RequeueBaseDelay, o.RequeueMaxDelay));
        });
        services.AddSingleton<IResourceSource<k8s.Models.V1Node>>(_ => new NodeSource(client, identity.NodeName));
        services.AddSingleton<ResourceStore<k8s.Models.V1Node>>();
        services.AddSingleton(sp => new OnDemandWatch<k8s.Models.V1Namespace>(new NamespaceSource(client), time, sp.GetRequiredService<ILogger<ResourceWatcher<k8s.Models.V1Namespace>>>()));
        services.AddSingleton(sp => new ReconcileCaches(
            sp.GetRequiredService<ResourceStore<BridgeNetwork>>(),
            sp.GetRequiredService<ResourceStore<InterfaceBandwidth>>(),
            sp.GetRequiredService<ResourceStore<k8s.Models.V1Node>>(),
            sp.GetRequiredService<OnDemandWatch<k8s.Models.V1Namespace>>(),
            sp.GetRequiredService<WorkloadCaches>()));
        services.AddSingleton(sp => new StatusWriter(client, identity.NodeName, time, sp.GetRequiredService<ILogger<StatusWriter>>()));
        services.AddSingleton(sp => new NodeFloorWriter(client, identity.NodeName, time, sp.GetRequiredService<ILogger<NodeFloorWriter>>()));
        services.AddSingleton<IEventRecorder>(sp => new KubeEventRecorder(client, identity.NodeName, time, sp.GetRequiredService<ILogger<KubeEventRecorder>>()));
        services.AddSingleton<AgentMetrics>();
        services.AddSingleton(sp => new MetricsAccessReview(client, time, sp.GetRequiredService<IOptions<AgentOptions>>().Value.Metrics.ReviewCacheDuration));
        services.AddSingleton<AgentHealth>();
        services.AddSingleton(sp => new BridgeReconciler(
            identity.NodeName,
            sp.GetRequiredService<ReconcileCaches>(),
            sp.GetRequiredService<NodeConverger>(),
            recording,
            sp.GetRequiredService<StatusWriter>(),
            sp.GetRequiredService<NodeFloorWriter>(),
            sp.GetRequiredService<IEventRecorder>(),
            sp.GetRequiredService<AgentMetrics>(),
            time,
            sp.GetRequiredService<ILogger<BridgeReconciler>>(),
            wholeNode: sp.GetRequiredService<IOptions<AgentOptions>>().Value.WholeNodeReconcile));
        services.AddSingleton<AgentService>();
        services.AddHostedService(sp => sp.GetRequiredService<AgentService>());
    }
}
