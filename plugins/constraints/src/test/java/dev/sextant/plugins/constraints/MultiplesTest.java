package dev.sextant.plugins.constraints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.brics.automaton.Automaton;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultiplesTest {

    /** Whether {@code text} is a multiple of {@code m} with at most as many fraction digits as {@code m} has. */
    private static boolean expected(String text, BigDecimal m) {
        BigDecimal x = new BigDecimal(text);
        int fraction = text.contains(".") ? text.length() - text.indexOf('.') - 1 : 0;
        return fraction <= Math.max(0, m.stripTrailingZeros().scale()) && x.remainder(m).signum() == 0;
    }

    @Test
    void acceptsExactlyTheMultiplesOnRandomDecimals() throws Exception {
        Random random = new Random(7);
        for (String step : new String[] {"0.01", "5", "0.25", "2.5", "3", "0.5", "100", "7e-2"}) {
            BigDecimal m = new BigDecimal(step);
            Automaton a = Multiples.of(Double.valueOf(step), "/multipleOf");
            for (int i = 0; i < 3000; i++) {
                StringBuilder text = new StringBuilder(random.nextInt(4) == 0 ? "-" : "");
                text.append(random.nextInt(2000));
                int fraction = random.nextInt(4);
                if (fraction > 0) {
                    text.append('.');
                    for (int k = 0; k < fraction; k++) {
                        text.append(random.nextInt(10));
                    }
                }
                String t = text.toString();
                assertThat(a.run(t)).as("%s multiple of %s", t, step).isEqualTo(expected(t, m));
            }
        }
    }

    @Test
    void aSchemaWithMultipleOfWritesOnlyItsMultiplesInsideItsBounds() throws Exception {
        Grammar g = JsonSchemaCompiler.compileGrammar(Map.of("type", "number", "minimum", 0, "maximum", 1,
                "multipleOf", 0.25), JsonSchemaCompiler.Whitespace.PYTHON);
        for (String yes : new String[] {"0", "0.25", "0.5", "0.75", "1"}) {
            assertThat(g.matches(yes)).as(yes).isTrue();
        }
        for (String no : new String[] {"0.3", "1.25", "-0.25", "0.125", "2"}) {
            assertThat(g.matches(no)).as(no).isFalse();
        }
        Grammar ints = JsonSchemaCompiler.compileGrammar(Map.of("type", "integer", "minimum", 1, "maximum", 20,
                "multipleOf", 7), JsonSchemaCompiler.Whitespace.PYTHON);
        assertThat(ints.matches("7")).isTrue();
        assertThat(ints.matches("14")).isTrue();
        assertThat(ints.matches("21")).isFalse();
        assertThat(ints.matches("8")).isFalse();
    }

    @Test
    void badValuesAreRefusedWithTheirPointer() {
        for (Object bad : new Object[] {0, -2, "x", true, 123456789}) {
            assertThatThrownBy(() -> JsonSchemaCompiler.compileGrammar(Map.of("properties", Map.of("n",
                    Map.of("type", "integer", "multipleOf", bad))), JsonSchemaCompiler.Whitespace.PYTHON))
                    .isInstanceOf(SchemaException.class)
                    .satisfies(e -> assertThat(((SchemaException) e).pointer()).isEqualTo("/properties/n/multipleOf"));
        }
    }
}
