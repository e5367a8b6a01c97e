package dev.sextant.plugins.onnx;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.sextant.spi.ModelException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/** Reads keys of a JSON object file ({@code config.json}, {@code generation_config.json}) with messages naming the file. */
final class ConfigJson {

    private final Path file;
    private final JsonObject root;

    private ConfigJson(Path file, JsonObject root) {
        this.file = file;
        this.root = root;
    }

    /** Reads a file that must exist. */
    static ConfigJson read(Path file) throws ModelException {
        if (!Files.isRegularFile(file)) {
            throw new ModelException("model folder " + file.getParent() + " has no " + file.getFileName()
                    + " (a Hugging Face export writes it next to the ONNX file)");
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            JsonElement element = JsonParser.parseReader(reader);
            if (!element.isJsonObject()) {
                throw new ModelException(file + " is not a JSON object");
            }
            return new ConfigJson(file, element.getAsJsonObject());
        } catch (IOException | JsonParseException e) {
            throw new ModelException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a file if it exists, else an empty object. */
    static ConfigJson readOptional(Path file) throws ModelException {
        return Files.exists(file) ? read(file) : new ConfigJson(file, new JsonObject());
    }

    Path file() {
        return file;
    }

    JsonObject root() {
        return root;
    }

    boolean has(String key) {
        JsonElement e = root.get(key);
        return e != null && !e.isJsonNull();
    }

    /** The first of {@code keys} present, as an int; an error naming all of them if none is. */
    int requireInt(String... keys) throws ModelException {
        return requireIntFor("needed to shape the KV cache and logits", keys);
    }

    /**
     * The first of {@code keys} present, as an int; an error naming all of them, and saying what the
     * value is {@code neededFor}, if none is.
     */
    int requireIntFor(String neededFor, String... keys) throws ModelException {
        Integer value = optInt(keys);
        if (value == null) {
            throw new ModelException(file + " lacks " + (keys.length == 1 ? "the key " : "all of the keys ")
                    + String.join(", ", keys) + " (" + neededFor + ")");
        }
        return value;
    }

    /** The first of {@code keys} present, as an int, or null. */
    Integer optInt(String... keys) throws ModelException {
        for (String key : keys) {
            if (has(key)) {
                JsonElement e = root.get(key);
                try {
                    return e.getAsInt();
                } catch (RuntimeException ex) {
                    throw new ModelException(file + ": key " + key + " should be an integer, was " + e);
                }
            }
        }
        return null;
    }

    /** A token id key that may hold one id or a list of ids; empty if absent. */
    Set<Integer> intSet(String key) throws ModelException {
        Set<Integer> ids = new LinkedHashSet<>();
        if (!has(key)) {
            return ids;
        }
        JsonElement e = root.get(key);
        try {
            if (e.isJsonArray()) {
                JsonArray array = e.getAsJsonArray();
                for (JsonElement item : array) {
                    ids.add(item.getAsInt());
                }
            } else {
                ids.add(e.getAsInt());
            }
        } catch (RuntimeException ex) {
            throw new ModelException(file + ": key " + key + " should be an id or a list of ids, was " + e);
        }
        return ids;
    }

    /** A boolean key; false if absent or not a boolean. */
    boolean flag(String key) {
        return has(key) && root.get(key).isJsonPrimitive() && root.get(key).getAsJsonPrimitive().isBoolean()
                && root.get(key).getAsBoolean();
    }

    String optString(String key) {
        return has(key) && root.get(key).isJsonPrimitive() ? root.get(key).getAsString() : null;
    }
}
