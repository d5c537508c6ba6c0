#!/usr/bin/env bash
# Runs the end-to-end suite (`dotnet test tests/e2e`) once per supported kubectl: 1.32 (the default `kubectl`),
# then 1.27 and 1.33 by full path (the versioned binaries installed next to the real kubectl). Builds nothing;
# build first, as scripts/test does:
#   dotnet build Gantry.slnx -c Release                      (includes this test project)
#   dotnet build src/Gantry -c Release -o out/gantry         (the binary under test; or set GANTRY_BIN)
# Extra arguments are passed to `dotnet test` (e.g. --filter Name~Apply). Test classes marked
# [Trait("Matrix", "default-kubectl-only")] (node workload behaviour, not kubectl's wire protocol) run with
# the default kubectl only.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo_root"

default_kubectl="$(command -v kubectl)" || { echo "kubectl is not on PATH" >&2; exit 1; }
kubectl_dir="$(dirname "$(readlink -f "$default_kubectl")")"
binaries=("kubectl" "$kubectl_dir/kubectl.1.27" "$kubectl_dir/kubectl.1.33")

for k in "${binaries[@]}"; do
  if ! command -v "$k" >/dev/null 2>&1; then
    echo "missing kubectl binary: $k (contents of $kubectl_dir: $(ls "$kubectl_dir" | tr '\n' ' '))" >&2
    exit 1
  fi
done

assembly="tests/e2e/bin/Release/net10.0/Gantry.E2E.dll"
if [ ! -f "$assembly" ]; then
  echo "$assembly is missing; build first: dotnet build Gantry.slnx -c Release" >&2
  exit 1
fi

failed=()
for k in "${binaries[@]}"; do
  version="$("$k" version --client -o json 2>/dev/null | sed -n 's/.*"gitVersion": *"\([^"]*\)".*/\1/p' | head -n1)"
  echo "=================================================================="
  echo "== e2e with KUBECTL=$k (client ${version:-unknown})"
  echo "=================================================================="
  only=()
  if [ "$k" != "kubectl" ] && [ $# -eq 0 ]; then
    only=(--filter "Matrix!=default-kubectl-only")
  fi
  if ! KUBECTL="$k" dotnet test tests/e2e -c Release --no-build --nologo "${only[@]}" "$@"; then
    failed+=("$k (${version:-unknown})")
  fi
done

# Every version runs even when an earlier one failed, so one report shows the whole matrix.
if ((${#failed[@]} > 0)); then
  echo "e2e FAILED with: ${failed[*]}" >&2
  exit 1
fi
echo "e2e passed with every kubectl: ${binaries[*]}"
