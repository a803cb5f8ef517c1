using System.Net;
using System.Text.Json.Nodes;
using BandwidthOperator.ApiServerDouble.Admission;
using BandwidthOperator.ApiServerDouble.Faults;
using BandwidthOperator.ApiServerDouble.Http;
using BandwidthOperator.ApiServerDouble.Schema;
using BandwidthOperator.ApiServerDouble.Storage;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace BandwidthOperator.ApiServerDouble;

/// <summary>
/// An in-process double of kube-apiserver v1.34 over real HTTP on 127.0.0.1 (a free port), serving
/// BridgeNetwork and InterfaceBandwidth (validated against crds/), Nodes, Namespaces, Pods, Events
/// (core and events.k8s.io) and Leases, held to shared/kube-apiserver-transcripts. Tests drive it with the
/// real KubernetesClient (<see cref="CreateClient"/>), seed and read objects directly, switch faults on
/// and off (<see cref="Faults"/>) and read the request log (<see cref="Requests"/>).
/// </summary>
public sealed class KubeApiServerDouble : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ObjectStore _store;
    private readonly WatchHub _watches;

    private readonly AdmissionChain _admission;
    private readonly ServedTypes _served;

    private KubeApiServerDouble(WebApplication app, ObjectStore store, WatchHub watches, FaultInjector faults, RequestLog requests, Uri baseAddress, AdmissionChain admission, ServedTypes served)
    {
        _served = served;
        _admission = admission;
        _app = app;
        _store = store;
        _watches = watches;
        Faults = faults;
        Requests = requests;
        BaseAddress = baseAddress;
    }

    /// <summary>Where the double listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary><see cref="BaseAddress"/> without the trailing slash, for <c>KubernetesClientConfiguration.Host</c>.</summary>
    public string Url => BaseAddress.ToString().TrimEnd('/');

    /// <summary>Faults to switch on and off while tests run.</summary>
    public FaultInjector Faults { get; }

    /// <summary>Every request answered so far.</summary>
    public RequestLog Requests { get; }

    /// <summary>The global resourceVersion now (the RV of the last write).</summary>
    public string CurrentResourceVersion => _store.CurrentResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>How many watch streams are open.</summary>
    public int OpenWatches => _watches.OpenCount;

    public static async Task<KubeApiServerDouble> StartAsync(ApiServerDoubleOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ApiServerDoubleOptions();
        var crds = options.CrdDirectory is null ? CrdCatalog.FromRepository() : CrdCatalog.FromDirectory(options.CrdDirectory);
        var store = new ObjectStore(options.TimeProvider, crds, options.InitialResourceVersion, options.RetainedEvents);
        foreach (var ns in options.Namespaces)
        {
            store.Create(ResourceType.Namespaces, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } }, "kube-apiserver");
        }

        var watches = new WatchHub(store, options.BookmarkInterval);
        var faults = new FaultInjector(options.FaultSeed, watches.DropAll, () => watches.OpenCount, store.ExpireResourceVersions);
        var requests = new RequestLog();

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        Uri? address = null;
        var admission = new AdmissionChain();
        var served = new ServedTypes();
        if (options.KubeVirtInstalled)
        {
            served.Install(ResourceType.VirtualMachineInstances);
        }

        var handler = new ApiHandler(store, faults, requests, watches, options.TimeProvider, () => address?.ToString() ?? string.Empty, admission, served);
        app.Run(handler.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        address = new Uri(bound.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
        return new KubeApiServerDouble(app, store, watches, faults, requests, address, admission, served);
    }

    /// <summary>Whether KubeVirt's VirtualMachineInstance is served (see <see cref="InstallKubeVirt"/>).</summary>
    public bool KubeVirtInstalled => _served.Types.Contains(ResourceType.VirtualMachineInstances);

    /// <summary>
    /// Serves kubevirt.io/v1 VirtualMachineInstances from now on, as creating the stand-in CRD of recorded
    /// exchange 91 does (discovery as 92; before, 404 as 89 and 90). Idempotent.
    /// </summary>
    public void InstallKubeVirt() => _served.Install(ResourceType.VirtualMachineInstances);

    /// <summary>A client configuration for the double (plain HTTP, no credentials).</summary>
    public KubernetesClientConfiguration ClientConfiguration() => new() { Host = Url };

    /// <summary>A real KubernetesClient talking to the double.</summary>
    public Kubernetes CreateClient() => new(ClientConfiguration());

    /// <summary>A client that authenticates with <paramref name="token"/> (register it with <see cref="AddToken"/>).</summary>
    public Kubernetes CreateClient(string token) => new(new KubernetesClientConfiguration { Host = Url, AccessToken = token });

    /// <summary>
    /// Makes <paramref name="token"/> authenticate as <paramref name="user"/>: in requests (<c>Authorization: Bearer</c>;
    /// an unknown token gets 401) and in TokenReviews. Requests without a token are the admin's.
    /// </summary>
    public void AddToken(string token, AdmissionUser user) => _admission.AddToken(token, user);

    /// <summary>Invalidates <paramref name="token"/> (its pod was deleted: transcript 117).</summary>
    public void RevokeToken(string token) => _admission.RevokeToken(token);

    /// <summary>Puts a ValidatingAdmissionPolicy in force with a <c>Deny</c> binding (evaluated on updates and patches).</summary>
    public void AddValidatingAdmissionPolicy(JsonObject policy, string? bindingName = null) =>
        _admission.AddPolicy(new ValidatingAdmissionPolicy(policy, bindingName));

    /// <summary>
    /// Lets a user or group <paramref name="verb"/> the non-resource <paramref name="path"/>, as a ClusterRole with
    /// <c>nonResourceURLs</c> bound by <paramref name="binding"/> would; SubjectAccessReviews answer from these.
    /// </summary>
    public void GrantNonResource(string subject, string path, string verb, string binding) => _admission.GrantNonResource(subject, path, verb, binding);

    /// <summary>
    /// Stores <paramref name="obj"/> (kind from apiVersion/kind) as a create would, bypassing HTTP, faults and the
    /// log; its namespace is created when missing, and a given <c>status</c> is kept. Watchers see ADDED (and MODIFIED for status).
    /// </summary>
    public JsonObject Seed(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var type = TypeOf(obj);
        var copy = obj.DeepClone().AsObject();
        var ns = (string?)copy["metadata"]?["namespace"];
        if (type.Namespaced && !string.IsNullOrEmpty(ns) && !_store.NamespaceExists(ns))
        {
            _store.Create(ResourceType.Namespaces, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } }, "test");
        }

        if (type.Namespaced && string.IsNullOrEmpty(ns))
        {
            copy["metadata"]!["namespace"] = "default";
            ns = "default";
        }

        var status = copy["status"]?.DeepClone();
        var created = _store.Create(type, copy, "test");
        if (status is not null && type.HasStatus && !JsonNode.DeepEquals(status, created["status"]))
        {
            var name = (string)created["metadata"]!["name"]!;
            created = _store.Update(type, type.Namespaced ? ns : null, name, "status", "test", live =>
            {
                live["status"] = status;
                return live;
            });
        }

        return created;
    }

    /// <summary>Seeds a typed object (serialized as KubernetesClient would send it) and returns the stored one.</summary>
    public T Seed<T>(T obj)
        where T : class
    {
        var json = JsonNode.Parse(KubernetesJson.Serialize(obj))!.AsObject();
        return KubernetesJson.Deserialize<T>(Seed(json).ToJsonString());
    }

    /// <summary>The stored object, or null.</summary>
    public JsonObject? Get(ResourceType type, string? ns, string name)
    {
        ArgumentNullException.ThrowIfNull(type);
        return _store.Get(type, type.Namespaced ? ns : null, name);
    }

    /// <summary>The stored object as <typeparamref name="T"/>, or null.</summary>
    public T? Get<T>(ResourceType type, string? ns, string name)
        where T : class =>
        Get(type, ns, name) is { } obj ? KubernetesJson.Deserialize<T>(obj.ToJsonString()) : null;

    /// <summary>The stored objects of <paramref name="type"/> (in <paramref name="ns"/> when given), sorted by namespace and name.</summary>
    public IReadOnlyList<JsonObject> List(ResourceType type, string? ns = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        return [.. _store.List(type, ns, _ => true).Items.Select(i => i.Object)];
    }

    /// <summary>
    /// Changes a stored object as a PUT would (to the main resource, or to <c>status</c>): generation, resourceVersion
    /// and watch events follow; the CRD schema is enforced.
    /// </summary>
    public JsonObject Modify(ResourceType type, string? ns, string name, Action<JsonObject> change, string? subresource = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(change);
        return _store.Update(type, type.Namespaced ? ns : null, name, subresource, "test", live =>
        {
            change(live);
            return live;
        });
    }

    /// <summary>Deletes as DELETE would (Terminating while finalizers remain). Returns whether the object is gone.</summary>
    public bool Delete(ResourceType type, string? ns, string name)
    {
        ArgumentNullException.ThrowIfNull(type);
        return _store.Delete(type, type.Namespaced ? ns : null, name, null, null).Remaining is null;
    }

    /// <summary>
    /// Polls (every 20 ms) until the stored object satisfies <paramref name="condition"/> (it gets null while the object
    /// does not exist) and returns it; throws <see cref="TimeoutException"/> after <paramref name="timeout"/> (default 10 s).
    /// </summary>
    public async Task<JsonObject?> WaitForAsync(ResourceType type, string? ns, string name, Func<JsonObject?, bool> condition,
        TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var current = Get(type, ns, name);
            if (condition(current))
            {
                return current;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{type.Plural} {ns}/{name} did not reach the condition; last state: {current?.ToJsonString() ?? "absent"}");
            }

            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Polls until a logged request satisfies <paramref name="predicate"/> and returns it; throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    public async Task<RecordedRequest> WaitForRequestAsync(Func<RecordedRequest, bool> predicate, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            if (Requests.Find(predicate) is { } found)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("no matching request was made");
            }

            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }

    private static ResourceType TypeOf(JsonObject obj)
    {
        var apiVersion = (string?)obj["apiVersion"];
        var kind = (string?)obj["kind"];
        return ResourceType.All.FirstOrDefault(t => t.ApiVersion == apiVersion && t.Kind == kind)
            ?? throw new ArgumentException($"the double does not serve {kind} in {apiVersion}", nameof(obj));
    }

    public async ValueTask DisposeAsync()
    {
        _watches.DropAll(abort: false);
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
