package io.helios.security.client;

import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.http.converter.FormHttpMessageConverter;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.ClientCredentialsOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.InMemoryOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.endpoint.RestClientClientCredentialsTokenResponseClient;
import org.springframework.security.oauth2.client.http.OAuth2ErrorResponseErrorHandler;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.security.oauth2.core.http.converter.OAuth2AccessTokenResponseHttpMessageConverter;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.RestClient;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;

/**
 * Access tokens from an OAuth2 client-credentials grant, through Spring Security's OAuth2 client
 * ({@code spring-boot-starter-oauth2-client}): an {@link AuthorizedClientServiceOAuth2AuthorizedClientManager}
 * with one client registration built from {@link Settings}, which keeps the token it obtained and asks
 * for a new one when it expires within the provider's clock skew (60 s) or after the receiving service
 * refused it ({@link #rejected}). The client authenticates with HTTP Basic ({@code client_secret_basic},
 * what Keycloak and most providers accept); an {@code audience} parameter is added when configured
 * (providers such as Auth0 need it). Token requests time out after 10 s. Thread-safe.
 */
public final class ClientCredentialsTokenSource implements BearerTokenSource {

    private static final String REGISTRATION = "helios";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Error codes of RFC 6749 section 5.2 that no retry cures: the client or its grant is misconfigured. */
    private static final Set<String> PERMANENT = Set.of("invalid_client", "unauthorized_client", "invalid_grant",
            "invalid_scope", "unsupported_grant_type", "invalid_request");

    private final Settings settings;
    private final InMemoryOAuth2AuthorizedClientService clients;
    private final AuthorizedClientServiceOAuth2AuthorizedClientManager manager;

    /**
     * @param tokenUri     the provider's token endpoint
     * @param clientId     the client (for a worker: its own client, one per worker)
     * @param clientSecret the client's secret
     * @param scope        scopes to ask for, space or comma separated; empty for none
     * @param audience     an {@code audience} parameter for the token request; empty for none
     */
    public record Settings(String tokenUri, String clientId, String clientSecret, String scope, String audience) {

        @Override
        public String toString() {
            return "Settings[tokenUri=" + tokenUri + ", clientId=" + clientId + ", clientSecret=***, scope=" + scope
                    + ", audience=" + audience + "]";
        }
    }

    public ClientCredentialsTokenSource(Settings settings, Clock clock) {
        require(settings.tokenUri(), "token-uri");
        require(settings.clientId(), "client-id");
        require(settings.clientSecret(), "client-secret");
        this.settings = settings;
        ClientRegistration.Builder registration = ClientRegistration.withRegistrationId(REGISTRATION)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .clientId(settings.clientId())
                .clientSecret(settings.clientSecret())
                .tokenUri(settings.tokenUri());
        if (present(settings.scope())) {
            registration.scope(Arrays.stream(settings.scope().split("[,\\s]+")).filter(s -> !s.isBlank()).toList());
        }
        InMemoryClientRegistrationRepository registrations = new InMemoryClientRegistrationRepository(registration.build());
        this.clients = new InMemoryOAuth2AuthorizedClientService(registrations);
        ClientCredentialsOAuth2AuthorizedClientProvider provider = new ClientCredentialsOAuth2AuthorizedClientProvider();
        provider.setAccessTokenResponseClient(responseClient(settings.audience()));
        provider.setClock(clock);
        this.manager = new AuthorizedClientServiceOAuth2AuthorizedClientManager(registrations, clients);
        manager.setAuthorizedClientProvider(provider);
    }

    private static RestClientClientCredentialsTokenResponseClient responseClient(String audience) {
        // the JDK client: HttpURLConnection hides the body of a 401 (the provider's invalid_client answer)
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(
                HttpClient.newBuilder().connectTimeout(TIMEOUT).version(HttpClient.Version.HTTP_1_1).build());
        requests.setReadTimeout(TIMEOUT);
        RestClient http = RestClient.builder()
                .requestFactory(requests)
                .messageConverters(converters -> {
                    converters.clear();
                    converters.add(new FormHttpMessageConverter());
                    converters.add(new OAuth2AccessTokenResponseHttpMessageConverter());
                })
                .defaultStatusHandler(new OAuth2ErrorResponseErrorHandler())
                .build();
        RestClientClientCredentialsTokenResponseClient client = new RestClientClientCredentialsTokenResponseClient();
        client.setRestClient(http);
        if (present(audience)) {
            client.addParametersConverter(request -> {
                MultiValueMap<String, String> parameters = new LinkedMultiValueMap<>();
                parameters.add("audience", audience);
                return parameters;
            });
        }
        return client;
    }

    @Override
    public String token() {
        OAuth2AuthorizeRequest request = OAuth2AuthorizeRequest.withClientRegistrationId(REGISTRATION)
                .principal(settings.clientId()).build();
        OAuth2AuthorizedClient client;
        try {
            client = manager.authorize(request);
        } catch (OAuth2AuthorizationException e) {
            String code = e.getError().getErrorCode();
            throw new CredentialException(describe() + " gave no token: " + code
                    + (e.getError().getDescription() == null ? "" : " (" + e.getError().getDescription() + ")"),
                    PERMANENT.contains(code) || refusedByStatus(e), e);
        } catch (RuntimeException e) {
            throw new CredentialException(describe() + " gave no token: " + e.getClass().getSimpleName(), false, e);
        }
        if (client == null) {
            throw new CredentialException(describe() + " gave no token", false, null);
        }
        return client.getAccessToken().getTokenValue();
    }

    @Override
    public void rejected(String token) {
        OAuth2AuthorizedClient held = clients.loadAuthorizedClient(REGISTRATION, settings.clientId());
        if (held != null && held.getAccessToken().getTokenValue().equals(token)) {
            clients.removeAuthorizedClient(REGISTRATION, settings.clientId());
        }
    }

    @Override
    public String describe() {
        return "the client-credentials grant of client '" + settings.clientId() + "' at " + settings.tokenUri();
    }

    @Override
    public String toString() {
        return "ClientCredentialsTokenSource[" + settings + "]";
    }

    /** A 400 or 401 from the token endpoint without an error code the client could read: the client is refused. */
    private static boolean refusedByStatus(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpClientErrorException h && (h.getStatusCode().value() == 400 || h.getStatusCode().value() == 401)) {
                return true;
            }
        }
        return false;
    }

    private static void require(String value, String name) {
        if (!present(value)) {
            throw new CredentialException("the client-credentials grant needs " + name, true, null);
        }
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
