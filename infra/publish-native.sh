#!/usr/bin/env bash
# Publishes the tool as one native executable (Native AOT): no JIT, no .NET runtime needed where it runs, a no-op
# `up` at the cost of its SSH round trips. Run from anywhere in the repository:
#   infra/publish-native.sh [output folder]        (default: infra/Testbed/bin/native)
# It prints the executable's path last. The chart library's native libraries (libSkiaSharp.so, libHarfBuzzSharp.so)
# sit beside it and go wherever it goes; testbed.dbg holds its debug symbols.
# Needs a C toolchain to link: clang, or gcc as here (apt-get install gcc). The first publish takes a minute or two;
# later ones rebuild only what changed (Testbed.csproj sets PublishAot, so `dotnet build` and this share one restore).
set -euo pipefail
root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
out=${1:-$root/infra/Testbed/bin/native}
command -v clang >/dev/null || command -v gcc >/dev/null \
  || { echo "Native AOT links with clang or gcc; neither is on PATH (apt-get install gcc)" >&2; exit 1; }
dotnet publish "$root/infra/Testbed" -c Release -o "$out" -nologo -v q >&2
echo "$out/testbed"
