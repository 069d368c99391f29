package io.helios.service.web;

import java.util.Map;

/**
 * What differs between the services' APIs, supplied by each service as a bean: the OpenAPI document's
 * title and description, the descriptions of the problem answers it declares beyond the common ones
 * (400, 401, 403, 404), and how the 500 problem detail names its log.
 *
 * @param title               the OpenAPI {@code info.title}
 * @param description         the OpenAPI {@code info.description}
 * @param problemDescriptions description of each service-specific problem status (409, 422, ...); may also
 *                            replace a common one
 * @param logName             the log an unexpected failure's problem detail points to ("see the &lt;logName&gt; log")
 */
public record ServiceApi(String title, String description, Map<Integer, String> problemDescriptions, String logName) {

    public ServiceApi {
        problemDescriptions = Map.copyOf(problemDescriptions);
    }
}
