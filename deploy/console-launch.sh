#!/bin/sh
# Starts the SensorFleet console: `exec`s its Java runtime with the options given here (the systemd
# unit passes the ones docs/configuration.md lists) and, on a runtime of Java 25 or newer, from an
# ahead-of-time cache of the console's classes, linked, with the method profiles of its previous run
# (docs/configuration.md, "Ahead-of-time cache"). Installed by the console's Debian package as
# /usr/lib/sensorfleet-console/bin/sensorfleet-console; the benchmarks start the console with it too.
#
#   sensorfleet-console [java option ...]
#
# Environment (all optional):
#   SENSORFLEET_CONSOLE_JAVA     the java binary (default: the package's runtime)
#   SENSORFLEET_CONSOLE_JAR      quarkus-run.jar (default: the package's); every jar under its
#                                directory belongs to the build the cache is made for
#   SENSORFLEET_CONSOLE_AOT_DIR  where the cache lives (default /var/lib/sensorfleet-console/aot;
#                                empty: no cache)
#
# The cache: without one for this build and runtime, this run records one and the JVM writes it as it
# exits (a second JVM assembles it: a stop takes some 20-60 s longer, once after each installation or
# upgrade); with one, the run starts from it. A cache is named by a SHA-256 of the runtime's release
# file and of every jar (0.25 s for the console's 76 MB): the JVM does not notice a jar that changed
# under its cache (it was seen loading a class of an older jar from one), so a changed build never
# meets an old cache here. The first start from a new cache checks that the JVM can map it (a cache
# cut short by a kill while being written is deleted and recorded again) and marks it checked
# (<cache>.ok), so later starts do not pay that extra JVM start (0.5 s).
set -eu

java=${SENSORFLEET_CONSOLE_JAVA:-/usr/lib/sensorfleet-console/runtime/bin/java}
jar=${SENSORFLEET_CONSOLE_JAR:-/usr/lib/sensorfleet-console/app/quarkus-run.jar}
aot_dir=${SENSORFLEET_CONSOLE_AOT_DIR-/var/lib/sensorfleet-console/aot}
release=$(dirname "$(dirname "$java")")/release

[ -x "$java" ] || { echo "sensorfleet-console: no Java runtime at $java" >&2; exit 1; }
[ -f "$jar" ] || { echo "sensorfleet-console: no console at $jar" >&2; exit 1; }

# Prints the JVM option that starts from the cache, or records one; nothing without a cache dir or
# on a runtime before 25 (its feature version from the release file; 0 if unknown).
aot_option() {
  version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release" 2>/dev/null | grep . || echo 0)
  [ -n "$aot_dir" ] && [ "$version" -ge 25 ] || return 0
  mkdir -p "$aot_dir" || { echo "sensorfleet-console: cannot create $aot_dir; starting without a cache" >&2; return 0; }
  key=$( { cat "$release"
           cd "$(dirname "$jar")" && find . -name '*.jar' -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum
         } | sha256sum | cut -c1-16)
  cache=$aot_dir/console-$key.aot
  for old in "$aot_dir"/console-*; do
    case $old in "$cache" | "$cache.ok") ;; *) rm -f "$old" ;; esac
  done
  if [ -s "$cache" ] && [ ! -e "$cache.ok" ]; then
    if "$java" "-XX:AOTCache=$cache" -XX:AOTMode=on -cp "$jar" -version >/dev/null 2>&1; then
      : >"$cache.ok"
    else
      echo "sensorfleet-console: the cache $cache cannot be used; recording a new one" >&2
      rm -f "$cache"
    fi
  fi
  if [ -s "$cache" ]; then
    echo "-XX:AOTCache=$cache"
  else
    rm -f "$cache.ok"
    echo "-XX:AOTCacheOutput=$cache"
  fi
}

# A cache is an optimisation: whatever goes wrong with it, the console starts.
aot=$(aot_option) || { echo "sensorfleet-console: no ahead-of-time cache this time" >&2; aot=""; }
[ -z "$aot" ] || set -- "$aot" "$@"
exec "$java" "$@" -jar "$jar"
