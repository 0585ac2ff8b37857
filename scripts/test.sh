#!/usr/bin/env bash
# Restores, builds and tests everything that builds on this machine, and says plainly what it skipped.
#
#   bash scripts/test.sh
#
# - Projects come from SkyRay.Infra.sln; SkyRay.Offline.slnf (every project except the Pulumi ones) is
#   regenerated from it on each run, and a project on disk that the .sln does not list fails the run.
# - The Pulumi projects (src/SkyRay.Infra, tests/SkyRay.Infra.Tests) are tested only when their packages
#   restore from the configured NuGet feed; otherwise one "skipped: ..." line says why.
# - Runs the benchmark's stack-file check (bench --dry e2e) as one more test.
# - Ends with "N passed, N failed, N skipped" (summed from the TRX files) on a line of its own; the exit
#   code is non-zero when a build or a test failed.
# Environment: SKYRAY_TEST_RESULTS=<dir> keeps the TRX files and the log there (default: a temp dir).
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 2
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 DOTNET_GENERATE_ASPNET_CERTIFICATE=0

SLN=SkyRay.Infra.sln
SLNF=SkyRay.Offline.slnf
PULUMI_DIRS=(src/SkyRay.Infra tests/SkyRay.Infra.Tests)

fail() { echo "error: $*" >&2; exit 2; }

command -v dotnet >/dev/null || fail "dotnet is not on PATH; install the .NET 10 SDK"
[[ -f $SLN ]] || fail "$SLN not found in $(pwd)"

# --- Projects: the .sln is the list; every project on disk must be in it -------------------------------
mapfile -t sln_projects < <(grep -E '^Project\(' "$SLN" | sed -E 's/^[^=]*= *"[^"]*", *"([^"]*)".*/\1/' | tr '\\' '/' | grep -E '\.csproj$' | sort -u)
mapfile -t disk_projects < <(find src tests bench -name '*.csproj' -not -path '*/bin/*' -not -path '*/obj/*' 2>/dev/null | sed 's#^\./##' | sort -u)

missing_from_sln=$(comm -13 <(printf '%s\n' "${sln_projects[@]}") <(printf '%s\n' "${disk_projects[@]}"))
if [[ -n $missing_from_sln ]]; then
    fail "project(s) on disk but not in $SLN (so not in $SLNF either): $(echo "$missing_from_sln" | tr '\n' ' ')— add them: dotnet sln $SLN add <project>"
fi
missing_on_disk=$(comm -23 <(printf '%s\n' "${sln_projects[@]}") <(printf '%s\n' "${disk_projects[@]}"))
if [[ -n $missing_on_disk ]]; then
    fail "project(s) listed in $SLN but missing on disk: $(echo "$missing_on_disk" | tr '\n' ' ')— remove them: dotnet sln $SLN remove <project>"
fi

is_pulumi() {
    local p=$1 d
    for d in "${PULUMI_DIRS[@]}"; do [[ $p == "$d/"* ]] && return 0; done
    # Any other project that uses a Pulumi package or references the Pulumi program is Pulumi-bound too.
    grep -qE 'Include="Pulumi[."]|Include="Pulumi"|SkyRay\.Infra\.csproj' "$p"
}

offline=() pulumi=()
for p in "${sln_projects[@]}"; do
    if is_pulumi "$p"; then pulumi+=("$p"); else offline+=("$p"); fi
done

# --- The offline solution filter, generated so it cannot drift from the .sln -----------------------------
{
    printf '{\n  "solution": {\n    "path": "%s",\n    "projects": [\n' "$SLN"
    for i in "${!offline[@]}"; do
        sep=","; (( i == ${#offline[@]} - 1 )) && sep=""
        printf '      "%s"%s\n' "${offline[$i]//\//\\\\}" "$sep"
    done
    printf '    ]\n  }\n}\n'
} > "$SLNF.tmp"
if ! cmp -s "$SLNF.tmp" "$SLNF"; then
    [[ -f $SLNF ]] && echo "note: $SLNF was out of date with $SLN; regenerated it (commit the change)"
    mv "$SLNF.tmp" "$SLNF"
else
    rm -f "$SLNF.tmp"
fi

# --- Do the Pulumi packages restore here? ------------------------------------------------------------------
target=$SLNF
if (( ${#pulumi[@]} == 0 )); then
    echo "skipped: src/SkyRay.Infra and tests/SkyRay.Infra.Tests (not in this checkout yet)"
else
    why=""
    for p in "${pulumi[@]}"; do
        if ! out=$(timeout 300 dotnet restore "$p" -v q 2>&1); then
            why=$(echo "$out" | grep -m1 -oE 'error [A-Z]+[0-9]+: .*' | sed -E 's/ \[[^]]*\]$//')
            [[ -z $why ]] && why=$(echo "$out" | grep -m1 -E '\S' )
            break
        fi
    done
    if [[ -n $why ]]; then
        names=$(printf '%s\n' "${pulumi[@]}" | xargs -n1 dirname | paste -sd' ' | sed 's/ / and /g')
        echo "skipped: $names (Pulumi packages do not restore from the configured NuGet feed: $why)"
    else
        echo "Pulumi packages restore: testing ${#pulumi[@]} Pulumi project(s) too"
        target=$SLN
    fi
fi

# --- Build and test once ------------------------------------------------------------------------------------
results=${SKYRAY_TEST_RESULTS:-$(mktemp -d "${TMPDIR:-/tmp}/skyray-test.XXXXXX")}
mkdir -p "$results"
rm -f "$results"/*.trx
log=$results/dotnet-test.log
echo "testing $target (results: $results)"
start=$SECONDS
dotnet test "$target" --nologo -v minimal \
    --logger trx --results-directory "$results" \
    --blame-hang-timeout 5m >"$log" 2>&1
rc=$?
echo "dotnet test finished in $((SECONDS - start))s (exit code $rc)"

build_errors=$(grep -E ': error [A-Za-z]+[0-9]+:' "$log" | sed -E 's/ \[[^]]*\]$//' | sort -u)
if [[ -n $build_errors ]]; then
    echo "build errors:"
    echo "$build_errors" | head -50 | sed 's/^/  /'
fi

# --- Per-project and total counts from the TRX files --------------------------------------------------------
attr() { grep -m1 -oE "<Counters [^>]*" "$1" | grep -oE " $2=\"[0-9]+\"" | grep -oE '[0-9]+' || echo 0; }
total_passed=0 total_failed=0 total_skipped=0
shopt -s nullglob
trx_files=("$results"/*.trx)
echo "per project:"
rows=()
for trx in "${trx_files[@]}"; do
    # xUnit logs "Discovering: <assembly>" with the name's real casing (the TRX storage path is lower-cased).
    project=$(grep -m1 -oE 'Discovering: [A-Za-z0-9_.]+' "$trx" | sed 's/Discovering: //')
    [[ -z $project ]] && project=$(grep -m1 -oE 'storage="[^"]+"' "$trx" | sed -E 's#.*[/\\]##; s#\.dll"$##; s#"$##')
    total=$(attr "$trx" total)
    passed=$(attr "$trx" passed)
    failed=$(( $(attr "$trx" failed) + $(attr "$trx" error) + $(attr "$trx" timeout) + $(attr "$trx" aborted) ))
    skipped=$(( total - passed - failed ))
    (( skipped < 0 )) && skipped=0
    rows+=("$(printf '  %-32s %5d passed, %d failed, %d skipped' "${project:-$(basename "$trx")}" "$passed" "$failed" "$skipped")")
    total_passed=$((total_passed + passed)) total_failed=$((total_failed + failed)) total_skipped=$((total_skipped + skipped))
done

# The benchmark's own stack files (bench --dry e2e): its end-to-end timings mean nothing if they time an error path, and
# a change of the config rules once broke every size unseen. One check, counted as one test.
# dotnet test builds only the test projects and what they reference, so the benchmark is built here.
bench_start=$SECONDS
if dotnet build bench/SkyRay.Benchmarks/SkyRay.Benchmarks.csproj --nologo -v minimal >"$results/bench-build.log" 2>&1; then
    bench_dll=$(find bench/SkyRay.Benchmarks/bin/Debug -name SkyRay.Benchmarks.dll 2>/dev/null | head -1)
else
    bench_dll=""
    echo "bench build errors:"
    grep -E ': error [A-Za-z]+[0-9]+:' "$results/bench-build.log" | sed -E 's/ \[[^]]*\]$//' | sort -u | head -20 | sed 's/^/  /'
fi
if [[ -z $bench_dll ]]; then
    rows+=("$(printf '  %-32s %5d passed, %d failed, %d skipped' "bench-dry-e2e" 0 1 0)")
    total_failed=$((total_failed + 1))
elif bench_out=$(dotnet "$bench_dll" --dry e2e 2>&1); then
    rows+=("$(printf '  %-32s %5d passed, %d failed, %d skipped' "bench-dry-e2e" 1 0 0)")
    total_passed=$((total_passed + 1))
else
    rows+=("$(printf '  %-32s %5d passed, %d failed, %d skipped' "bench-dry-e2e" 0 1 0)")
    total_failed=$((total_failed + 1))
    echo "bench --dry e2e failed:"
    echo "$bench_out" | tail -20 | sed 's/^/  /'
fi
echo "benchmark built and its stack files checked in $((SECONDS - bench_start))s"

# A test project without results did not build or its test host crashed: list it rather than let it vanish.
ran=$(printf '%s\n' "${rows[@]}" | awk '{print $1}')
tested=("${offline[@]}")
[[ $target == "$SLN" ]] && tested+=("${pulumi[@]}")
for p in "${tested[@]}"; do
    grep -q '<IsTestProject>true</IsTestProject>' "$p" || continue
    name=$(basename "$p" .csproj)
    grep -qxF "$name" <<<"$ran" || rows+=("$(printf '  %-32s not run (see build errors above)' "$name")")
done
(( ${#rows[@]} > 0 )) && printf '%s\n' "${rows[@]}" | sort
if (( total_skipped > 0 )); then
    echo "skip reasons:"
    awk '/outcome="NotExecuted"/ { want = 1 } want && /<Message>/ { sub(/.*<Message>/, ""); sub(/<\/Message>.*/, ""); print; want = 0 }' "${trx_files[@]}" |
        sort | uniq -c | sort -rn | head -10 | sed -E 's/^ *([0-9]+) /  \1 × /'
fi
if (( total_failed > 0 )); then
    echo "failed tests:"
    grep -E -A12 '^\s+Failed [A-Za-z_]' "$log" | head -150 | sed 's/^/  /'
fi
if (( rc != 0 )) && [[ -z $build_errors ]] && (( total_failed == 0 )); then
    echo "dotnet test failed without a build error or a failed test; last lines of $log:"
    tail -30 "$log" | sed 's/^/  /'
fi

echo "$total_passed passed, $total_failed failed, $total_skipped skipped"
if (( rc != 0 || total_failed > 0 )); then
    exit 1
fi
exit 0
