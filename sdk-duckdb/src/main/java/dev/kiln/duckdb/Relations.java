package dev.kiln.duckdb;

import dev.kiln.duckdb.delta.LogSnapshot;
import dev.kiln.duckdb.delta.SnapshotRelation;
import dev.kiln.lakehouse.Snapshot;
import dev.kiln.spi.RelationResolver;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/** Binds the relations of a resolved query as temporary views of one connection. */
final class Relations {
    private Relations() {
    }

    static String bind(Connection connection, DuckEngine engine, RelationResolver.ResolvedSql resolved) throws SQLException {
        for (Map.Entry<String, Snapshot> relation : resolved.relations().entrySet()) {
            LogSnapshot log = ((DeltaSnapshot) relation.getValue()).log();
            Sql.execute(connection, "CREATE OR REPLACE TEMP VIEW " + DuckEngine.quote(relation.getKey()) + " AS "
                    + SnapshotRelation.sql(engine, log, log.files()));
        }
        return resolved.sql();
    }
}
