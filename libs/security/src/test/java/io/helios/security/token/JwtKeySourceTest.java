package io.helios.security.token;

import org.junit.jupiter.api.Test;

import java.security.interfaces.RSAPublicKey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JwtKeySourceTest {

    private static final RSAPublicKey KEY = (RSAPublicKey) PemKeys.generateRsa().getPublic();
    private static final String PEM = PemKeys.publicPem(KEY);

    @Test
    void aPublicKeyWinsAndTheIssuerIsStillRequiredOfTokens() {
        JwtKeySource s = JwtKeySource.of("https://idp/realms/h", "https://idp/certs", PEM);
        assertThat(s).isInstanceOf(JwtKeySource.PublicKey.class);
        assertThat(((JwtKeySource.PublicKey) s).key().getModulus()).isEqualTo(KEY.getModulus());
        assertThat(s.issuer()).isEqualTo("https://idp/realms/h");
    }

    @Test
    void thenAJwkSetThenTheIssuersDiscovery() {
        assertThat(JwtKeySource.of(" ", "https://idp/certs", "")).isEqualTo(new JwtKeySource.JwkSet("https://idp/certs", null));
        assertThat(JwtKeySource.of("https://idp/realms/h", null, null)).isEqualTo(new JwtKeySource.Issuer("https://idp/realms/h"));
    }

    @Test
    void nothingSetNamesTheSettings() {
        assertThatThrownBy(() -> JwtKeySource.of("", null, " "))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("HELIOS_JWT_ISSUER_URI").hasMessageContaining("HELIOS_JWT_PUBLIC_KEY");
    }
}
