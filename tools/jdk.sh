# Sourced by ./build, ./test, bin/* and .ci/run: finds a JDK 21 or newer and sets
# JDISTCC_JAVA_HOME, JDISTCC_JAVA and JDISTCC_JAVA_MAJOR. The default `java` on this machine kind
# is 17, so PATH alone is not enough. Order: $JDISTCC_JAVA_HOME, $JAVA_HOME, then the newest
# JDK under /usr/lib/jvm. Exits with a clear message when none is found.

jdistcc_java_major() {
  # prints the major version of the java binary $1, or nothing
  "$1" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

jdistcc_find_jdk() {
  local candidate major best="" best_major=0
  for candidate in "${JDISTCC_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/* /opt/java/* /opt/jdk*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(jdistcc_java_major "$candidate/bin/java")
    [ -n "$major" ] && [ "$major" -ge 21 ] || continue
    # an explicit choice wins as long as it is new enough
    if [ "$candidate" = "${JDISTCC_JAVA_HOME:-}" ] || [ "$candidate" = "${JAVA_HOME:-}" ]; then
      best=$candidate; best_major=$major; break
    fi
    if [ "$major" -gt "$best_major" ]; then best=$candidate; best_major=$major; fi
  done
  if [ -z "$best" ]; then
    echo "jdistcc: no JDK 21 or newer found (looked at \$JDISTCC_JAVA_HOME, \$JAVA_HOME and /usr/lib/jvm)." >&2
    echo "jdistcc: install one, e.g. 'apt-get install openjdk-21-jdk-headless' or a Temurin JDK, or set JAVA_HOME." >&2
    return 1
  fi
  JDISTCC_JAVA_HOME=$(cd "$best" && pwd -P)
  JDISTCC_JAVA="$JDISTCC_JAVA_HOME/bin/java"
  JDISTCC_JAVA_MAJOR=$best_major
  export JDISTCC_JAVA_HOME JDISTCC_JAVA JDISTCC_JAVA_MAJOR
}

# ./build records the JDK it used in lib/jdk.env; the commands in bin/ reuse it instead of probing
# every JDK at each start.
jdistcc_cached_jdk() {
  local cache
  cache="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)/lib/jdk.env"
  [ -z "${JDISTCC_JAVA_HOME:-}" ] && [ -f "$cache" ] || return 1
  . "$cache"
  [ -n "${JDISTCC_JAVA_HOME:-}" ] && [ -x "$JDISTCC_JAVA_HOME/bin/java" ] || { unset JDISTCC_JAVA_HOME; return 1; }
  JDISTCC_JAVA="$JDISTCC_JAVA_HOME/bin/java"
  export JDISTCC_JAVA_HOME JDISTCC_JAVA JDISTCC_JAVA_MAJOR
}

if [ "${JDISTCC_PROBE_JDK:-0}" = 1 ] || ! jdistcc_cached_jdk; then
  jdistcc_find_jdk || exit 1
fi
