package io.helios.deploy;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Compose specification's variable interpolation, evaluated against a given environment (a
 * {@code .env}), so a test can ask what {@code docker compose} would do without a Docker engine:
 * {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-default}}, {@code ${VAR-default}}, {@code ${VAR:?error}},
 * {@code ${VAR?error}}, {@code ${VAR:+replacement}}, {@code ${VAR+replacement}}, nesting inside
 * the operand, and {@code $$}. Like Compose, it interpolates every string value of the parsed
 * document (extension fields included), never keys or comments, and evaluates an operand only
 * when it is used. Stateless and thread-safe.
 */
final class ComposeInterpolation {

    /** What {@code ${NAME:?message}} raises when NAME is unset or empty. */
    static final class MissingValue extends RuntimeException {
        MissingValue(String name, String message) {
            super("required variable " + name + " is missing a value: " + message);
        }
    }

    private ComposeInterpolation() {
    }

    /** The document with every string value interpolated; the first missing required value throws. */
    static JsonNode interpolate(JsonNode node, Map<String, String> env) {
        if (node.isString()) {
            return JsonNodeFactory.instance.stringNode(interpolate(node.asString(), env));
        }
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            node.properties().forEach(e -> copy.set(e.getKey(), interpolate(e.getValue(), env)));
            return copy;
        }
        if (node.isArray()) {
            var copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(n -> copy.add(interpolate(n, env)));
            return copy;
        }
        return node;
    }

    /** Every missing required value in the document, as Compose reports them; empty when it would start. */
    static List<String> missing(JsonNode node, Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        if (node.isString()) {
            try {
                interpolate(node.asString(), env);
            } catch (MissingValue e) {
                problems.add(e.getMessage());
            }
        }
        node.forEach(child -> problems.addAll(missing(child, env)));
        return problems;
    }

    static String interpolate(String text, Map<String, String> env) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '$' || i + 1 == text.length()) {
                out.append(c);
                i++;
            } else if (text.charAt(i + 1) == '$') {
                out.append('$');
                i += 2;
            } else if (text.charAt(i + 1) == '{') {
                int end = closingBrace(text, i + 2);
                out.append(braced(text.substring(i + 2, end), env));
                i = end + 1;
            } else {
                int end = nameEnd(text, i + 1);
                out.append(end == i + 1 ? "$" : env.getOrDefault(text.substring(i + 1, end), ""));
                i = Math.max(end, i + 1);
            }
        }
        return out.toString();
    }

    /** {@code NAME}, or {@code NAME} followed by an operator and its operand. */
    private static String braced(String expression, Map<String, String> env) {
        int end = nameEnd(expression, 0);
        if (end == 0) {
            throw new IllegalArgumentException("invalid interpolation format: ${" + expression + "}");
        }
        String name = expression.substring(0, end);
        String rest = expression.substring(end);
        boolean set = env.containsKey(name);
        String value = env.getOrDefault(name, "");
        boolean colon = rest.startsWith(":");
        String op = colon ? rest.substring(1, Math.min(2, rest.length())) : rest.isEmpty() ? "" : rest.substring(0, 1);
        String operand = rest.substring(Math.min(rest.length(), (colon ? 1 : 0) + op.length()));
        boolean present = colon ? !value.isEmpty() : set;
        return switch (op) {
            case "" -> value;
            case "-" -> present ? value : interpolate(operand, env);
            case "+" -> present ? interpolate(operand, env) : "";
            case "?" -> {
                if (!present) {
                    throw new MissingValue(name, interpolate(operand, env));
                }
                yield value;
            }
            default -> throw new IllegalArgumentException("invalid interpolation format: ${" + expression + "}");
        };
    }

    private static int closingBrace(String text, int from) {
        int depth = 0;
        for (int i = from; i < text.length(); i++) {
            if (text.startsWith("${", i)) {
                depth++;
                i++;
            } else if (text.charAt(i) == '}' && depth-- == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("unterminated ${ in " + text);
    }

    private static int nameEnd(String text, int from) {
        int i = from;
        while (i < text.length() && (Character.isLetter(text.charAt(i)) && text.charAt(i) < 128
                || text.charAt(i) == '_' || i > from && Character.isDigit(text.charAt(i)))) {
            i++;
        }
        return i;
    }
}
