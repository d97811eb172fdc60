#!/bin/bash
# Packs what `diffugts segment --device cuda` needs on a machine with no .NET (the device machine: CUDA 13 libraries
# in PyTorch's wheels, no dotnet) into .stage/ at the repository root, in parts small enough to travel one per device
# call next to the working tree (64 MiB a call in all): the Release CLI build without its Windows and TensorRT
# libraries, this machine's .NET runtime, and ONNX Runtime 1.31's CUDA provider (284 MB, about 186 MB as xz).
# Then, on the device machine, one call per part: `mkdir -p /tmp/stage && cp .stage/pNN /tmp/stage/` with carry
# [".stage/pNN"] (calls back to back: the machine is given back after 30 idle seconds), and last
# `bash bench/inference/gpu-run.sh` with carry [".stage/pLAST", ".stage/sizes"]. Building the parts takes ~5 min (xz).
# Usage: bench/inference/gpu-bundle.sh [PART_BYTES]   (default 35000000: 64 MiB less a 31 MB working tree)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
part=${1:-35000000}
app=$root/src/DiffuGts.Cli/bin/Release/net10.0
cuda=$(find "$HOME/.nuget/packages/microsoft.ml.onnxruntime.gpu.linux" -path '*linux-x64/native/libonnxruntime_providers_cuda.so' | head -1)
dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
[[ -f $app/diffugts.dll ]] || { echo "build the CLI first: dotnet build -c Release src/DiffuGts.Cli" >&2; exit 1; }
[[ -n $cuda ]] || { echo "ONNX Runtime's CUDA provider not in the NuGet cache (dotnet restore first)" >&2; exit 1; }
grep -qx '/.stage/' "$root/.git/info/exclude" 2>/dev/null || echo /.stage/ >>"$root/.git/info/exclude"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bundle/app" "$work/bundle/dotnet/shared"
(cd "$app" && tar cf - --exclude='runtimes/win*' --exclude='*.pdb' --exclude='*.xml' \
    --exclude=libonnxruntime_providers_cuda.so --exclude=libonnxruntime_providers_tensorrt.so .) | tar xf - -C "$work/bundle/app"
cp -r "$dotnet_root/dotnet" "$dotnet_root/host" "$work/bundle/dotnet/"
cp -r "$dotnet_root/shared/Microsoft.NETCore.App" "$work/bundle/dotnet/shared/"
tar cf - -C "$work/bundle" . | xz -T0 -9 >"$work/base.tar.xz"
xz -T0 -6 -c "$cuda" >"$work/cuda.xz"
rm -rf "$root/.stage" && mkdir "$root/.stage"
cat "$work/base.tar.xz" "$work/cuda.xz" | split -b "$part" -d -a 2 - "$root/.stage/p"
echo "$(stat -c %s "$work/base.tar.xz") $(sha256sum "$work/base.tar.xz" "$work/cuda.xz" | cut -d' ' -f1 | tr '\n' ' ')" >"$root/.stage/sizes"
ls -l "$root/.stage"
