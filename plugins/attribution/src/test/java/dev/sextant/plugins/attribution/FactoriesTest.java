package dev.sextant.plugins.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.spi.ComponentContext;
import dev.sextant.spi.ComponentFactory;
import dev.sextant.spi.ComponentKind;
import dev.sextant.spi.ConfigException;
import dev.sextant.spi.Option;
import dev.sextant.spi.testing.TestContext;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pf4j.Extension;

class FactoriesTest {

    private static final List<ComponentFactory<?, ?>> FACTORIES = List.of(new ReagentFactory(),
            new OcclusionFactory(), new RandomFactory());

    private static final ComponentContext NO_COMPONENTS = new TestContext("test", Path.of(""));

    private static ReagentConfig reagent(String replacer, String maskedLm, double ratio, int keep, double keepRatio) {
        return new ReagentConfig(replacer, maskedLm, 16, ratio, keep, keepRatio, 3, 3000, 0, 64);
    }

    @Test
    void everyFactoryIsAnExtensionListedInThePluginIndex() throws IOException {
        List<String> index = new ArrayList<>();
        for (URL url : Collections.list(getClass().getClassLoader().getResources("META-INF/extensions.idx"))) {
            try (InputStream in = url.openStream()) {
                new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                        .filter(l -> !l.isBlank() && !l.startsWith("#")).forEach(index::add);
            }
        }
        for (ComponentFactory<?, ?> factory : FACTORIES) {
            assertThat(factory.getClass().isAnnotationPresent(Extension.class)).isTrue();
            assertThat(index).contains(factory.getClass().getName());
        }
        assertThat(FACTORIES).extracting(ComponentFactory::type).containsExactly("reagent", "occlusion", "random");
        assertThat(FACTORIES).extracting(ComponentFactory::kind).containsOnly(ComponentKind.ATTRIBUTOR);
    }

    @Test
    void everyOptionIsDocumented() {
        for (ComponentFactory<?, ?> factory : FACTORIES) {
            for (RecordComponent component : factory.configType().getRecordComponents()) {
                Option option = component.getAnnotation(Option.class);
                assertThat(option).as(factory.type() + "." + component.getName()).isNotNull();
                assertThat(option.description()).as(component.getName()).endsWith(".");
            }
        }
    }

    @Test
    void reagentOptionsAreCheckedTogether() {
        ReagentFactory factory = new ReagentFactory();
        assertThatThrownBy(() -> factory.create(reagent("bogus", null, 0.3, 5, 0), NO_COMPONENTS))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("replacer"))
                .hasMessageContaining("unknown replacer 'bogus'; choose one of [uniform, model, mlm]");
        assertThatThrownBy(() -> factory.create(reagent("mlm", null, 0.3, 5, 0), NO_COMPONENTS))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("masked-lm"));
        assertThatThrownBy(() -> factory.create(reagent("uniform", "story-mlm", 0.3, 5, 0), NO_COMPONENTS))
                .hasMessageContaining("masked-lm is used only with replacer: mlm");
        assertThatThrownBy(() -> factory.create(reagent("uniform", null, 1.0, 5, 0), NO_COMPONENTS))
                .hasMessageContaining("replacing-ratio must be between 0 and 1");
        assertThatThrownBy(() -> factory.create(reagent("uniform", null, 0.3, 0, 0), NO_COMPONENTS))
                .hasMessageContaining("keep-top-ratio must be > 0");
    }

    @Test
    void keepTopRatioIsUsedWhenKeepTopNIsZero() throws ConfigException {
        ReagentAttributor ratio = (ReagentAttributor) new ReagentFactory().create(reagent("model", null, 0.3, 0, 0.25),
                NO_COMPONENTS);
        assertThat(ratio.keep(10)).isEqualTo(3);
        ReagentAttributor fixed = (ReagentAttributor) new ReagentFactory().create(reagent("uniform", null, 0.3, 5, 0),
                NO_COMPONENTS);
        assertThat(fixed.keep(10)).isEqualTo(5);
    }
}
