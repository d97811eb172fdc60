#!/usr/bin/env bash
# Installs what the node, its tests and the demo need on a fresh Debian 12 machine, then restores NuGet packages.
# Idempotent: a package already present is not installed again. Needs root (or sudo) for apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."

# The interop peers (DCMTK, dicom3tools, Orthanc) and Debian's Python stack for the model foundry and the independent
# readers (pydicom, nibabel). Debian's python3 is /usr/bin/python3; another python3 may be first on PATH.
APT_PACKAGES=(
  dcmtk dicom3tools orthanc
  python3-torch python3-onnx python3-numpy python3-scipy python3-matplotlib python3-pydicom python3-nibabel python3-pytest
  afl++
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Debian starts Orthanc as a service on install; our tests start their own instances on free ports.
if command -v systemctl >/dev/null 2>&1; then systemctl stop orthanc >/dev/null 2>&1 || true; fi

dotnet restore DiffuGts.sln --nologo -v q
