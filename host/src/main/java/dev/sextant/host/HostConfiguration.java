package dev.sextant.host;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The engine and the loaded pipelines as beans, shared by the REST API and the shell. */
@Configuration(proxyBeanMethods = false)
class HostConfiguration {

    @Bean(destroyMethod = "close")
    SextantEngine sextantEngine(SextantProperties properties) {
        return SextantEngine.start(properties.pluginsDir(), properties.settingsMap());
    }

    @Bean(destroyMethod = "close")
    LoadedPipelines loadedPipelines(SextantEngine engine, SextantProperties properties) {
        return new LoadedPipelines(engine, properties.pipelines());
    }
}
