package dev.sextant.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SchemaCorpusMasksTest {

    @Test
    void refusalsForTheSameReasonCountTogether() {
        assertThat(SchemaCorpusMasks.reason("at /properties/tags/uniqueItems in /x/y/real-a.json: keyword 'uniqueItems'"
                + " is not supported")).isEqualTo("keyword 'uniqueItems' is not supported");
        assertThat(SchemaCorpusMasks.reason("at /$defs/node/properties/next/$ref in /x/recursive-b.json: recursive"
                + " reference #/$defs/node is not supported yet (it needs the grammar engine)"))
                .isEqualTo("recursive reference #/... is not supported yet");
        assertThat(SchemaCorpusMasks.reason("no JSON document satisfies this schema in /x/real-c.json"))
                .isEqualTo("no JSON document satisfies this schema");
        assertThat(SchemaCorpusMasks.reason("at the root in /x/any-d.json: a schema that allows any value here needs"
                + " the grammar engine (JSON values nest without bound); give this place a type"))
                .isEqualTo("a schema that allows any value here needs");
    }
}
