# Container image of bandwidth-operator: the node agent and every other command (plan, apply, show,
# teardown, demo). Built and replayed without Docker by
# tests/BandwidthOperator.Manifests.Tests/DockerfileReplayTests.cs (same COPY set into an empty folder,
# same restore and publish, the published binary started), so a file missing here fails CI.
#   docker build -t ghcr.io/bandwidthoperator/bandwidth-operator:0.1.0 .

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, so a source change does not redo it: every project the executable references.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/BandwidthOperator.Api/BandwidthOperator.Api.csproj src/BandwidthOperator.Api/
COPY src/BandwidthOperator.Shaping/BandwidthOperator.Shaping.csproj src/BandwidthOperator.Shaping/
COPY src/BandwidthOperator.Netlink/BandwidthOperator.Netlink.csproj src/BandwidthOperator.Netlink/
COPY src/BandwidthOperator.Agent/BandwidthOperator.Agent.csproj src/BandwidthOperator.Agent/
COPY src/BandwidthOperator.Lab/BandwidthOperator.Lab.csproj src/BandwidthOperator.Lab/
COPY src/BandwidthOperator/BandwidthOperator.csproj src/BandwidthOperator/
RUN dotnet restore src/BandwidthOperator/BandwidthOperator.csproj
COPY .editorconfig ./
COPY src/ src/
# The demo's manifests and the CRDs (plan/apply validate manifests against their schemas) are built
# into the executable (EmbeddedResources of src/BandwidthOperator and src/BandwidthOperator.Api).
COPY config/samples/demo/ config/samples/demo/
COPY crds/ crds/
# ReadyToRun code for the SDK's own architecture, framework-dependent (the project says so; the agent
# benchmark measures this same publish: README, Benchmarks).
RUN dotnet publish src/BandwidthOperator/BandwidthOperator.csproj -c Release --no-restore -o /out

# The .NET runtime on Ubuntu 24.04. The agent, plan, apply, show and teardown speak rtnetlink themselves;
# the demo also needs iproute2 (ip netns, tc) and sysctl (procps) to build its namespaces, and a font
# for its chart.
FROM mcr.microsoft.com/dotnet/runtime:10.0-noble
RUN apt-get update \
 && apt-get install -y --no-install-recommends iproute2 procps fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /out/ ./
# `kubectl exec POD -- bandwidth-operator show` (README, Uninstall) finds the binary.
ENV PATH="/app:${PATH}"
# Programming traffic control in the host network namespace needs CAP_NET_ADMIN as uid 0 (the
# DaemonSet drops every other capability and makes the root filesystem read-only).
USER 0
ENTRYPOINT ["/app/bandwidth-operator"]
CMD ["agent"]
