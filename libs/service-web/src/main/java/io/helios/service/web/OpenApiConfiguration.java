package io.helios.service.web;

import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.ProblemDetail;

import java.util.List;
import java.util.Map;

/**
 * OpenAPI description of a service (its {@link ServiceApi}): API info, the {@code ProblemDetail} schema, and
 * the error answers each operation declares with {@link ProblemResponses}.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    private static final Map<Integer, String> COMMON = Map.of(
            400, "Invalid input: the problem detail names the field and what is wrong with it",
            401, "No bearer token, or one that is expired, malformed or not signed by a trusted key",
            403, "The token's roles or tenant restriction do not allow this operation (the detail names what is missing)",
            404, "Unknown id in the path, or an id in the body that names nothing");

    /** The name of the bearer-token security scheme every operation requires. */
    static final String BEARER = "bearerAuth";

    @Bean
    OpenAPI heliosOpenApi(ServiceApi api) {
        Components components = new Components().addSecuritySchemes(BEARER, new SecurityScheme()
                .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")
                .description("An OAuth2 access token (JWT) for the configured audience, with an expiry, roles viewer, "
                        + "operator or admin (in the configured roles claim, roles by default) and an optional tenants "
                        + "claim; locally: ./helios token --role admin"));
        ModelConverters.getInstance().read(ProblemDetail.class).forEach(components::addSchemas);
        // a relative server: the document is the same wherever it is served from (directly, or through the
        // gateway), so the committed copy under docs/openapi/ can be compared with the live one
        return new OpenAPI().components(components)
                .servers(List.of(new Server().url("/").description("the host that serves this document")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER))
                .info(new Info()
                .title(api.title())
                .version("v1")
                .description(api.description()));
    }

    @Bean
    OperationCustomizer problemResponses(ServiceApi api) {
        Map<Integer, String> descriptions = new java.util.HashMap<>(COMMON);
        descriptions.putAll(api.problemDescriptions());
        return (operation, handlerMethod) -> {
            // stable, readable operation ids (the generated client's method names): method + resource,
            // e.g. listTenant, startReplication; springdoc's defaults (get_1, list_2) depend on scan order
            String resource = handlerMethod.getBeanType().getSimpleName().replace("Controller", "");
            operation.setOperationId(handlerMethod.getMethod().getName() + resource);
            ProblemResponses declared = handlerMethod.getMethodAnnotation(ProblemResponses.class);
            java.util.SortedSet<Integer> codes = new java.util.TreeSet<>(List.of(401, 403));
            if (declared != null) {
                for (int code : declared.value()) {
                    codes.add(code);
                }
            }
            for (int code : codes) {
                Schema<?> schema = new Schema<>().$ref("#/components/schemas/ProblemDetail");
                ApiResponse response = new ApiResponse()
                        .description(descriptions.getOrDefault(code, "Problem"))
                        .content(new Content().addMediaType("application/problem+json", new MediaType().schema(schema)));
                operation.getResponses().addApiResponse(String.valueOf(code), response);
            }
            return operation;
        };
    }
}
