package io.gatehouse.saml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.login.LoginFailure;
import io.gatehouse.org.SamlIdp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.opensaml.security.credential.Credential;
import org.opensaml.security.x509.BasicX509Credential;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The pure validator over third-party fixtures (copied from ../shared/saml-fixtures): real IdP
 * captures replayed with their pinned clock and the SP values they were issued for; published attacks
 * and single-fault negatives refused with the reason written down in {@code saml-fixture-reasons.csv};
 * the two scenario matrices against their {@code expected.csv}.
 */
class SamlFixturesTest {

    private static final Path ROOT = Path.of("src/test/resources/saml-fixtures");
    private static final Duration SKEW = Duration.ofSeconds(90);
    private static final Set<LoginFailure> SIGNATURE_STAGE = Set.of(LoginFailure.RESPONSE_MALFORMED,
            LoginFailure.STATUS_NOT_SUCCESS, LoginFailure.ASSERTION_COUNT, LoginFailure.DECRYPTION_FAILED,
            LoginFailure.SIGNATURE_MISSING, LoginFailure.SIGNATURE_INVALID, LoginFailure.SIGNATURE_ALGORITHM_NOT_ALLOWED);

    private static JsonNode manifest;
    private static Map<String, String> reasons;

    @BeforeAll
    static void load() throws IOException {
        OpenSaml.initialize();
        manifest = new ObjectMapper().readTree(ROOT.resolve("manifest.json").toFile());
        reasons = new LinkedHashMap<>();
        try (InputStream in = SamlFixturesTest.class.getResourceAsStream("/saml-fixture-reasons.csv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] parts = line.split(",", 2);
                    reasons.put(parts[0].strip(), parts[1].strip());
                }
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> captures_and_attacks() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode entry : manifest.get("entries")) {
            String kind = entry.get("kind").asText();
            String file = entry.get("file").asText();
            if (!kind.equals("valid") && !kind.equals("negative")) {
                continue;
            }
            tests.add(DynamicTest.dynamicTest(file, () -> {
                Fixture fixture = Fixture.of(entry);
                SamlResponseValidator.Result result = fixture.validate();
                String expected = entry.get("expected").asText();
                if (kind.equals("valid") && reasons.containsKey(file)) {
                    // A deliberate deviation from the upstream expectation, explained in the CSV.
                    var refused = assertInstanceOf(SamlResponseValidator.Refused.class, result, file + " was accepted");
                    assertEquals(reasons.get(file), refused.reason().code(), file + " → " + refused.detail());
                } else if (kind.equals("valid") && !expected.contains("(signature")) {
                    assertInstanceOf(SamlResponseValidator.Verified.class, result, file + " → " + result);
                } else if (kind.equals("valid")) {
                    // Captures whose SP values no longer exist: the signature stage must pass.
                    if (result instanceof SamlResponseValidator.Refused refused && SIGNATURE_STAGE.contains(refused.reason())) {
                        fail(file + " refused at the signature stage: " + refused);
                    }
                } else if (reasons.getOrDefault(file, "").startsWith("accept-as:")) {
                    // The attack's expectation allows acceptance only with the whole signed text as NameID.
                    var verified = assertInstanceOf(SamlResponseValidator.Verified.class, result, file + " → " + result);
                    assertEquals(reasons.get(file).substring("accept-as:".length()), verified.nameId());
                } else {
                    SamlResponseValidator.Refused refused = assertInstanceOf(SamlResponseValidator.Refused.class, result,
                            file + " was accepted");
                    String reason = reasons.get(file);
                    if (reason == null) {
                        fail(file + " has no expected reason in saml-fixture-reasons.csv; got " + refused);
                    }
                    assertEquals(reason, refused.reason().code(), file + " → " + refused.detail());
                }
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> scenario_matrices() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode entry : manifest.get("entries")) {
            if (!entry.get("kind").asText().equals("matrix")) {
                continue;
            }
            Path folder = ROOT.resolve(entry.get("file").asText());
            List<String> lines = Files.readAllLines(folder.resolve("expected.csv"));
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",");
                String name = cells[0];
                String expectedOutcome = cells[1];
                tests.add(DynamicTest.dynamicTest(folder.getFileName() + "/" + name, () -> {
                    String outcome = expectedOutcome;
                    Path response = Files.exists(folder.resolve(name)) ? folder.resolve(name) : folder.resolve(name + ".b64");
                    byte[] xml = decode(Files.readAllBytes(response));
                    JsonNode sp = entry.get("sp");
                    Instant now = entry.hasNonNull("now") ? Instant.parse(entry.get("now").asText())
                            : cells[2].matches("\\d{4}-.*Z") ? Instant.parse(cells[2]) : issueInstant(xml);
                    Credential key = sp.hasNonNull("decryption_key") ? Fixture.spKey(sp.get("decryption_key").asText(), null) : null;
                    X509Certificate cert = Certificates.parse(Files.readString(ROOT.resolve(entry.get("idp").get("signing_cert").asText())));
                    var expect = new SamlResponseValidator.Expectations(entry.get("idp").get("entity_id").asText(), List.of(cert),
                            sp.get("entity_id_audience").asText(), Set.of(sp.get("acs_url").asText()), true, true, SKEW, key);
                    // Any request the response names counts as pending: these cases are about everything else.
                    var result = SamlResponseValidator.validate(xml, expect, claimedRequest(xml), now);
                    String reason = reasons.get(folder.getFileName() + "/" + name);
                    if (reason != null && reason.startsWith("accept")) {
                        outcome = "accept";
                    }
                    switch (outcome) {
                        case "accept" -> assertInstanceOf(SamlResponseValidator.Verified.class, result, name + " → " + result);
                        case "reject" -> {
                            var refused = assertInstanceOf(SamlResponseValidator.Refused.class, result, name + " was accepted");
                            if (reason == null) {
                                fail(name + " has no expected reason; got " + refused);
                            }
                            assertEquals(reason, refused.reason().code(), name + " → " + refused.detail());
                        }
                        default -> {
                            // "accept?": a raw-DEFLATE body on the POST binding. Gatehouse follows the
                            // HTTP-POST binding strictly: it is not XML, so it is refused as malformed.
                            var refused = assertInstanceOf(SamlResponseValidator.Refused.class, result);
                            assertEquals(LoginFailure.RESPONSE_MALFORMED, refused.reason());
                        }
                    }
                }));
            }
        }
        return tests.stream();
    }

    /** One manifest entry made into validator input. */
    record Fixture(String file, byte[] xml, SamlResponseValidator.Expectations expect, Instant now, String inResponseTo) {

        static Fixture of(JsonNode entry) throws Exception {
            String file = entry.get("file").asText();
            byte[] xml = decode(Files.readAllBytes(ROOT.resolve(file)));
            JsonNode sp = entry.get("sp");
            JsonNode idp = entry.get("idp");
            JsonNode check = entry.path("offline_check");
            String issuer = text(idp, "entity_id", first(check, "issuers"));
            List<X509Certificate> certs = new ArrayList<>();
            Path metadata = ROOT.resolve(file).resolveSibling("metadata.xml");
            if (idp.hasNonNull("signing_cert")) {
                certs.add(Certificates.parse(Files.readString(ROOT.resolve(idp.get("signing_cert").asText()))));
            } else if (Files.exists(metadata)) {
                SamlIdp parsed = IdpMetadata.parse(Files.readAllBytes(metadata), null);
                certs.addAll(IdpMetadata.certificates(parsed));
                issuer = parsed.entityId();
            } else {
                // No trust anchor published with the fixture: the one inside the response (the test
                // pins it; Gatehouse itself never trusts KeyInfo).
                Matcher m = Pattern.compile("X509Certificate>([^<]+)<").matcher(new String(xml, StandardCharsets.UTF_8));
                if (m.find()) {
                    try {
                        certs.add(Certificates.parse(m.group(1)));
                    } catch (java.security.cert.CertificateException unreadable) {
                        // Nothing to trust: every signature must then fail.
                    }
                }
            }
            String audience = text(sp, "entity_id_audience", first(check, "audience"));
            String acs = text(sp, "acs_url", first(check, "recipient") != null ? first(check, "recipient") : text(check, "destination", null));
            Instant now = entry.hasNonNull("now") && entry.get("now").asText().matches("\\d{4}-.*")
                    ? Instant.parse(entry.get("now").asText()) : issueInstant(xml);
            Credential key = sp.hasNonNull("decryption_key") ? spKey(sp.get("decryption_key").asText(), null)
                    : file.startsWith("scenario-matrices/node-saml-signatures/") ? spKey("scenario-matrices/node-saml-signatures/key.pem", null)
                    : null;
            var expect = new SamlResponseValidator.Expectations(issuer == null ? "" : issuer, certs,
                    audience == null ? "" : audience, acs == null ? Set.of() : Set.of(acs), usesSha1(xml), true, SKEW, key);
            String inResponseTo = text(sp, "in_response_to", first(check, "inResponseTo"));
            return new Fixture(file, xml, expect, now, inResponseTo);
        }

        SamlResponseValidator.Result validate() {
            return SamlResponseValidator.validate(xml, expect, inResponseTo, now);
        }

        static Credential spKey(String path, X509Certificate certificate) {
            try {
                var key = Certificates.privateKey(pkcs8(Files.readString(ROOT.resolve(path))));
                return new BasicX509Credential(certificate != null ? certificate : dummy(), key);
            } catch (Exception e) {
                throw new IllegalStateException(path, e);
            }
        }

        /** Decryption needs only the private key; the credential's certificate is never looked at. */
        private static X509Certificate dummy() {
            return DUMMY.certificate();
        }

        private static final Certificates.SpKey DUMMY = Certificates.newSpKey("unused", Instant.now(), Duration.ofDays(1));
    }

    /** The PKCS#8 bytes of a PEM private key of a fixture ("PRIVATE KEY", or PKCS#1 "RSA PRIVATE KEY"). */
    static byte[] pkcs8(String pem) throws java.io.IOException {
        Matcher block = Pattern.compile("-----BEGIN (RSA )?PRIVATE KEY-----([^-]+)-----END").matcher(pem);
        if (!block.find()) {
            throw new IllegalArgumentException("no PEM private key");
        }
        byte[] der = Base64.getMimeDecoder().decode(block.group(2).strip());
        if (block.group(1) == null) {
            return der;
        }
        return new org.bouncycastle.asn1.pkcs.PrivateKeyInfo(
                new org.bouncycastle.asn1.x509.AlgorithmIdentifier(org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.rsaEncryption,
                        org.bouncycastle.asn1.DERNull.INSTANCE),
                org.bouncycastle.asn1.pkcs.RSAPrivateKey.getInstance(der)).getEncoded();
    }

    static boolean usesSha1(byte[] xml) {
        String text = new String(xml, StandardCharsets.UTF_8);
        return text.contains("xmldsig#rsa-sha1") || text.contains("xmldsig#sha1");
    }

    /** The request a response claims to answer, or null. */
    static String claimedRequest(byte[] xml) {
        return SamlResponseValidator.peek(xml) instanceof SamlResponseValidator.Parsed parsed ? parsed.inResponseTo() : null;
    }

    static Instant issueInstant(byte[] xml) {
        String text = new String(xml, StandardCharsets.UTF_8);
        Matcher assertion = Pattern.compile("<(?:\\w+:)?Assertion[^>]*IssueInstant=\"([^\"]+)\"").matcher(text);
        Matcher any = Pattern.compile("IssueInstant=\"([^\"]+)\"").matcher(text);
        String value = assertion.find() ? assertion.group(1) : any.find() ? any.group(1) : null;
        return value == null ? Instant.EPOCH : Instant.parse(value).plusSeconds(1);
    }

    static byte[] decode(byte[] raw) {
        String text = new String(raw, StandardCharsets.UTF_8).strip();
        if (text.startsWith("<") || text.startsWith("\uFEFF<") || raw.length < 4) {
            return raw;
        }
        try {
            return Base64.getMimeDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return raw;
        }
    }

    private static String text(JsonNode node, String field, String fallback) {
        return node != null && node.hasNonNull(field) ? node.get(field).asText() : fallback;
    }

    private static String first(JsonNode node, String field) {
        JsonNode array = node == null ? null : node.get(field);
        return array != null && array.isArray() && !array.isEmpty() ? array.get(0).asText() : null;
    }
}
