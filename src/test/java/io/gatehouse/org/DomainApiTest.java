package io.gatehouse.org;

import io.gatehouse.testing.Api;
import io.gatehouse.testing.Db;
import io.gatehouse.testing.DnsServer;
import io.gatehouse.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.gatehouse.testing.Api.as;
import static io.gatehouse.testing.Api.operator;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An org admin claims a domain and proves it with a TXT record that a real DNS server on loopback
 * (dnsmasq) serves; every claim wrong in one way is refused or stays pending, and changes nothing else.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class DomainApiTest {

    @BeforeAll
    static void dns() {
        DnsServer.start();
    }

    private static String domain() {
        return Api.newCode("d") + ".example.org";
    }

    /** Claims the domain as the org's admin; returns the TXT value to publish. */
    private static String claim(String org, String admin, String domain) {
        return as(admin).body(Map.of("domain", domain)).post("/v1/orgs/" + org + "/domains").then().statusCode(201)
                .body("domain", equalTo(domain)).body("status", equalTo("pending"))
                .body("txt_record_name", equalTo("_gatehouse." + domain))
                .body("txt_record_value", startsWith("gatehouse-domain-verification="))
                .extract().path("txt_record_value");
    }

    private static List<Object> verifiedDomains(String org) {
        return Db.column("select d.domain from org_domains d join orgs o on o.id = d.org_id where o.code = ? order by 1", org);
    }

    @Test
    void aClaimProvenByItsTxtRecordBecomesAVerifiedDomain() {
        String org = Api.createOrg("dom");
        String admin = Api.adminOf(org);
        String domain = domain();
        String value = claim(org, admin, domain);
        as(admin).get("/v1/orgs/" + org).then().statusCode(200).body("domains", not(hasItem(domain)));
        DnsServer.txt("_gatehouse." + domain, "v=spf1 -all");
        DnsServer.txt("_gatehouse." + domain, value);
        as(admin).post("/v1/orgs/" + org + "/domains/" + domain + "/verify").then().statusCode(200).body("status", equalTo("verified"));
        as(admin).get("/v1/orgs/" + org).then().statusCode(200).body("domains", hasItem(domain));
        as(admin).get("/v1/orgs/" + org + "/domains").then().statusCode(200).body("domain", contains(domain))
                .body("status", contains("verified"));
        assertEquals(List.of(domain), verifiedDomains(org));
    }

    @Test
    void withoutItsTxtRecordAClaimStaysPendingAndSaysWhy() {
        String org = Api.createOrg("nodns");
        String admin = Api.adminOf(org);
        String domain = domain();
        claim(org, admin, domain);
        as(admin).post("/v1/orgs/" + org + "/domains/" + domain + "/verify").then().statusCode(200)
                .body("status", equalTo("pending")).body("last_problem", containsString("_gatehouse." + domain));
        assertEquals(List.of(), verifiedDomains(org));
    }

    @Test
    void aTxtRecordWithAnotherTokenProvesNothing() {
        String org = Api.createOrg("wrongtok");
        String admin = Api.adminOf(org);
        String domain = domain();
        claim(org, admin, domain);
        DnsServer.txt("_gatehouse." + domain, "gatehouse-domain-verification=someone-elses-token");
        as(admin).post("/v1/orgs/" + org + "/domains/" + domain + "/verify").then().statusCode(200)
                .body("status", equalTo("pending")).body("last_problem", containsString("none is gatehouse-domain-verification="));
        assertEquals(List.of(), verifiedDomains(org));
    }

    @Test
    void aDomainAnotherOrgVerifiedCannotBeClaimedAndNothingChanges() {
        String owner = Api.createOrg("owner");
        String domain = domain();
        operator().body(Map.of("domains", List.of(domain))).patch("/v1/orgs/" + owner).then().statusCode(200);
        String org = Api.createOrg("thief");
        String admin = Api.adminOf(org);
        String before = Db.snapshot();
        as(admin).body(Map.of("domain", domain)).post("/v1/orgs/" + org + "/domains").then().statusCode(409);
        as(admin).body(Map.of("domain", domain.toUpperCase() + ".")).post("/v1/orgs/" + org + "/domains").then().statusCode(409);
        assertEquals(before, Db.snapshot());
        assertEquals(0L, Db.count("select count(*) from domain_claims where domain = ?", domain));
    }

    @Test
    void aClaimLosesToTheOrgThatVerifiedTheDomainFirst() {
        String domain = domain();
        String first = Api.createOrg("first");
        String second = Api.createOrg("second");
        String firstValue = claim(first, Api.adminOf(first), domain);
        String secondAdmin = Api.adminOf(second);
        String secondValue = claim(second, secondAdmin, domain);
        DnsServer.txt("_gatehouse." + domain, firstValue);
        DnsServer.txt("_gatehouse." + domain, secondValue);
        as(Api.adminOf(first)).post("/v1/orgs/" + first + "/domains/" + domain + "/verify").then().statusCode(200)
                .body("status", equalTo("verified"));
        as(secondAdmin).post("/v1/orgs/" + second + "/domains/" + domain + "/verify").then().statusCode(409);
        as(secondAdmin).get("/v1/orgs/" + second + "/domains").then().statusCode(200)
                .body("[0].status", equalTo("pending")).body("[0].last_problem", containsString("another organization verified"));
        assertEquals(List.of(domain), verifiedDomains(first));
        assertEquals(List.of(), verifiedDomains(second));
    }

    @Test
    void consumerMailDomainsAreNobodysAndNothingChanges() {
        String org = Api.createOrg("consumer");
        String admin = Api.adminOf(org);
        String before = Db.snapshot();
        for (String domain : List.of("gmail.com", "Outlook.com", "proton.me", "mail.yahoo.com")) {
            as(admin).body(Map.of("domain", domain)).post("/v1/orgs/" + org + "/domains").then().statusCode(400)
                    .body("errors.field", contains("domain")).body("errors.message", hasItem(containsString("consumer mail domain")));
        }
        operator().body(Map.of("domains", List.of("icloud.com"))).patch("/v1/orgs/" + org).then().statusCode(400)
                .body("errors.field", contains("domains[0]"));
        assertEquals(before, Db.snapshot());
        assertEquals(0L, Db.count("select count(*) from domain_claims d join orgs o on o.id = d.org_id where o.code = ?", org));
    }

    @Test
    void onlyTheOrgsAdminsSeeAndChangeItsDomains() {
        String org = Api.createOrg("domacl");
        String domain = domain();
        claim(org, Api.adminOf(org), domain);
        String other = Api.adminOf(Api.createOrg("domother"));
        String memberName = Api.newCode("m");
        Api.createUser(org, memberName, "member");
        String member = Api.login(memberName);
        String before = Db.snapshot();
        as(other).get("/v1/orgs/" + org + "/domains").then().statusCode(404);
        as(other).body(Map.of("domain", domain())).post("/v1/orgs/" + org + "/domains").then().statusCode(404);
        as(other).delete("/v1/orgs/" + org + "/domains/" + domain).then().statusCode(404);
        as(member).get("/v1/orgs/" + org + "/domains").then().statusCode(403);
        io.restassured.RestAssured.given().get("/v1/orgs/" + org + "/domains").then().statusCode(401);
        assertEquals(before, Db.snapshot());
        assertEquals(1L, Db.count("select count(*) from domain_claims where domain = ?", domain));
    }

    @Test
    void aClaimOrADomainCanBeRemoved() {
        String org = Api.createOrg("domdel");
        String admin = Api.adminOf(org);
        String domain = domain();
        claim(org, admin, domain);
        as(admin).delete("/v1/orgs/" + org + "/domains/" + domain).then().statusCode(204);
        as(admin).delete("/v1/orgs/" + org + "/domains/" + domain).then().statusCode(404);
        assertEquals(0L, Db.count("select count(*) from domain_claims where domain = ?", domain));
    }

    @Test
    void aMalformedDomainIsAFieldError() {
        String org = Api.createOrg("dombad");
        String admin = Api.adminOf(org);
        String before = Db.snapshot();
        for (String bad : List.of("not a domain", "localhost", "acme", "-acme.com")) {
            as(admin).body(Map.of("domain", bad)).post("/v1/orgs/" + org + "/domains").then().statusCode(400)
                    .body("errors.field", contains("domain"));
        }
        assertEquals(before, Db.snapshot());
    }

    @jakarta.inject.Inject
    DomainService domains;

    @Test
    void theScheduledCheckProvesPendingClaimsAndLeavesExpiredOnesAlone() {
        String org = Api.createOrg("domsched");
        String admin = Api.adminOf(org);
        String proven = domain();
        String expired = domain();
        DnsServer.txt("_gatehouse." + proven, claim(org, admin, proven));
        DnsServer.txt("_gatehouse." + expired, claim(org, admin, expired));
        Db.value("update domain_claims set expires_at = now() - interval '1 day' where domain = ? returning 1", expired);
        domains.recheck();
        assertEquals(List.of(proven), verifiedDomains(org));
        as(admin).get("/v1/orgs/" + org + "/domains").then().statusCode(200)
                .body("find { it.domain == '" + expired + "' }.status", equalTo("expired"));
        as(admin).post("/v1/orgs/" + org + "/domains/" + expired + "/verify").then().statusCode(409);
        // Claimed again, it is renewed with the same record to publish, and then proven.
        as(admin).body(Map.of("domain", expired)).post("/v1/orgs/" + org + "/domains").then().statusCode(200)
                .body("status", equalTo("pending"));
        as(admin).post("/v1/orgs/" + org + "/domains/" + expired + "/verify").then().statusCode(200).body("status", equalTo("verified"));
    }
}
