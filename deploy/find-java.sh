# The one way SensorFleet finds a Java 21 or newer outside an installed package. Sourced (POSIX sh,
# works under `set -euf` and bash's `set -euo pipefail`) by ./mvnw, sensor-agent/bin/sensor-agent
# (when it has no bundled runtime), deploy/local/run.sh and bench/run.sh. The Debian packages bring
# their own jlinked runtime and never look.
#
# Why a script at all: the machine's default `java` may be older (17), but the console, the agent
# and the Quarkus build step need 21+. ./mvnw runs Maven itself on the Java found here; the pom's
# maven-toolchains-plugin then only has to confirm a JDK >= 21 for compiling and testing (and picks
# one when Maven is started some other way, e.g. plain `mvn` on the default Java).
#
# After sourcing, call:
#   sensorfleet_use_java jdk       a JDK (java and javac), for building
#   sensorfleet_use_java runtime   any Java runtime, for running
# It exports JAVA_HOME as the first candidate of version 21 or newer, in this order:
#   $SENSORFLEET_JAVA (a java binary), $JAVA_HOME, java on PATH, /usr/lib/jvm/* and /opt/* (newest first).
# Without one it prints why on stderr, leaves JAVA_HOME alone and returns 1.

sensorfleet_min_java=21

# Prints the major version of the java binary $1 (8 for "1.8.0_392", 21 for "21.0.2"), or fails.
sensorfleet_java_major() {
  sensorfleet_v=$("$1" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1) || return 1
  [ -n "$sensorfleet_v" ] || return 1
  sensorfleet_m=${sensorfleet_v%%[.+-]*}
  if [ "$sensorfleet_m" = 1 ]; then
    sensorfleet_m=$(echo "$sensorfleet_v" | cut -d. -f2)
  fi
  case $sensorfleet_m in '' | *[!0-9]*) return 1 ;; esac
  echo "$sensorfleet_m"
}

# Succeeds when $1 is a Java home of at least the minimum version ($2 = jdk: with javac too).
sensorfleet_java_home_ok() {
  [ -n "$1" ] && [ -x "$1/bin/java" ] || return 1
  [ "$2" != jdk ] || [ -x "$1/bin/javac" ] || return 1
  sensorfleet_major=$(sensorfleet_java_major "$1/bin/java") || return 1
  [ "$sensorfleet_major" -ge "$sensorfleet_min_java" ]
}

# Prints the home of the first suitable Java ($1 = jdk or runtime), or fails.
sensorfleet_find_java_home() {
  for sensorfleet_c in \
      ${SENSORFLEET_JAVA:+"$(dirname "$(dirname "$(readlink -f "$SENSORFLEET_JAVA" || echo "$SENSORFLEET_JAVA")")")"} \
      ${JAVA_HOME:+"$JAVA_HOME"} \
      "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent/bin/java)" || echo /nonexistent/bin/java)")")" \
      $(find /usr/lib/jvm /opt -maxdepth 1 -mindepth 1 \( -type d -o -type l \) 2>/dev/null | sort -V -r); do
    if sensorfleet_java_home_ok "$sensorfleet_c" "$1"; then
      echo "$sensorfleet_c"
      return 0
    fi
  done
  return 1
}

sensorfleet_use_java() {
  if sensorfleet_home=$(sensorfleet_find_java_home "${1:-runtime}"); then
    export JAVA_HOME="$sensorfleet_home"
    return 0
  fi
  if [ "${1:-runtime}" = jdk ]; then
    echo "SensorFleet needs a JDK $sensorfleet_min_java or newer (with javac); none found in SENSORFLEET_JAVA, JAVA_HOME, PATH, /usr/lib/jvm or /opt. Install one (Debian: apt-get install openjdk-21-jdk-headless or temurin-21-jdk)." >&2
  else
    echo "SensorFleet needs a Java $sensorfleet_min_java or newer; none found in SENSORFLEET_JAVA, JAVA_HOME, PATH, /usr/lib/jvm or /opt. Set SENSORFLEET_JAVA to a java binary of version $sensorfleet_min_java or newer, or install one (Debian: apt-get install openjdk-21-jre-headless)." >&2
  fi
  return 1
}
