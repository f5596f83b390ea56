package io.gatehouse.org;

import io.gatehouse.egress.Dns;

import io.gatehouse.platform.ApiException;
import io.gatehouse.platform.GatehouseConfig;
import io.gatehouse.platform.Validation;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An org's email domains. The operator's count as verified; an org admin's are claims, pending until
 * {@code gatehouse-domain-verification=<token>} is published as a TXT record at
 * {@code _gatehouse.<domain>}: checked on demand and on a schedule until proven or expired. A domain
 * verified by one org cannot be another's; consumer mail domains cannot be anyone's.
 */
@ApplicationScoped
public class DomainService {

    static final String CONSUMER = "is a consumer mail domain (anyone can have an address there): no organization can own it";
    private static final String TXT_PREFIX = "gatehouse-domain-verification=";
    private static final Pattern DOMAIN = Pattern.compile(Validation.DOMAIN, Pattern.CASE_INSENSITIVE);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Logger LOG = Logger.getLogger(DomainService.class);

    private final OrgService orgs;
    private final OrgRepository orgRepository;
    private final DomainClaims claims;
    private final Dns dns;
    private final GatehouseConfig config;
    private final Clock clock;

    public DomainService(OrgService orgs, OrgRepository orgRepository, DomainClaims claims, Dns dns,
                         GatehouseConfig config, Clock clock) {
        this.orgs = orgs;
        this.orgRepository = orgRepository;
        this.claims = claims;
        this.dns = dns;
        this.config = config;
        this.clock = clock;
    }

    /** The org's verified domains, then its claims. */
    public List<DomainView> list(String orgRef) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Org org = orgs.administered(orgRef);
            List<DomainView> all = new ArrayList<>(org.getDomains().stream().map(DomainView::verified).toList());
            claims.listByOrg(org.getId()).forEach(c -> all.add(view(c)));
            return all;
        });
    }

    /** What adding a domain did: the domain as it now stands, and whether a claim was made just now. */
    public record Added(DomainView domain, boolean created) {
    }

    /** Claims a domain for the org (or returns the claim it already has, renewed when it had expired). */
    public Added add(String orgRef, String requested) {
        String domain = normalize(requested);
        return QuarkusTransaction.requiringNew().call(() -> {
            Org org = orgs.administered(orgRef);
            if (org.getDomains().contains(domain)) {
                return new Added(DomainView.verified(domain), false);
            }
            orgRepository.findByDomain(domain).ifPresent(other -> {
                throw ApiException.conflict("The domain " + domain + " is verified by another organization.");
            });
            Instant now = clock.instant();
            var existing = claims.find(org.getId(), domain);
            if (existing.isPresent()) {
                if (!existing.get().expiresAt().isAfter(now)) {
                    claims.renew(org.getId(), domain, now.plus(config.domains().claimLifetime()));
                }
                return new Added(view(claims.find(org.getId(), domain).orElseThrow()), false);
            }
            DomainClaims.Claim claim = new DomainClaims.Claim(org.getId(), domain, token(), now,
                    now.plus(config.domains().claimLifetime()), null, null);
            claims.insert(claim);
            return new Added(view(claim), true);
        });
    }

    /** Checks the claim's TXT record now: verified, or still pending with the reason. */
    public DomainView verify(String orgRef, String requested) {
        String domain = normalize(requested);
        DomainClaims.Claim claim = QuarkusTransaction.requiringNew().call(() -> {
            Org org = orgs.administered(orgRef);
            if (org.getDomains().contains(domain)) {
                return null;
            }
            DomainClaims.Claim found = claims.find(org.getId(), domain)
                    .orElseThrow(() -> ApiException.notFound("The domain " + domain + " of this org"));
            if (!found.expiresAt().isAfter(clock.instant())) {
                throw ApiException.conflict("The claim of " + domain + " expired unproven; add the domain again to renew it.");
            }
            return found;
        });
        return claim == null ? DomainView.verified(domain) : check(claim);
    }

    /** Removes a claim, or a verified domain (it then routes no sign-in and vouches for no email). */
    public void remove(String orgRef, String requested) {
        String domain = normalize(requested);
        QuarkusTransaction.requiringNew().run(() -> {
            Org org = orgs.administered(orgRef);
            boolean verified = org.getDomains().remove(domain);
            boolean claimed = claims.delete(org.getId(), domain);
            if (!verified && !claimed) {
                throw ApiException.notFound("The domain " + domain + " of this org");
            }
            if (verified) {
                org.touch(clock.instant());
            }
        });
    }

    /** Pending claims are checked again until proven or expired. */
    @Scheduled(every = "${gatehouse.domains.recheck-interval}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void recheck() {
        List<DomainClaims.Claim> pending = QuarkusTransaction.requiringNew().call(() -> claims.pending(clock.instant(), 200));
        for (DomainClaims.Claim claim : pending) {
            try {
                check(claim);
            } catch (RuntimeException e) {
                LOG.warnf("domain %s of org %s: the scheduled check failed (%s)", claim.domain(), claim.orgId(), e.getClass().getSimpleName());
            }
        }
    }

    /** The DNS question (no transaction held while it is asked), then the claim proven or its problem noted. */
    private DomainView check(DomainClaims.Claim claim) {
        String expected = TXT_PREFIX + claim.token();
        Dns.Answer answer = dns.txt(recordName(claim.domain()));
        String problem = switch (answer) {
            case Dns.NotFound missing -> missing.problem();
            case Dns.Found found -> found.texts().contains(expected) ? null
                    : "a TXT record is there, but none is " + expected;
        };
        Instant now = clock.instant();
        String taken = "another organization verified this domain first";
        DomainView checked = QuarkusTransaction.requiringNew().call(() -> {
            boolean verifiedElsewhere = problem == null && orgRepository.findByDomain(claim.domain())
                    .filter(o -> !o.getId().equals(claim.orgId())).isPresent();
            if (problem != null || verifiedElsewhere) {
                // Recorded on the claim, so the next look at it says why it is still pending.
                claims.checked(claim.orgId(), claim.domain(), now, problem != null ? problem : taken);
                return claims.find(claim.orgId(), claim.domain()).map(this::view)
                        .orElseThrow(() -> ApiException.notFound("The domain " + claim.domain() + " of this org"));
            }
            Org org = orgRepository.findByIdOptional(claim.orgId()).orElseThrow();
            org.getDomains().add(claim.domain());
            org.touch(now);
            claims.delete(claim.orgId(), claim.domain());
            LOG.infof("org=%s domain=%s verified by its TXT record", org.getCode(), claim.domain());
            return DomainView.verified(claim.domain());
        });
        if (taken.equals(checked.lastProblem())) {
            // Refused after the transaction that recorded why has committed.
            throw ApiException.conflict("The domain " + claim.domain() + " is verified by another organization.");
        }
        return checked;
    }

    /** Where the TXT record goes. */
    static String recordName(String domain) {
        return "_gatehouse." + domain;
    }

    private DomainView view(DomainClaims.Claim c) {
        return new DomainView(c.domain(), c.expiresAt().isAfter(clock.instant()) ? "pending" : "expired", recordName(c.domain()),
                TXT_PREFIX + c.token(), c.createdAt(), c.expiresAt(), c.lastCheckedAt(), c.lastProblem());
    }

    private static String normalize(String requested) {
        String domain = requested == null ? "" : requested.strip().toLowerCase(Locale.ROOT);
        if (domain.endsWith(".")) {
            domain = domain.substring(0, domain.length() - 1);
        }
        if (!DOMAIN.matcher(domain).matches()) {
            throw ApiException.invalidField("domain", "must be a domain name such as acme.com");
        }
        if (ConsumerDomains.contains(domain)) {
            throw ApiException.invalidField("domain", CONSUMER);
        }
        return domain;
    }

    private static String token() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
