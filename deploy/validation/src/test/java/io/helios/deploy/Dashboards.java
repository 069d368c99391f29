package io.helios.deploy;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the metric names out of a Grafana dashboard's PromQL expressions, and checks them. */
final class Dashboards {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "bool", "and", "or", "unless", "offset");

    private Dashboards() {
    }

    /** Every PromQL expression of the dashboard: panel targets and query variables. */
    static List<String> expressions(JsonNode dashboard) {
        List<String> exprs = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panel.path("targets").forEach(t -> exprs.add(t.path("expr").asString()));
            panel.path("panels").forEach(p -> p.path("targets").forEach(t -> exprs.add(t.path("expr").asString())));
        }
        for (JsonNode v : dashboard.path("templating").path("list")) {
            String q = v.path("query").isObject() ? v.path("query").path("query").asString() : v.path("query").asString();
            Matcher m = Pattern.compile("label_values\\((\\w+)").matcher(q);
            if (m.find()) {
                exprs.add(m.group(1));
            }
        }
        return exprs;
    }

    /** Metric names an expression selects: identifiers that are no function, keyword, label or duration. */
    static Set<String> metrics(String expr) {
        String e = expr.replaceAll("\"(\\\\.|[^\"])*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(e);
        while (m.find()) {
            String id = m.group();
            boolean function = e.substring(m.end()).stripLeading().startsWith("(");
            boolean number = m.start() > 0 && Character.isDigit(e.charAt(m.start() - 1));
            if (!function && !number && !KEYWORDS.contains(id)) {
                names.add(id);
            }
        }
        return names;
    }

    /** Metrics the dashboard queries that no service exposes. */
    static List<String> unknownMetrics(JsonNode dashboard, Set<String> exposed) {
        List<String> problems = new ArrayList<>();
        for (String expr : expressions(dashboard)) {
            for (String metric : metrics(expr)) {
                if (!exposed.contains(metric)) {
                    problems.add(metric + " (in " + expr + ") is not exposed by any Helios service");
                }
            }
        }
        return problems;
    }
}
