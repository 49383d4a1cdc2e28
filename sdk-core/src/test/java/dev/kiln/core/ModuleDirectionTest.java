package dev.kiln.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the module direction of DESIGN.md: the API depends on nothing of ours, core on the API,
 * backends on API and core, and nothing but the application modules depends on a backend.
 */
class ModuleDirectionTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern DEPENDENCY = Pattern.compile(
            "<dependency>\\s*<groupId>dev\\.kiln</groupId>\\s*<artifactId>([^<]+)</artifactId>(.*?)</dependency>", Pattern.DOTALL);

    /** Compile-scope Kiln dependencies each library module may have. */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "sdk-api", Set.of(),
            "sdk-core", Set.of("kiln-api"),
            "sdk-duckdb", Set.of("kiln-api", "kiln-core"),
            "sdk-xgboost", Set.of("kiln-api", "kiln-core"),
            "sdk-tck", Set.of("kiln-api"),
            "sdk-serving", Set.of("kiln-api", "kiln-core"));

    private static List<String> compileDependencies(String module) throws IOException {
        String pom = Files.readString(ROOT.resolve(module).resolve("pom.xml"));
        List<String> deps = new ArrayList<>();
        Matcher m = DEPENDENCY.matcher(pom);
        while (m.find()) {
            if (!m.group(2).contains("<scope>test</scope>")) {
                deps.add(m.group(1));
            }
        }
        return deps;
    }

    @Test
    void libraryModulesDependOnlyDownward() throws IOException {
        for (Map.Entry<String, Set<String>> module : ALLOWED.entrySet()) {
            assertThat(compileDependencies(module.getKey())).as(module.getKey()).isSubsetOf(module.getValue());
        }
    }

    @Test
    void noLibraryModuleDependsOnABackend() throws IOException {
        for (String module : ALLOWED.keySet()) {
            assertThat(compileDependencies(module)).as(module).doesNotContain("kiln-duckdb", "kiln-xgboost", "kiln-cli", "kiln-serving");
        }
    }

    @Test
    void apiAndCoreSourcesImportNoBackendOrEngine() throws IOException {
        assertNoImport("sdk-api", "dev.kiln.core", "dev.kiln.duckdb", "dev.kiln.xgboost", "org.duckdb", "ml.dmlc", "com.fasterxml");
        assertNoImport("sdk-core", "dev.kiln.duckdb", "dev.kiln.xgboost", "org.duckdb", "ml.dmlc", "org.apache.arrow");
    }

    private static void assertNoImport(String module, String... forbidden) throws IOException {
        Path sources = ROOT.resolve(module).resolve("src/main/java");
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String text = Files.readString(file);
                for (String prefix : forbidden) {
                    assertThat(text).as(file + " must not use " + prefix).doesNotContain("import " + prefix).doesNotContain(" " + prefix + ".");
                }
            }
        }
    }
}
