package io.gatehouse.token;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/** Sessions, always looked up within their org. */
@ApplicationScoped
public class SessionRepository implements PanacheRepositoryBase<Session, UUID> {

    public java.util.List<Session> listActiveByIdpSession(UUID orgId, UUID connectionId, String idpSessionRef,
                                                          java.time.Instant now) {
        return list("orgId = ?1 and connectionId = ?2 and idpSessionRef = ?3 and revokedAt is null and expiresAt > ?4",
                orgId, connectionId, idpSessionRef, now);
    }
}
