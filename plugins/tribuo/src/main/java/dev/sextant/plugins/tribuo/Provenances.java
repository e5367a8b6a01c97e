package dev.sextant.plugins.tribuo;

import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tribuo.Model;
import org.tribuo.Tribuo;

/** Builds the provenance of a trained head: plain maps, lists, strings and numbers (JSON-safe). */
final class Provenances {

    private Provenances() {
    }

    /**
     * Where a trained model came from.
     *
     * @param rows counts: {@code data}, {@code train}, {@code held_out}, {@code evaluation}
     */
    static Map<String, Object> training(HeadSpec spec, Model<?> model, Map<String, Integer> rows, double seconds) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("head", spec.name());
        p.put("data", file(spec.data().getFileName().toString(), spec.dataSha256()));
        if (spec.evaluation() != null) {
            p.put("evaluation_data", file(spec.evaluation().getFileName().toString(), spec.evaluationSha256()));
        }
        p.put("rows", new LinkedHashMap<>(rows));
        p.put("settings", jsonSafe(spec.settings()));
        Map<String, Object> encoder = new LinkedHashMap<>();
        encoder.put("component", spec.config().encoder());
        encoder.put("name", spec.encoder().info().name());
        encoder.put("dimension", spec.encoder().dimension());
        encoder.put("provenance", new TreeMap<>(spec.encoder().info().provenance()));
        p.put("encoder", encoder);
        p.put("cache_key", spec.cacheKey());
        p.put("cache_format", ModelCache.FORMAT);
        p.put("training_seconds", seconds);
        p.put("tribuo_version", Tribuo.VERSION);
        p.put("tribuo_model", jsonSafe(ProvenanceUtil.convertToMap(model.getProvenance())));
        p.put("java_version", System.getProperty("java.version"));
        p.put("java_vendor", System.getProperty("java.vendor"));
        p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        return p;
    }

    private static Map<String, Object> file(String name, String sha256) {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("file", name);
        file.put("sha256", sha256);
        return file;
    }

    /** A copy made of maps with string keys, lists, strings, numbers and booleans; null becomes "". */
    static Object jsonSafe(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), jsonSafe(v)));
            return out;
        }
        if (value instanceof Collection<?> items) {
            List<Object> out = new ArrayList<>(items.size());
            items.forEach(v -> out.add(jsonSafe(v)));
            return out;
        }
        if (value instanceof Number || value instanceof Boolean || value instanceof String) {
            return value;
        }
        return value.toString();
    }
}
