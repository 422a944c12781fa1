#!/usr/bin/env bash
# Builds the Debian packages of the agent and the console, each with its own Java runtime cut by
# jlink to the modules jdeps finds in its jars (plus the few it loads reflectively), so an appliance
# needs no JDK. Run by `./mvnw package` (module packaging/, exec-maven-plugin); it can also be run
# by hand after `./mvnw -DskipTests package`:
#
#   packaging/build-debs.sh VERSION OUT_DIR [VENDOR_KEYS]
#
# VENDOR_KEYS: PEM file of the vendor's update-signing public keys, pinned in the agent package as
# /usr/share/sensorfleet-agent/vendor-keys.pem (default: the development/test key, with a warning).
# Inputs (from the source tree): sensor-agent/target/sensor-agent.jar, sensor-agent/bin/,
# console-service/target/quarkus-app/, deploy/systemd/ (units, console.env), packaging/<pkg>/
# (maintainer scripts, conffiles, lintian overrides), packaging/copyright.
# Output: OUT_DIR/sensorfleet-agent_VERSION_amd64.deb, OUT_DIR/sensorfleet-console_VERSION_amd64.deb,
# and OUT_DIR/<pkg>.modules (the modules linked in, one line, for the tests).
#
# Needs: a JDK >= 21 with jlink and jdeps (found by deploy/find-java.sh; a JDK without jmods works
# from JDK 24 on, whose run-time image is linkable), dpkg-deb (>= 1.19 for --root-owner-group), unzip, gzip, strip (binutils).
set -euo pipefail

die() { echo "build-debs: $*" >&2; exit 1; }

[[ $# -eq 2 || $# -eq 3 ]] || die "usage: $0 VERSION OUT_DIR [VENDOR_KEYS]"
version=$1
out=$(mkdir -p "$2" && cd "$2" && pwd)
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
here=$root/packaging
# The vendor's update-signing public keys the agent package pins. The default is the development
# and test key, whose private half is in the repository: a release build names the real one.
vendor_keys=${3:-$root/testing/update-signing/dev-test-vendor-public.pem}
[[ -f $vendor_keys ]] || die "vendor keys $vendor_keys not found"
if [[ $(readlink -f "$vendor_keys") == "$(readlink -f "$root/testing/update-signing/dev-test-vendor-public.pem")" ]]; then
  echo "[build-debs] warning: the agent package pins the development/test vendor key; not for production (pass VENDOR_KEYS)" >&2
fi

[[ $version =~ ^[0-9]+(\.[0-9]+)*$ ]] || die "version '$version' is not a plain release number (digits and dots)"
# shellcheck source=../deploy/find-java.sh
. "$root/deploy/find-java.sh"
sensorfleet_use_java jdk || exit 1
jdk=$JAVA_HOME
for tool in jlink jdeps; do
  [[ -x $jdk/bin/$tool ]] || die "$jdk has no $tool"
done
for tool in dpkg-deb unzip gzip strip; do
  command -v $tool >/dev/null || die "$tool is needed (Debian: apt-get install dpkg unzip gzip binutils)"
done

agent_jar=$root/sensor-agent/target/sensor-agent.jar
console_app=$root/console-service/target/quarkus-app
[[ -f $agent_jar ]] || die "$agent_jar is missing: build it first (./mvnw -DskipTests package)"
[[ -f $console_app/quarkus-run.jar ]] || die "$console_app is missing: build it first (./mvnw -DskipTests package)"

work=$out/work
rm -rf "$work"
mkdir -p "$work"

log() { printf '[build-debs] %s\n' "$*"; }

# Modules jdeps finds in the given jars, plus the extra ones named first ($1, comma-separated).
# The jars' classes are unpacked into one class directory first: jdeps cannot take the console's
# jars as they are (modular jars whose required modules are plain jars, automatic module names that
# are not Java identifiers). The result is cached by the jars' names and sizes: jdeps over the
# console's 250 MB of classes takes minutes on a busy machine.
modules_of() {
  local extra=$1 key cache classes found j
  shift
  key=$(for j in "$@"; do printf '%s %s\n' "$(basename "$j")" "$(stat -c %s "$j")"; done | sort | sha256sum | cut -c1-16)
  cache=$out/../jdeps-cache/$key
  if [[ ! -f $cache ]]; then
    classes=$work/classes-$key
    mkdir -p "$classes" "$(dirname "$cache")"
    for j in "$@"; do
      unzip -qo "$j" -x 'module-info.class' 'META-INF/versions/*' -d "$classes" 2>/dev/null || true
    done
    found=$("$jdk/bin/jdeps" --print-module-deps --ignore-missing-deps -q "$classes")
    rm -rf "$classes"
    printf '%s\n' "$found" >"$cache"
  fi
  printf '%s,%s\n' "$(cat "$cache")" "$extra" | tr ',' '\n' | sed '/^$/d' | sort -u | paste -sd, -
}

# jlink a runtime with $2 (comma-separated modules) into $1. Debug symbols, headers and man pages
# are left out: ~90 MB instead of the JDK's ~300 MB. The module image is not compressed: a
# compressed one costs every JVM on it memory, as each class read from it is inflated into native
# memory and the image's pages stay touched (the idle agent on such a runtime measured 83 MB RSS
# against 72 MB on an uncompressed one; docs/benchmarks.md "Agent footprint"), and gzip packs the
# uncompressed image better (agent package 49 -> 42 MB, console 119 -> 110 MB). The native libraries are stripped as Debian ships binaries, and jlink's read-only
# files made 0644 as dpkg expects (the JDK's legal notices stay: the runtime is redistributed
# inside the package).
link_runtime() {
  "$jdk/bin/jlink" --add-modules "$2" --output "$1" \
    --strip-debug --no-header-files --no-man-pages
  local f
  while IFS= read -r -d '' f; do
    if [[ $(head -c 4 "$f" | od -An -c | tr -d ' ') == 177ELF ]]; then
      strip --strip-unneeded "$f"
    fi
  done < <(find "$1" -type f -print0)
  find "$1" -type d -exec chmod 0755 {} +
  find "$1" -type f -perm -u+x -exec chmod 0755 {} +
  find "$1" -type f ! -perm -u+x -exec chmod 0644 {} +
}

# Writes DEBIAN/control of package $1 into staging dir $2, with description $3 (synopsis) and $4 (body).
control() {
  local name=$1 dir=$2 synopsis=$3 body=$4 size
  size=$(du -sk --exclude=DEBIAN "$dir" | cut -f1)
  cat >"$dir/DEBIAN/control" <<CONTROL
Package: $name
Version: $version
Architecture: amd64
Maintainer: SensorFleet packaging <packaging@sensorfleet.example>
Installed-Size: $size
Depends: libc6 (>= 2.34), passwd
Section: net
Priority: optional
Homepage: https://sensorfleet.example/
Description: $synopsis
$(printf '%s\n' "$body" | fold -s -w 78 | sed 's/ *$//; s/^/ /')
CONTROL
}

# Documentation every Debian package carries: copyright and a (compressed, timestamp-free) changelog.
docs() {
  local name=$1 dir=$2
  install -d -m 0755 "$dir/usr/share/doc/$name"
  install -m 0644 "$here/copyright" "$dir/usr/share/doc/$name/copyright"
  printf '%s (%s) stable; urgency=medium\n\n  * Release %s.\n\n -- SensorFleet packaging <packaging@sensorfleet.example>  %s\n' \
    "$name" "$version" "$version" "$(date -R -d @"${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct 2>/dev/null || date +%s)}")" \
    | gzip -9n >"$dir/usr/share/doc/$name/changelog.gz"
  chmod 0644 "$dir/usr/share/doc/$name/changelog.gz"
}

# Maintainer scripts, conffiles and lintian overrides of package $1 from packaging/<short>/.
debian_dir() {
  local name=$1 short=$2 dir=$3 f
  install -d -m 0755 "$dir/DEBIAN"
  for f in preinst postinst prerm postrm; do
    [[ -f $here/$short/$f ]] && install -m 0755 "$here/$short/$f" "$dir/DEBIAN/$f"
  done
  install -m 0644 "$here/$short/conffiles" "$dir/DEBIAN/conffiles"
  install -d -m 0755 "$dir/usr/share/lintian/overrides"
  install -m 0644 "$here/$short/lintian-overrides" "$dir/usr/share/lintian/overrides/$name"
}

build_deb() {
  local name=$1 dir=$2
  # Files are root-owned in the archive whoever builds it. gzip, not dpkg's default xz: xz took
  # minutes for ~10 % less.
  dpkg-deb --root-owner-group -Zgzip -z6 --build "$dir" "$out/${name}_${version}_amd64.deb" >/dev/null
  log "$(du -h "$out/${name}_${version}_amd64.deb" | cut -f1) $out/${name}_${version}_amd64.deb"
}

# ---- agent ------------------------------------------------------------------------------------
build_agent() {
  local name=sensorfleet-agent dir=$work/agent modules
  local lib=$dir/usr/lib/$name
  install -d -m 0755 "$lib/bin" "$lib/lib" "$dir/usr/bin" "$dir/lib/systemd/system" "$dir/etc/sensorfleet"
  # jdk.crypto.ec: EC keys and TLS groups on runtimes before 22 (empty from 22 on); jdk.zipfs: tar
  # and zip handling of update payloads; both are loaded by name, invisible to jdeps.
  modules=$(modules_of jdk.crypto.ec,jdk.zipfs "$agent_jar")
  printf '%s\n' "$modules" >"$out/$name.modules"
  log "agent runtime: $modules"
  link_runtime "$lib/runtime" "$modules"
  install -m 0644 "$agent_jar" "$lib/lib/sensor-agent.jar"
  # The launcher compares it with versions/current: a newer package wins over an older update.
  printf '%s\n' "$version" >"$lib/lib/sensor-agent.version"
  chmod 0644 "$lib/lib/sensor-agent.version"
  install -m 0755 "$root/sensor-agent/bin/sensor-agent" "$lib/bin/sensor-agent"
  ln -s ../lib/$name/bin/sensor-agent "$dir/usr/bin/sensor-agent"
  # The agent, and the root helper that makes the appliance changes a settings push asks for
  # (socket-activated, one instance per connection).
  install -m 0644 "$root/deploy/systemd/sensorfleet-agent.service" "$root/deploy/systemd/sensorfleet-appliance.socket" \
    "$root/deploy/systemd/sensorfleet-appliance@.service" "$dir/lib/systemd/system/"
  install -m 0644 "$here/agent/agent.env" "$dir/etc/sensorfleet/agent.env"
  # Pinned, not configuration: a key the package brings is trusted, one from elsewhere only through
  # a key list signed by a trusted key (the agent's VendorKeyRing).
  install -d -m 0755 "$dir/usr/share/$name"
  install -m 0644 "$vendor_keys" "$dir/usr/share/$name/vendor-keys.pem"
  debian_dir "$name" agent "$dir"
  docs "$name" "$dir"
  control "$name" "$dir" "agent of a SensorFleet network security sensor" \
    "The agent of a SensorFleet sensor appliance: joins a console with a one-time connection string, then reports to it over mutual TLS (heartbeats, settings, backups, alerts, software updates). Brings its own Java runtime; runs as the system user sensorfleet-agent with its state in /var/lib/sensorfleet-agent."
  build_deb "$name" "$dir"
}

# ---- console ----------------------------------------------------------------------------------
build_console() {
  local name=sensorfleet-console dir=$work/console modules jars
  local lib=$dir/usr/lib/$name
  install -d -m 0755 "$lib" "$dir/lib/systemd/system" "$dir/etc/sensorfleet"
  mapfile -t jars < <(find "$console_app" -name '*.jar' | sort)
  # Loaded by name, invisible to jdeps: jdk.crypto.ec (EC before 22), jdk.zipfs (jars read as
  # file systems), jdk.naming.dns (JNDI DNS lookups), jdk.jfr and jdk.management.jfr (JFR
  # recordings when an operator profiles the console, as docs/benchmarks.md does).
  modules=$(modules_of jdk.crypto.ec,jdk.zipfs,jdk.naming.dns,jdk.jfr,jdk.management.jfr "${jars[@]}")
  printf '%s\n' "$modules" >"$out/$name.modules"
  log "console runtime: $modules"
  link_runtime "$lib/runtime" "$modules"
  cp -r "$console_app" "$lib/app"
  find "$lib/app" -type d -exec chmod 0755 {} + && find "$lib/app" -type f -exec chmod 0644 {} +
  # The systemd unit's ExecStart: the runtime with an ahead-of-time cache (docs/configuration.md).
  install -D -m 0755 "$root/deploy/console-launch.sh" "$lib/bin/sensorfleet-console"
  install -m 0644 "$root/deploy/systemd/sensorfleet-console.service" "$dir/lib/systemd/system/"
  install -m 0640 "$root/deploy/systemd/console.env" "$dir/etc/sensorfleet/console.env"
  # The console's backup and restore (docs/operator-guide/disaster-recovery.md), run as an administrator.
  install -d -m 0755 "$dir/usr/sbin"
  sed '1s|^#!.*|#!/bin/bash|' "$root/deploy/console-recovery.sh" >"$dir/usr/sbin/sensorfleet-console-recovery"
  chmod 0755 "$dir/usr/sbin/sensorfleet-console-recovery"
  debian_dir "$name" console "$dir"
  docs "$name" "$dir"
  control "$name" "$dir" "control plane for fleets of network security sensors" \
    "The control plane of a SensorFleet sensor fleet: inventory, settings, certificates, backups, software updates and forwarding for up to 50,000 sensors, with a REST API and a web console. Needs PostgreSQL 13 or newer (local or remote). Brings its own Java runtime; runs as the system user sensorfleet with its state in /var/lib/sensorfleet-console and /var/lib/sensorfleet."
  build_deb "$name" "$dir"
}

start=$(date +%s)
build_agent
build_console
rm -rf "$work"
log "done in $(( $(date +%s) - start )) s"
