package io.helios.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks of the service images' Dockerfiles: multi-stage Maven wrapper build, the jar the module's
 * POM repackages, JRE runtime, non-root, health.
 */
final class Dockerfiles {

    private static final Pattern FROM = Pattern.compile("(?m)^FROM\\s+(\\S+)");
    private static final Pattern USER = Pattern.compile("(?m)^USER\\s+(\\S+)");
    private static final Pattern MODULE = Pattern.compile("\\./mvnw[^\\n]*-pl\\s+(\\S+)");
    private static final Pattern EXPOSE = Pattern.compile("(?m)^EXPOSE\\s+(\\d+)");
    private static final Pattern CLASSIFIER = Pattern.compile(
            "<goal>repackage</goal>(?:(?!</execution>)[\\s\\S])*?<classifier>([^<]+)</classifier>");

    private Dockerfiles() {
    }

    static List<String> problems(String file, String text, String module) {
        List<String> problems = new ArrayList<>();
        List<String> stages = all(FROM, text);
        if (stages.size() < 2) {
            problems.add(file + " is not a multi-stage build");
        } else if (!stages.get(stages.size() - 1).contains("jre")) {
            problems.add(file + " runs on " + stages.get(stages.size() - 1) + ", not a JRE image");
        }
        List<String> modules = all(MODULE, text);
        if (!modules.equals(List.of(module))) {
            problems.add(file + " should build module " + module + " with ./mvnw -pl, builds " + modules);
        }
        List<String> users = all(USER, text);
        String user = users.isEmpty() ? "root" : users.get(users.size() - 1).split(":")[0];
        if (user.equals("root") || user.equals("0") || !user.matches("\\d+")) {
            problems.add(file + " runs as " + user + "; use a numeric non-root USER (runAsNonRoot needs a number)");
        }
        if (!text.contains("\nHEALTHCHECK ")) {
            problems.add(file + " has no HEALTHCHECK");
        }
        String jar = executableJar(module);
        if (!text.contains(jar)) {
            problems.add(file + " does not take " + jar + ", the executable jar " + module + "/pom.xml repackages");
        }
        return problems;
    }

    /** The glob of the jar Spring Boot's repackage goal writes for a module (its classifier, if any). */
    static String executableJar(String module) {
        Matcher m = CLASSIFIER.matcher(Repo.read(module + "/pom.xml"));
        return module + "/target/*" + (m.find() ? "-" + m.group(1).strip() : "") + ".jar";
    }

    /** The port the image's service listens on. */
    static int exposedPort(String text) {
        List<String> ports = all(EXPOSE, text);
        if (ports.size() != 1) {
            throw new IllegalArgumentException("expected one EXPOSE, found " + ports);
        }
        return Integer.parseInt(ports.get(0));
    }

    private static List<String> all(Pattern p, String text) {
        List<String> found = new ArrayList<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
