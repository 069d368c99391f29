package io.helios.controlplane.web;

import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.ProblemDetail;

import java.util.Map;

/**
 * OpenAPI description of the control plane: API info, the {@code ProblemDetail} schema, and
 * the error answers each operation declares with {@link ProblemResponses}.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    private static final Map<Integer, String> DESCRIPTIONS = Map.of(
            400, "Invalid input: the problem detail names the field and what is wrong with it",
            404, "Unknown id in the path, or an id in the body that names nothing",
            409, "Illegal lifecycle transition, duplicate name, or object still referenced",
            422, "The endpoint cannot be reached or used (connect with a bounded timeout and SELECT 1 failed)",
            503, "A database the operation must reach did not answer; the operation can be retried");

    @Bean
    OpenAPI heliosOpenApi() {
        Components components = new Components();
        ModelConverters.getInstance().read(ProblemDetail.class).forEach(components::addSchemas);
        return new OpenAPI().components(components).info(new Info()
                .title("Helios control plane API")
                .version("v1")
                .description("Endpoints, tenants, QoS policies, replications and their lifecycle, tenant routing, "
                        + "preflight checks and the worker lease protocol. Errors are RFC 9457 problem details."));
    }

    @Bean
    OperationCustomizer problemResponses() {
        return (operation, handlerMethod) -> {
            ProblemResponses declared = handlerMethod.getMethodAnnotation(ProblemResponses.class);
            if (declared == null) {
                return operation;
            }
            for (int code : declared.value()) {
                Schema<?> schema = new Schema<>().$ref("#/components/schemas/ProblemDetail");
                ApiResponse response = new ApiResponse()
                        .description(DESCRIPTIONS.getOrDefault(code, "Problem"))
                        .content(new Content().addMediaType("application/problem+json", new MediaType().schema(schema)));
                operation.getResponses().addApiResponse(String.valueOf(code), response);
            }
            return operation;
        };
    }
}
