import no.nav.security.mock.oauth2.MockOAuth2Server;

import java.net.InetAddress;

/** An OIDC provider on 127.0.0.1:PORT for the benchmarks: mock-oauth2-server, each path its own issuer. */
public class MockIdp {

    public static void main(String[] args) throws Exception {
        MockOAuth2Server server = new MockOAuth2Server();
        server.start(InetAddress.getByName("127.0.0.1"), Integer.parseInt(args[0]));
        Thread.currentThread().join();
    }
}
