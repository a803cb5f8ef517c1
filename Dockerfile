# Container image of bandwidth-operator (the node agent and the CLI).
# Not built on the development machines (no Docker engine there); see README "Container image".
#   docker build -t ghcr.io/bandwidthoperator/bandwidth-operator:0.1.0 .

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, so a source change does not redo it.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/BandwidthOperator.Api/BandwidthOperator.Api.csproj src/BandwidthOperator.Api/
COPY src/BandwidthOperator.Shaping/BandwidthOperator.Shaping.csproj src/BandwidthOperator.Shaping/
COPY src/BandwidthOperator.Netlink/BandwidthOperator.Netlink.csproj src/BandwidthOperator.Netlink/
COPY src/BandwidthOperator.Agent/BandwidthOperator.Agent.csproj src/BandwidthOperator.Agent/
COPY src/BandwidthOperator/BandwidthOperator.csproj src/BandwidthOperator/
RUN dotnet restore src/BandwidthOperator/BandwidthOperator.csproj
COPY .editorconfig ./
COPY src/ src/
RUN dotnet publish src/BandwidthOperator/BandwidthOperator.csproj -c Release --no-restore -o /out

# Chiseled: no shell, no package manager, no iproute2 — the agent talks rtnetlink itself.
FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled
WORKDIR /app
COPY --from=build /out/ ./
# Programming traffic control in the host network namespace needs CAP_NET_ADMIN as uid 0 (the
# DaemonSet drops every other capability and makes the root filesystem read-only).
USER 0
ENTRYPOINT ["/app/bandwidth-operator"]
CMD ["agent"]
