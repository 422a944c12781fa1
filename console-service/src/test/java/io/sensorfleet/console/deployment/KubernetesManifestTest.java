package io.sensorfleet.console.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/kubernetes/sensorfleet-console.yaml, parsed as YAML, carries what running several console
 * replicas needs, and deploy/kubernetes/README.md explains every value it sets.
 */
class KubernetesManifestTest {
    private static final Path DIR = repo("deploy/kubernetes");
    private static final List<JsonNode> DOCS = new ArrayList<>();

    @BeforeAll
    static void parse() throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        try (var it = yaml.readerFor(JsonNode.class).<JsonNode>readValues(DIR.resolve("sensorfleet-console.yaml").toFile())) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isMissingNode() && !doc.isNull()) {
                    DOCS.add(doc);
                }
            }
        }
    }

    private static JsonNode one(String kind, String name) {
        return DOCS.stream().filter(d -> d.path("kind").asText().equals(kind)
                        && d.path("metadata").path("name").asText().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in the manifest"));
    }

    private static JsonNode console() {
        return one("Deployment", "sensorfleet-console");
    }

    private static JsonNode container() {
        return console().path("spec").path("template").path("spec").path("containers").get(0);
    }

    private static Map<String, JsonNode> env(JsonNode container) {
        Map<String, JsonNode> env = new HashMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(), e));
        return env;
    }

    @Test
    void severalReplicasWithProbesOnHealthAndResourceRequestsAndLimits() {
        assertTrue(console().path("spec").path("replicas").asInt() >= 2, "replicas");
        JsonNode c = container();
        for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
            JsonNode get = c.path(probe).path("httpGet");
            assertTrue(get.path("path").asText().startsWith("/q/health/"), probe + ": " + get);
            assertEquals("HTTPS", get.path("scheme").asText(), probe);
            assertEquals("operator", get.path("port").asText(), probe);
        }
        assertEquals("/q/health/ready", c.path("readinessProbe").path("httpGet").path("path").asText());
        assertEquals("/q/health/live", c.path("livenessProbe").path("httpGet").path("path").asText());
        for (String kind : List.of("requests", "limits")) {
            for (String resource : List.of("cpu", "memory")) {
                assertFalse(c.path("resources").path(kind).path(resource).asText().isEmpty(), kind + "." + resource);
            }
        }
    }

    @Test
    void aDisruptionBudgetKeepsReplicasOfTheConsole() {
        JsonNode pdb = one("PodDisruptionBudget", "sensorfleet-console");
        assertEquals(console().path("spec").path("selector"), pdb.path("spec").path("selector"));
        assertTrue(pdb.path("spec").has("maxUnavailable") || pdb.path("spec").has("minAvailable"), pdb.toString());
    }

    @Test
    void theMasterKeyAndDatabaseCredentialsComeFromSecrets() {
        for (JsonNode c : List.of(container(), backupJobContainer())) {
            Map<String, JsonNode> env = env(c);
            for (String name : List.of("SENSORFLEET_CONSOLE_MASTER_KEY", "QUARKUS_DATASOURCE_JDBC_URL",
                    "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD")) {
                assertNotNull(env.get(name), name + " in " + c.path("name").asText());
                assertFalse(env.get(name).has("value"), name + " must not be written into the manifest");
                assertFalse(env.get(name).path("valueFrom").path("secretKeyRef").path("name").asText().isEmpty(), name);
            }
        }
        assertTrue(DOCS.stream().noneMatch(d -> d.path("kind").asText().equals("Secret")),
                "no Secret with placeholder values in the manifest: the README creates them");
    }

    @Test
    void backupAndPackageStorageAreOneSharedReadWriteManyVolumeAndVendorKeysAConfigMap() {
        JsonNode pvc = one("PersistentVolumeClaim", "sensorfleet-storage");
        assertEquals("[\"ReadWriteMany\"]", pvc.path("spec").path("accessModes").toString());
        JsonNode pod = console().path("spec").path("template").path("spec");
        Map<String, JsonNode> volumes = new HashMap<>();
        pod.path("volumes").forEach(v -> volumes.put(v.path("name").asText(), v));
        Map<String, String> mounts = new HashMap<>();
        container().path("volumeMounts").forEach(m -> mounts.put(m.path("mountPath").asText(), m.path("name").asText()));
        Map<String, JsonNode> env = env(container());

        for (String dir : List.of("SENSORFLEET_BACKUPS_STORAGE_DIR", "SENSORFLEET_UPDATES_STORAGE_DIR")) {
            JsonNode volume = volumes.get(mounts.get(mountOf(env.get(dir).path("value").asText(), mounts)));
            assertEquals("sensorfleet-storage", volume.path("persistentVolumeClaim").path("claimName").asText(), dir);
            assertTrue(env.get(dir).path("value").asText().matches("[/a-zA-Z0-9_]+"), dir + " passes the console's path check");
        }
        String keys = env.get("SENSORFLEET_UPDATES_TRUSTED_KEYS").path("value").asText();
        JsonNode keyVolume = volumes.get(mounts.get(mountOf(keys, mounts)));
        assertEquals("sensorfleet-vendor-keys", keyVolume.path("configMap").path("name").asText());
    }

    @Test
    void theAgentPlaneIsPlainTcpAndTheOpenFilesLimitIsRaised() {
        JsonNode agents = one("Service", "sensorfleet-agents");
        JsonNode port = agents.path("spec").path("ports").get(0);
        assertEquals("agent", port.path("targetPort").asText());
        assertEquals("TCP", port.path("protocol").asText("TCP"));
        assertEquals("LoadBalancer", agents.path("spec").path("type").asText());
        assertTrue(DOCS.stream().noneMatch(d -> d.path("kind").asText().equals("Ingress")),
                "an Ingress terminates HTTP: agents' mutual TLS must pass through");
        assertTrue(agents.path("metadata").path("annotations").toString().toLowerCase().indexOf("http") < 0,
                "no annotation that turns the load balancer into an HTTP proxy");
        String start = container().path("command").toString() + container().path("args").toString();
        assertTrue(start.contains("ulimit -n 65536"), start);
    }

    @Test
    void theReadmeExplainsEveryValueTheManifestSets() throws IOException {
        // Quoted in the README as in YAML (`cpu: "4"`) or not: the quotes do not matter.
        String readme = Files.readString(DIR.resolve("README.md")).replace("\"", "");
        Set<String> missing = new TreeSet<>();
        for (JsonNode doc : DOCS) {
            collect(doc, missing, readme);
        }
        assertEquals(Set.of(), missing, "values in sensorfleet-console.yaml that deploy/kubernetes/README.md does not mention");
    }

    /** Names, env variables, Secret and ConfigMap keys, quantities and paths: each must appear in the README. */
    private static void collect(JsonNode node, Set<String> missing, String readme) {
        node.fields().forEachRemaining(f -> {
            JsonNode v = f.getValue();
            if (v.isValueNode() && List.of("name", "key", "claimName", "mountPath", "path", "cpu", "memory", "storage",
                    "ephemeral-storage", "sizeLimit", "schedule", "replicas", "maxUnavailable", "image").contains(f.getKey())) {
                String text = v.asText();
                if (!readme.contains("`" + text + "`") && !readme.contains(text + "`") && !readme.contains("`" + text)) {
                    missing.add(f.getKey() + "=" + text);
                }
            }
            if (f.getKey().equals("env")) {
                v.forEach(e -> {
                    if (e.has("value") && !readme.contains(e.path("value").asText())) {
                        missing.add(e.path("name").asText() + "=" + e.path("value").asText());
                    }
                });
            }
            if (v.isContainerNode()) {
                collect(v, missing, readme);
            }
        });
        if (node.isArray()) {
            node.forEach(n -> collect(n, missing, readme));
        }
    }

    private static JsonNode backupJobContainer() {
        return one("CronJob", "sensorfleet-console-backup").path("spec").path("jobTemplate").path("spec")
                .path("template").path("spec").path("containers").get(0);
    }

    /** The mount path that holds {@code path}. */
    private static String mountOf(String path, Map<String, String> mounts) {
        return mounts.keySet().stream().filter(m -> path.startsWith(m + "/"))
                .findFirst().orElseThrow(() -> new AssertionError(path + " is on no volume"));
    }

    /** Tests run in console-service/; the repository root is its parent. */
    private static Path repo(String relative) {
        Path p = Path.of("..").resolve(relative);
        return Files.exists(p) ? p : Path.of(relative);
    }
}
