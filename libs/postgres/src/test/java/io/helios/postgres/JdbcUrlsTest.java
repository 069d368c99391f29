package io.helios.postgres;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** URLs read as the driver reads them; a connection is never attempted with a refused one. */
class JdbcUrlsTest {

    @Test
    void parsesTheAddressAndNamesRefusedParameters() {
        JdbcUrls.Parsed p = JdbcUrls.parse("jdbc:postgresql://DB.example/orders?sslmode=require&socketFactory=x.Y"
                + "&password=secret").orElseThrow();
        assertThat(p.address()).isEqualTo("db.example:5432/orders");
        assertThat(p.singleHost()).isTrue();
        assertThat(p.refused()).containsExactlyInAnyOrder("socketFactory", "password");
        assertThat(JdbcUrls.parse("jdbc:postgresql://a,b/orders").orElseThrow().singleHost()).isFalse();
        assertThat(JdbcUrls.parse("jdbc:mysql://a/orders")).isEmpty();
    }

    @Test
    void anEndpointWithARefusedParameterIsNotOpened() {
        // port 1: were the URL not refused first, the driver would fail differently (connection refused)
        PgEndpoint e = new PgEndpoint("jdbc:postgresql://127.0.0.1:1/x?socketFactory=org.example.Evil", "u", "p");
        assertThatThrownBy(e::open).isInstanceOfSatisfying(SQLException.class, x -> {
            assertThat(x.getSQLState()).isEqualTo(JdbcUrls.REFUSED_STATE);
            assertThat(x.getMessage()).contains("socketFactory").doesNotContain("Evil");
        });
        assertThatThrownBy(e::openReplication).isInstanceOf(SQLException.class).hasMessageContaining("socketFactory");
        assertThatThrownBy(new PgEndpoint("jdbc:postgresql://a:1,b:1/x", "u", "p")::open)
                .hasMessageContaining("more than one host");
    }
}
