#!/usr/bin/env bash
# Builds the libFuzzer targets into .build-fuzz/ (see Fuzz/README.md).
#
# The Cedar library is built by SwiftPM with libFuzzer coverage and AddressSanitizer
# instrumentation; each target is then linked by swiftc from the library's objects, the
# shared sources in Fuzz/Sources and its entry point in Fuzz/Targets. The targets stay
# out of the SwiftPM package graph.
#
# Usage: Fuzz/build.sh [target...]    (default: every target in Fuzz/Targets)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/.build-fuzz"
sanitizers=-sanitize=fuzzer,address

swift build --package-path "$root" --build-path "$out/spm" -c release --target Cedar -Xswiftc "$sanitizers"
bin=$(swift build --package-path "$root" --build-path "$out/spm" -c release --show-bin-path)

# The objects of the current sources only: a deleted source's stale object stays behind.
objects=()
while IFS= read -r source; do
    objects+=("$bin/Cedar.build/$(basename "$source").o")
done < <(find "$root/Sources/Cedar" -name '*.swift' | sort)

if [ $# -eq 0 ]; then
    set -- $(cd "$root/Fuzz/Targets" && ls *.swift | sed 's/\.swift$//')
fi
for target in "$@"; do
    echo "linking fuzz-$target"
    swiftc -O -swift-version 6 -parse-as-library "$sanitizers" -use-ld=lld -module-name CedarFuzz \
        -I "$bin/Modules" "$root"/Fuzz/Sources/*.swift "$root/Fuzz/Targets/$target.swift" "${objects[@]}" \
        -o "$out/fuzz-$target"
done
