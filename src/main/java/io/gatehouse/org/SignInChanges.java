package io.gatehouse.org;

import io.gatehouse.platform.SignInLookups;
import jakarta.persistence.PostPersist;
import jakarta.persistence.PostRemove;
import jakarta.persistence.PostUpdate;

/**
 * An org or connection written through this replica: the sign-in lookups it holds are dropped as the
 * transaction commits, before the database's own announcement (which the other replicas act on) arrives.
 */
public class SignInChanges {

    @PostPersist
    @PostUpdate
    @PostRemove
    void changed(Object entity) {
        SignInLookups.changedInThisTransaction();
    }
}
