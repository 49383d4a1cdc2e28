package dev.kiln.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Compiles every {@code java} block of the README against the SDK, so the tour cannot drift from the
 * API. A block is a method body; the names it uses without declaring them are listed in an HTML
 * comment right above it ({@code <!-- compile-with: Kiln kiln, String runId -->}), which GitHub does
 * not render.
 */
class ReadmeSnippetsTest {

    private static final Pattern BLOCK = Pattern.compile(
            "(?:<!--\\s*compile-with:([^>]*)-->\\s*\\n)?```java\\n(.*?)```", Pattern.DOTALL);

    // What a reader would import; monitoring has a TableRef of its own, the README means the registry's.
    private static final String IMPORTS = """
            import dev.kiln.*;
            import dev.kiln.experiments.*;
            import dev.kiln.features.*;
            import dev.kiln.governance.*;
            import dev.kiln.lakehouse.*;
            import dev.kiln.models.*;
            import dev.kiln.monitoring.*;
            import dev.kiln.predict.*;
            import dev.kiln.training.*;
            import java.nio.file.*;
            import java.time.*;
            import java.util.*;
            import dev.kiln.models.TableRef;
            """;

    record Snippet(int index, String parameters, String body) {
        JavaFileObject source() {
            String className = "ReadmeSnippet" + index;
            String code = IMPORTS + "class " + className + " {\n"
                    + "  @SuppressWarnings(\"unused\")\n"
                    + "  static void run(" + parameters + ") throws Exception {\n" + body + "\n  }\n}\n";
            return new SimpleJavaFileObject(URI.create("string:///" + className + ".java"), JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return code;
                }
            };
        }
    }

    static List<Snippet> snippets(String markdown) {
        List<Snippet> found = new ArrayList<>();
        Matcher m = BLOCK.matcher(markdown);
        while (m.find()) {
            String parameters = m.group(1) == null ? "" : m.group(1).trim();
            found.add(new Snippet(found.size() + 1, parameters, m.group(2)));
        }
        return found;
    }

    @Test
    void everyJavaBlockOfTheReadmeCompiles() throws IOException {
        // Surefire runs in the module's folder; the README sits at the reactor root.
        Path readme = Path.of("").toAbsolutePath().getParent().resolve("README.md");
        List<Snippet> snippets = snippets(Files.readString(readme));
        assertThat(snippets).as("java blocks in README.md").hasSizeGreaterThanOrEqualTo(5);

        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        Path out = Files.createTempDirectory("readme-snippets");
        StringWriter diagnostics = new StringWriter();
        boolean compiled = compiler.getTask(diagnostics, null, null,
                List.of("-d", out.toString(), "-classpath", System.getProperty("java.class.path"), "-Xlint:none"),
                null, snippets.stream().map(Snippet::source).toList()).call();
        assertThat(compiled).as("README snippets compile:\n" + diagnostics).isTrue();
    }

    @Test
    void aBrokenSnippetIsReported() {
        List<Snippet> snippets = snippets("""
                <!-- compile-with: int rows -->
                ```java
                String s = rows;
                ```
                """);
        assertThat(snippets).singleElement().satisfies(s -> assertThat(s.parameters()).isEqualTo("int rows"));
        StringWriter diagnostics = new StringWriter();
        boolean compiled = ToolProvider.getSystemJavaCompiler().getTask(diagnostics, null, null,
                List.of("-d", System.getProperty("java.io.tmpdir"), "-classpath", System.getProperty("java.class.path")),
                null, List.of(snippets.get(0).source())).call();
        assertThat(compiled).isFalse();
        assertThat(diagnostics.toString()).contains("incompatible types");
    }
}
