# Sourced by ./mvnw and the local scripts: sets JAVA_HOME to a JDK >= 21 when the current one is
# older or unset. The machine's default java may be 17, but the Quarkus build step and the console
# both need 21+. Order: $JAVA_HOME, java on PATH, then /usr/lib/jvm/* (newest first).
sensorfleet_java_major() {
  "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\)\(\.[0-9]*\)*.*".*/\1/p' | head -n 1
}
sensorfleet_find_jdk21() {
  local candidate major
  for candidate in ${JAVA_HOME:+"$JAVA_HOME"} \
      "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")" \
      $(find /usr/lib/jvm /opt -maxdepth 1 -mindepth 1 \( -type d -o -type l \) 2>/dev/null | sort -V -r); do
    [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(sensorfleet_java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}
if sensorfleet_jdk=$(sensorfleet_find_jdk21); then
  export JAVA_HOME="$sensorfleet_jdk"
else
  echo "SensorFleet needs a JDK 21 or newer; none found in JAVA_HOME, PATH or /usr/lib/jvm. Install one (Debian: apt-get install openjdk-21-jdk-headless or temurin-21-jdk)." >&2
fi
unset sensorfleet_jdk
