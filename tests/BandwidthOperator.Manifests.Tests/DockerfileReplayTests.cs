using System.Diagnostics;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using BandwidthOperator.Manifests.Tests.Support;

namespace BandwidthOperator.Manifests.Tests;

/// <summary>
/// The image builds (there is no Docker engine on these machines): the Dockerfile's build stage is
/// replayed step by step — its COPY set, filtered by <c>.dockerignore</c>, into an empty folder, then
/// its own <c>dotnet restore</c> and <c>dotnet publish</c> there — and the published binary is started
/// as the image's entry point would be. A file the Dockerfile forgets to copy fails the restore, the
/// publish or the binary. The NuGet cache is shared with the rest of the build (restore reads it, no
/// download).
/// </summary>
public sealed class DockerfileReplayTests : IDisposable
{
    private static readonly TimeSpan StepDeadline = TimeSpan.FromMinutes(10);
    private readonly string _dir = Directory.CreateTempSubdirectory("bwo-image-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_build_stage_replayed_from_an_empty_folder_publishes_a_binary_that_starts()
    {
        var dockerfile = Dockerfile.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "Dockerfile")));
        var ignore = DockerIgnore.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, ".dockerignore")));
        var build = dockerfile.Stages[0];
        var runtime = dockerfile.Stages[^1];
        build.Name.ShouldBe("build");
        var context = new ReplayContext(RepositoryPaths.Root, ignore, _dir);
        var log = new List<string>();

        foreach (var step in build.Steps)
        {
            log.Add(step.ToString());
            switch (step.Instruction)
            {
                case "WORKDIR":
                    context.WorkDir = step.Arguments.Single();
                    break;
                case "COPY":
                    context.Copy(step.Arguments);
                    break;
                case "RUN":
                    var result = context.RunDotnet(step.Arguments);
                    result.ExitCode.ShouldBe(0, $"{step}\n{result.StandardOutput}\n{result.StandardError}\nreplayed so far:\n{string.Join('\n', log)}");
                    break;
                default:
                    throw new InvalidOperationException($"the replay does not know {step}");
            }
        }

        // The runtime stage takes the publish output to /app and starts /app/bandwidth-operator.
        var fromBuild = runtime.Steps.Single(s => s.Instruction == "COPY" && s.Arguments[0] == "--from=build");
        var published = context.HostPath(fromBuild.Arguments[1]);
        var entryPoint = runtime.Steps.Single(s => s.Instruction == "ENTRYPOINT").Arguments.Single();
        entryPoint.ShouldStartWith("/app/");
        var binary = Path.Combine(published, entryPoint["/app/".Length..]);
        runtime.Steps.Where(s => s.Instruction == "ENV").SelectMany(s => s.Arguments).ShouldContain(a => a.StartsWith("PATH=", StringComparison.Ordinal) && a.Contains("/app:", StringComparison.Ordinal),
            "kubectl exec POD -- bandwidth-operator … (README) needs /app on PATH");
        File.Exists(binary).ShouldBeTrue($"{entryPoint} is not in the publish output {published}");

        var help = Run(binary, ["--help"], published);
        help.ExitCode.ShouldBe(0, help.StandardError);
        help.StandardOutput.ShouldContain("Usage:");
        foreach (var command in new[] { "plan", "apply", "show", "teardown", "demo", "agent" })
        {
            help.StandardOutput.ShouldContain($"bandwidth-operator {command}", customMessage: help.StandardOutput);
        }

        var agent = Run(binary, ["agent", "--no-such-flag"], published);
        agent.ExitCode.ShouldNotBe(0);
        (agent.StandardError + agent.StandardOutput).ShouldContain("--no-such-flag");

        // What `demo` needs inside the image: its manifests, built into the executable.
        EmbeddedResources(Path.ChangeExtension(binary, ".dll"))
            .ShouldBe([.. Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "config", "samples", "demo"), "*.yaml").Select(f => "demo/" + Path.GetFileName(f)).Order(StringComparer.Ordinal)], customMessage: "the demo's manifests");

        // The memory and start-up settings the agent benchmark measured (README, Benchmarks; docs/architecture.md,
        // "Memory") are in what the image ships: ReadyToRun code in the assemblies, the runtime settings.
        foreach (var assembly in new[] { "bandwidth-operator.dll", "BandwidthOperator.Agent.dll", "KubernetesClient.dll" })
        {
            using var pe = new PEReader(File.OpenRead(Path.Combine(published, assembly)));
            pe.PEHeaders.CorHeader.ShouldNotBeNull(assembly);
            pe.PEHeaders.CorHeader.ManagedNativeHeaderDirectory.Size.ShouldBeGreaterThan(0, $"{assembly} in the publish output has no ReadyToRun code");
        }

        var runtimeConfig = File.ReadAllText(Path.Combine(published, "bandwidth-operator.runtimeconfig.json"));
        runtimeConfig.ShouldContain("\"System.Runtime.TieredCompilation\": false");
        runtimeConfig.ShouldContain("\"System.GC.ConserveMemory\": 7");

        // ... and the programs the demo runs to build its namespaces (ip, tc: iproute2; sysctl: procps).
        var installs = string.Join(' ', runtime.Steps.Where(s => s.Instruction == "RUN").SelectMany(s => s.Arguments));
        installs.ShouldContain("apt-get install");
        installs.Split(' ').ShouldContain("iproute2");
        installs.Split(' ').ShouldContain("procps");
    }

    [Fact]
    public void Dockerignore_patterns_match_as_docker_matches_them()
    {
        var ignore = DockerIgnore.Parse("**/bin/\n.git/\ntests/\n# comment\nconfig/\n!config/samples/demo/\n");

        ignore.Excludes("src/BandwidthOperator/bin/Release/x.dll").ShouldBeTrue();
        ignore.Excludes("bin/x").ShouldBeTrue();
        ignore.Excludes(".git/HEAD").ShouldBeTrue();
        ignore.Excludes("tests/BandwidthOperator.Api.Tests/a.cs").ShouldBeTrue();
        ignore.Excludes("src/BandwidthOperator/Program.cs").ShouldBeFalse();
        ignore.Excludes("config/rbac/role.yaml").ShouldBeTrue();
        ignore.Excludes("config/samples/demo/guest-a.yaml").ShouldBeFalse();
        ignore.Excludes("src/binary/x.cs").ShouldBeFalse();
    }

    private static List<string> EmbeddedResources(string assembly)
    {
        using var stream = File.OpenRead(assembly);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        return [.. metadata.ManifestResources.Select(h => metadata.GetString(metadata.GetManifestResource(h).Name)).Order(StringComparer.Ordinal)];
    }

    internal static ProcessResult Run(string file, IEnumerable<string> arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        // A clean build environment: nothing of the test host's MSBuild, no build servers left behind.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["UseSharedCompilation"] = "false";

        var commandLine = $"{file} {string.Join(' ', start.ArgumentList)}";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start `{commandLine}`");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(StepDeadline))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{commandLine}` did not finish within {StepDeadline}");
        }

        process.WaitForExit();
        return new ProcessResult(commandLine, process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    /// <summary>The build stage's file system: image paths map into a temporary folder.</summary>
    private sealed class ReplayContext(string contextRoot, DockerIgnore ignore, string imageRoot)
    {
        public string WorkDir { get; set; } = "/";

        public string HostPath(string imagePath)
        {
            var absolute = imagePath.StartsWith('/') ? imagePath : WorkDir.TrimEnd('/') + "/" + imagePath;
            return Path.GetFullPath(Path.Combine(imageRoot, absolute.TrimStart('/')));
        }

        /// <summary>COPY src… dest: files into dest (a folder when it ends in / or there are several sources); a folder's contents into dest.</summary>
        public void Copy(IReadOnlyList<string> arguments)
        {
            arguments.ShouldNotContain(a => a.StartsWith("--", StringComparison.Ordinal), "the build stage copies from the context only");
            var sources = arguments.Take(arguments.Count - 1).ToList();
            var dest = arguments[^1];
            var destIsFolder = dest.EndsWith('/') || sources.Count > 1;
            foreach (var source in sources)
            {
                var relative = source.TrimEnd('/');
                var full = Path.Combine(contextRoot, relative);
                if (Directory.Exists(full))
                {
                    var files = Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories)
                        .Select(f => Path.GetRelativePath(contextRoot, f).Replace('\\', '/'))
                        .Where(f => !ignore.Excludes(f))
                        .ToList();
                    files.ShouldNotBeEmpty($"COPY {source}: nothing left of it after .dockerignore");
                    foreach (var f in files)
                    {
                        CopyFile(f, Path.Combine(HostPath(dest), Path.GetRelativePath(relative, f)));
                    }
                }
                else
                {
                    File.Exists(full).ShouldBeTrue($"COPY {source}: not in the build context");
                    ignore.Excludes(relative).ShouldBeFalse($"COPY {source}: excluded by .dockerignore");
                    CopyFile(relative, destIsFolder ? Path.Combine(HostPath(dest), Path.GetFileName(relative)) : HostPath(dest));
                }
            }
        }

        /// <summary>RUN dotnet …, in WORKDIR, with image paths (/out) mapped into the folder.</summary>
        public ProcessResult RunDotnet(IReadOnlyList<string> arguments)
        {
            arguments[0].ShouldBe("dotnet", "the replay runs only dotnet steps of the build stage");
            var args = arguments.Skip(1).Select(a => a.StartsWith('/') ? HostPath(a) : a).ToList();
            var workDir = HostPath(WorkDir);
            Directory.CreateDirectory(workDir);
            return Run("dotnet", args, workDir);
        }

        private void CopyFile(string relative, string target)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(contextRoot, relative), target, overwrite: true);
        }
    }
}
