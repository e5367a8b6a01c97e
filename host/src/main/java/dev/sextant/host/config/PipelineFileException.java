package dev.sextant.host.config;

import dev.sextant.spi.ConfigException;
import java.util.List;
import java.util.stream.Collectors;

/** A pipeline file is invalid; carries every problem found, in file order. */
public class PipelineFileException extends ConfigException {

    private final List<Problem> problems;

    public PipelineFileException(List<Problem> problems) {
        super(problems.stream().map(Problem::format).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
