#!/usr/bin/env bash
# The console's disaster recovery (docs/operator-guide/disaster-recovery.md), run the way the
# service runs: with its environment file and, when started as root, as its user.
#
#   console-recovery.sh backup  --output FILE  [--passphrase-file FILE] [--pg-bindir DIR]
#   console-recovery.sh restore --archive FILE [--passphrase-file FILE] [--master-key-out FILE] [--pg-bindir DIR]
#
# Environment (all optional):
#   SENSORFLEET_CONSOLE_ENV        the console's environment file (default /etc/sensorfleet/console.env;
#                                  empty: use only this environment, e.g. in a container)
#   SENSORFLEET_CONSOLE_USER       the user the console runs as (default sensorfleet); a root caller
#                                  runs the command as this user when it exists, so files it writes
#                                  belong to the console
#   SENSORFLEET_CONSOLE_JAR        the console's quarkus-run.jar (default: the installed package's,
#                                  else this checkout's build)
#   SENSORFLEET_BACKUP_PASSPHRASE  the passphrase sealing the master key, when --passphrase-file is not given
# Exit code: 0 done, 1 refused (the reason on one line), 2 usage.
set -euo pipefail

die() { echo "console-recovery: $*" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
installed=/usr/lib/sensorfleet-console

env_file=${SENSORFLEET_CONSOLE_ENV-/etc/sensorfleet/console.env}
if [ -n "$env_file" ]; then
  [ -r "$env_file" ] || die "cannot read $env_file (run as root, or set SENSORFLEET_CONSOLE_ENV)"
  set -a
  # shellcheck disable=SC1090
  . "$env_file"
  set +a
fi

if [ -x "$installed/runtime/bin/java" ]; then
  java=$installed/runtime/bin/java
  jar=${SENSORFLEET_CONSOLE_JAR:-$installed/app/quarkus-run.jar}
else
  [ -r "$here/find-java.sh" ] || die "no Java: neither $installed/runtime nor $here/find-java.sh"
  # shellcheck source=find-java.sh
  . "$here/find-java.sh"
  sensorfleet_use_java runtime || exit 2
  java=$JAVA_HOME/bin/java
  jar=${SENSORFLEET_CONSOLE_JAR:-$(dirname "$here")/console-service/target/quarkus-app/quarkus-run.jar}
fi
[ -r "$jar" ] || die "no console at $jar (set SENSORFLEET_CONSOLE_JAR)"

user=${SENSORFLEET_CONSOLE_USER:-sensorfleet}
cmd=("$java" -Xmx512m -jar "$jar" "$@")
if [ "$(id -u)" = 0 ] && id "$user" >/dev/null 2>&1; then
  # runuser keeps the environment read above (the database, the storage, the passphrase).
  exec runuser -u "$user" -- "${cmd[@]}"
fi
exec "${cmd[@]}"
