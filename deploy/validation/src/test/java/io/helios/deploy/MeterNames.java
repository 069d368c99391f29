package io.helios.deploy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Prometheus names of the meters the Helios services register: the meters are found in the
 * services' sources ({@code Timer.builder("...")} and the like, with their histogram options),
 * registered again on a real {@link PrometheusMeterRegistry}, and the names read back from its
 * scrape. So the names are exactly the ones Micrometer's Prometheus registry exposes, without
 * starting the services.
 */
final class MeterNames {

    private static final Pattern BUILDER = Pattern.compile(
            "\\b(Timer|Counter|Gauge|DistributionSummary)\\.builder\\(\\s*\"([^\"]+)\"");

    private MeterNames() {
    }

    /** A meter as declared in a source file. */
    record Declared(String type, String name, boolean histogram, String file) {
    }

    static List<Declared> declaredIn(List<String> sourceRoots) {
        List<Declared> found = new ArrayList<>();
        for (String root : sourceRoots) {
            try (Stream<Path> files = Files.walk(Repo.path(root))) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(f -> found.addAll(declaredIn(f)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return found;
    }

    private static List<Declared> declaredIn(Path file) {
        String src = Repo.read(file);
        List<Declared> found = new ArrayList<>();
        Matcher m = BUILDER.matcher(src);
        while (m.find()) {
            int end = src.indexOf(".register(", m.end());
            String chain = end < 0 ? "" : src.substring(m.end(), end);
            found.add(new Declared(m.group(1), m.group(2), chain.contains("publishPercentileHistogram"),
                    Repo.root().relativize(file).toString()));
        }
        return found;
    }

    /** Every sample name the Prometheus registry exposes for these meters ({@code _total}, {@code _bucket}, ...). */
    static Set<String> prometheusNames(List<Declared> meters) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        for (Declared d : meters) {
            switch (d.type()) {
                case "Timer" -> {
                    Timer.Builder b = Timer.builder(d.name());
                    if (d.histogram()) {
                        b.publishPercentileHistogram();
                    }
                    b.register(registry).record(Duration.ofMillis(1));
                }
                case "Counter" -> Counter.builder(d.name()).register(registry).increment();
                case "Gauge" -> Gauge.builder(d.name(), () -> 1).register(registry);
                case "DistributionSummary" -> DistributionSummary.builder(d.name()).register(registry).record(1);
                default -> throw new IllegalStateException(d.type());
            }
        }
        Set<String> names = new TreeSet<>();
        for (String line : registry.scrape().split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }
}
