package io.sensorfleet.console.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Parameters;
import io.sensorfleet.console.common.Page;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads the audit log: pages for people, streams for export (constant memory whatever its size). */
@ApplicationScoped
public class AuditQuery {
    public record Filter(String actor, String action, String target, Integer result, Instant from, Instant to) {
    }

    public record View(long id, Instant at, String actor, String actorRole, String action, String method, String path,
                       String target, int result, String detail, String sourceAddress) {
        static View of(AuditEntry e) {
            return new View(e.id, e.at, e.actor, e.actorRole, e.action, e.method, e.path, e.target, e.result, e.detail,
                    e.sourceAddress);
        }
    }

    private final ObjectMapper json;

    AuditQuery(ObjectMapper json) {
        this.json = json;
    }

    public Page<View> page(Filter f, int page, int size) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            PanacheQuery<AuditEntry> q = query(f, "order by at desc, id desc");
            return new Page<>(q.page(page, size).list().stream().map(View::of).toList(), page, size, q.count());
        });
    }

    public void exportCsv(Filter f, OutputStream out) {
        export(f, out, "id,at,actor,actor_role,action,method,path,target,result,detail,source_address\n", v ->
                String.join(",", String.valueOf(v.id()), v.at().toString(), csv(v.actor()), csv(v.actorRole()),
                        csv(v.action()), csv(v.method()), csv(v.path()), csv(v.target()), String.valueOf(v.result()),
                        csv(v.detail()), csv(v.sourceAddress())) + "\n");
    }

    public void exportJsonLines(Filter f, OutputStream out) {
        export(f, out, "", v -> {
            try {
                return json.writeValueAsString(v) + "\n";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private void export(Filter f, OutputStream out, String header, java.util.function.Function<View, String> line) {
        QuarkusTransaction.requiringNew().run(() -> {
            try (Stream<AuditEntry> rows = query(f, "order by at, id").stream()) {
                out.write(header.getBytes(StandardCharsets.UTF_8));
                rows.forEach(e -> {
                    try {
                        out.write(line.apply(View.of(e)).getBytes(StandardCharsets.UTF_8));
                    } catch (IOException ex) {
                        throw new UncheckedIOException(ex);
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static PanacheQuery<AuditEntry> query(Filter f, String order) {
        List<String> where = new ArrayList<>();
        Parameters p = new Parameters();
        if (f.actor() != null && !f.actor().isBlank()) {
            where.add("actor = :actor");
            p.and("actor", f.actor());
        }
        if (f.action() != null && !f.action().isBlank()) {
            where.add("lower(action) like :action");
            p.and("action", "%" + f.action().toLowerCase() + "%");
        }
        if (f.target() != null && !f.target().isBlank()) {
            where.add("lower(target) like :target");
            p.and("target", "%" + f.target().toLowerCase() + "%");
        }
        if (f.result() != null) {
            where.add("result = :result");
            p.and("result", f.result());
        }
        if (f.from() != null) {
            where.add("at >= :from");
            p.and("from", f.from());
        }
        if (f.to() != null) {
            where.add("at < :to");
            p.and("to", f.to());
        }
        String q = (where.isEmpty() ? "" : String.join(" and ", where) + " ") + order;
        return AuditEntry.find(q, p);
    }

    /** RFC 4180 quoting, and a leading quote on values a spreadsheet would run as a formula. */
    static String csv(String s) {
        return io.sensorfleet.console.common.Csv.cell(s);
    }
}
