package dev.kiln.duckdb;

import dev.kiln.Kiln;
import dev.kiln.Principal;
import dev.kiln.lakehouse.Table;
import dev.kiln.lakehouse.WriteSource;
import java.nio.file.Path;
import java.util.List;

/**
 * A separate JVM that appends to one table in a loop: {@code AppendWorker ROOT TABLE WORKER COUNT}.
 * Each commit holds one row (worker, sequence) so the parent can check none was lost or doubled.
 */
public final class AppendWorker {
    private AppendWorker() {
    }

    public static void main(String[] args) {
        Path root = Path.of(args[0]);
        int worker = Integer.parseInt(args[2]);
        int count = Integer.parseInt(args[3]);
        try (Kiln kiln = Kiln.builder().root(root).principal(Principal.of("worker" + worker)).open()) {
            Table table = kiln.lakehouse().table(args[1]);
            for (int i = 0; i < count; i++) {
                table.append(WriteSource.values(List.<Object[]>of(new Object[] {(long) worker, (long) i})));
                System.out.println("committed " + i);
                System.out.flush();
            }
        }
    }
}
