package dev.sextant.plugins.tribuo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.spi.ComponentKind;
import dev.sextant.spi.Option;
import dev.sextant.spi.head.HeadTask;
import dev.sextant.spi.testing.TestContext;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FactoryTest {

    @TempDir
    Path dir;

    private static String kebab(String camel) {
        return camel.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
    }

    private static Map<String, Option> options() {
        Map<String, Option> options = new LinkedHashMap<>();
        for (RecordComponent component : TribuoHeadConfig.class.getRecordComponents()) {
            options.put(kebab(component.getName()), component.getAnnotation(Option.class));
        }
        return options;
    }

    @Test
    void theFactoryDescribesItself() {
        TribuoHeadFactory factory = new TribuoHeadFactory();
        assertThat(factory.type()).isEqualTo("tribuo");
        assertThat(factory.kind()).isEqualTo(ComponentKind.HEAD);
        assertThat(factory.configType()).isEqualTo(TribuoHeadConfig.class);
        assertThat(factory.description()).isNotBlank();
    }

    @Test
    void everyOptionIsDocumentedAndTheTestDefaultsAreTheDocumentedOnes() {
        Map<String, Option> options = options();
        assertThat(options.keySet()).containsExactly("encoder", "task", "trainer", "data", "text-column",
                "label-column", "held-out", "evaluation-data", "seed", "runtime", "epochs", "learning-rate", "l2",
                "cost", "trees", "max-depth", "threshold", "label-separator");
        options.forEach((name, option) -> {
            assertThat(option).as(name).isNotNull();
            assertThat(option.description()).as(name).isNotBlank().endsWith(".");
        });
        assertThat(options.get("encoder").reference()).isEqualTo(ComponentKind.MODEL);
        assertThat(options.get("encoder").required()).isTrue();
        assertThat(options.get("task").required()).isTrue();
        assertThat(options.get("data").required()).isTrue();

        Map<String, String> defaults = new LinkedHashMap<>();
        options.forEach((name, option) -> {
            if (!Option.NO_DEFAULT.equals(option.defaultValue())) {
                defaults.put(name, option.defaultValue());
            }
        });
        HeadConfig test = new HeadConfig();
        assertThat(defaults).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("text-column", test.textColumn), Map.entry("label-column", "label"),
                Map.entry("held-out", Double.toString(test.heldOut)), Map.entry("seed", Long.toString(test.seed)),
                Map.entry("runtime", test.runtime.yamlName()), Map.entry("epochs", Integer.toString(test.epochs)),
                Map.entry("learning-rate", Double.toString(test.learningRate)), Map.entry("l2", "0"),
                Map.entry("cost", Double.toString(test.cost)), Map.entry("trees", Integer.toString(test.trees)),
                Map.entry("max-depth", Integer.toString(test.maxDepth)),
                Map.entry("label-separator", test.labelSeparator)));
    }

    @Test
    void theReadmeDocumentsEveryOptionAndTheCacheSetting() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        List<String> missing = new ArrayList<>();
        for (String name : options().keySet()) {
            if (!readme.contains("`" + name + "`")) {
                missing.add(name);
            }
        }
        assertThat(missing).isEmpty();
        assertThat(readme).contains(TribuoHeadFactory.CACHE_DIR_SETTING);
        for (HeadTask task : HeadTask.values()) {
            assertThat(readme).contains(task.yamlName());
        }
        for (TrainerKind trainer : TrainerKind.values()) {
            assertThat(readme).contains(trainer.yamlName());
        }
    }

    @Test
    void theCacheFolderSettingExpandsTheHomeFolder() {
        String home = System.getProperty("user.home");
        assertThat(TribuoHeadFactory.cacheDir(cacheAt(dir, "~/heads-cache")))
                .isEqualTo(Path.of(home, "heads-cache"));
        assertThat(TribuoHeadFactory.cacheDir(cacheAt(dir, dir.resolve("c").toString()))).isEqualTo(dir.resolve("c"));
    }

    @Test
    void splitsAreDeterministicAndDisjoint() {
        Split a = Split.of(150, 0.2, 42);
        assertThat(a.heldOut()).hasSize(30);
        assertThat(a.train()).hasSize(120).doesNotContainAnyElementsOf(a.heldOut());
        assertThat(Split.of(150, 0.2, 42)).isEqualTo(a);
        assertThat(Split.of(150, 0.2, 43)).isNotEqualTo(a);
        assertThat(Split.of(3, 0.01, 1).heldOut()).hasSize(1);
        assertThat(Split.of(3, 0.9, 1).train()).hasSize(1);
        assertThat(Split.of(10, 0, 1).heldOut()).isEmpty();
    }

    @Test
    void featureNamesSortInVectorOrder() {
        String[] names = TribuoTasks.featureNames(384);
        assertThat(names[0]).isEqualTo("e0000");
        assertThat(names[383]).isEqualTo("e0383");
        assertThat(names).isSorted();
        String[] wide = TribuoTasks.featureNames(12000);
        assertThat(wide[11999]).isEqualTo("e11999");
        assertThat(wide).isSorted();
        assertThat(TribuoTasks.featureIndex("e0383")).isEqualTo(383);
    }

    private static TestContext cacheAt(Path dir, String cache) {
        return new TestContext("h", dir).withSetting(TribuoHeadFactory.CACHE_DIR_SETTING, cache);
    }
}
