#!/usr/bin/env bash
# Runs the benchmark suite and writes benchmarks/results/results.{md,json}.
#   ./benchmarks/run-suite.sh                 short suite (small sizes, under 10 minutes on 2 cores)
#   ./benchmarks/run-suite.sh --full          every class at the sizes it declares (hours)
#   ./benchmarks/run-suite.sh --only TrainingOverheadBenchmark,BatchBenchmark
# Builds benchmarks/target/benchmarks.jar first when it is missing (REBUILD=1 forces it).
set -euo pipefail
cd "$(dirname "$0")/.."
jar=benchmarks/target/benchmarks.jar
if [ ! -f "$jar" ] || [ "${REBUILD:-0}" = 1 ]; then
  mvn -B -ntp -q -pl benchmarks -am package -DskipTests
fi
# Forks inherit these flags unless a class sets its own JVM arguments.
exec java --add-opens=java.base/java.nio=ALL-UNNAMED ${JAVA_OPTS:-} -cp "$jar" dev.kiln.benchmarks.SuiteRunner --out benchmarks/results "$@"
