package io.gatehouse.org;

import io.gatehouse.platform.ApiException;
import io.gatehouse.platform.Caller;
import io.gatehouse.platform.Callers;
import io.gatehouse.platform.GatehouseConfig;
import io.gatehouse.platform.Page;
import io.gatehouse.platform.Problem.FieldError;
import io.gatehouse.platform.SignInLookups;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/** Orgs: creating (operator only), reading and changing them, and finding the one a caller may manage. */
@ApplicationScoped
public class OrgService {

    private final OrgRepository orgs;
    private final Callers callers;
    private final GatehouseConfig config;
    private final Clock clock;
    private final LoginNames loginNames;

    /** Changes that take effect at once (AccessChanges), carried out in the transaction that makes them. */
    private final jakarta.enterprise.event.Event<Object> changes;

    private final SignInLookups lookups;

    public OrgService(OrgRepository orgs, Callers callers, GatehouseConfig config, Clock clock, LoginNames loginNames,
                      jakarta.enterprise.event.Event<Object> changes, SignInLookups lookups) {
        this.changes = changes;
        this.lookups = lookups;
        this.loginNames = loginNames;
        this.orgs = orgs;
        this.callers = callers;
        this.config = config;
        this.clock = clock;
    }

    @Transactional
    public OrgView create(OrgRequest request) {
        callers.requireOperator();
        List<FieldError> errors = new ArrayList<>();
        if (request.code() == null) {
            errors.add(new FieldError("code", "is required"));
        }
        checkCommon(null, request, errors);
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        if (orgs.findByCode(request.code()).isPresent()) {
            throw ApiException.conflict("An org with code '" + request.code() + "' already exists.");
        }
        // One login namespace: what people type must never reach two places.
        if (loginNames.usernameExists(request.code())) {
            throw ApiException.conflict("'" + request.code() + "' is a person's username; choose another company code.");
        }
        Org org = new Org(UUID.randomUUID(), request.code(), clock.instant());
        org.setJitDefaultRole("member");
        apply(org, request);
        orgs.persist(org);
        orgs.flush();
        return OrgView.of(org);
    }

    @Transactional
    public OrgView get(String orgRef) {
        return OrgView.of(administered(orgRef));
    }

    @Transactional
    public Page<OrgView> list(String after, Integer limit) {
        callers.requireOperator();
        int size = Page.limit(limit);
        List<Org> page = orgs.listPage(after, size + 1);
        String next = page.size() > size ? page.get(size - 1).getCode() : null;
        return new Page<>(page.stream().limit(size).map(OrgView::of).toList(), next);
    }

    @Transactional
    public OrgView update(String orgRef, OrgRequest request) {
        Org org = administered(orgRef);
        List<FieldError> errors = new ArrayList<>();
        if (request.code() != null && !request.code().equals(org.getCode())) {
            errors.add(new FieldError("code", "cannot be changed"));
        }
        if (request.domains() != null && !callers.current().operator()) {
            throw ApiException.forbidden("Only the platform operator may change an org's domains.");
        }
        checkCommon(org.getId(), request, errors);
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        boolean enforcing = Boolean.TRUE.equals(request.ssoEnforced()) && !org.isSsoEnforced();
        apply(org, request);
        if (enforcing) {
            changes.fire(new io.gatehouse.platform.AccessChanges.SsoEnforced(org.getId()));
            // Its accounts share the enforcement: their password sessions end too.
            orgs.list("ssoParentId", org.getId()).forEach(account ->
                    changes.fire(new io.gatehouse.platform.AccessChanges.SsoEnforced(account.getId())));
        }
        org.touch(clock.instant());
        orgs.flush();
        return OrgView.of(org);
    }

    /**
     * The org named by {@code orgRef} (its code or id) if the caller may manage it. Another org's, or one
     * that does not exist, is "not found" alike; a member of the org gets "forbidden".
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Org administered(String orgRef) {
        Caller caller = callers.current();
        Org org = find(orgRef).filter(o -> caller.canSee(o.getId()))
                .orElseThrow(() -> ApiException.notFound("The org"));
        if (!caller.canAdminister(org.getId())) {
            throw ApiException.forbidden("Managing this org needs the admin or owner role.");
        }
        return org;
    }

    /** The org by code or id, with no access check: for sign-in flows, which have no caller yet. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Org> find(String orgRef) {
        if (orgRef == null) {
            return Optional.empty();
        }
        if (orgRef.length() == 36) {
            try {
                return orgs.findByIdOptional(UUID.fromString(orgRef));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return orgs.findByCode(orgRef);
    }

    /** The orgs that share this org's SSO configuration (its accounts), by code. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Org> accountsOf(UUID orgId) {
        return orgs.list("ssoParentId = ?1 order by code", orgId);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Org> findById(UUID id) {
        return orgs.findByIdOptional(id);
    }

    /** An org's code and name. */
    public record Label(String code, String name) {
    }

    /**
     * An org's code and name by its id, held with the sign-in lookups (dropped on any change to orgs, on every
     * replica): each token grant names the org of its session, and loading the org (with its domains) for
     * that was a join.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Label> labelOf(UUID id) {
        return lookups.get("org-label:" + id, () -> orgs.findByIdOptional(id).map(o -> new Label(o.getCode(), o.getName())));
    }

    /** The org that owns the domain of this email, if any. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Org> findByEmailDomain(String email) {
        int at = email.lastIndexOf('@');
        return at < 0 ? Optional.empty() : orgs.findByDomain(email.substring(at + 1).toLowerCase(Locale.ROOT));
    }

    /** @param self the org being changed, or null when creating one */
    private void checkCommon(UUID self, OrgRequest request, List<FieldError> errors) {
        if (request.jitDefaultRole() != null && Set.of("admin", "owner").contains(request.jitDefaultRole())) {
            errors.add(new FieldError("jit_default_role", "must not be admin or owner; elevate people one by one"));
        }
        if (request.allowedReturnUrls() != null) {
            for (int i = 0; i < request.allowedReturnUrls().size(); i++) {
                String problem = ConnectionValidator.urlProblem(request.allowedReturnUrls().get(i), config.allowHttpUrls());
                if (problem != null) {
                    errors.add(new FieldError("allowed_return_urls[" + i + "]", problem));
                }
            }
        }
        if (request.domains() != null) {
            Set<String> seen = new TreeSet<>();
            for (int i = 0; i < request.domains().size(); i++) {
                if (!seen.add(request.domains().get(i).toLowerCase(Locale.ROOT))) {
                    errors.add(new FieldError("domains[" + i + "]", "is listed twice"));
                } else if (ConsumerDomains.contains(request.domains().get(i))) {
                    errors.add(new FieldError("domains[" + i + "]", DomainService.CONSUMER));
                }
            }
            for (String domain : seen) {
                orgs.findByDomain(domain).filter(o -> !o.getId().equals(self))
                        .ifPresent(o -> {
                            throw ApiException.conflict("The domain " + domain + " already belongs to another org.");
                        });
            }
        }
    }

    private static void apply(Org org, OrgRequest request) {
        if (request.name() != null) {
            org.setName(request.name().strip());
        }
        if (request.domains() != null) {
            Set<String> domains = new TreeSet<>();
            request.domains().forEach(d -> domains.add(d.toLowerCase(Locale.ROOT)));
            org.setDomains(domains);
        }
        if (request.ssoEnforced() != null) {
            org.setSsoEnforced(request.ssoEnforced());
        }
        if (request.jitDefaultRole() != null) {
            org.setJitDefaultRole(request.jitDefaultRole());
        }
        if (request.allowedReturnUrls() != null) {
            org.setAllowedReturnUrls(request.allowedReturnUrls());
        }
        if (request.linkPasswordUsers() != null) {
            org.setLinkPasswordUsers(request.linkPasswordUsers());
        }
        if (request.scimDeleteUsers() != null) {
            org.setScimDeleteUsers(request.scimDeleteUsers());
        }
    }
}
