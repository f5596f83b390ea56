package io.gatehouse.token;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each token here is signed by our key and wrong in exactly one way (or not at all). */
class TokenVerifierTest {

    private static final String ISSUER = "https://auth.example.com";
    private static final String AUDIENCE = "gatehouse";
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    private final ECKey key;
    private final TokenVerifier verifier;
    private final java.util.Set<UUID> revoked = new java.util.HashSet<>();

    TokenVerifierTest() throws Exception {
        key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        PublicKey publicKey = key.toECPublicKey();
        PublicKeys keys = kid -> "k1".equals(kid) ? publicKey : null;
        verifier = new TokenVerifier(keys, revoked::contains, ISSUER, AUDIENCE, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private JWTClaimsSet.Builder good() {
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER).audience(AUDIENCE).subject(UUID.randomUUID().toString())
                .issueTime(Date.from(NOW.minusSeconds(60))).expirationTime(Date.from(NOW.plusSeconds(840)))
                .jwtID(UUID.randomUUID().toString())
                .claim("sid", UUID.randomUUID().toString()).claim("org", "acme")
                .claim("org_id", UUID.randomUUID().toString()).claim("roles", List.of("member"))
                .claim("amr", List.of("pwd"));
    }

    private String sign(JWTClaimsSet claims) throws Exception {
        return sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k1").type(JOSEObjectType.JWT).build(), claims);
    }

    private String sign(JWSHeader header, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    private boolean accepts(String token) {
        return verifier.verify(token).isPresent();
    }

    private boolean acceptsClaims(UnaryOperator<JWTClaimsSet.Builder> change) throws Exception {
        return accepts(sign(change.apply(good()).build()));
    }

    @Test
    void goodTokenIsAcceptedWithItsClaims() throws Exception {
        JWTClaimsSet claims = good().build();
        VerifiedToken token = verifier.verify(sign(claims)).orElseThrow();
        assertEquals(claims.getSubject(), token.userId().toString());
        assertEquals("acme", token.orgCode());
        assertEquals(List.of("member"), token.roles());
    }

    @Test
    void expired() throws Exception {
        assertEquals(false, acceptsClaims(b -> b.expirationTime(Date.from(NOW.minusSeconds(31)))));
    }

    @Test
    void expiredWithinTheSkewIsStillAccepted() throws Exception {
        assertTrue(acceptsClaims(b -> b.expirationTime(Date.from(NOW.minusSeconds(10)))));
    }

    @Test
    void notYetValid() throws Exception {
        assertEquals(false, acceptsClaims(b -> b.notBeforeTime(Date.from(NOW.plusSeconds(300)))));
    }

    @Test
    void wrongAudience() throws Exception {
        assertEquals(false, acceptsClaims(b -> b.audience("billing")));
    }

    @Test
    void wrongIssuer() throws Exception {
        assertEquals(false, acceptsClaims(b -> b.issuer("https://evil.example.com")));
    }

    @Test
    void missingExpiry() throws Exception {
        assertEquals(false, acceptsClaims(b -> b.expirationTime(null)));
    }

    @Test
    void unknownKid() throws Exception {
        assertEquals(false, accepts(sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k2").build(), good().build())));
    }

    @Test
    void embeddedJwkHeaderIsIgnored() throws Exception {
        ECKey attacker = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k1").jwk(attacker.toPublicJWK()).build(),
                good().build());
        jwt.sign(new ECDSASigner(attacker));
        assertEquals(false, accepts(jwt.serialize()));
    }

    @Test
    void jkuHeaderIsIgnored() throws Exception {
        ECKey attacker = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k1")
                .jwkURL(java.net.URI.create("http://127.0.0.1:1/jwks.json")).build(), good().build());
        jwt.sign(new ECDSASigner(attacker));
        assertEquals(false, accepts(jwt.serialize()));
    }

    @Test
    void algNone() throws Exception {
        String payload = b64(good().build().toString());
        assertEquals(false, accepts(b64("{\"alg\":\"none\",\"kid\":\"k1\"}") + "." + payload + "."));
    }

    @Test
    void hs256SignedWithOurPublicKey() throws Exception {
        byte[] secret = key.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(), good().build());
        jwt.sign(new MACSigner(secret));
        assertEquals(false, accepts(jwt.serialize()));
    }

    @Test
    void es256SignatureOfZeros() throws Exception {
        // CVE-2022-21449: r = s = 0 verified as valid on unpatched JDKs.
        String[] parts = sign(good().build()).split("\\.");
        String zeros = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[64]);
        assertEquals(false, accepts(parts[0] + "." + parts[1] + "." + zeros));
    }

    @Test
    void revokedSession() throws Exception {
        JWTClaimsSet claims = good().build();
        revoked.add(UUID.fromString(claims.getStringClaim("sid")));
        assertEquals(false, accepts(sign(claims)));
    }

    @Test
    void tamperedPayload() throws Exception {
        String[] parts = sign(good().build()).split("\\.");
        String other = b64(good().claim("roles", List.of("owner")).build().toString());
        assertEquals(false, accepts(parts[0] + "." + other + "." + parts[2]));
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
