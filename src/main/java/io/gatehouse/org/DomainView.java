package io.gatehouse.org;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/**
 * An email domain of an org: {@code verified} (it routes sign-ins and gates JIT), {@code pending}
 * until the TXT record {@code txt_record_value} is published at {@code txt_record_name}, or
 * {@code expired} (claim it again).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DomainView(String domain, String status, String txtRecordName, String txtRecordValue, Instant createdAt,
                         Instant expiresAt, Instant lastCheckedAt, String lastProblem) {

    static DomainView verified(String domain) {
        return new DomainView(domain, "verified", null, null, null, null, null, null);
    }
}
